// Splits one record into fields: strict RFC 4180 CSV, or the EOIR pipe-delimited form.
// Written here rather than taken from libcsv or fast-cpp-csv-parser because import needs the
// exact raw record, physical line numbers and a per-row error instead of an exception.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace accompany {

// Fields of one CSV record into `fields` (reused between calls to avoid allocations). An
// error names the problem ("a quote inside an unquoted field", ...) with field "(row)".
Status split_csv(std::string_view record, std::vector<std::string>& fields);
// Fields of one pipe-delimited record; no quoting.
void split_pipes(std::string_view record, std::vector<std::string>& fields);

}  // namespace accompany

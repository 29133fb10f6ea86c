// The oversight report read from the store: every case and every task (open and closed), in one
// read, aggregated by oversight_by_fiscal_year. Shared by `accompany report` and the API.
#pragma once

#include <vector>

#include "report/oversight.h"
#include "store/store.h"

namespace accompany {

Result<std::vector<OversightRow>> load_oversight(SqlConnection& sql, Timestamp now);

}  // namespace accompany

// Walks the audit hash chain and checks every audited row against the last digest the chain
// recorded for it, so a hand edit of either the log or a record is found and named.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/sql_connection.h"

namespace accompany {

struct AuditVerification {
  std::int64_t entries_checked = 0;
  std::int64_t rows_checked = 0;
  std::string head_hash;              // the last entry's hash: write it down to anchor the chain
  std::vector<std::string> problems;  // the first broken entry first; empty when all verifies
  bool ok() const { return problems.empty(); }
};

// Reads in constant memory per entry, plus one digest per audited row.
Result<AuditVerification> verify_audit(SqlConnection& sql);

}  // namespace accompany

// Retention of closed cases (docs/retention.md): a case is closed when the child's latest custody
// event is `case_closed`. Past retention, `purge_closed_cases` removes everything the store holds
// about the child through the unit of work, so each removed row leaves a `delete` entry (its last
// digest) in the audit chain, plus one `retention_purge` event naming the child's id, the close
// date and the reason. No case content survives; `audit verify` still passes.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/time.h"
#include "store/store.h"

namespace accompany {

struct ClosedCase {
  Id child_id = 0;
  std::string closed_at;  // the case_closed event's time, as stored
};

struct PurgeSummary {
  bool dry_run = false;
  std::vector<ClosedCase> cases;              // purged (or, on a dry run, that would be)
  std::map<std::string, std::int64_t> rows;   // table -> rows removed (dry run: rows naming the children)
};

// Cases closed before `closed_before` (their latest custody event is case_closed, dated earlier).
Result<std::vector<ClosedCase>> closed_cases(SqlConnection& sql, Date closed_before);

// Purges every case closed before `closed_before`, one transaction per child, audited as
// `actor` with the purpose "retention purge: <reason>". `reason` is required. A dry run
// changes nothing and counts the rows that would go.
Result<PurgeSummary> purge_closed_cases(Store& store, const std::string& actor, Date closed_before,
                                        const std::string& reason, bool dry_run);

}  // namespace accompany

// What a data steward does with quarantined rows: list them, show one, retry it (validate the
// stored row again and take it in if it now passes) or discard it with a reason. Every change
// is an audited write; showing a row (it may name a child) is an audited read.
#pragma once

#include <string>
#include <vector>

#include "domain/ingest_records.h"
#include "store/store.h"

namespace accompany {

// Open rows (or every row with `include_resolved`), oldest first, at most `limit`.
Result<std::vector<QuarantinedRow>> list_quarantine(Store& store, bool include_resolved, int limit);

Result<QuarantinedRow> show_quarantined(Store& store, Id id, const AuditContext& context);

struct RetryOutcome {
  bool resolved = false;    // imported, pooled or found to be a duplicate
  std::string description;  // what happened, for the steward
};
Result<RetryOutcome> retry_quarantined(Store& store, Id id, const AuditContext& context);

Status discard_quarantined(Store& store, Id id, const std::string& reason, const AuditContext& context);

}  // namespace accompany

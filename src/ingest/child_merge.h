// Merging two child records found to be one child, and undoing it. A merge moves the merged
// child's case records (addresses, custody events, notices, hearings, welfare checks, pooled rows,
// local ids, row-key bookkeeping) to the survivor, each an audited update, and writes down exactly
// what moved in child_merges; the merged child's own row stays untouched. An unmerge moves those
// records back, so the store is as it was before the merge. Tasks, referrals, grants and outbox
// messages stay with the record they were made for (triage re-runs over the merged case).
#pragma once

#include <optional>
#include <string>

#include "store/unit_of_work.h"

namespace accompany {

struct ChildMerge {
  Id id = 0;
  Id survivor_id = 0, merged_id = 0;
  size_t records_moved = 0;
};

// Refuses (conflict) when either child is already merged into another, or they are the same.
Result<ChildMerge> merge_children(UnitOfWork& unit, Id survivor_id, Id merged_id, std::string_view reason);

// Moves back what merge `merge_id` moved; refuses when it was already undone.
Result<ChildMerge> unmerge_children(UnitOfWork& unit, Id merge_id);

// The child `child_id` was merged into, if it is merged now.
Result<std::optional<Id>> merged_into(SqlConnection& sql, Id child_id);

}  // namespace accompany

// The oversight report kept current between requests, so GET /api/reports/oversight does not
// reload every case each time (about 30 s at 450,000 children). It holds each case's and each
// task's facts (oversight.h) and the last audited write it reflects. Every write to a record is
// audited in the same transaction as the write, and writers are serialized on the audit head, so
// the audit log's sequence is the order of commits: reading the newest write entry first and the
// rows after it, the rows include every write up to it (and maybe later ones, which the next
// request replays: reloading a child is idempotent). A request reads that entry
// (one indexed step back from the end of the log); when it is the one the cache holds, the rows
// are counted from the cache (as of now: overdue depends on the time); otherwise the writes
// since are read from the log and only the children they touch are reloaded, or everything when
// they are many, bulk (insert_batch), deletions or events such as merges. Correct under
// concurrent writes and across processes sharing one PostgreSQL database (docs/triage.md).
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "report/oversight.h"
#include "store/unit_of_work.h"

namespace accompany {

class OversightCache {
 public:
  // Up to this many changed children are reloaded one by one; more reload everything.
  explicit OversightCache(size_t max_incremental_children = 2000) : max_incremental_(max_incremental_children) {}

  // The rows as of `now`, for the snapshot `unit` reads (a read-only unit of work in one
  // transaction). Thread-safe: concurrent requests wait for one refresh.
  Result<std::vector<OversightRow>> rows(UnitOfWork& unit, Timestamp now);

  struct Counters {
    int full_loads = 0;
    int incremental_loads = 0;  // refreshes that reloaded only the children changed
    int children_reloaded = 0;
    int unchanged = 0;  // requests answered from the cache as it was
  };
  Counters counters() const;

 private:
  Status load_everything(UnitOfWork& unit, std::int64_t seq);
  // nullopt: the changes need a full reload.
  Result<std::optional<std::vector<Id>>> changed_children(UnitOfWork& unit, std::int64_t from, std::int64_t to);
  Status reload_child(UnitOfWork& unit, Id child_id);
  void count();

  mutable std::mutex mutex_;
  size_t max_incremental_;
  std::optional<std::int64_t> seq_;  // the newest audited write the facts include
  // The rows counted from the facts as they are, with overdue left at 0, and each year's open
  // tasks' due times sorted: a request with nothing new counts only overdue, by binary search.
  std::optional<std::vector<OversightRow>> counted_;
  std::unordered_map<int, std::vector<Timestamp>> open_due_;
  std::unordered_map<Id, CaseFacts> cases_;
  std::unordered_map<Id, std::vector<TaskFacts>> tasks_;  // by child (0: tasks about no child)
  CaseIndex index_;
  Counters counters_;
};

// The sequence number of the newest audit entry that may change a record (reads are left out),
// or 0 for an empty log.
Result<std::int64_t> newest_write_seq(SqlConnection& sql);

}  // namespace accompany

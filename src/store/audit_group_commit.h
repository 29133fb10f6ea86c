// Group commit for the audit entries of reads. A person's read of a child's record must be in
// the hash chain before the record is shown, but one write transaction per read caps audited
// reads at the database's commit rate. Here concurrent readers hand their entries to whichever
// of them is the current leader, and the leader appends every waiting batch to the chain in ONE
// transaction; each caller returns only after the transaction holding its entries committed
// (or with that transaction's error). No background thread: the first waiter leads.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "common/error.h"
#include "security/audit_entry.h"

namespace accompany {

class AuditGroupCommit {
 public:
  // Appends the given entries (already carrying actor, purpose, time) to the chain and commits,
  // in one transaction.
  using CommitBatch = std::function<Status(std::vector<AuditEntry>& entries)>;

  explicit AuditGroupCommit(CommitBatch commit) : commit_(std::move(commit)) {}

  // Blocks until `entries` are committed with those of other concurrent callers.
  Status submit(std::vector<AuditEntry> entries);

  // Transactions committed and entries they held, for tests and metrics.
  std::int64_t transactions() const;
  std::int64_t entries() const;

 private:
  struct Waiting {
    std::vector<AuditEntry> entries;
    std::optional<Status> outcome;  // set by the leader that committed them
    std::condition_variable wake;   // its batch is done, or it is to lead the next one
  };

  CommitBatch commit_;
  mutable std::mutex mutex_;
  std::vector<Waiting*> queue_;  // guarded by mutex_
  bool leading_ = false;         // guarded by mutex_
  std::int64_t transactions_ = 0;
  std::int64_t entries_ = 0;
};

}  // namespace accompany

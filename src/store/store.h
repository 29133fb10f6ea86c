// The case store: one interface over SQLite (a file, the default) or PostgreSQL (a
// postgresql:// URL). Every write happens inside `transact`, which audits it in the same
// transaction. Thread-safe: each transaction takes its own connection from a small pool.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/time.h"
#include "store/audit_group_commit.h"
#include "store/audit_verifier.h"
#include "store/migrations.h"
#include "store/unit_of_work.h"

namespace accompany {

// Where the database is when neither --db nor ACCOMPANY_DB says.
inline constexpr const char* kDefaultDatabase = "accompany.db";
// --db, else $ACCOMPANY_DB, else ./accompany.db.
std::string resolve_database_location(const std::string& flag_value);

// How a transaction is run; the defaults suit every caller but a bulk load.
struct TransactOptions {
  // SQLite: foreign keys are not checked during this transaction (PostgreSQL keeps checking).
  // Only for a writer whose every reference comes from rows it read or wrote in the same
  // transaction (import: docs/import.md); a test checks `PRAGMA foreign_key_check` after it.
  // The check costs one parent lookup per reference; at full scale ~20% of the rows' writes.
  bool writer_checks_references = false;
};

class Store {
 public:
  // Creates the database if needed and migrates it to this build's schema.
  static Result<MigrationOutcome> initialize(const std::string& location);
  // Opens an initialized database; fails with a clear message if its schema is not this build's.
  static Result<std::unique_ptr<Store>> open(const std::string& location, const Clock& clock,
                                             size_t max_connections = 8);

  // Runs `work` in one transaction and commits it with its audit entries, or rolls all of it
  // back if `work` or the commit fails.
  Status transact(const AuditContext& context, const std::function<Status(UnitOfWork&)>& work,
                  TransactOptions options = {});

  // Runs `work` in a read transaction (no write lock); the read and event entries it appends
  // are then committed to the hash chain together with those of concurrent callers (group
  // commit), and this returns only once they are committed: a caller shows what it read only
  // after the read is durably audited. `work` cannot write rows (an internal error if it tries).
  Status read_audited(const AuditContext& context, const std::function<Status(UnitOfWork&)>& work,
                      std::int64_t* entries_written = nullptr);

  // Audit transactions committed by the group commit and the entries they held.
  std::int64_t group_commit_transactions() const { return group_commit_.transactions(); }
  std::int64_t group_commit_entries() const { return group_commit_.entries(); }

  // Runs `read` on a connection outside any write transaction (reports, verification).
  Status read(const std::function<Status(SqlConnection&)>& read);

  Result<AuditVerification> verify_audit();

  Dialect dialect() const { return dialect_; }
  std::string describe() const { return description_; }
  int schema_version() const { return schema_version_; }
  const Clock& clock() const { return clock_; }

 private:
  Store(std::string location, const Clock& clock, size_t max_connections, std::unique_ptr<SqlConnection> first);

  class Lease;
  Result<std::unique_ptr<SqlConnection>> acquire();
  void release(std::unique_ptr<SqlConnection> connection);
  Status commit_audit_batch(std::vector<AuditEntry>& entries);

  std::string location_;
  const Clock& clock_;
  size_t max_connections_;
  Dialect dialect_;
  std::string description_;
  int schema_version_ = 0;

  std::mutex mutex_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;  // guarded by mutex_
  // SQLite has one writer at a time, and its busy handler waits by sleeping (1, 2, 5 ms ...);
  // queueing this process's writers on a mutex instead wakes the next one at once.
  std::mutex sqlite_writer_;
  AuditGroupCommit group_commit_{[this](std::vector<AuditEntry>& entries) { return commit_audit_batch(entries); }};
};

}  // namespace accompany

#include "store/store.h"

#include <cstdlib>

namespace accompany {

std::string resolve_database_location(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("ACCOMPANY_DB"); env && *env) return env;
  return kDefaultDatabase;
}

Result<MigrationOutcome> Store::initialize(const std::string& location) {
  ACCOMPANY_TRY(connection, open_sql_connection(location, /*create=*/true));
  return migrate(*connection);
}

Result<std::unique_ptr<Store>> Store::open(const std::string& location, const Clock& clock, size_t max_connections) {
  ACCOMPANY_TRY(connection, open_sql_connection(location, /*create=*/false));
  ACCOMPANY_TRY(version, check_schema(*connection));
  auto store = std::unique_ptr<Store>(new Store(location, clock, max_connections, std::move(connection)));
  store->schema_version_ = version;
  return store;
}

Store::Store(std::string location, const Clock& clock, size_t max_connections, std::unique_ptr<SqlConnection> first)
    : location_(std::move(location)),
      clock_(clock),
      max_connections_(max_connections),
      dialect_(first->dialect()),
      description_(first->describe()) {
  idle_.push_back(std::move(first));
}

Result<std::unique_ptr<SqlConnection>> Store::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return open_sql_connection(location_, /*create=*/false);
}

void Store::release(std::unique_ptr<SqlConnection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_connections_) idle_.push_back(std::move(connection));
}

Status Store::transact(const AuditContext& context, const std::function<Status(UnitOfWork&)>& work,
                       TransactOptions options) {
  ACCOMPANY_TRY(connection, acquire());
  std::unique_lock<std::mutex> writer;
  if (dialect_ == Dialect::sqlite) writer = std::unique_lock(sqlite_writer_);
  // SQLite ignores this pragma inside a transaction, so it is set around it; the connection
  // goes back to the pool checking foreign keys again, whatever the outcome.
  const bool references_unchecked = options.writer_checks_references && dialect_ == Dialect::sqlite;
  if (references_unchecked) ACCOMPANY_CHECK(connection->execute_script("PRAGMA foreign_keys = OFF"));
  Status outcome = [&]() -> Status {
    ACCOMPANY_CHECK(connection->begin());
    UnitOfWork unit(*connection, context, clock_);
    Status done = work(unit);
    if (done) done = unit.finish();
    if (done) done = connection->commit();
    if (!done) {
      (void)connection->rollback();
      return done;
    }
    return {};
  }();
  if (references_unchecked) {
    if (auto restored = connection->execute_script("PRAGMA foreign_keys = ON"); !restored)
      return outcome ? restored : outcome;  // not pooled: it would write unchecked
  }
  // A connection whose server went away is dropped rather than returned to the pool.
  if (outcome || outcome.error().code != ErrorCode::unavailable) release(std::move(connection));
  return outcome;
}

Status Store::read_audited(const AuditContext& context, const std::function<Status(UnitOfWork&)>& work,
                           std::int64_t* entries_written) {
  std::vector<AuditEntry> entries;
  {
    ACCOMPANY_TRY(connection, acquire());
    // One snapshot for the whole read; READ ONLY makes PostgreSQL refuse a stray write.
    Status outcome = connection->begin_read();
    if (outcome) {
      UnitOfWork unit(*connection, context, clock_, UnitOfWork::Mode::read_only);
      outcome = work(unit);
      entries = unit.take_unchained();
      (void)connection->rollback();
    }
    if (outcome || outcome.error().code != ErrorCode::unavailable) release(std::move(connection));
    ACCOMPANY_CHECK(outcome);
  }
  if (entries_written) *entries_written = static_cast<std::int64_t>(entries.size());
  return group_commit_.submit(std::move(entries));
}

Status Store::commit_audit_batch(std::vector<AuditEntry>& entries) {
  return transact({}, [&](UnitOfWork& unit) { return unit.append_prepared(entries); });
}

Status Store::read(const std::function<Status(SqlConnection&)>& reader) {
  ACCOMPANY_TRY(connection, acquire());
  Status outcome = reader(*connection);
  if (outcome || outcome.error().code != ErrorCode::unavailable) release(std::move(connection));
  return outcome;
}

Result<AuditVerification> Store::verify_audit() {
  AuditVerification report;
  ACCOMPANY_CHECK(read([&](SqlConnection& sql) -> Status {
    // One snapshot for the whole walk, so concurrent writers cannot make it see half a write.
    ACCOMPANY_CHECK(sql.execute_script(
        sql.dialect() == Dialect::postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"));
    auto verified = accompany::verify_audit(sql);
    (void)sql.rollback();
    if (!verified) return verified.error();
    report = std::move(*verified);
    return {};
  }));
  return report;
}

}  // namespace accompany

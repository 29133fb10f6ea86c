#include "store/sqlite/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <mutex>
#include <unordered_map>

namespace accompany {
namespace {

// "$12" -> "?12": SQLite numbers parameters with ?NNN; our SQL is written with $N.
std::string to_sqlite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9')
      out += '?';
    else
      out += sql[i];
  }
  return out;
}

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteConnection() override {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }
  std::string describe() const override { return path_; }

  Status execute_script(std::string_view sql) override {
    char* message = nullptr;
    if (sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      return failure(text);
    }
    return {};
  }

  Result<std::int64_t> execute(std::string_view sql, std::span<const SqlValue> params) override {
    ACCOMPANY_TRY(statement, prepare(sql, params));
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    done_with(statement);
    if (rc != SQLITE_DONE) return failure(sqlite3_errmsg(db_), rc);
    return static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Result<std::int64_t> insert_returning_id(std::string_view sql, std::span<const SqlValue> params) override {
    ACCOMPANY_TRY(changed, execute(sql, params));
    if (changed != 1) return failure(fmt::format("expected one row inserted, {} were (in: {})", changed, sql));
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
  }

  Result<std::vector<SqlRow>> query(std::string_view sql, std::span<const SqlValue> params) override {
    std::vector<SqlRow> rows;
    ACCOMPANY_CHECK(each_row(sql, params, [&](SqlRow&& row) -> Status {
      rows.push_back(std::move(row));
      return {};
    }));
    return rows;
  }

  Status for_each_row(std::string_view sql, std::span<const SqlValue> params, const RowCallback& on_row) override {
    return each_row(sql, params, [&](SqlRow&& row) { return on_row(row); });
  }

  // Prepared once per connection (execute's cache) rather than parsed on every transaction.
  Status begin() override { return transaction_control("BEGIN IMMEDIATE"); }
  Status commit() override { return transaction_control("COMMIT"); }
  Status rollback() override { return transaction_control("ROLLBACK"); }
  Status begin_read() override { return transaction_control("BEGIN"); }

 private:
  Status transaction_control(std::string_view sql) {
    ACCOMPANY_TRY(changed, execute(sql, {}));
    (void)changed;
    return {};
  }

  // Steps `sql` and hands each row to `on_row` (moved, so query() does not copy it).
  template <class OnRow>
  Status each_row(std::string_view sql, std::span<const SqlValue> params, OnRow&& on_row) {
    ACCOMPANY_TRY(statement, prepare(sql, params));
    const int columns = sqlite3_column_count(statement);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      std::vector<SqlValue> values;
      values.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) {
        switch (sqlite3_column_type(statement, c)) {
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(statement, c));
            break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
            values.emplace_back(std::string(text, static_cast<size_t>(sqlite3_column_bytes(statement, c))));
          }
        }
      }
      if (auto status = on_row(SqlRow(std::move(values))); !status) {
        done_with(statement);
        return status;
      }
    }
    done_with(statement);
    if (rc != SQLITE_DONE) return failure(sqlite3_errmsg(db_), rc);
    return {};
  }

  // Parameters are bound without copying (SQLITE_STATIC): they live until the statement is
  // done, and the bindings are cleared here so no pointer outlives them.
  static void done_with(sqlite3_stmt* statement) {
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }

  Error failure(std::string_view message, int rc = SQLITE_ERROR) const {
    const int primary = rc & 0xff;
    ErrorCode code = ErrorCode::internal;
    if (primary == SQLITE_CONSTRAINT)
      code = ErrorCode::conflict;
    else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN ||
             primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_READONLY)
      code = ErrorCode::unavailable;
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
      code = ErrorCode::unavailable;
    return make_error(code, fmt::format("SQLite database {}: {}", path_, message));
  }

  Result<sqlite3_stmt*> prepare(std::string_view sql, std::span<const SqlValue> params) {
    auto found = statements_.find(sql);
    sqlite3_stmt* statement = nullptr;
    if (found != statements_.end()) {
      statement = found->second;
    } else {
      const std::string translated = to_sqlite_placeholders(sql);
      const int rc = sqlite3_prepare_v3(db_, translated.c_str(), static_cast<int>(translated.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
      if (rc != SQLITE_OK) return failure(fmt::format("{} (in: {})", sqlite3_errmsg(db_), sql), rc);
      statements_.emplace(std::string(sql), statement);
    }
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(statement))
      return make_error(ErrorCode::internal, fmt::format("statement takes {} parameters, given {}: {}",
                                                         sqlite3_bind_parameter_count(statement), params.size(), sql));
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const SqlValue& value = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(value))
        rc = sqlite3_bind_null(statement, index);
      else if (const auto* integer = std::get_if<std::int64_t>(&value))
        rc = sqlite3_bind_int64(statement, index, *integer);
      else if (const auto* real = std::get_if<double>(&value))
        rc = sqlite3_bind_double(statement, index, *real);
      else {
        const auto& text = std::get<std::string>(value);
        rc = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(statement);
        return failure(sqlite3_errmsg(db_), rc);
      }
    }
    return statement;
  }

  sqlite3* db_;
  std::string path_;
  // Looked up by string_view (no copy of the SQL per statement run).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> open_sqlite_connection(const std::string& path, bool create) {
  // SQLite counts every allocation under one process-wide mutex unless told not to; with many
  // server threads that mutex was contended on every query. Must precede sqlite3_initialize, so
  // it is set before the first connection (a failure only leaves the default on).
  static std::once_flag configured;
  std::call_once(configured, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  if (!create && !std::filesystem::exists(path))
    return make_error(ErrorCode::not_found,
                      fmt::format("no database at {}; create it with `accompany init --db {}`", path, path));
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return make_error(ErrorCode::unavailable, fmt::format("cannot open SQLite database {}: {}", path, message));
  }
  sqlite3_extended_result_codes(db, 1);
  auto connection = std::make_unique<SqliteConnection>(db, path);
  // WAL lets readers run beside the one writer; NORMAL sync is durable in WAL except for the
  // last transactions before a power loss, never corrupting. busy_timeout waits out short locks.
  if (auto status = connection->execute_script(
          "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
          "PRAGMA foreign_keys = ON;");
      !status) {
    auto error = status.error();
    if (error.message.find("not a database") != std::string::npos)
      error.message = fmt::format("{} is not an SQLite database (or is damaged)", path);
    return error;
  }
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace accompany

// The thin layer under the store: one database connection speaking parameterized SQL.
// The store's logic is written once against this interface; SQLite and PostgreSQL each
// implement it (sqlite/, postgres/). SQL uses PostgreSQL's $1, $2 ... placeholders; the SQLite
// driver translates them. Not thread-safe: one connection is used by one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.h"

namespace accompany {

enum class Dialect { sqlite, postgres };
std::string_view to_string(Dialect dialect);
inline std::ostream& operator<<(std::ostream& out, Dialect dialect) {
  return out << to_string(dialect);
}

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

// One result row. Getters check the type and fail loudly on a programmer error.
class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  const SqlValue& at(size_t i) const { return values_.at(i); }
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::int64_t integer(size_t i) const;
  std::optional<std::int64_t> optional_integer(size_t i) const;
  const std::string& text(size_t i) const;
  std::optional<std::string> optional_text(size_t i) const;
  const std::vector<SqlValue>& values() const { return values_; }

 private:
  std::vector<SqlValue> values_;
};

using RowCallback = std::function<Status(const SqlRow&)>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;
  // Where this connection points, without any password, for messages and /healthz.
  virtual std::string describe() const = 0;

  // Runs statements with no parameters and no results (DDL, migrations); may hold several.
  virtual Status execute_script(std::string_view sql) = 0;
  // Runs one statement with parameters; returns the number of rows changed.
  virtual Result<std::int64_t> execute(std::string_view sql, std::span<const SqlValue> params = {}) = 0;
  // Runs one INSERT of one row into a table with an `id` key, written without RETURNING, and
  // returns the new id. SQLite reads its last rowid: a RETURNING clause costs it a temporary
  // table per statement, a third of a bulk import's time.
  virtual Result<std::int64_t> insert_returning_id(std::string_view insert_sql, std::span<const SqlValue> params) = 0;
  // Runs one statement whose result nobody waits for (a bulk import's row inserts). PostgreSQL
  // queues it in libpq's pipeline and sends the queue with the next statement that needs an
  // answer (or every kPipelineDepth statements), one round trip instead of one per statement;
  // an error then surfaces from that later call and fails the transaction. SQLite runs it now.
  virtual Status execute_later(std::string_view sql, std::span<const SqlValue> params) {
    ACCOMPANY_TRY(changed, execute(sql, params));
    (void)changed;
    return {};
  }
  // Runs one query and collects every row.
  virtual Result<std::vector<SqlRow>> query(std::string_view sql, std::span<const SqlValue> params = {}) = 0;
  // Runs one query and hands each row to `on_row` as it arrives (constant memory).
  virtual Status for_each_row(std::string_view sql, std::span<const SqlValue> params, const RowCallback& on_row) = 0;

  // Starts a transaction that will write (SQLite: BEGIN IMMEDIATE, taking the write lock now).
  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual Status rollback() = 0;
  // Starts a read-only transaction: one snapshot, no write lock (PostgreSQL refuses writes in it).
  virtual Status begin_read() { return execute_script(dialect() == Dialect::postgres ? "BEGIN READ ONLY" : "BEGIN"); }
};

// Opens a connection from a location: a file path for SQLite, or a postgresql:// URL.
// `create` makes a new SQLite file when none exists (accompany init); otherwise a missing file
// is an error that says to run `accompany init`.
Result<std::unique_ptr<SqlConnection>> open_sql_connection(const std::string& location, bool create);
bool is_postgres_location(std::string_view location);

}  // namespace accompany

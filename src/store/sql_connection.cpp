#include "store/sql_connection.h"

#include <cassert>
#include <stdexcept>

#include "store/postgres/postgres_connection.h"
#include "store/sqlite/sqlite_connection.h"

namespace accompany {

std::string_view to_string(Dialect dialect) {
  return dialect == Dialect::sqlite ? "sqlite" : "postgresql";
}

std::int64_t SqlRow::integer(size_t i) const {
  if (const auto* value = std::get_if<std::int64_t>(&values_.at(i))) return *value;
  throw std::logic_error("column " + std::to_string(i) + " is not an integer");
}

std::optional<std::int64_t> SqlRow::optional_integer(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

const std::string& SqlRow::text(size_t i) const {
  if (const auto* value = std::get_if<std::string>(&values_.at(i))) return *value;
  throw std::logic_error("column " + std::to_string(i) + " is not text");
}

std::optional<std::string> SqlRow::optional_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

bool is_postgres_location(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::unique_ptr<SqlConnection>> open_sql_connection(const std::string& location, bool create) {
  if (is_postgres_location(location)) return open_postgres_connection(location);
  return open_sqlite_connection(location, create);
}

}  // namespace accompany

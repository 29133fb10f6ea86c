#include "store/migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "common/time.h"

namespace accompany {
namespace migration_files {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}

const std::vector<Migration>& migrations_for(Dialect dialect) {
  static const auto build = [](std::string_view folder) {
    std::vector<Migration> list;
    for (const auto& [path, sql] : migration_files::embedded_files()) {
      if (!path.starts_with(folder)) continue;
      Migration migration;
      migration.name = std::string(path.substr(folder.size()));
      std::from_chars(migration.name.data(), migration.name.data() + migration.name.size(), migration.version);
      migration.sql = sql;
      if (migration.version <= 0 || (!list.empty() && migration.version <= list.back().version))
        throw std::logic_error("migration file names must start with increasing numbers: " + std::string(path));
      list.push_back(std::move(migration));
    }
    if (list.empty()) throw std::logic_error("no migrations compiled in under " + std::string(folder));
    return list;
  };
  static const std::vector<Migration> sqlite = build("store/migrations/sqlite/");
  static const std::vector<Migration> postgres = build("store/migrations/postgres/");
  return dialect == Dialect::sqlite ? sqlite : postgres;
}

int supported_schema_version(Dialect dialect) {
  // Numbers may skip (each worktree takes its own), so the version is the newest file's number.
  return migrations_for(dialect).back().version;
}

Result<int> current_schema_version(SqlConnection& sql) {
  const char* exists = sql.dialect() == Dialect::sqlite
                           ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                           : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND "
                             "table_name = 'schema_migrations'";
  ACCOMPANY_TRY(found, sql.query(exists));
  if (found.at(0).integer(0) == 0) return 0;
  ACCOMPANY_TRY(rows, sql.query("SELECT max(version) FROM schema_migrations"));
  return static_cast<int>(rows.at(0).optional_integer(0).value_or(0));
}

Result<MigrationOutcome> migrate(SqlConnection& sql) {
  ACCOMPANY_CHECK(sql.execute_script(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at TEXT NOT NULL)"));
  ACCOMPANY_TRY(current, current_schema_version(sql));
  const int supported = supported_schema_version(sql.dialect());
  if (current > supported)
    return make_error(ErrorCode::schema_mismatch,
                      fmt::format("the database {} is at schema version {}, newer than this build of accompany "
                                  "understands ({}); use a newer accompany",
                                  sql.describe(), current, supported));
  MigrationOutcome outcome{current, current};
  for (const auto& migration : migrations_for(sql.dialect())) {
    if (migration.version <= current) continue;
    ACCOMPANY_CHECK(sql.begin());
    auto applied = [&]() -> Status {
      ACCOMPANY_CHECK(sql.execute_script(migration.sql));
      const SqlValue params[] = {std::int64_t{migration.version}, migration.name,
                                 format_timestamp(SystemClock().now())};
      ACCOMPANY_CHECK(
          sql.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", params));
      return sql.commit();
    }();
    if (!applied) {
      (void)sql.rollback();
      return applied.error().within(fmt::format("migration {}", migration.name));
    }
    outcome.to_version = migration.version;
  }
  return outcome;
}

Result<int> check_schema(SqlConnection& sql) {
  ACCOMPANY_TRY(current, current_schema_version(sql));
  const int supported = supported_schema_version(sql.dialect());
  if (current == supported) return current;
  if (current == 0)
    return make_error(ErrorCode::schema_mismatch,
                      fmt::format("the database {} has no Accompany schema; run `accompany init`", sql.describe()));
  if (current < supported)
    return make_error(ErrorCode::schema_mismatch,
                      fmt::format("the database {} is at schema version {}, older than this build needs ({}); back it "
                                  "up, then run `accompany init` to migrate it",
                                  sql.describe(), current, supported));
  return make_error(ErrorCode::schema_mismatch,
                    fmt::format("the database {} is at schema version {}, newer than this build of accompany "
                                "understands ({}); use a newer accompany",
                                sql.describe(), current, supported));
}

}  // namespace accompany

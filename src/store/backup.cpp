#include "store/backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "store/migrations.h"
#include "store/postgres/postgres_connection.h"
#include "store/sql_connection.h"

extern char** environ;

namespace accompany {
namespace {

namespace fs = std::filesystem;

// Runs a PostgreSQL client program without a shell (URLs may hold any character), with its
// output in `log`; the error names the program and shows the end of what it printed.
Status run_program(std::vector<std::string> args, const std::string& what) {
  const fs::path log = fs::temp_directory_path() / fmt::format("accompany-{}-{}.log", args[0], getpid());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    return make_error(ErrorCode::unavailable,
                      fmt::format("{}: cannot run {} (install postgresql-client-15)", what, args[0]));
  int status = 0;
  waitpid(pid, &status, 0);
  std::ifstream in(log);
  std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(log);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (output.size() > 800) output = "..." + output.substr(output.size() - 800);
    return make_error(ErrorCode::unavailable, fmt::format("{}: {} failed: {}", what, args[0], output));
  }
  return {};
}

// Copies one SQLite database into another, page by page, while others may be writing.
Status sqlite_copy(const std::string& from, const std::string& to, bool create_target) {
  sqlite3* source = nullptr;
  sqlite3* target = nullptr;
  auto close = [&] {
    sqlite3_close_v2(source);
    sqlite3_close_v2(target);
  };
  if (sqlite3_open_v2(from.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    close();
    return make_error(ErrorCode::unavailable, fmt::format("cannot open {} to copy it", from));
  }
  const int flags = SQLITE_OPEN_READWRITE | (create_target ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(to.c_str(), &target, flags, nullptr) != SQLITE_OK) {
    close();
    return make_error(ErrorCode::unavailable, fmt::format("cannot create {}", to));
  }
  sqlite3_backup* copy = sqlite3_backup_init(target, "main", source, "main");
  if (!copy) {
    Error error = make_error(ErrorCode::unavailable, fmt::format("cannot copy to {}: {}", to, sqlite3_errmsg(target)));
    close();
    return error;
  }
  int rc;
  // A few hundred pages per step lets a busy writer get in between steps.
  while ((rc = sqlite3_backup_step(copy, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    if (rc != SQLITE_OK) sqlite3_sleep(10);
  sqlite3_backup_finish(copy);
  Status outcome;
  if (rc != SQLITE_DONE)
    outcome =
        make_error(ErrorCode::unavailable, fmt::format("copying {} to {} failed: {}", from, to, sqlite3_errstr(rc)));
  close();
  return outcome;
}

}  // namespace

Result<BackupOutcome> backup_database(const std::string& location, const std::string& file) {
  if (fs::exists(file))
    return make_error(ErrorCode::conflict, fmt::format("{} already exists; choose a new file for the backup", file));
  ACCOMPANY_TRY(connection, open_sql_connection(location, /*create=*/false));
  ACCOMPANY_CHECK(check_schema(*connection));
  BackupOutcome outcome{file, {}, 0};
  if (connection->dialect() == Dialect::sqlite) {
    ACCOMPANY_CHECK(sqlite_copy(location, file, /*create_target=*/true));
  } else {
    ACCOMPANY_CHECK(run_program({"pg_dump", "--format=custom", "--no-owner", "--file=" + file, "--dbname=" + location},
                                "backup of " + redact_postgres_url(location)));
  }
  // The head recorded in the copy, read back from the copy itself where we can.
  const std::string head_source = connection->dialect() == Dialect::sqlite ? file : location;
  ACCOMPANY_TRY(copy, open_sql_connection(head_source, false));
  ACCOMPANY_TRY(head, copy->query("SELECT seq, hash FROM audit_head WHERE id = 1"));
  if (!head.empty()) {
    outcome.audit_entries = head[0].integer(0);
    outcome.audit_head_hash = head[0].text(1);
  }
  return outcome;
}

Result<RestoreOutcome> restore_database(const std::string& file, const std::string& location, bool replace) {
  if (!fs::exists(file)) return make_error(ErrorCode::not_found, fmt::format("no backup file at {}", file));
  if (is_postgres_location(location)) {
    ACCOMPANY_TRY(target, open_sql_connection(location, false));
    ACCOMPANY_TRY(version, current_schema_version(*target));
    if (version != 0 && !replace)
      return make_error(ErrorCode::conflict,
                        fmt::format("{} already holds an Accompany database (schema version {}); restore into an "
                                    "empty database, or pass --replace to overwrite it",
                                    redact_postgres_url(location), version));
    std::vector<std::string> args{"pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
                                  "--dbname=" + location};
    if (replace) {
      args.insert(args.begin() + 1, "--clean");
      args.insert(args.begin() + 2, "--if-exists");
    }
    args.push_back(file);
    ACCOMPANY_CHECK(run_program(args, "restore into " + redact_postgres_url(location)));
  } else {
    if (fs::exists(location) && !replace)
      return make_error(
          ErrorCode::conflict,
          fmt::format("{} already exists; restore to a new path, or pass --replace to overwrite it", location));
    // Validate the backup before touching the target: it must be an Accompany database.
    ACCOMPANY_TRY(source, open_sql_connection(file, false));
    ACCOMPANY_CHECK(within(check_schema(*source), fmt::format("backup {}", file)));
    ACCOMPANY_CHECK(sqlite_copy(file, location, /*create_target=*/true));
  }
  ACCOMPANY_TRY(restored, open_sql_connection(location, false));
  ACCOMPANY_TRY(version, check_schema(*restored));
  ACCOMPANY_CHECK(restored->execute_script("BEGIN"));
  auto verification = verify_audit(*restored);
  (void)restored->rollback();
  if (!verification) return verification.error();
  return RestoreOutcome{version, std::move(*verification)};
}

}  // namespace accompany

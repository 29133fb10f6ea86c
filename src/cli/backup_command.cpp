// accompany backup / restore: a consistent copy of the database, and a verified restore.
#include <fmt/format.h>

#include "cli/commands.h"
#include "store/backup.h"
#include "store/store.h"

namespace accompany {

void add_backup_commands(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto backup_file = std::make_shared<std::string>();
  auto* backup = app.add_subcommand("backup",
                                    "Write a consistent copy of the database to a new file while it stays in use "
                                    "(SQLite: online backup; PostgreSQL: pg_dump custom format)");
  backup->add_option("--to", *backup_file, "The backup file to create (must not exist)")->required();
  backup->callback([&global, &exit_code, backup_file] {
    auto outcome = backup_database(resolve_database_location(global.database), *backup_file);
    if (!outcome) {
      exit_code = report_failure(outcome.error().describe());
      return;
    }
    fmt::print(
        "Backed up to {}: {} audit entries, chain head {}.\nKeep the chain head elsewhere: a restore whose "
        "head differs was altered.\n",
        outcome->file, outcome->audit_entries, outcome->audit_head_hash);
  });

  struct RestoreOptions {
    std::string file;
    bool replace = false;
  };
  auto options = std::make_shared<RestoreOptions>();
  auto* restore = app.add_subcommand(
      "restore", "Restore a backup into the database named by --db, then verify its schema and audit chain");
  restore->add_option("--from", options->file, "The backup file to restore")->required();
  restore->add_flag("--replace", options->replace, "Overwrite a database that already holds Accompany data");
  restore->callback([&global, &exit_code, options] {
    const std::string location = resolve_database_location(global.database);
    auto outcome = restore_database(options->file, location, options->replace);
    if (!outcome) {
      exit_code = report_failure(outcome.error().describe());
      return;
    }
    const auto& verification = outcome->verification;
    if (!verification.ok()) {
      fmt::print(stderr, "Restored {} into {}, but its audit log does NOT verify:\n", options->file, location);
      for (const auto& problem : verification.problems) fmt::print(stderr, "  - {}\n", problem);
      exit_code = 1;
      return;
    }
    fmt::print("Restored {} into {} (schema version {}); audit verified: {} entries, {} records, chain head {}.\n",
               options->file, location, outcome->schema_version, verification.entries_checked,
               verification.rows_checked, verification.head_hash);
  });
}

}  // namespace accompany

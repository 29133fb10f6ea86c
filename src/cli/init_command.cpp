// accompany init: creates the database if needed and brings its schema to this build's version.
#include <fmt/format.h>

#include "cli/commands.h"
#include "store/store.h"

namespace accompany {

void add_init_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* command = app.add_subcommand(
      "init", "Create the database (SQLite file or PostgreSQL schema) or migrate it to this version; safe to re-run");
  command->callback([&global, &exit_code] {
    const std::string location = resolve_database_location(global.database);
    auto outcome = Store::initialize(location);
    if (!outcome) {
      exit_code = report_failure(outcome.error().describe());
      return;
    }
    if (outcome->from_version == outcome->to_version)
      fmt::print("Database {} is up to date (schema version {}).\n", location, outcome->to_version);
    else if (outcome->from_version == 0)
      fmt::print("Created database {} (schema version {}).\n", location, outcome->to_version);
    else
      fmt::print("Migrated database {} from schema version {} to {}.\n", location, outcome->from_version,
                 outcome->to_version);
    if (auto key = ensure_field_key(global, location); !key) exit_code = report_failure(key.error().describe());
  });
}

}  // namespace accompany

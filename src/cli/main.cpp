// accompany: wires the subcommands together. Nothing here but option parsing and dispatch.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "cli/commands.h"
#include "common/logging.h"
#include "security/digest.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using namespace accompany;
  CLI::App app{"Accompany: one audited case record for every unaccompanied child, from border custody to court."};
  app.require_subcommand(1);
  app.fallthrough();  // global options such as --db may follow the subcommand
  GlobalOptions global;
  app.add_option("--db", global.database,
                 "Database: an SQLite file path or a postgresql:// URL (default: $ACCOMPANY_DB, else ./accompany.db)");
  app.add_option("--log-format", global.log_format, "Log lines as 'human' or 'json'")
      ->check(CLI::IsMember({"human", "json"}));
  app.add_option("--log-level", global.log_level, "Least severe log level shown: debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  app.add_option("--key-file", global.key_file,
                 "Key file of the fields encrypted at rest (default: $ACCOMPANY_KEY_FILE, else <db>.key beside an "
                 "SQLite database)");
  app.add_option("--old-key-file", global.old_key_file, "A previous key, also accepted for reading during a rotation");
  app.parse_complete_callback([&] {
    configure_logging(global.log_format == "json" ? LogFormat::json : LogFormat::human, global.log_level);
    // Commands that read or write records get the field key before they run; `audit verify`
    // checks digests of the stored ciphertext and needs none.
    static const std::set<std::string> without_records{"init",  "demo",   "version", "synth",         "keys",
                                                       "audit", "backup", "restore", "simulate-calls"};
    const auto chosen = app.get_subcommands();
    if (chosen.empty() || without_records.contains(chosen.front()->get_name())) return;
    const CLI::App& command = *chosen.front();
    if (command.get_name() == "link" && command.count("--full") == 0 && command.count("--from-store") == 0)
      return;  // evaluating linkage on files opens no database
    auto installed = install_field_keys_for(global, resolve_database_location(global.database));
    if (!installed) throw std::runtime_error(installed.error().describe());
  });

  int exit_code = 0;
  add_init_command(app, global, exit_code);
  add_demo_command(app, global, exit_code);
  add_serve_command(app, global, exit_code);
  add_synth_command(app, exit_code);
  add_import_command(app, global, exit_code);
  add_quarantine_command(app, global, exit_code);
  add_link_command(app, global, exit_code);
  add_triage_command(app, global, exit_code);
  add_report_command(app, global, exit_code);
  add_user_command(app, global, exit_code);
  add_audit_command(app, global, exit_code);
  add_backup_commands(app, global, exit_code);
  add_retention_command(app, global, exit_code);
  add_simulate_calls_command(app, exit_code);
  add_keys_command(app, global, exit_code);
  add_version_command(app, exit_code);

  try {
    initialize_crypto();
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    return report_failure(error.what());
  }
  return exit_code;
}

namespace accompany {
int report_failure(const std::string& message) {
  fmt::print(stderr, "accompany: {}\n", message);
  return 1;
}

void with_store(const GlobalOptions& global, int& exit_code, const std::function<int(Store&)>& work) {
  SystemClock clock;
  auto store = Store::open(resolve_database_location(global.database), clock);
  if (!store) {
    exit_code = report_failure(store.error().describe());
    return;
  }
  exit_code = work(**store);
}

AuditContext cli_actor(std::string_view purpose) {
  const char* user = std::getenv("USER");
  return {fmt::format("cli:{}", user && *user ? user : "unknown"), std::string(purpose)};
}
}  // namespace accompany

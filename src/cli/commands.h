// The subcommands of `accompany`; each file in cli/ adds one and runs it.
#pragma once

#include <CLI/App.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace accompany {

// Options every subcommand shares.
struct GlobalOptions {
  std::string database;  // --db; empty means $ACCOMPANY_DB or ./accompany.db
  std::string log_format = "human";
  std::string log_level = "info";
};

// Each add_* registers a subcommand whose callback stores its exit code in `exit_code`.
void add_init_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_serve_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_audit_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_import_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_quarantine_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_version_command(CLI::App& app, int& exit_code);
void add_backup_commands(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_synth_command(CLI::App& app, int& exit_code);
void add_user_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_link_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_triage_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_report_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_demo_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_retention_command(CLI::App& app, const GlobalOptions& global, int& exit_code);
void add_simulate_calls_command(CLI::App& app, int& exit_code);

// Prints "accompany: <message>" to stderr; returns 1, the exit code for a failed command.
int report_failure(const std::string& message);

class Store;
struct AuditContext;
// Opens the store named by --db or reports why not; runs `work` with it; its result is the exit code.
void with_store(const GlobalOptions& global, int& exit_code, const std::function<int(Store&)>& work);
// Who a command-line action is audited as: "cli:$USER", with the given purpose.
AuditContext cli_actor(std::string_view purpose);

}  // namespace accompany

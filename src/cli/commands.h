// The subcommands of `accompany`; each file in cli/ adds one and runs it.
#pragma once

#include <CLI/App.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace accompany {

// Options every subcommand shares.
struct GlobalOptions {
  std::string database;  // --db; empty means $ACCOMPANY_DB or ./accompany.db
  std::string log_format = "human";
  std::string log_level = "info";
  std::string key_file;      // --key-file; empty means $ACCOMPANY_KEY_FILE, else <db>.key for SQLite
  std::string old_key_file;  // --old-key-file: also accepted for reading (during a key rotation)
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
void add_keys_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

// Field encryption keys (cli/key_options.cpp). The key file: --key-file, else $ACCOMPANY_KEY_FILE,
// else `<db>.key` beside an SQLite database; a PostgreSQL database needs one of the first two.
Result<std::string> key_file_path(const GlobalOptions& global, const std::string& location);
// Installs the key (and --old-key-file) for a command that reads or writes records.
Status install_field_keys_for(const GlobalOptions& global, const std::string& location);
// `accompany init` and `demo`: creates `<db>.key` (0600) beside a new SQLite database when no key
// file is named and none exists yet, saying so, then installs the keys.
Status ensure_field_key(const GlobalOptions& global, const std::string& location);

// Prints "accompany: <message>" to stderr; returns 1, the exit code for a failed command.
int report_failure(const std::string& message);

class Store;
struct AuditContext;
// Opens the store named by --db or reports why not; runs `work` with it; its result is the exit code.
void with_store(const GlobalOptions& global, int& exit_code, const std::function<int(Store&)>& work);
// Who a command-line action is audited as: "cli:$USER", with the given purpose.
AuditContext cli_actor(std::string_view purpose);

}  // namespace accompany

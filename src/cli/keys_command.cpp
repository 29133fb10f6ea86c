// accompany keys generate|rotate: the field encryption key (docs/security.md, "Encryption at rest").
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "security/field_cipher.h"
#include "store/key_rotation.h"
#include "store/unit_of_work.h"

namespace accompany {

void add_keys_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  struct Options {
    std::string out;
    std::string new_key;
  };
  auto options = std::make_shared<Options>();
  auto* keys = app.add_subcommand("keys", "The key that encrypts sensitive fields at rest");
  keys->require_subcommand(1);

  auto* generate = keys->add_subcommand("generate", "Write a new random key file (mode 0600; never overwrites)");
  generate->add_option("--out", options->out, "The key file to create")->required();
  generate->callback([&exit_code, options] {
    auto key = create_key_file(options->out);
    if (!key) {
      exit_code = report_failure(key.error().describe());
      return;
    }
    fmt::print("Wrote key file {} (key id {}).\n", options->out, key->id);
  });

  auto* rotate = keys->add_subcommand(
      "rotate", "Re-encrypt every encrypted field under a new key, in one audited transaction (safe to rerun)");
  rotate->add_option("--new", options->new_key, "The new key file (from `accompany keys generate`)")->required();
  rotate->callback([&global, &exit_code, options] {
    const std::string location = resolve_database_location(global.database);
    auto old_path = key_file_path(global, location);
    if (!old_path) {
      exit_code = report_failure(old_path.error().describe());
      return;
    }
    auto old_key = read_key_file(*old_path);
    auto new_key = read_key_file(options->new_key);
    if (!old_key || !new_key) {
      exit_code = report_failure((!old_key ? old_key : new_key).error().describe());
      return;
    }
    std::vector<FieldKey> accepted{*old_key};
    if (!global.old_key_file.empty()) {
      auto older = read_key_file(global.old_key_file);
      if (!older) {
        exit_code = report_failure(older.error().describe());
        return;
      }
      accepted.push_back(std::move(*older));
    }
    const std::string new_id = new_key->id;
    install_field_keys(std::move(*new_key), std::move(accepted));
    with_store(global, exit_code, [&](Store& store) {
      auto outcome =
          reencrypt_fields(store, cli_actor("keys rotate"), [](std::string_view table, auto done, auto total) {
            fmt::print("  {:<12} {:>9} of {} rows\n", table, done, total);
            std::fflush(stdout);
          });
      if (!outcome) return report_failure(outcome.error().describe());
      fmt::print("Re-encrypted {} values in {} rows under key {} ({} were under it already).\n",
                 outcome->values_rewritten, outcome->rows_rewritten, new_id, outcome->values_already_current);
      fmt::print(
          "Now switch the key: replace {} with {} (or pass --key-file {} from now on), and keep the old key "
          "only as long as backups made with it must stay readable.\n",
          *old_path, options->new_key, options->new_key);
      return 0;
    });
  });
}

}  // namespace accompany

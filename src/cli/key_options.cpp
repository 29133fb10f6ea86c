// Where the field encryption key comes from (docs/security.md, "Encryption at rest").
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "security/field_cipher.h"
#include "store/sql_connection.h"

namespace accompany {

Result<std::string> key_file_path(const GlobalOptions& global, const std::string& location) {
  if (!global.key_file.empty()) return global.key_file;
  if (const char* env = std::getenv("ACCOMPANY_KEY_FILE"); env && *env) return std::string(env);
  if (is_postgres_location(location))
    return make_error(ErrorCode::invalid_argument,
                      "a PostgreSQL database needs its field encryption key named by --key-file PATH or "
                      "ACCOMPANY_KEY_FILE (the key is never stored in the database; make one with "
                      "`accompany keys generate --out FILE`)");
  return location + ".key";
}

Status install_field_keys_for(const GlobalOptions& global, const std::string& location) {
  ACCOMPANY_TRY(path, key_file_path(global, location));
  auto key = read_key_file(path);
  if (!key) {
    if (global.key_file.empty() && !is_postgres_location(location) && !std::filesystem::exists(path))
      return make_error(ErrorCode::unavailable,
                        fmt::format("no field encryption key at {}: run `accompany init` to create one for this "
                                    "database, or name the key with --key-file",
                                    path));
    return key.error();
  }
  std::vector<FieldKey> old;
  if (!global.old_key_file.empty()) {
    ACCOMPANY_TRY(previous, read_key_file(global.old_key_file));
    old.push_back(std::move(previous));
  }
  install_field_keys(std::move(*key), std::move(old));
  return {};
}

Status ensure_field_key(const GlobalOptions& global, const std::string& location) {
  if (is_postgres_location(location) && global.key_file.empty() && !std::getenv("ACCOMPANY_KEY_FILE")) {
    fmt::print(
        "Note: pass --key-file or set ACCOMPANY_KEY_FILE for every command that reads or writes records "
        "of this PostgreSQL database.\n");
    return {};
  }
  ACCOMPANY_TRY(path, key_file_path(global, location));
  if (global.key_file.empty() && !std::getenv("ACCOMPANY_KEY_FILE") && !std::filesystem::exists(path)) {
    ACCOMPANY_TRY(created, create_key_file(path));
    fmt::print(
        "Created field encryption key {} (key id {}, mode 0600). Keep it with your backups but apart from "
        "the database: without it the encrypted contact fields, sponsor phones, held feed rows and reminder "
        "texts cannot be read.\n",
        path, created.id);
  }
  return install_field_keys_for(global, location);
}

}  // namespace accompany

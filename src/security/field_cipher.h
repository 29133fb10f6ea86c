// Sensitive fields encrypted at rest: libsodium secretbox with a fresh random nonce per value,
// stored in the field's own TEXT column as `enc:v1:<key id>:<base64 nonce+ciphertext>`.
// The key comes from a file (never the database); its id is the first 8 bytes of its BLAKE2b
// digest in hex, so a stored value names the key that can open it without revealing it.
// The keys are process-wide: the command line installs them once, before any store is used.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace accompany {

struct FieldKey {
  std::array<unsigned char, 32> bytes{};
  std::string id;  // 16 hex characters
};

inline constexpr std::string_view kEncryptedPrefix = "enc:v1:";

// Reads a key file: 64 hex characters (a trailing newline is allowed).
Result<FieldKey> read_key_file(const std::string& path);
// Writes a new random key to `path` with mode 0600; refuses to overwrite an existing file.
Result<FieldKey> create_key_file(const std::string& path);
std::string key_id_of(const std::array<unsigned char, 32>& bytes);

// `current` encrypts every value written; `current` and `also_accepted` decrypt. With no
// current key values are written as plain text (only library tests run so; the CLI always
// installs one).
void install_field_keys(std::optional<FieldKey> current, std::vector<FieldKey> also_accepted = {});
std::optional<std::string> current_field_key_id();

bool is_encrypted(std::string_view stored);
// The key id a stored value is encrypted under, or empty for plain text.
std::string_view key_id_in(std::string_view stored);
std::string encrypt_field(std::string_view plaintext);
// Plain text (written before encryption was on) is returned unchanged. `where` names the table,
// row and field for the error message, which never contains the value.
Result<std::string> decrypt_field(std::string_view stored, std::string_view where);

}  // namespace accompany

#include "security/credentials.h"

#include <sodium.h>

#include <array>

#include "security/digest.h"

namespace accompany {

Status check_password_strength(std::string_view password) {
  if (password.size() < 12)
    return invalid("password", "", "use at least 12 characters; a short sentence is easy to remember");
  if (password.size() > 1024) return invalid("password", "", "use at most 1024 characters");
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  initialize_crypto();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  // Interactive limits: about 64 MiB and a fraction of a second per login on a server core.
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return make_error(ErrorCode::unavailable, "not enough memory to hash the password");
  return std::string(out.data());
}

bool verify_password(std::string_view password, std::string_view hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  std::copy(hash.begin(), hash.end(), stored.begin());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

std::string random_token() {
  initialize_crypto();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string text(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(text.data(), text.size(), bytes.data(), bytes.size());
  text.pop_back();
  return text;
}

std::string token_digest(std::string_view token) {
  return Digest().add("token").add(token).hex();
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace accompany

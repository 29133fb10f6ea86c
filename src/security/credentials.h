// Secrets at the edge: argon2id password hashes (libsodium crypto_pwhash_str), random session,
// CSRF and API tokens, and the digests under which tokens are stored. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace accompany {

// Refuses passwords a person could not be expected to keep safe (too short or too long).
Status check_password_strength(std::string_view password);
// An argon2id hash string with its own salt and cost parameters.
Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string_view password, std::string_view hash);

// 32 random bytes as 64 hex characters.
std::string random_token();
// Session and API tokens carry 256 random bits, so a fast keyed-less BLAKE2b is enough to store
// them (argon2 exists to slow guessing of low-entropy passwords, which these are not).
std::string token_digest(std::string_view token);
// Comparison whose time does not depend on where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace accompany

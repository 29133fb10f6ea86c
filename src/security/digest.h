// BLAKE2b-256 (libsodium) over a sequence of length-prefixed fields, so that no two different
// field lists can produce the same input ("ab","c" and "a","bc" hash differently).
#pragma once

#include <sodium.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace accompany {

class Digest {
 public:
  static constexpr size_t kBytes = 32;
  static constexpr std::string_view kZeroHex = "0000000000000000000000000000000000000000000000000000000000000000";

  Digest();
  Digest& add(std::string_view field);
  Digest& add(std::int64_t value);
  Digest& add_null();
  // Finishes the digest as 64 lowercase hex characters. Call once.
  std::string hex();

 private:
  crypto_generichash_state state_;
};

// Must run once before any libsodium use; safe to call many times from any thread.
void initialize_crypto();

}  // namespace accompany

// BLAKE2b-256 (libsodium) over a sequence of length-prefixed fields, so that no two different
// field lists can produce the same input ("ab","c" and "a","bc" hash differently).
// Fields are gathered in a stack buffer: a record that fits (most rows) is hashed by one
// libsodium call; a longer one streams through the same BLAKE2b state, with the same result.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace accompany {

class Digest {
 public:
  static constexpr size_t kBytes = 32;
  static constexpr std::string_view kZeroHex = "0000000000000000000000000000000000000000000000000000000000000000";

  // Fields gathered before hashing: one record row (a dozen short columns and ciphertexts).
  static constexpr size_t kBufferBytes = 512;

  Digest();
  Digest& add(std::string_view field);
  Digest& add(std::int64_t value);
  Digest& add_null();
  // Finishes the digest as 64 lowercase hex characters. Call once.
  std::string hex();

 private:
  void append(const void* bytes, size_t size);
  void start_streaming();

  std::array<unsigned char, kBufferBytes> buffer_;
  size_t used_ = 0;
  bool streaming_ = false;  // the input outgrew the buffer: state_ holds what was flushed
  crypto_generichash_state state_;
};

// Must run once before any libsodium use; safe to call many times from any thread.
void initialize_crypto();

}  // namespace accompany

#include "security/digest.h"

#include <array>
#include <cstring>
#include <stdexcept>

namespace accompany {

void initialize_crypto() {
  // sodium_init takes a lock on every call; a digest per imported row would pay it each time.
  static const bool initialized = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
    return true;
  }();
  (void)initialized;
}

Digest::Digest() {
  initialize_crypto();
  crypto_generichash_init(&state_, nullptr, 0, kBytes);
}

Digest& Digest::add(std::string_view field) {
  // Tag 's', then the length as 8 little-endian bytes, then the bytes.
  std::array<unsigned char, 9> header{'s'};
  std::uint64_t length = field.size();
  for (size_t i = 0; i < 8; ++i) header[1 + i] = static_cast<unsigned char>(length >> (8 * i));
  crypto_generichash_update(&state_, header.data(), header.size());
  crypto_generichash_update(&state_, reinterpret_cast<const unsigned char*>(field.data()), field.size());
  return *this;
}

Digest& Digest::add(std::int64_t value) {
  std::array<unsigned char, 9> bytes{'i'};
  const auto bits = static_cast<std::uint64_t>(value);
  for (size_t i = 0; i < 8; ++i) bytes[1 + i] = static_cast<unsigned char>(bits >> (8 * i));
  crypto_generichash_update(&state_, bytes.data(), bytes.size());
  return *this;
}

Digest& Digest::add_null() {
  const unsigned char tag = 'n';
  crypto_generichash_update(&state_, &tag, 1);
  return *this;
}

std::string Digest::hex() {
  std::array<unsigned char, kBytes> out{};
  crypto_generichash_final(&state_, out.data(), out.size());
  // Plain table lookup: every digest made here is stored in the clear (audit entries, token
  // hashes), so sodium_bin2hex's constant time protects nothing and costs a bulk import
  // several percent (one digest per row).
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(kBytes * 2, '\0');
  for (size_t i = 0; i < kBytes; ++i) {
    text[2 * i] = kHex[out[i] >> 4];
    text[2 * i + 1] = kHex[out[i] & 0xf];
  }
  return text;
}

}  // namespace accompany

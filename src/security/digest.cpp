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
}

void Digest::start_streaming() {
  crypto_generichash_init(&state_, nullptr, 0, kBytes);
  streaming_ = true;
}

void Digest::append(const void* bytes, size_t size) {
  if (size <= buffer_.size() - used_) {
    std::memcpy(buffer_.data() + used_, bytes, size);
    used_ += size;
    return;
  }
  // BLAKE2b over concatenated updates equals BLAKE2b over the concatenation, so flushing the
  // buffer here changes nothing in the result.
  if (!streaming_) start_streaming();
  crypto_generichash_update(&state_, buffer_.data(), used_);
  used_ = 0;
  if (size > buffer_.size()) {
    crypto_generichash_update(&state_, static_cast<const unsigned char*>(bytes), size);
    return;
  }
  std::memcpy(buffer_.data(), bytes, size);
  used_ = size;
}

Digest& Digest::add(std::string_view field) {
  // Tag 's', then the length as 8 little-endian bytes, then the bytes.
  std::array<unsigned char, 9> header{'s'};
  std::uint64_t length = field.size();
  for (size_t i = 0; i < 8; ++i) header[1 + i] = static_cast<unsigned char>(length >> (8 * i));
  append(header.data(), header.size());
  append(field.data(), field.size());
  return *this;
}

Digest& Digest::add(std::int64_t value) {
  std::array<unsigned char, 9> bytes{'i'};
  const auto bits = static_cast<std::uint64_t>(value);
  for (size_t i = 0; i < 8; ++i) bytes[1 + i] = static_cast<unsigned char>(bits >> (8 * i));
  append(bytes.data(), bytes.size());
  return *this;
}

Digest& Digest::add_null() {
  const unsigned char tag = 'n';
  append(&tag, 1);
  return *this;
}

std::string Digest::hex() {
  std::array<unsigned char, kBytes> out{};
  if (streaming_) {
    crypto_generichash_update(&state_, buffer_.data(), used_);
    crypto_generichash_final(&state_, out.data(), out.size());
  } else {
    crypto_generichash(out.data(), out.size(), buffer_.data(), used_, nullptr, 0);
  }
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

#include "security/digest.h"

#include <array>
#include <bit>
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

namespace {

constexpr size_t kTaggedBytes = 9;  // a tag byte, then 8 bytes of length or value

// Writes `tag` and `value` as 8 little-endian bytes at `out`.
void put_tagged(unsigned char* out, unsigned char tag, std::uint64_t value) {
  out[0] = tag;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out + 1, &value, 8);  // one store
  } else {
    for (size_t i = 0; i < 8; ++i) out[1 + i] = static_cast<unsigned char>(value >> (8 * i));
  }
}

}  // namespace

Digest& Digest::add(std::string_view field) {
  // Tag 's', then the length as 8 little-endian bytes, then the bytes: written straight into the
  // buffer when they fit (every field of a usual record), else through append().
  if (kTaggedBytes + field.size() <= buffer_.size() - used_) {
    put_tagged(buffer_.data() + used_, 's', field.size());
    if (!field.empty()) std::memcpy(buffer_.data() + used_ + kTaggedBytes, field.data(), field.size());
    used_ += kTaggedBytes + field.size();
    return *this;
  }
  std::array<unsigned char, kTaggedBytes> header{};
  put_tagged(header.data(), 's', field.size());
  append(header.data(), header.size());
  append(field.data(), field.size());
  return *this;
}

Digest& Digest::add(std::int64_t value) {
  // Tag 'i', then the value's 8 little-endian bytes.
  if (kTaggedBytes <= buffer_.size() - used_) {
    put_tagged(buffer_.data() + used_, 'i', static_cast<std::uint64_t>(value));
    used_ += kTaggedBytes;
    return *this;
  }
  std::array<unsigned char, kTaggedBytes> bytes{};
  put_tagged(bytes.data(), 'i', static_cast<std::uint64_t>(value));
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
  // Both hex digits of a byte at once, from a 512-byte table built at compile time.
  static constexpr std::array<char, 512> kPairs = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<char, 512> pairs{};
    for (size_t byte = 0; byte < 256; ++byte) {
      pairs[2 * byte] = kHex[byte >> 4];
      pairs[2 * byte + 1] = kHex[byte & 0xf];
    }
    return pairs;
  }();
  std::string text(kBytes * 2, '\0');
  for (size_t i = 0; i < kBytes; ++i) std::memcpy(text.data() + 2 * i, kPairs.data() + 2 * size_t{out[i]}, 2);
  return text;
}

}  // namespace accompany

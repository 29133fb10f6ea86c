#include "security/digest.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace accompany {
namespace {

// The framed input the Digest promises to hash, built independently of its buffering:
// 's' + 8-byte little-endian length + bytes per text field, 'i' + 8 bytes per integer.
void frame_text(std::string& input, std::string_view field) {
  input += 's';
  for (size_t i = 0; i < 8; ++i) input += static_cast<char>(static_cast<std::uint64_t>(field.size()) >> (8 * i));
  input += field;
}

std::string reference_hex(const std::string& input) {
  unsigned char out[Digest::kBytes];
  initialize_crypto();
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()), input.size(), nullptr, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned char byte : out) {
    text += kHex[byte >> 4];
    text += kHex[byte & 0xf];
  }
  return text;
}

// Known answers from Python's hashlib.blake2b(digest_size=32) over the framed bytes: they pin
// the format, so audit entries and row digests written by older builds still verify.
TEST(Digest, MatchesTheFramedBlake2bOfASmallRecord) {
  Digest digest;
  digest.add("children").add(std::int64_t{42}).add_null().add("Ana");
  EXPECT_EQ(digest.hex(), "0d4d8f7d51ca988cde5efd49418aa7710fa9fca01ce9a5da87563e883dbdfcaa");
}

TEST(Digest, MatchesTheFramedBlake2bOfAFieldLongerThanItsBuffer) {
  Digest digest;
  digest.add("audit").add(std::string(600, 'x')).add(std::int64_t{-1});
  EXPECT_EQ(digest.hex(), "40268c8c58905e8f95b2f31ddb9732324c27d100e806b4e52ac0f6cad833985e");
}

// Fields of every length around the buffer's size, so the buffer fills and flushes at every
// possible offset inside a header or a field.
TEST(Digest, GivesTheSameHashWhereverTheBufferFlushes) {
  for (size_t first = 0; first <= Digest::kBufferBytes + 20; first += 7) {
    for (size_t second : {size_t{0}, size_t{1}, size_t{100}, Digest::kBufferBytes - 9, Digest::kBufferBytes,
                          Digest::kBufferBytes * 3}) {
      const std::string a(first, 'a');
      const std::string b(second, 'b');
      std::string input;
      frame_text(input, a);
      frame_text(input, b);
      frame_text(input, "tail");
      Digest digest;
      digest.add(a).add(b).add("tail");
      ASSERT_EQ(digest.hex(), reference_hex(input)) << "first " << first << " second " << second;
    }
  }
}

TEST(Digest, SeparatesFieldBoundaries) {
  Digest ab_c;
  ab_c.add("ab").add("c");
  Digest a_bc;
  a_bc.add("a").add("bc");
  EXPECT_NE(ab_c.hex(), a_bc.hex());
}

}  // namespace
}  // namespace accompany

#include "security/field_cipher.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

#include "security/digest.h"

namespace accompany {
namespace {

class FieldCipherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    initialize_crypto();
    crypto_secretbox_keygen(key_.bytes.data());
    key_.id = key_id_of(key_.bytes);
    install_field_keys(key_);
  }
  void TearDown() override { install_field_keys(std::nullopt); }

  FieldKey key_;
};

// The stored form is "enc:v1:<key id>:" and base64 as libsodium writes it (the encoder is
// OpenSSL's): for every length of box mod 3 and every byte value, decoding and re-encoding with
// libsodium gives the same text back, and the value decrypts to what was encrypted.
TEST_F(FieldCipherTest, WritesTheBase64LibsodiumWrites) {
  const std::string prefix = "enc:v1:" + key_.id + ":";
  for (size_t length = 0; length < 300; ++length) {
    std::string plain(length, '\0');
    for (size_t i = 0; i < length; ++i) plain[i] = static_cast<char>((i * 37 + length) % 256);
    const std::string stored = encrypt_field(plain);
    ASSERT_TRUE(stored.starts_with(prefix)) << stored;
    const std::string encoded = stored.substr(prefix.size());
    std::string box(encoded.size(), '\0');
    size_t box_size = 0;
    ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), encoded.data(),
                                encoded.size(), nullptr, &box_size, nullptr, sodium_base64_VARIANT_ORIGINAL),
              0)
        << encoded;
    ASSERT_EQ(box_size, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + length);
    std::string again(sodium_base64_ENCODED_LEN(box_size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(again.data(), again.size(), reinterpret_cast<const unsigned char*>(box.data()), box_size,
                      sodium_base64_VARIANT_ORIGINAL);
    again.resize(again.size() - 1);  // the NUL
    ASSERT_EQ(encoded, again);
    auto decrypted = decrypt_field(stored, "test row field x");
    ASSERT_TRUE(decrypted) << decrypted.error().message;
    ASSERT_EQ(*decrypted, plain);
  }
}

TEST_F(FieldCipherTest, UsesAFreshNonceEachTime) {
  EXPECT_NE(encrypt_field("same text"), encrypt_field("same text"));
}

}  // namespace
}  // namespace accompany

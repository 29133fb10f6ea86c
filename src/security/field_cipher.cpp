#include "security/field_cipher.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace accompany {
namespace {

struct InstalledKeys {
  std::optional<FieldKey> current;
  std::vector<FieldKey> accepted;  // current first
};

// Replaced as a whole, never mutated: readers on server threads keep the snapshot they took.
std::shared_ptr<const InstalledKeys>& installed() {
  static std::shared_ptr<const InstalledKeys> keys = std::make_shared<InstalledKeys>();
  return keys;
}
std::shared_ptr<const InstalledKeys> snapshot() {
  return std::atomic_load(&installed());
}

std::string to_hex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

size_t base64_size(size_t bytes) {
  return (bytes + 2) / 3 * 4;
}

}  // namespace

std::string key_id_of(const std::array<unsigned char, 32>& bytes) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, bytes.data(), bytes.size(), nullptr, 0);
  return to_hex(digest, 8);
}

Result<FieldKey> read_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return make_error(ErrorCode::unavailable,
                      fmt::format("key file {}: cannot be read ({})", path, std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  std::string hex = text.str();
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
  FieldKey key;
  size_t length = 0;
  if (hex.size() != 64 ||
      sodium_hex2bin(key.bytes.data(), key.bytes.size(), hex.data(), hex.size(), nullptr, &length, nullptr) != 0 ||
      length != key.bytes.size())
    return make_error(
        ErrorCode::invalid_argument,
        fmt::format("key file {}: expected 64 hex characters (make one with `accompany keys generate`)", path));
  key.id = key_id_of(key.bytes);
  return key;
}

Result<FieldKey> create_key_file(const std::string& path) {
  FieldKey key;
  crypto_secretbox_keygen(key.bytes.data());
  key.id = key_id_of(key.bytes);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return make_error(errno == EEXIST ? ErrorCode::conflict : ErrorCode::unavailable,
                      fmt::format("key file {}: {}; a key file is never overwritten", path, std::strerror(errno)));
  const std::string text = to_hex(key.bytes.data(), key.bytes.size()) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return make_error(ErrorCode::unavailable, fmt::format("key file {}: could not be written", path));
  return key;
}

void install_field_keys(std::optional<FieldKey> current, std::vector<FieldKey> also_accepted) {
  auto keys = std::make_shared<InstalledKeys>();
  keys->current = current;
  if (current) keys->accepted.push_back(*current);
  for (auto& key : also_accepted) keys->accepted.push_back(std::move(key));
  std::atomic_store(&installed(), std::shared_ptr<const InstalledKeys>(std::move(keys)));
}

std::optional<std::string> current_field_key_id() {
  auto keys = snapshot();
  if (!keys->current) return std::nullopt;
  return keys->current->id;
}

bool is_encrypted(std::string_view stored) {
  return stored.starts_with(kEncryptedPrefix);
}

std::string_view key_id_in(std::string_view stored) {
  if (!is_encrypted(stored)) return {};
  stored.remove_prefix(kEncryptedPrefix.size());
  return stored.substr(0, stored.find(':'));
}

std::string encrypt_field(std::string_view plaintext) {
  auto keys = snapshot();
  if (!keys->current) return std::string(plaintext);
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), nonce, keys->current->bytes.data());
  // "enc:v1:<key id>:" then the base64, written in place: one allocation per value (an import
  // encrypts the raw text of every row it pools).
  const std::string& key_id = keys->current->id;
  std::string stored;
  stored.reserve(kEncryptedPrefix.size() + key_id.size() + 1 + base64_size(box.size()));
  stored.append(kEncryptedPrefix).append(key_id).push_back(':');
  const size_t head = stored.size();
  stored.resize(head + base64_size(box.size()));
  // OpenSSL's encoder: the alphabet and padding of sodium_base64_VARIANT_ORIGINAL (which decodes
  // it), without libsodium's constant-time cost (~30 instructions a byte, a third of an import's
  // encryption); constant time protects nothing here, since nonce and ciphertext are stored in
  // the clear. Its closing NUL lands on the string's own terminator.
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(stored.data() + head), nonce, static_cast<int>(box.size()));
  return stored;
}

Result<std::string> decrypt_field(std::string_view stored, std::string_view where) {
  if (!is_encrypted(stored)) return std::string(stored);
  const std::string_view id = key_id_in(stored);
  const auto refuse = [&](std::string_view why) {
    return make_error(ErrorCode::internal, fmt::format("{} cannot be decrypted with key id {}: {}", where, id, why));
  };
  auto keys = snapshot();
  const FieldKey* key = nullptr;
  for (const auto& candidate : keys->accepted)
    if (candidate.id == id) key = &candidate;
  if (!key) {
    if (keys->accepted.empty()) return refuse("no key is loaded; pass --key-file or set ACCOMPANY_KEY_FILE");
    return refuse(fmt::format("the loaded key is {}; is --key-file the right key?", keys->accepted.front().id));
  }
  const size_t start = kEncryptedPrefix.size() + id.size() + 1;
  if (start > stored.size()) return refuse("the stored value is damaged (no ':' after the key id)");
  const std::string_view encoded = stored.substr(start);
  std::string box(encoded.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), encoded.data(), encoded.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    return refuse("the stored value is damaged (not base64 of nonce and ciphertext)");
  const auto* nonce = reinterpret_cast<const unsigned char*>(box.data());
  std::string plaintext(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 nonce + crypto_secretbox_NONCEBYTES, length - crypto_secretbox_NONCEBYTES, nonce,
                                 key->bytes.data()) != 0)
    return refuse("the value does not authenticate (changed outside Accompany, or a different key with the same id)");
  return plaintext;
}

}  // namespace accompany

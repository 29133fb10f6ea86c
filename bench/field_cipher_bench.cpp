// Encryption at rest, the cipher alone: encrypt + decrypt of typical sensitive fields (a sponsor's
// phone, a contact narrative, a held feed row) under the field key, beside a BLAKE2b digest of
// the same value (what every audited write already computes per row) in the same run. Prints
// one line per field: name, bytes, values/s for encrypt+decrypt and for the digest.
// Usage: field_cipher_bench [seconds per measurement, default 1]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "security/digest.h"
#include "security/field_cipher.h"

namespace {

using Clock = std::chrono::steady_clock;

template <class Work>
double per_second(double seconds, Work&& work) {
  std::size_t done = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    for (int i = 0; i < 256; ++i) work();
    done += 256;
  }
  return static_cast<double>(done) / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace accompany;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  initialize_crypto();
  FieldKey key;
  for (std::size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<unsigned char>(i * 7 + 3);
  key.id = key_id_of(key.bytes);
  install_field_keys(key);
  const std::pair<const char*, std::string> fields[] = {
      {"sponsor phone", "+17135550199"},
      {"contact narrative", std::string("Caller says the child works nights at a plant and the sponsor keeps her "
                                        "wages; she is afraid to go to school and asked us not to call the house. ") +
                                "She gave a second number and the name of a cousin who can be reached after six."},
      {"held feed row", "ORR-000123,A201234567,María José,García,de la Cruz,2008-04-02,F,GT,mam;spa,"
                        "1200 W Main St,Apt 4B,Houston,TX,77002-1234,Rosa García,sister,+17135550199,2024-05-01"},
  };
  std::size_t sink = 0;
  for (const auto& [name, plain] : fields) {
    const double cipher = per_second(seconds, [&] {
      const std::string stored = encrypt_field(plain);
      auto back = decrypt_field(stored, "bench");
      sink += back ? back->size() : 0;
    });
    const double digest = per_second(seconds, [&] {
      Digest d;
      d.add(plain);
      sink += d.hex().size();
    });
    fmt::print("{}\t{}\t{:.0f}\t{:.0f}\n", name, plain.size(), cipher, digest);
  }
  return sink == 0 ? 1 : 0;
}

// The generator's own pseudo-random numbers: xoshiro256** seeded by splitmix64, with the few
// distributions it needs written here so output is identical across standard-library versions.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace accompany::synth {

__extension__ typedef unsigned __int128 Uint128;  // GCC's 128-bit integer, for Lemire's method

// splitmix64 step: turns any 64-bit value into a well-mixed one (used for seeding and ids).
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Not thread-safe; one per stream of decisions.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : state_) word = seed = mix64(seed);
  }
  // An independent stream for `label` (e.g. a child's index), so one child's decisions never
  // shift another's.
  static Rng derive(uint64_t seed, uint64_t label) { return Rng(mix64(seed ^ mix64(label + 0x5ca1ab1e))); }

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  // Uniform integer in [0, n); n > 0. Lemire's multiply-shift (bias below 2^-64 * n, negligible here).
  uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<Uint128>(next()) * n) >> 64); }
  // Uniform integer in [lo, hi].
  int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo + 1))); }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

// A categorical distribution over indices 0..n-1 from non-negative weights.
class Weighted {
 public:
  Weighted() = default;
  explicit Weighted(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) cumulative_.push_back(total += w);
    for (double& c : cumulative_) c /= total;
  }
  size_t sample(Rng& rng) const {
    const double u = rng.uniform();
    size_t lo = 0, hi = cumulative_.size() - 1;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (u < cumulative_[mid])
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  }
  size_t size() const { return cumulative_.size(); }

 private:
  std::vector<double> cumulative_;
};

}  // namespace accompany::synth

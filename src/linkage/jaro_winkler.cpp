// Jaro–Winkler, allocation-free for names up to 64 bytes (all real names; longer ones fall back to the heap).
#include "linkage/jaro_winkler.h"

#include <algorithm>
#include <array>
#include <vector>

namespace accompany::linkage {

double jaro(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  if (a.size() > b.size()) std::swap(a, b);
  const size_t window = std::max<size_t>(b.size() / 2, 1) - 1;
  std::array<bool, 64> a_small{}, b_small{};
  std::vector<bool> a_large, b_large;
  const bool small = b.size() <= 64;
  if (!small) {
    a_large.assign(a.size(), false);
    b_large.assign(b.size(), false);
  }
  auto a_matched = [&](size_t i) -> bool { return small ? a_small[i] : a_large[i]; };
  auto b_matched = [&](size_t j) -> bool { return small ? b_small[j] : b_large[j]; };
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(i + window + 1, b.size());
    for (size_t j = lo; j < hi; ++j) {
      if (b_matched(j) || a[i] != b[j]) continue;
      if (small) {
        a_small[i] = b_small[j] = true;
      } else {
        a_large[i] = true;
        b_large[j] = true;
      }
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  size_t j = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a_matched(i)) continue;
    while (!b_matched(j)) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
          (m - static_cast<double>(transpositions) / 2.0) / m) /
         3.0;
}

double jaro_winkler(std::string_view a, std::string_view b) {
  const double j = jaro(a, b);
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return j + static_cast<double>(prefix) * 0.1 * (1.0 - j);
}

}  // namespace accompany::linkage

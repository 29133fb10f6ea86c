// Identifier normalization and typo-tolerant digit comparison.
#include "linkage/identifiers.h"

#include "domain/identity.h"

namespace accompany::linkage {

std::string normalize_anumber(std::string_view text) {
  auto parsed = ANumber::parse(text);
  if (!parsed) return {};
  return parsed->digits();
}

DigitAgreement compare_digits(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return DigitAgreement::different;
  if (a == b) return DigitAgreement::exact;
  // A dropped leading zero: "012345678" written "12345678".
  auto strip = [](std::string_view s) {
    while (!s.empty() && s.front() == '0') s.remove_prefix(1);
    return s;
  };
  if (strip(a) == strip(b) && !strip(a).empty()) return DigitAgreement::one_typo;
  if (a.size() != b.size()) return DigitAgreement::different;
  size_t first = a.size(), count = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (count == 0) first = i;
    if (++count > 2) return DigitAgreement::different;
  }
  if (count == 1) return DigitAgreement::one_typo;
  if (first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first]) return DigitAgreement::one_typo;
  return DigitAgreement::different;
}

std::vector<std::string> one_typo_variants(std::string_view digits) {
  std::vector<std::string> variants;
  std::string work(digits);
  for (size_t i = 0; i < work.size(); ++i) {
    const char original = work[i];
    for (char d = '0'; d <= '9'; ++d) {
      if (d == original) continue;
      work[i] = d;
      variants.push_back(work);
    }
    work[i] = original;
  }
  for (size_t i = 0; i + 1 < work.size(); ++i) {
    if (work[i] == work[i + 1]) continue;
    std::swap(work[i], work[i + 1]);
    variants.push_back(work);
    std::swap(work[i], work[i + 1]);
  }
  return variants;
}

std::string normalize_phone(std::string_view text) {
  auto parsed = parse_phone("phone", text);
  if (!parsed) return {};
  return *parsed;
}

}  // namespace accompany::linkage

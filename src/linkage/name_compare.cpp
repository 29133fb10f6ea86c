// Token-set name comparison: order-free, tolerant of a dropped or joined token and of typos.
#include "linkage/name_compare.h"

#include <algorithm>

#include "linkage/jaro_winkler.h"
#include "linkage/spanish_phonetic.h"

namespace accompany::linkage {
namespace {

std::string joined(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) out += t;
  return out;
}

bool contains(const std::vector<std::string>& tokens, const std::string& token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

}  // namespace

std::vector<std::string> shared_tokens(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  std::vector<std::string> shared;
  for (const auto& token : shorter)
    if (contains(longer, token) && !contains(shared, token)) shared.push_back(token);
  return shared;
}

double best_token_similarity(const std::string& token, const std::vector<std::string>& others) {
  double best = 0.0;
  for (const auto& other : others) best = std::max(best, jaro_winkler(token, other));
  return best;
}

NameAgreement compare_names(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  if (shorter.empty()) return NameAgreement::different;  // callers treat empty as missing before this
  size_t exact = 0, close = 0;
  bool any_weak = false;
  for (const auto& token : shorter) {
    if (contains(longer, token)) {
      ++exact;
      ++close;
      any_weak = true;
      continue;
    }
    const double similarity = best_token_similarity(token, longer);
    bool phonetic = false;
    // Sound-alikes that matter (Ximena/Jimena, Quiroz/Kiros) are never further apart than 0.6; below
    // that the phonetic keys are not worth computing (most candidate pairs have unrelated names).
    if (similarity < 0.92 && similarity >= 0.6) {
      const auto key = spanish_phonetic(token);
      for (const auto& other : longer) phonetic = phonetic || (key.size() >= 2 && key == spanish_phonetic(other));
    }
    if (similarity >= 0.92 || phonetic) ++close;
    if (similarity >= 0.80 || phonetic) any_weak = true;
    // An initial ("J.") agrees weakly with any name it could stand for.
    if (token.size() == 1)
      for (const auto& other : longer) any_weak = any_weak || other.front() == token.front();
  }
  if (exact == shorter.size()) return a.size() == b.size() ? NameAgreement::exact : NameAgreement::subset;
  if (a.size() != b.size() && joined(a) == joined(b)) return NameAgreement::exact;  // "mariajose" = "maria jose"
  if (close == shorter.size()) return NameAgreement::close;
  if (any_weak) return NameAgreement::weak;
  if (jaro_winkler(joined(a), joined(b)) >= 0.92) return NameAgreement::close;
  return NameAgreement::different;
}

}  // namespace accompany::linkage

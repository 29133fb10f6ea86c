// Tokenizing Hispanic names: particles out, compound given names and double surnames kept as tokens.
#include "linkage/person_name.h"

#include <array>

#include "linkage/text_fold.h"

namespace accompany::linkage {
namespace {

std::vector<std::string> content_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  for (auto& token : split_tokens(fold_text(text)))
    if (!is_name_particle(token)) tokens.push_back(std::move(token));
  return tokens;
}

}  // namespace

bool is_name_particle(std::string_view token) {
  static constexpr std::array<std::string_view, 10> kParticles{"de", "del", "la", "las", "los",
                                                               "y",  "e",   "da", "do",  "dos"};
  for (auto particle : kParticles)
    if (token == particle) return true;
  return false;
}

NameTokens name_tokens(std::string_view given, std::string_view surnames) {
  return NameTokens{content_tokens(given), content_tokens(surnames)};
}

NameTokens name_tokens(std::string_view given, std::string_view paternal, std::string_view maternal) {
  NameTokens tokens{content_tokens(given), content_tokens(paternal)};
  for (auto& token : content_tokens(maternal)) tokens.surnames.push_back(std::move(token));
  return tokens;
}

NameTokens split_full_name(std::string_view full_name) {
  const auto all = split_tokens(fold_text(full_name));
  // A particle (other than "y") after the first token marks a compound surname ("de la Cruz"). With
  // three or more content tokens before it, the one just before is the paternal surname ("María José
  // García de la Cruz"); with one or two, they are the given names ("Ana María de la Cruz"): the
  // common cases, though "María García de la Cruz" reads the other way and cannot be told apart.
  size_t surname_start = all.size();
  size_t content_before = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0 && is_name_particle(all[i]) && all[i] != "y" && all[i] != "e") {
      surname_start = content_before >= 3 ? i - 1 : i;
      while (surname_start > 0 && is_name_particle(all[surname_start - 1])) --surname_start;
      break;
    }
    if (!is_name_particle(all[i])) ++content_before;
  }
  if (surname_start == all.size()) {
    size_t content = 0;
    for (const auto& token : all) content += is_name_particle(token) ? 0 : 1;
    const size_t surname_count = content >= 3 ? 2 : (content == 2 ? 1 : 0);
    // Walk back over `surname_count` content tokens (and the particles between them).
    size_t seen = 0;
    surname_start = all.size();
    while (surname_start > 0 && seen < surname_count) {
      --surname_start;
      if (!is_name_particle(all[surname_start])) ++seen;
    }
    while (surname_start > 0 && is_name_particle(all[surname_start - 1])) --surname_start;
  }
  NameTokens tokens;
  for (size_t i = 0; i < all.size(); ++i) {
    if (is_name_particle(all[i])) continue;
    (i < surname_start ? tokens.given : tokens.surnames).push_back(all[i]);
  }
  return tokens;
}

}  // namespace accompany::linkage

// Agreement of given names and of surnames, understanding compound given names and double surnames.
#pragma once

#include <string>
#include <vector>

namespace accompany::linkage {

// Levels of agreement, worst to best.
enum class NameAgreement {
  different,
  weak,    // some token close (Jaro–Winkler >= 0.80) or same Spanish phonetic key, or only an initial
  close,   // every token of the shorter name has a close partner (JW >= 0.92 or same phonetic key)
  subset,  // every token of the shorter name appears exactly in the other: "María" vs "María José",
           // "García" vs "García López" (one surname dropped)
  exact,   // the same tokens, in any order: "García López" vs "López García"
};

// Compares two token lists (either may be joined: "mariajose" vs "maria jose" counts as exact).
NameAgreement compare_names(const std::vector<std::string>& a, const std::vector<std::string>& b);

// The tokens of the shorter list that appear exactly in the other: what two names agreeing at the
// subset or exact level have in common (for term-frequency weights).
std::vector<std::string> shared_tokens(const std::vector<std::string>& a, const std::vector<std::string>& b);

// Best Jaro–Winkler between a token and any of `others`.
double best_token_similarity(const std::string& token, const std::vector<std::string>& others);

}  // namespace accompany::linkage

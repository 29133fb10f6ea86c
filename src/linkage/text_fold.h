// Folds names as agencies type them into comparable lower-case ASCII tokens (ICU NFKC + transliteration).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace accompany::linkage {

// "MARÍA-JOSÉ  García" -> "maria jose garcia": NFKC, any script to Latin, accents dropped, lower case,
// every character that is not a letter or digit becomes one space. Invalid UTF-8 is replaced, not refused:
// linkage must still see the rest of a damaged name.
std::string fold_text(std::string_view utf8);

// Splits folded text on spaces.
std::vector<std::string> split_tokens(std::string_view folded);

}  // namespace accompany::linkage

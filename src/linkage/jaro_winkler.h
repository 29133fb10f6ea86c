// Jaro–Winkler similarity of folded ASCII names.
// Written here: Debian ships it only for Ruby, Java and Rust (ruby-jaro-winkler, libjava-string-similarity-java,
// librust-strsim-dev), none usable from C++.
#pragma once

#include <string_view>

namespace accompany::linkage {

// Jaro similarity in [0, 1]; 1 for equal strings, 0 when either is empty.
double jaro(std::string_view a, std::string_view b);
// Jaro–Winkler: Jaro raised for a common prefix of up to 4 characters (scale 0.1), the standard form.
double jaro_winkler(std::string_view a, std::string_view b);

}  // namespace accompany::linkage

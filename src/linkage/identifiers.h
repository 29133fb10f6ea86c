// A-numbers and other digit identifiers as clerks mistype them; phones reduced to E.164 for linkage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace accompany::linkage {

// The 9 digits of an A-number written any usual way ("A201-234-567", "a 20123456 7", "20123456"),
// or empty when it is not one (wrong length, letters, all zeros). Linkage treats an unreadable
// A-number as missing: a wrong value must not count as a disagreement with certainty.
std::string normalize_anumber(std::string_view text);

enum class DigitAgreement {
  different,
  one_typo,  // one digit substituted, two adjacent digits transposed, or a leading zero dropped
  exact,
};
// Compares two digit strings allowing the transcription errors a person makes copying a number.
DigitAgreement compare_digits(std::string_view a, std::string_view b);

// Every 9-digit value one typo away from `digits` (substitutions, adjacent transpositions); used to
// look an A-number up by hand-typed query without scanning.
std::vector<std::string> one_typo_variants(std::string_view digits);

// E.164 via the domain's parse_phone, or empty when the number cannot be read.
std::string normalize_phone(std::string_view text);

}  // namespace accompany::linkage

// Hispanic naming for linkage: given-name and surname tokens with particles set aside.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace accompany::linkage {

// A name as linkage compares it. Tokens are folded (lower-case ASCII). Particles ("de", "del",
// "de la", "de los", "y") are dropped because feeds keep or lose them at random: "GARCIA DE LA
// CRUZ" and "García Cruz" must agree. Surname order is not kept meaningful: feeds swap them.
struct NameTokens {
  std::vector<std::string> given;     // "María José" -> {"maria", "jose"}
  std::vector<std::string> surnames;  // "García de la Cruz" -> {"garcia", "cruz"}
};

// True for the connecting words of Spanish (and a few Portuguese) compound surnames.
bool is_name_particle(std::string_view folded_token);

// Folds and tokenizes given names and surnames kept in separate fields (either may be empty).
NameTokens name_tokens(std::string_view given, std::string_view surnames);
// Same, for a surname split over two fields (paternal, maternal) as ORR writes it.
NameTokens name_tokens(std::string_view given, std::string_view paternal, std::string_view maternal);

// Splits a one-field full name written "Given Names Paternal Maternal" (change-of-address forms).
// With three or more tokens the last two are surnames, unless a particle shows where a compound
// surname starts (see the .cpp for how "Ana María de la Cruz" and "María José García de la Cruz" are
// read); with two tokens, the last is a surname.
NameTokens split_full_name(std::string_view full_name);

}  // namespace accompany::linkage

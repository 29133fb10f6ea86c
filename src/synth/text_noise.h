// How names get written down wrong: accents dropped, upper-cased by systems without accents,
// and typing mistakes. Pure string functions over UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "synth/random.h"

namespace accompany::synth {

// "María José Peña" -> "Maria Jose Pena". A small table of the Latin-1 letters Spanish names use,
// rather than ICU transliteration, so output cannot change with the ICU version.
std::string strip_accents(std::string_view text);
// Accents dropped, then ASCII upper case, as CBP and EOIR systems store names.
std::string agency_upper(std::string_view text);
// One typing mistake at an ASCII letter: a letter dropped, doubled, swapped with the next, or
// replaced by a neighbour on the keyboard. Never empties the text or adds a delimiter.
std::string typo(std::string_view text, Rng& rng);

}  // namespace accompany::synth

// A phonetic key for names written in Spanish (a Soundex-like "fonético" with Latin American rules).
#pragma once

#include <string>
#include <string_view>

namespace accompany::linkage {

// Maps a folded name token to a code that spelling variants share: silent h, b/v, seseo (s/z/ce/ci),
// yeísmo (ll/y), g/j before e/i, qu/k/c, initial x as j (Ximena/Jimena), doubled letters. Vowels after
// the first sound are dropped, as in Soundex. "gonzalez", "gonsales" -> "GNSLS"; "hernandez",
// "ernandes" -> "ERNNTS" style codes agree. At most `max_length` symbols.
std::string spanish_phonetic(std::string_view folded_token, size_t max_length = 6);

}  // namespace accompany::linkage

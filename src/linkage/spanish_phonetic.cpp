// Spanish phonetic key: rules of Latin American pronunciation, not English (see docs/linkage.md).
#include "linkage/spanish_phonetic.h"

namespace accompany::linkage {
namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
bool front_vowel(char c) {
  return c == 'e' || c == 'i' || c == 'y';
}

}  // namespace

std::string spanish_phonetic(std::string_view s, size_t max_length) {
  std::string sounds;  // one symbol per sound; '*' for a vowel
  sounds.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    switch (c) {
      case 'h':
        break;  // silent in Spanish; "ch" is handled at the 'c'
      case 'c':
        if (next == 'h') {
          sounds += 'X';
          ++i;
        } else {
          sounds += front_vowel(next) ? 'S' : 'K';  // seseo: ce/ci sound as s
        }
        break;
      case 'q':
        sounds += 'K';
        if (next == 'u') ++i;
        break;
      case 'k':
        sounds += 'K';
        break;
      case 's':
      case 'z':
        sounds += 'S';
        break;
      case 'x':
        // Initial x is a j (Ximena, Xavier) or an sh in Mayan names (Xol); inside a word, ks.
        if (i == 0) {
          sounds += 'J';
        } else {
          sounds += "KS";
        }
        break;
      case 'g':
        if (front_vowel(next)) {
          sounds += 'J';
        } else {
          sounds += 'G';
          if (next == 'u' && i + 2 < s.size() && front_vowel(s[i + 2])) ++i;  // gue, gui: the u is silent
        }
        break;
      case 'j':
        sounds += 'J';
        break;
      case 'l':
        if (next == 'l') {
          sounds += 'Y';  // yeísmo: ll and y sound alike
          ++i;
        } else {
          sounds += 'L';
        }
        break;
      case 'y':
        sounds += is_vowel(next) ? 'Y' : '*';
        break;
      case 'b':
      case 'v':
      case 'w':
        sounds += 'B';  // b and v are one sound
        break;
      case 'p':
        if (next == 'h') {
          sounds += 'F';
          ++i;
        } else {
          sounds += 'P';
        }
        break;
      case 't':
        sounds += 'T';
        if (next == 'h') ++i;
        break;
      case 'a':
      case 'e':
      case 'i':
      case 'o':
      case 'u':
        sounds += '*';
        break;
      default:
        if (c >= 'a' && c <= 'z') sounds += static_cast<char>(c - 'a' + 'A');  // d f m n r
        break;
    }
  }
  std::string key;
  for (size_t i = 0; i < sounds.size() && key.size() < max_length; ++i) {
    char symbol = sounds[i];
    if (symbol == '*') {
      if (i != 0) continue;  // only a leading vowel counts, as one symbol: Hernández = Ernández
      symbol = 'A';
    }
    if (!key.empty() && key.back() == symbol) continue;  // Rosa = Rossa, Carrillo = Carillo
    key += symbol;
  }
  return key;
}

}  // namespace accompany::linkage

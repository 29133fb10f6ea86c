#include "synth/text_noise.h"

#include <array>
#include <cctype>
#include <vector>

namespace accompany::synth {
namespace {

// Latin-1 supplement letters (U+00C0..U+00FF, UTF-8 C3 80..C3 BF) to their base letter.
constexpr std::string_view kLatin1Base =
    "AAAAAAACEEEEIIII"   // C0..CF (Æ as A)
    "DNOOOOOxOUUUUYTs"   // D0..DF
    "aaaaaaaceeeeiiii"   // E0..EF
    "dnooooo/ouuuuyty";  // F0..FF

constexpr std::array<std::string_view, 26> kNeighbours{
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn", "jiolm", "kop",  "njk",
    "bhjm", "iklp", "ol",   "wa",     "edft", "awedxz", "rfgy",   "yhji",   "cfgb", "qase",   "zsdc",  "tghu", "asx"};

}  // namespace

std::string strip_accents(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF) {
        out += kLatin1Base[next - 0x80];
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string agency_upper(std::string_view text) {
  std::string out = strip_accents(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string typo(std::string_view text, Rng& rng) {
  std::vector<size_t> letters;
  for (size_t i = 0; i < text.size(); ++i)
    if (std::isalpha(static_cast<unsigned char>(text[i]))) letters.push_back(i);
  if (letters.size() < 3) return std::string(text);
  std::string out(text);
  const size_t at = letters[1 + rng.below(letters.size() - 1)];  // keep the initial, as people do
  const char original = out[at];
  const bool upper = std::isupper(static_cast<unsigned char>(original));
  switch (rng.below(4)) {
    case 0:
      out.erase(at, 1);
      break;
    case 1:
      out.insert(at, 1, original);
      break;
    case 2:
      if (at + 1 < out.size() && std::isalpha(static_cast<unsigned char>(out[at + 1])) && out[at + 1] != original) {
        std::swap(out[at], out[at + 1]);
        break;
      }
      [[fallthrough]];
    default: {
      const auto& near = kNeighbours[std::tolower(static_cast<unsigned char>(original)) - 'a'];
      const char replacement = near[rng.below(near.size())];
      out[at] = upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(replacement))) : replacement;
    }
  }
  return out;
}

}  // namespace accompany::synth

#include "ingest/feed_codes.h"

#include <fmt/format.h>
#include <unicode/translit.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace accompany {
namespace {

bool digits(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return ec == std::errc() && end == text.data() + pos + len;
}

Result<Date> make_date(std::string_view column, std::string_view text, int y, int m, int d) {
  Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return invalid(column, text, "not a calendar date");
  return date;
}

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Built once from ICU: alpha-3 -> alpha-2 and upper-cased English name -> alpha-2.
struct CountryTables {
  std::unordered_map<std::string, std::string> by_alpha3;
  std::unordered_map<std::string, std::string> by_name;
};

const CountryTables& country_tables() {
  static const CountryTables tables = [] {
    CountryTables t;
    for (const char* const* country = uloc_getISOCountries(); *country; ++country) {
      const std::string locale = std::string("und_") + *country;
      t.by_alpha3.emplace(uloc_getISO3Country(locale.c_str()), *country);
      UChar name[256];
      UErrorCode status = U_ZERO_ERROR;
      const int32_t length = uloc_getDisplayCountry(locale.c_str(), "en", name, 256, &status);
      if (U_FAILURE(status)) continue;
      std::string utf8;
      icu::UnicodeString(name, length).toUTF8String(utf8);
      t.by_name.emplace(upper_ascii(utf8), *country);
    }
    return t;
  }();
  return tables;
}

}  // namespace

Error in_column(Error error, std::string_view column) {
  error.field = std::string(column);
  return error;
}

Result<Date> parse_us_date(std::string_view column, std::string_view text, bool padded) {
  int m = 0, d = 0, y = 0;
  const size_t first = text.find('/');
  const size_t second = first == std::string_view::npos ? first : text.find('/', first + 1);
  const bool shaped = second != std::string_view::npos && first >= 1 && first <= 2 && second - first - 1 >= 1 &&
                      second - first - 1 <= 2 && text.size() - second - 1 == 4 &&
                      (!padded || (first == 2 && second == 5));
  if (!shaped || !digits(text, 0, first, m) || !digits(text, first + 1, second - first - 1, d) ||
      !digits(text, second + 1, 4, y))
    return invalid(column, text, padded ? "expected a date written MM/DD/YYYY" : "expected a date written M/D/YYYY");
  return make_date(column, text, y, m, d);
}

Result<Date> parse_compact_date(std::string_view column, std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 8 || !digits(text, 0, 4, y) || !digits(text, 4, 2, m) || !digits(text, 6, 2, d))
    return invalid(column, text, "expected a date written YYYYMMDD");
  return make_date(column, text, y, m, d);
}

Result<Date> parse_court_date(std::string_view column, std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  int y = 0, d = 0;
  if (text.size() != 11 || text[2] != '-' || text[6] != '-' || !digits(text, 0, 2, d) || !digits(text, 7, 4, y))
    return invalid(column, text, "expected a date written DD-MON-YYYY (05-MAR-2023)");
  const std::string month = upper_ascii(text.substr(3, 3));
  for (size_t m = 0; m < kMonths.size(); ++m)
    if (kMonths[m] == month) return make_date(column, text, y, static_cast<int>(m) + 1, d);
  return invalid(column, text, "the month is not one of JAN, FEB ... DEC");
}

Result<Date> parse_iso_date(std::string_view column, std::string_view text) {
  auto date = parse_date(column, text);
  if (!date) return in_column(date.error(), column);
  return date;
}

Result<Timestamp> parse_us_datetime(std::string_view column, std::string_view text) {
  int hh = 0, mm = 0;
  if (text.size() != 16 || text[10] != ' ' || text[13] != ':' || !digits(text, 11, 2, hh) || !digits(text, 14, 2, mm))
    return invalid(column, text, "expected a time written MM/DD/YYYY HH:MM");
  ACCOMPANY_TRY(date, parse_us_date(column, text.substr(0, 10), true));
  if (hh > 23 || mm > 59) return invalid(column, text, "not a time of day");
  return std::chrono::sys_days{date} + std::chrono::hours{hh} + std::chrono::minutes{mm};
}

Result<Timestamp> at_court_time(std::string_view column, Date date, std::string_view text) {
  int hh = 0, mm = 0;
  if (text.size() != 4 || !digits(text, 0, 2, hh) || !digits(text, 2, 2, mm) || hh > 23 || mm > 59)
    return invalid(column, text, "expected a time of day written HHMM (0900, 1330)");
  return std::chrono::sys_days{date} + std::chrono::hours{hh} + std::chrono::minutes{mm};
}

Result<std::string> country_from_alpha3(std::string_view column, std::string_view code) {
  const auto& tables = country_tables();
  if (auto found = tables.by_alpha3.find(upper_ascii(code)); found != tables.by_alpha3.end()) return found->second;
  return invalid(column, code, "not an ISO 3166-1 three-letter country code (GTM, HND, SLV, MEX ...)");
}

Result<std::string> country_from_english_name(std::string_view column, std::string_view name) {
  const auto& tables = country_tables();
  if (auto found = tables.by_name.find(upper_ascii(name)); found != tables.by_name.end()) return found->second;
  return invalid(column, name, "not a country name Accompany knows (Guatemala, Honduras, El Salvador ...)");
}

Result<std::string> language_from_english_name(std::string_view column, std::string_view name) {
  for (const auto& language : known_languages())
    if (language.english_name == name) return std::string(language.code);
  return invalid(column, name, "not a language Accompany knows by that English name (Spanish, K'iche', Mam ...)");
}

Result<std::string> court_from_code(std::string_view column, std::string_view code) {
  static const std::unordered_map<std::string_view, std::string_view> kCourts{
      {"HOU", "Houston"},       {"SNA", "San Antonio"}, {"DAL", "Dallas"},    {"LOS", "Los Angeles"},
      {"SFR", "San Francisco"}, {"MIA", "Miami"},       {"ORL", "Orlando"},   {"NYC", "New York"},
      {"NEW", "Newark"},        {"BAL", "Baltimore"},   {"ARL", "Arlington"}, {"ATL", "Atlanta"},
      {"CHL", "Charlotte"},     {"MEM", "Memphis"},     {"CHI", "Chicago"},   {"BOS", "Boston"}};
  if (auto found = kCourts.find(code); found != kCourts.end())
    return fmt::format("{} Immigration Court", found->second);
  return invalid(column, code, "not an immigration court code Accompany knows (HOU, SNA, NYC ...)");
}

namespace {

// What "Any-Latin; Latin-ASCII; Upper" makes of U+00C0-U+00FF, for the letters that become one
// ASCII letter ('?': the others, which go to ICU: Æ, Ð, Ø, Þ, ß, ×, ÷).
constexpr std::string_view kLatin1Upper =
    "AAAAAA?CEEEEIIII?NOOOOO??UUUUY??"
    "AAAAAA?CEEEEIIII?NOOOOO??UUUUY?Y";

// Upper-cased ASCII of `text` when it holds only ASCII and the accented letters above (the names
// in the feeds); false otherwise. Spares building an ICU transliterator (about 150 million
// instructions, once per process) and running it per name.
bool latin1_to_upper_ascii(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c));
      continue;
    }
    // U+00C0-U+00FF is 0xC3 followed by 0x80-0xBF in UTF-8.
    if (c != 0xC3 || i + 1 == text.size()) return false;
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (next < 0x80 || next > 0xBF) return false;
    const char letter = kLatin1Upper[next - 0x80];
    if (letter == '?') return false;
    out.push_back(letter);
    ++i;
  }
  return true;
}

// ICU transliterators are not thread-safe to share; one per thread, created on first use (null
// if ICU cannot make one).
icu::Transliterator* latin_ascii_upper() {
  thread_local std::unique_ptr<icu::Transliterator> to_ascii = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII; Upper", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  return to_ascii.get();
}

}  // namespace

std::string normalize_name(std::string_view text) {
  std::string ascii;
  if (!latin1_to_upper_ascii(text, ascii)) {
    if (auto* to_ascii = latin_ascii_upper()) {
      ascii.clear();
      auto unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
      to_ascii->transliterate(unicode);
      unicode.toUTF8String(ascii);
    } else {
      ascii = upper_ascii(text);
    }
  }
  std::string out;
  for (char c : ascii) {
    const bool space = c == ' ' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::pair<std::string, std::string> split_surnames(std::string_view text) {
  // Particles ("DE LA CRUZ", "DEL VALLE") belong to the surname that follows them.
  static constexpr std::array<std::string_view, 9> kParticles{"DE", "DEL", "LA",    "LAS", "LOS",
                                                              "Y",  "SAN", "SANTA", "VON"};
  std::vector<std::string_view> words;
  for (size_t i = 0; i < text.size();) {
    const size_t space = text.find(' ', i);
    const size_t stop = space == std::string_view::npos ? text.size() : space;
    if (stop > i) words.push_back(text.substr(i, stop - i));
    i = stop + 1;
  }
  auto is_particle = [](std::string_view word) {
    const std::string upper = upper_ascii(word);
    return std::find(kParticles.begin(), kParticles.end(), upper) != kParticles.end();
  };
  size_t first_end = 0;  // words [0, first_end) are the paternal surname
  while (first_end < words.size() && is_particle(words[first_end])) ++first_end;
  if (first_end < words.size()) ++first_end;
  auto join = [&](size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) {
      if (!out.empty()) out += ' ';
      out += words[i];
    }
    return out;
  };
  return {join(0, first_end), join(first_end, words.size())};
}

}  // namespace accompany

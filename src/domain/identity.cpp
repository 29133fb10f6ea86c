#include "domain/identity.h"

#include <fmt/format.h>
#include <unicode/uloc.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace accompany {
namespace {

// std::isspace in the "C" locale (the program never sets another), without its call through the
// locale table: every text field of every record written is trimmed when it is validated.
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');  // \t \n \v \f \r
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

namespace {

// Printable ASCII only (0x20-0x7e), as nearly all feed text is: valid UTF-8 without control
// characters, known without decoding it code point by code point.
bool printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x7f;
  });
}

}  // namespace

Status check_text(std::string_view field, std::string_view text, size_t max_bytes, bool required, bool multiline) {
  text = trim(text);
  if (text.empty()) {
    if (required) return invalid(field, text, "is required");
    return {};
  }
  if (text.size() > max_bytes)
    return invalid(field, std::string(text.substr(0, 40)) + "...", fmt::format("longer than {} bytes", max_bytes));
  if (printable_ascii(text)) return {};
  int32_t i = 0;
  const auto length = static_cast<int32_t>(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) return invalid(field, "(binary)", "is not valid UTF-8 text");
    const bool line_break = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(multiline && line_break)) || c == 0x7f)
      return invalid(field, text, "contains a control character");
  }
  return {};
}

Result<std::string> clean_text(std::string_view field, std::string_view text, size_t max_bytes, bool required,
                               bool multiline) {
  ACCOMPANY_CHECK(check_text(field, text, max_bytes, required, multiline));
  return std::string(trim(text));
}

Result<ANumber> ANumber::parse(std::string_view text) {
  std::string digits;
  std::string_view rest = trim(text);
  if (!rest.empty() && (rest.front() == 'A' || rest.front() == 'a')) rest.remove_prefix(1);
  for (char c : rest) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != '-' && c != ' ')
      return invalid("a_number", text, "an A-number is 8 or 9 digits, optionally after 'A'");
  }
  if (digits.size() == 8) digits = "0" + digits;
  if (digits.size() != 9) return invalid("a_number", text, "an A-number is 8 or 9 digits, optionally after 'A'");
  if (digits == "000000000") return invalid("a_number", text, "an A-number cannot be all zeros");
  return ANumber(std::move(digits));
}

std::string ANumber::display() const {
  return fmt::format("A{}-{}-{}", digits_.substr(0, 3), digits_.substr(3, 3), digits_.substr(6, 3));
}

namespace {

// create()'s rules, in create()'s order, over the parts as given (each is trimmed first).
Status check_name_parts(std::string_view given, std::string_view paternal, std::string_view maternal) {
  ACCOMPANY_CHECK(check_text("given_names", given, 200, true));
  ACCOMPANY_CHECK(check_text("paternal_surname", paternal, 200, false));
  ACCOMPANY_CHECK(check_text("maternal_surname", maternal, 200, false));
  if (trim(paternal).empty() && trim(maternal).empty())
    return invalid("paternal_surname", "", "at least one surname (paternal or maternal) is required");
  return {};
}

}  // namespace

Result<PersonName> PersonName::create(std::string_view given_names, std::string_view paternal_surname,
                                      std::string_view maternal_surname) {
  ACCOMPANY_CHECK(check_name_parts(given_names, paternal_surname, maternal_surname));
  return PersonName{std::string(trim(given_names)), std::string(trim(paternal_surname)),
                    std::string(trim(maternal_surname))};
}

Status PersonName::check_created(const PersonName& name, std::string_view use) {
  ACCOMPANY_CHECK(check_name_parts(name.given_names, name.paternal_surname, name.maternal_surname));
  for (const std::string* part : {&name.given_names, &name.paternal_surname, &name.maternal_surname})
    if (trim(*part).size() != part->size())
      return invalid("given_names", name.full(), fmt::format("has surrounding spaces; use {}", use));
  return {};
}

std::string PersonName::full() const {
  std::string out = given_names;
  for (const auto* part : {&paternal_surname, &maternal_surname})
    if (!part->empty()) out += " " + *part;
  return out;
}

namespace {
constexpr int kEarliestBirthYear = 1950;
constexpr int kLatestBirthYear = 2100;
}  // namespace

Result<BirthDate> BirthDate::exact(Date date) {
  if (!date.ok()) return invalid("birth_date", format_date(date), "not a calendar date");
  const int year = static_cast<int>(date.year());
  if (year < kEarliestBirthYear || year > kLatestBirthYear)
    return invalid("birth_date", format_date(date), "year is outside 1950-2100");
  return BirthDate{BirthDatePrecision::exact, date, 0, std::nullopt};
}

Result<BirthDate> BirthDate::year_month(int year, unsigned month) {
  if (year < kEarliestBirthYear || year > kLatestBirthYear)
    return invalid("birth_date", fmt::format("{}-{:02}", year, month), "year is outside 1950-2100");
  if (month < 1 || month > 12) return invalid("birth_date", fmt::format("{}-{:02}", year, month), "month is not 1-12");
  return BirthDate{BirthDatePrecision::year_month,
                   Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{1}}, 0, std::nullopt};
}

Result<BirthDate> BirthDate::estimated(int age_years, Date estimated_on) {
  if (age_years < 0 || age_years > 25)
    return invalid("estimated_age", std::to_string(age_years), "an estimated age must be between 0 and 25 years");
  if (!estimated_on.ok()) return invalid("estimated_on", format_date(estimated_on), "not a calendar date");
  Date approx{estimated_on.year() - std::chrono::years{age_years}, std::chrono::January, std::chrono::day{1}};
  return BirthDate{BirthDatePrecision::estimated_age, approx, age_years, estimated_on};
}

int BirthDate::age_on(Date on) const {
  if (precision == BirthDatePrecision::estimated_age && estimated_on)
    return estimated_age_years + std::max(0, years_between(*estimated_on, on));
  return years_between(date, on);
}

std::string BirthDate::describe() const {
  switch (precision) {
    case BirthDatePrecision::exact:
      return format_date(date);
    case BirthDatePrecision::year_month:
      return format_date(date).substr(0, 7);
    case BirthDatePrecision::estimated_age:
      return fmt::format("about {} years old on {}", estimated_age_years,
                         estimated_on ? format_date(*estimated_on) : "?");
  }
  return format_date(date);
}

const std::vector<LanguageInfo>& known_languages() {
  // ISO 639-3 codes. Indigenous languages: those most often recorded for children from
  // Guatemala, Honduras, Mexico and Ecuador (Mayan, Garifuna, Nahuatl, Mixtec, Quechua ...).
  static const std::vector<LanguageInfo> languages{
      {"spa", "Spanish", "español", false},
      // ISO 639-3 "undetermined": a feed that records no language (CBP) must not invent one.
      {"und", "Undetermined", "sin determinar", false},
      {"eng", "English", "inglés", false},
      {"por", "Portuguese", "portugués", false},
      {"fra", "French", "francés", false},
      {"hat", "Haitian Creole", "criollo haitiano", false},
      {"ara", "Arabic", "árabe", false},
      {"rus", "Russian", "ruso", false},
      {"ukr", "Ukrainian", "ucraniano", false},
      {"hin", "Hindi", "hindi", false},
      {"pan", "Punjabi", "panyabí", false},
      {"ben", "Bengali", "bengalí", false},
      {"zho", "Chinese", "chino", false},
      {"tir", "Tigrinya", "tigriña", false},
      {"amh", "Amharic", "amhárico", false},
      {"wol", "Wolof", "wólof", false},
      {"ful", "Fula", "fula", false},
      {"tur", "Turkish", "turco", false},
      {"quc", "K'iche'", "k'iche'", true},
      {"mam", "Mam", "mam", true},
      {"kjb", "Q'anjob'al", "q'anjob'al", true},
      {"cak", "Kaqchikel", "kaqchikel", true},
      {"kek", "Q'eqchi'", "q'eqchi'", true},
      {"ixl", "Ixil", "ixil", true},
      {"acc", "Achi", "achi", true},
      {"poh", "Poqomchi'", "poqomchi'", true},
      {"jac", "Popti'", "popti'", true},
      {"agu", "Awakateko", "awakateko", true},
      {"tzj", "Tz'utujil", "tz'utujil", true},
      {"chf", "Chuj", "chuj", true},
      {"cab", "Garifuna", "garífuna", true},
      {"miq", "Miskito", "misquito", true},
      {"nah", "Nahuatl", "náhuatl", true},
      {"mix", "Mixtec", "mixteco", true},
      {"zap", "Zapotec", "zapoteco", true},
      {"tzo", "Tzotzil", "tsotsil", true},
      {"tzh", "Tzeltal", "tseltal", true},
      {"yua", "Yucatec Maya", "maya yucateco", true},
      {"trc", "Triqui", "triqui", true},
      {"que", "Quechua", "quechua", true},
      {"qub", "Kichwa", "kichwa", true},
  };
  return languages;
}

Result<const LanguageInfo*> find_language(std::string_view field, std::string_view code) {
  for (const auto& language : known_languages())
    if (language.code == code) return &language;
  return invalid(field, code, "not a known ISO 639-3 language code (for example spa, eng, quc, mam)");
}

namespace {

// Whether each two-letter code is one of ICU's ISO 3166-1 countries, indexed by its letters:
// built once, so a check is one lookup instead of a scan of ~250 string compares (every child
// written by an import is validated).
class CountryCodes {
 public:
  CountryCodes() {
    for (const char* const* country = uloc_getISOCountries(); *country; ++country) {
      const std::string_view code = *country;
      if (code.size() == 2 && is_letter(code[0]) && is_letter(code[1])) known_[index(code[0], code[1])] = true;
    }
  }
  bool contains(char first, char second) const {
    return is_letter(first) && is_letter(second) && known_[index(first, second)];
  }

 private:
  static bool is_letter(char c) { return c >= 'A' && c <= 'Z'; }
  static size_t index(char first, char second) {
    return static_cast<size_t>(first - 'A') * 26 + static_cast<size_t>(second - 'A');
  }
  std::array<bool, 26 * 26> known_{};
};

}  // namespace

Result<std::string> parse_country(std::string_view field, std::string_view code) {
  static const CountryCodes countries;
  std::string upper(trim(code));
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (upper.size() == 2 && countries.contains(upper[0], upper[1])) return upper;
  return invalid(field, code, "not an ISO 3166-1 two-letter country code (for example GT, HN, SV, MX)");
}

Result<std::string> parse_phone(std::string_view field, std::string_view text) {
  std::string digits;
  std::string_view rest = trim(text);
  const bool international = !rest.empty() && rest.front() == '+';
  for (char c : rest) {
    if (c >= '0' && c <= '9')
      digits += c;
    else if (std::string_view("+-(). ").find(c) == std::string_view::npos)
      return invalid(field, text, "a phone number may hold only digits, spaces, '+', '-', '(', ')' and '.'");
  }
  if (!international && digits.size() == 10) digits = "1" + digits;
  if (!international && digits.size() == 11 && digits.front() != '1')
    return invalid(field, text, "write numbers outside North America with a leading '+' and country code");
  if (digits.size() < 8 || digits.size() > 15)
    return invalid(field, text, "a phone number has 8 to 15 digits including the country code");
  return "+" + digits;
}

}  // namespace accompany

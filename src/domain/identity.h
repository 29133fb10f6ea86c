// The parts of a person's identity that several records share: A-number, names, birth date,
// languages, country and phone. Each validates on creation and says what is wrong.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

// Free text a person typed or a feed carried: valid UTF-8, no control characters, trimmed,
// at most `max_bytes`. `required` refuses an empty value; `multiline` allows line breaks and tabs.
Result<std::string> clean_text(std::string_view field, std::string_view text, size_t max_bytes, bool required,
                               bool multiline = false);
// The same checks as clean_text, same errors, without the copy: for validate() functions, which
// run on every record written (a bulk import validates each record again in the store).
Status check_text(std::string_view field, std::string_view text, size_t max_bytes, bool required,
                  bool multiline = false);

// Alien registration number: 8 or 9 digits, stored as 9 digits ("A-012-345-678" -> "012345678").
class ANumber {
 public:
  static Result<ANumber> parse(std::string_view text);
  const std::string& digits() const { return digits_; }
  // "A012-345-678", as printed on DHS forms.
  std::string display() const;
  bool operator==(const ANumber&) const = default;

 private:
  explicit ANumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

// Names as Hispanic naming custom writes them: given names (often compound, "María José"),
// a paternal and a maternal surname; either surname may be absent, not both.
struct PersonName {
  std::string given_names;
  std::string paternal_surname;
  std::string maternal_surname;

  static Result<PersonName> create(std::string_view given_names, std::string_view paternal_surname,
                                   std::string_view maternal_surname);
  // Whether create() would return `name` unchanged: the error create() gives, or "has
  // surrounding spaces" naming `use` (e.g. "Child::create") when a part is not trimmed.
  static Status check_created(const PersonName& name, std::string_view use);
  std::string full() const;
  bool operator==(const PersonName&) const = default;
};

enum class BirthDatePrecision { exact, year_month, estimated_age };
inline constexpr EnumTable<BirthDatePrecision, 3> kBirthDatePrecisionNames{{
    {BirthDatePrecision::exact, "exact"},
    {BirthDatePrecision::year_month, "year_month"},
    {BirthDatePrecision::estimated_age, "estimated_age"},
}};

// A birth date as well as it is known: exact; year and month (day stored as 1); or only an
// age estimated on a given date (date stored as estimated_on minus the age, on 1 January).
struct BirthDate {
  BirthDatePrecision precision = BirthDatePrecision::exact;
  Date date{};
  int estimated_age_years = 0;       // only for estimated_age
  std::optional<Date> estimated_on;  // only for estimated_age

  static Result<BirthDate> exact(Date date);
  static Result<BirthDate> year_month(int year, unsigned month);
  static Result<BirthDate> estimated(int age_years, Date estimated_on);
  // Age in whole years on `on` (the estimate advanced by the time since it was made).
  int age_on(Date on) const;
  std::string describe() const;
  bool operator==(const BirthDate&) const = default;
};

enum class Sex { female, male, unknown };
inline constexpr EnumTable<Sex, 3> kSexNames{{{Sex::female, "female"}, {Sex::male, "male"}, {Sex::unknown, "unknown"}}};

// A language by its ISO 639-3 code. The table holds the languages children in ORR care speak,
// with the Indigenous languages of Mexico and Central America marked as such.
struct LanguageInfo {
  std::string_view code;
  std::string_view english_name;
  std::string_view spanish_name;
  bool indigenous;
};
const std::vector<LanguageInfo>& known_languages();
Result<const LanguageInfo*> find_language(std::string_view field, std::string_view code);

// An ISO 3166-1 alpha-2 country code (as ICU knows them), upper-cased.
Result<std::string> parse_country(std::string_view field, std::string_view code);

// A telephone number in E.164 form ("+15551234567"). Ten-digit numbers are North American.
Result<std::string> parse_phone(std::string_view field, std::string_view text);

}  // namespace accompany

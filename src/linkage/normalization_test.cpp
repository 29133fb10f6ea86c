// Normalization rules on real-looking names, dates, A-numbers and phones.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "linkage/birth_dates.h"
#include "linkage/identifiers.h"
#include "linkage/jaro_winkler.h"
#include "linkage/name_compare.h"
#include "linkage/person_name.h"
#include "linkage/spanish_phonetic.h"
#include "linkage/text_fold.h"

namespace accompany::linkage {
namespace {

using Tokens = std::vector<std::string>;

TEST(FoldText, DropsAccentsCaseAndPunctuation) {
  EXPECT_EQ(fold_text("María José GARCÍA-Núñez"), "maria jose garcia nunez");
  EXPECT_EQ(fold_text("  O'Brien,  Peña "), "o brien pena");
  EXPECT_EQ(fold_text("ＭＡＲＩＡ"), "maria");  // full-width letters: NFKC
  EXPECT_EQ(fold_text("Ñandú Güell"), "nandu guell");
  EXPECT_EQ(fold_text("Мария"), "maria");  // another script is transliterated, not dropped
  EXPECT_EQ(fold_text(""), "");
}

TEST(NameTokens, ParticlesAreSetAside) {
  const auto tokens = name_tokens("María José", "García de la Cruz");
  EXPECT_EQ(tokens.given, (Tokens{"maria", "jose"}));
  EXPECT_EQ(tokens.surnames, (Tokens{"garcia", "cruz"}));
  EXPECT_EQ(name_tokens("JOSE LUIS", "PEREZ Y GOMEZ").surnames, (Tokens{"perez", "gomez"}));
  EXPECT_EQ(name_tokens("Ana", "de los Santos", "del Valle").surnames, (Tokens{"santos", "valle"}));
}

TEST(SplitFullName, FindsTheSurnamesOfAOneFieldName) {
  auto full = split_full_name("Ana María López Xol");
  EXPECT_EQ(full.given, (Tokens{"ana", "maria"}));
  EXPECT_EQ(full.surnames, (Tokens{"lopez", "xol"}));
  full = split_full_name("María José García de la Cruz");
  EXPECT_EQ(full.given, (Tokens{"maria", "jose"}));
  EXPECT_EQ(full.surnames, (Tokens{"garcia", "cruz"}));
  full = split_full_name("Ana María de la Cruz");  // two tokens before the particle: a compound given name
  EXPECT_EQ(full.given, (Tokens{"ana", "maria"}));
  EXPECT_EQ(full.surnames, (Tokens{"cruz"}));
  full = split_full_name("Ana de la Cruz");
  EXPECT_EQ(full.given, (Tokens{"ana"}));
  EXPECT_EQ(full.surnames, (Tokens{"cruz"}));
  full = split_full_name("Brayan Tzul");
  EXPECT_EQ(full.given, (Tokens{"brayan"}));
  EXPECT_EQ(full.surnames, (Tokens{"tzul"}));
}

TEST(CompareNames, HispanicNamingVariants) {
  // The example of the brief: accents, case and a dropped particle make no difference.
  const auto ornate = name_tokens("María José", "García de la Cruz");
  const auto plain = name_tokens("MARIA JOSE", "GARCIA CRUZ");
  EXPECT_EQ(compare_names(ornate.given, plain.given), NameAgreement::exact);
  EXPECT_EQ(compare_names(ornate.surnames, plain.surnames), NameAgreement::exact);
  // Surnames swapped.
  EXPECT_EQ(compare_names(Tokens{"lopez", "garcia"}, Tokens{"garcia", "lopez"}), NameAgreement::exact);
  // One surname dropped; one of a compound given name dropped.
  EXPECT_EQ(compare_names(Tokens{"garcia"}, Tokens{"garcia", "lopez"}), NameAgreement::subset);
  EXPECT_EQ(compare_names(Tokens{"maria"}, Tokens{"maria", "jose"}), NameAgreement::subset);
  // Written together.
  EXPECT_EQ(compare_names(Tokens{"mariajose"}, Tokens{"maria", "jose"}), NameAgreement::exact);
  // Typos and sound-alikes.
  EXPECT_EQ(compare_names(Tokens{"gonzales"}, Tokens{"gonzalez"}), NameAgreement::close);
  EXPECT_EQ(compare_names(Tokens{"ernandez", "lopes"}, Tokens{"hernandez", "lopez"}), NameAgreement::close);
  EXPECT_EQ(compare_names(Tokens{"jimena"}, Tokens{"ximena"}), NameAgreement::close);
  // Other people.
  EXPECT_EQ(compare_names(Tokens{"garcia"}, Tokens{"tzul"}), NameAgreement::different);
  EXPECT_EQ(compare_names(Tokens{"pop", "caal"}, Tokens{"ramirez", "morales"}), NameAgreement::different);
}

TEST(SpanishPhonetic, SpellingVariantsShareAKey) {
  const std::vector<std::pair<std::string, std::string>> same{
      {"gonzalez", "gonsales"},  {"hernandez", "ernandez"}, {"vasquez", "basquez"}, {"yanira", "llanira"},
      {"jimenez", "gimenez"},    {"ximena", "jimena"},      {"quiroz", "kiros"},    {"cecilia", "sesilia"},
      {"guillermo", "guiyermo"}, {"carrillo", "carillo"},   {"rafael", "raphael"}};
  for (const auto& [a, b] : same) EXPECT_EQ(spanish_phonetic(a), spanish_phonetic(b)) << a << " / " << b;
  EXPECT_NE(spanish_phonetic("garcia"), spanish_phonetic("gomez"));
  EXPECT_NE(spanish_phonetic("lopez"), spanish_phonetic("perez"));
  EXPECT_EQ(spanish_phonetic("gonzalez"), "GNSLS");
  EXPECT_EQ(spanish_phonetic(""), "");
}

TEST(JaroWinkler, PublishedValues) {
  // Values from Winkler (1990) and the usual test tables.
  EXPECT_NEAR(jaro_winkler("martha", "marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(jaro_winkler("dwayne", "duane"), 0.84, 1e-4);
  EXPECT_NEAR(jaro_winkler("dixon", "dicksonx"), 0.8133, 1e-4);
  EXPECT_EQ(jaro_winkler("ana", "ana"), 1.0);
  EXPECT_EQ(jaro_winkler("", "ana"), 0.0);
  EXPECT_EQ(jaro_winkler("abc", "xyz"), 0.0);
  EXPECT_EQ(jaro_winkler("garcia", "gracia"), jaro_winkler("gracia", "garcia"));
}

TEST(ANumbers, FormAndTranscriptionErrors) {
  EXPECT_EQ(normalize_anumber("A201-234-567"), "201234567");
  EXPECT_EQ(normalize_anumber("a 20123456"), "020123456");
  EXPECT_EQ(normalize_anumber("A1234"), "");
  EXPECT_EQ(normalize_anumber("not one"), "");
  EXPECT_EQ(compare_digits("201234567", "201234567"), DigitAgreement::exact);
  EXPECT_EQ(compare_digits("201234567", "201234568"), DigitAgreement::one_typo);  // one digit off
  EXPECT_EQ(compare_digits("201234567", "201243567"), DigitAgreement::one_typo);  // adjacent transposed
  EXPECT_EQ(compare_digits("012345678", "12345678"), DigitAgreement::one_typo);   // leading zero dropped
  EXPECT_EQ(compare_digits("201234567", "201234599"), DigitAgreement::different);
  EXPECT_EQ(compare_digits("201234567", "210234576"), DigitAgreement::different);
  const auto variants = one_typo_variants("201234567");
  EXPECT_EQ(variants.size(), 9u * 9u + 8u);
  for (const auto& v : variants) EXPECT_EQ(compare_digits(v, "201234567"), DigitAgreement::one_typo) << v;
}

TEST(Phones, ToE164) {
  EXPECT_EQ(normalize_phone("(713) 555-0142"), "+17135550142");
  EXPECT_EQ(normalize_phone("+502 5555 1234"), "+50255551234");
  EXPECT_EQ(normalize_phone("call me"), "");
}

BirthDate exact(int y, unsigned m, unsigned d) {
  return *parse_birth_date_loose(fmt::format("{:04}-{:02}-{:02}", y, m, d), DateOrder::ymd);
}

TEST(BirthDates, ReadInEveryFeedsFormat) {
  const auto expected = exact(2008, 4, 2);
  EXPECT_EQ(parse_birth_date_loose("20080402", DateOrder::ymd), expected);
  EXPECT_EQ(parse_birth_date_loose("04/02/2008", DateOrder::mdy), expected);
  EXPECT_EQ(parse_birth_date_loose("02-APR-2008", DateOrder::dmy), expected);
  EXPECT_EQ(parse_birth_date_loose("2 abr 2008", DateOrder::dmy), expected);
  // 13 cannot be a month: the clerk swapped day and month.
  EXPECT_EQ(parse_birth_date_loose("13/04/2008", DateOrder::mdy), exact(2008, 4, 13));
  // A year alone, or a day that cannot be, leaves what is known.
  const auto year_only = parse_birth_date_loose("2008", DateOrder::ymd);
  ASSERT_TRUE(year_only);
  EXPECT_EQ(year_only->precision, BirthDatePrecision::estimated_age);
  EXPECT_EQ(parse_birth_date_loose("2008-02-31", DateOrder::ymd)->precision, BirthDatePrecision::year_month);
  EXPECT_FALSE(parse_birth_date_loose("unknown", DateOrder::ymd));
  // Old dates are kept for comparison (the FEBRL benchmark has births in 1908).
  EXPECT_TRUE(parse_birth_date_loose("19081209", DateOrder::ymd));
}

TEST(BirthDates, ComparisonLevels) {
  const auto base = exact(2008, 4, 2);
  EXPECT_EQ(compare_birth_dates(base, exact(2008, 4, 2)), DateAgreement::exact);
  EXPECT_EQ(compare_birth_dates(base, exact(2008, 2, 4)), DateAgreement::day_month_swapped);
  EXPECT_EQ(compare_birth_dates(base, exact(2008, 4, 12)), DateAgreement::one_part_differs);
  EXPECT_EQ(compare_birth_dates(base, exact(2009, 4, 2)), DateAgreement::one_part_differs);
  EXPECT_EQ(compare_birth_dates(base, exact(2008, 9, 20)), DateAgreement::same_year);
  EXPECT_EQ(compare_birth_dates(base, exact(2011, 9, 20)), DateAgreement::different);
  // An estimated age (1 January of the estimated year) agrees with a year either side, no better.
  auto estimated = BirthDate::estimated(15, Date{std::chrono::year{2023}, std::chrono::March, std::chrono::day{1}});
  ASSERT_TRUE(estimated);
  EXPECT_EQ(compare_birth_dates(base, *estimated), DateAgreement::same_year);
  EXPECT_EQ(compare_birth_dates(exact(2005, 4, 2), *estimated), DateAgreement::different);
  auto year_month = BirthDate::year_month(2008, 4);
  EXPECT_EQ(compare_birth_dates(base, *year_month), DateAgreement::exact);
  // Agencies write an estimated age as 1 January: an unflagged 1 January of the estimated year agrees
  // with the flagged estimate as an estimate (not as an exact date, nor only as "same year").
  EXPECT_EQ(compare_birth_dates(exact(2008, 1, 1), *estimated), DateAgreement::same_estimated_year);
  EXPECT_EQ(compare_birth_dates(*estimated, *estimated), DateAgreement::same_estimated_year);
  EXPECT_EQ(compare_birth_dates(exact(2008, 1, 1), exact(2008, 1, 1)), DateAgreement::same_estimated_year);
  EXPECT_EQ(compare_birth_dates(exact(2009, 1, 1), *estimated), DateAgreement::same_year);
  EXPECT_EQ(compare_birth_dates(exact(2008, 1, 2), exact(2008, 1, 1)), DateAgreement::one_part_differs);
}

}  // namespace
}  // namespace accompany::linkage

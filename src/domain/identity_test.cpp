#include "domain/identity.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

TEST(ANumber, AcceptsTheWaysFormsWriteIt) {
  for (const char* text : {"A012345678", "A-012-345-678", "012345678", "a 012 345 678"})
    EXPECT_EQ(ANumber::parse(text)->digits(), "012345678") << text;
  EXPECT_EQ(ANumber::parse("A12345678")->digits(), "012345678");  // older 8-digit numbers
  EXPECT_EQ(ANumber::parse("212345678")->display(), "A212-345-678");
}

TEST(ANumber, RefusesWhatIsNotOne) {
  auto wrong = ANumber::parse("A1234");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().field, "a_number");
  EXPECT_NE(wrong.error().message.find("8 or 9 digits"), std::string::npos);
  EXPECT_FALSE(ANumber::parse("B012345678"));
  EXPECT_FALSE(ANumber::parse("0123456789"));
  EXPECT_FALSE(ANumber::parse("000000000"));
}

TEST(PersonName, KeepsBothSurnamesAndNeedsOne) {
  auto name = PersonName::create(" María José ", "García", "de la Cruz");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->given_names, "María José");
  EXPECT_EQ(name->full(), "María José García de la Cruz");
  EXPECT_TRUE(PersonName::create("Ana", "", "Xol"));
  auto none = PersonName::create("Ana", "", " ");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().field, "paternal_surname");
  EXPECT_EQ(PersonName::create("", "Pop", "").error().field, "given_names");
}

TEST(CleanText, RefusesControlCharactersAndBadUtf8) {
  EXPECT_FALSE(clean_text("f", "a\x01z", 100, true));
  EXPECT_FALSE(clean_text("f", "caf\xc3", 100, true));
  EXPECT_FALSE(clean_text("f", "line one\nline two", 100, true));
  EXPECT_TRUE(clean_text("f", "line one\nline two", 100, true, /*multiline=*/true));
  EXPECT_FALSE(clean_text("f", std::string(101, 'x'), 100, true));
}

TEST(CheckText, GivesCleanTextsVerdictWithoutTheCopy) {
  // ASCII (checked by the fast path) and non-ASCII (decoded) text, good and bad, required or not.
  const std::string long_text(101, 'x');
  const std::vector<std::string> texts = {"plain",     "  padded  ",     "",       "   ",       "a\x01z",
                                          "a\x7fz",    "caf\xc3",        "café",   "Ñandú\x02", "line one\nline two",
                                          "tab\there", "\v\fpadded\r\n", long_text};
  for (const auto& text : texts)
    for (bool required : {true, false})
      for (bool multiline : {true, false}) {
        auto cleaned = clean_text("f", text, 100, required, multiline);
        auto checked = check_text("f", text, 100, required, multiline);
        ASSERT_EQ(bool(cleaned), bool(checked)) << text;
        if (!checked) {
          EXPECT_EQ(checked.error().message, cleaned.error().message) << text;
          EXPECT_EQ(checked.error().value, cleaned.error().value) << text;
        }
      }
  EXPECT_EQ(*clean_text("f", "\t\v\f\r\n x y \n", 100, true), "x y");
  EXPECT_FALSE(check_text("f", " \t\v\f\r\n", 100, true));
  EXPECT_FALSE(check_text("f", "a\x01z", 100, true));
  EXPECT_FALSE(check_text("f", "Jos\xc3\xa9\x01", 100, true));
  EXPECT_TRUE(check_text("f", "José", 100, true));
}

TEST(PersonName, CheckCreatedAcceptsOnlyWhatCreateReturns) {
  auto name = PersonName::create(" María José ", "García", "de la Cruz");
  ASSERT_TRUE(name);
  EXPECT_TRUE(PersonName::check_created(*name, "Child::create"));
  PersonName padded = *name;
  padded.maternal_surname = "de la Cruz ";
  auto refused = PersonName::check_created(padded, "Child::create");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "given_names");
  EXPECT_NE(refused.error().message.find("use Child::create"), std::string::npos);
  EXPECT_EQ(PersonName::check_created(PersonName{"Ana", "", " "}, "x").error().field, "paternal_surname");
  EXPECT_EQ(PersonName::check_created(PersonName{"", "Pop", ""}, "x").error().field, "given_names");
  EXPECT_EQ(PersonName::check_created(PersonName{"Ana", "P\x01p", ""}, "x").error().field, "paternal_surname");
}

TEST(BirthDate, KnowsItsPrecision) {
  auto exact = BirthDate::exact(*parse_date("d", "2009-03-04"));
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->age_on(*parse_date("d", "2024-03-03")), 14);
  auto month = BirthDate::year_month(2010, 7);
  ASSERT_TRUE(month);
  EXPECT_EQ(month->describe(), "2010-07");
  EXPECT_FALSE(BirthDate::year_month(2010, 13));
  auto estimated = BirthDate::estimated(15, *parse_date("d", "2022-05-01"));
  ASSERT_TRUE(estimated);
  EXPECT_EQ(estimated->age_on(*parse_date("d", "2024-05-01")), 17);
  EXPECT_EQ(estimated->describe(), "about 15 years old on 2022-05-01");
  EXPECT_FALSE(BirthDate::estimated(40, *parse_date("d", "2022-05-01")));
  EXPECT_FALSE(BirthDate::exact(*parse_date("d", "1900-01-01")));
}

TEST(Languages, KnowIndigenousLanguages) {
  auto kiche = find_language("languages", "quc");
  ASSERT_TRUE(kiche);
  EXPECT_TRUE((*kiche)->indigenous);
  EXPECT_EQ((*kiche)->english_name, "K'iche'");
  EXPECT_FALSE((*find_language("languages", "spa"))->indigenous);
  EXPECT_EQ((*find_language("languages", "und"))->english_name, "Undetermined");
  auto unknown = find_language("languages", "klingon");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("ISO 639-3"), std::string::npos);
}

TEST(Country, UsesIcuIsoCodes) {
  EXPECT_EQ(*parse_country("c", "gt"), "GT");
  EXPECT_EQ(*parse_country("c", "HN"), "HN");
  EXPECT_FALSE(parse_country("c", "XX"));
  EXPECT_FALSE(parse_country("c", "Guatemala"));
}

TEST(Phone, NormalizesToE164) {
  EXPECT_EQ(*parse_phone("phone", "(512) 555-0142"), "+15125550142");
  EXPECT_EQ(*parse_phone("phone", "1-512-555-0142"), "+15125550142");
  EXPECT_EQ(*parse_phone("phone", "+502 5555 1234"), "+50255551234");
  EXPECT_FALSE(parse_phone("phone", "call me"));
  EXPECT_FALSE(parse_phone("phone", "555-0142"));
  EXPECT_FALSE(parse_phone("phone", "50255551234"));  // foreign number without '+'
}

}  // namespace
}  // namespace accompany

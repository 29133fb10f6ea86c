#include "domain/child.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

Date day(const char* text) {
  return *parse_date("d", text);
}

Child draft() {
  Child child;
  child.a_number = *ANumber::parse("A201234567");
  child.name = PersonName{"Juan Carlos", "Tzul", "Pop"};
  child.birth_date = *BirthDate::exact(day("2008-04-02"));
  child.sex = Sex::male;
  child.country_of_birth = "gt";
  child.languages = {"quc", "spa"};
  child.interpreter_needed = true;
  return child;
}

TEST(Child, CreateNormalizesAndValidates) {
  auto child = Child::create(draft(), day("2024-01-01"));
  ASSERT_TRUE(child) << child.error().describe();
  EXPECT_EQ(child->country_of_birth, "GT");
  EXPECT_TRUE(child->speaks_indigenous_language());
  EXPECT_TRUE(Child::validate(*child, day("2024-01-01")));
}

TEST(Child, RefusesABirthInTheFuture) {
  auto child = Child::create(draft(), day("2008-01-01"));
  ASSERT_FALSE(child);
  EXPECT_EQ(child.error().field, "birth_date");
  EXPECT_EQ(child.error().describe(), "birth_date '2008-04-02': is in the future");
}

TEST(Child, NeedsAKnownLanguageListedOnce) {
  auto none = draft();
  none.languages.clear();
  EXPECT_EQ(Child::create(none, day("2024-01-01")).error().field, "languages");
  auto twice = draft();
  twice.languages = {"spa", "spa"};
  EXPECT_EQ(Child::create(twice, day("2024-01-01")).error().message, "is listed twice");
  auto unknown = draft();
  unknown.languages = {"xyz"};
  EXPECT_EQ(Child::create(unknown, day("2024-01-01")).error().value, "xyz");
}

TEST(Child, RefusesAnUnknownCountry) {
  auto child = draft();
  child.country_of_birth = "Guatemala";
  auto result = Child::create(child, day("2024-01-01"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().field, "country_of_birth");
}

TEST(Child, ValidateRejectsWhatCreateWouldHaveCleaned) {
  auto child = draft();
  child.name.given_names = " Juan";
  EXPECT_FALSE(Child::validate(child, day("2024-01-01")));
}

}  // namespace
}  // namespace accompany

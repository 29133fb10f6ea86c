// Person search: names in any order, typos, accents, missing surname, birth date, A-number, phone.
#include "linkage/search_index.h"

#include <gtest/gtest.h>

#include "linkage/birth_dates.h"

namespace accompany::linkage {
namespace {

class PersonSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    add(1, "María José", "García de la Cruz", "2008-04-02", "A201-234-567", "(713) 555-0142");
    add(2, "José Luis", "Hernández López", "2010-11-23", "", "");
    add(3, "María", "García López", "2009-07-15", "A208-765-432", "");
    add(4, "Ana", "Xol Caal", "2012-01-30", "", "+502 5555 1234");
    add(5, "Brayan", "Tzul", "2007-03-09", "A212-121-212", "");
    for (int i = 0; i < 200; ++i)  // background people, so common names are common
      add(100 + i, i % 2 ? "Kevin" : "Yesenia", i % 3 ? "Pérez Gómez" : "Ramírez", "2011-05-05", "", "");
  }
  void add(Id id, const char* given, const char* surnames, const char* dob, const char* anumber, const char* phone) {
    index.upsert({id, given, surnames, parse_birth_date_loose(dob, DateOrder::ymd), anumber, phone});
  }
  std::vector<SearchHit> find(const std::string& text) const { return index.search({text, std::nullopt, "", "", 5}); }
  static bool has_reason(const SearchHit& hit, const std::string& part) {
    for (const auto& why : hit.why)
      if (why.find(part) != std::string::npos) return true;
    return false;
  }
  PersonSearchIndex index;
};

TEST_F(PersonSearch, NamesInAnyOrderWithoutAccents) {
  auto hits = find("GARCIA CRUZ MARIA JOSE");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_TRUE(has_reason(hits[0], "surname 'cruz' matches"));
  hits = find("cruz garcía maría josé");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 1);
}

TEST_F(PersonSearch, TyposAndSoundAlikes) {
  auto hits = find("jose luis ernandes");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 2);
  EXPECT_TRUE(has_reason(hits[0], "'ernandes' is close to surname 'hernandez'"));
  hits = find("braian tzull");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 5);
}

TEST_F(PersonSearch, MissingSurnameAndABirthDate) {
  // "María" alone is two people; the birth date decides, even with day and month swapped.
  auto hits = find("maria 07/15/2009");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 3);
  EXPECT_TRUE(has_reason(hits[0], "birth date matches"));
  hits = find("maria jose 2008-02-04");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_TRUE(has_reason(hits[0], "day and month swapped"));
}

TEST_F(PersonSearch, IdentifiersAloneOrWithATypo) {
  auto hits = find("A208-765-432");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 3);
  EXPECT_TRUE(has_reason(hits[0], "A-number matches"));
  hits = find("208765423");  // last two digits transposed
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 3);
  EXPECT_TRUE(has_reason(hits[0], "one typo"));
  hits = index.search({"", std::nullopt, "", "713-555-0142", 5});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 1);
  EXPECT_TRUE(has_reason(hits[0], "phone matches"));
}

TEST_F(PersonSearch, UpdatesAndRemovalsShowAtOnce) {
  add(4, "Ana Lucía", "Xol Caal", "2012-01-30", "", "");  // an update: same id, new given name
  auto hits = find("ana lucia xol");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 4);
  EXPECT_EQ(index.size(), 205u);
  EXPECT_TRUE(index.remove(4));
  EXPECT_FALSE(index.remove(4));
  for (const auto& hit : find("ana lucia xol caal")) EXPECT_NE(hit.id, 4);
  EXPECT_TRUE(find("qqqqq zzzzz").empty());
}

TEST_F(PersonSearch, TwoGivenNamesRunTogether) {
  // A dropped space ("josé luis" typed "joseluis") is read as the two names.
  auto hits = find("joseluis hernandez");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 2);
  EXPECT_TRUE(has_reason(hits[0], "given name 'luis' matches"));
}

TEST_F(PersonSearch, ExactNameRanksAboveTheSameNameWithMoreWords) {
  // Both hold every name asked for; the one with no other word is what the agent typed.
  add(10, "Juan David", "Fernández García", "2010-01-01", "", "");
  add(11, "David", "Fernández García", "2010-01-01", "", "");
  auto hits = find("david fernandez garcia");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 11);
  EXPECT_EQ(hits[1].id, 10);
}

}  // namespace
}  // namespace accompany::linkage

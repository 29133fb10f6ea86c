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
  EXPECT_TRUE(index.search({"maria garcia", std::nullopt, "", "", 0}).empty());
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

TEST_F(PersonSearch, ARareNearSpellingDoesNotOutrankTheNameTyped) {
  // "Gonzales" is rarer than "González", so it weighs more by IDF; it must still rank under the
  // name that was typed, which it is only close to.
  for (int i = 0; i < 50; ++i) add(400 + i, i % 2 ? "Pedro" : "Luis", "González Ruiz", "2010-01-01", "", "");
  add(20, "Ana", "Gonzales", "2010-01-01", "", "");
  add(21, "Ana", "González", "2010-01-01", "", "");
  auto hits = find("ana gonzalez");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 21);
  EXPECT_EQ(hits[1].id, 20);
  hits = find("ana gonzales");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 20);
}

TEST_F(PersonSearch, OneEditInAShortNameStillMatches) {
  // "ldna" is one letter from "luna" but Jaro–Winkler puts them at 0.83, under the spelling floor.
  add(30, "Lidia", "Reyes Vega", "2010-01-01", "", "");
  add(31, "Luna", "Reyes Vega", "2010-01-01", "", "");
  auto hits = find("ldna reyes");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, 31);
  EXPECT_TRUE(has_reason(hits[0], "'ldna' is close to given name 'luna'"));
}

TEST_F(PersonSearch, OneSurnameNamedIsMostOftenThePaternal) {
  add(40, "Olivia", "Ruiz Mora", "2010-01-01", "", "");
  add(41, "Olivia", "Mora Ruiz", "2010-01-01", "", "");
  auto hits = find("mora olivia");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 41);
  EXPECT_EQ(hits[1].id, 40);
  hits = find("olivia ruiz mora");  // both surnames, in the order of the first
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].id, 40);
}

// The walk over the name postings stops early once nothing left can beat the k-th best hit. It must
// return what reading everything would: the same persons, scores and order as a search whose limit
// is the whole population (which cannot stop early).
TEST(PersonSearchTopK, StoppingEarlyReturnsWhatReadingEverythingWould) {
  const std::vector<std::string> given{"María",   "José",  "Ana",   "Juan",  "Luis",  "Mario",
                                       "Mariana", "Jesús", "Rosa",  "Pedro", "Marta", "Brayan"};
  const std::vector<std::string> surnames{"García",  "López", "Gonzales", "González", "Pérez", "Hernández",
                                          "Fernández", "Xol",   "Tzul",     "Cruz",     "Gómez", "Ramírez"};
  PersonSearchIndex index;
  uint64_t state = 12345;
  auto next = [&](size_t n) {  // a fixed pseudo-random sequence, so the test reads the same every run
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>((state >> 33) % n);
  };
  const size_t people = 3000;
  for (size_t i = 0; i < people; ++i) {
    std::string first = given[next(given.size())];
    if (next(3) == 0) first += " " + given[next(given.size())];
    index.upsert({static_cast<Id>(i + 1), first, surnames[next(surnames.size())] + " " + surnames[next(surnames.size())],
                  std::nullopt, "", ""});
  }
  const std::vector<std::string> queries{"maria garcia lopez", "garcia maria", "jose luis hernandez",
                                         "mariana gonzalez", "xol brayan",     "marta perez cruz tzul",
                                         "rosa",               "garsia lopes",   "juan pedro qqqq gomez"};
  for (const auto& text : queries) {
    SearchStats stats;
    const auto top = index.search({text, std::nullopt, "", "", 10}, &stats);
    const auto all = index.search({text, std::nullopt, "", "", people});
    ASSERT_EQ(top.size(), 10u) << text;
    for (size_t i = 0; i < top.size(); ++i) {
      EXPECT_EQ(top[i].id, all[i].id) << text << " #" << i;
      EXPECT_DOUBLE_EQ(top[i].score, all[i].score) << text << " #" << i;
    }
  }
}

TEST(PersonSearchTopK, ACommonNameWithTenExactHoldersReadsFewPostings) {
  // 2,000 Garcías, 1,000 Lópezes, 20 of them "María García López": the walk stops once ten
  // persons with the whole name are found instead of reading every García.
  PersonSearchIndex index;
  for (Id i = 1; i <= 2000; ++i)
    index.upsert({i, i % 2 ? "Pedro" : "Luis", i % 2 ? "García López" : "García Ruiz", std::nullopt, "", ""});
  for (Id i = 2001; i <= 2020; ++i) index.upsert({i, "María", "García López", std::nullopt, "", ""});
  SearchStats stats;
  const auto hits = index.search({"maria garcia lopez", std::nullopt, "", "", 10}, &stats);
  ASSERT_EQ(hits.size(), 10u);
  for (const auto& hit : hits) EXPECT_GT(hit.id, 2000);
  EXPECT_LT(stats.postings_read, 100u);  // the 20 Marías; not the 3,020 Garcías and Lópezes
}

}  // namespace
}  // namespace accompany::linkage

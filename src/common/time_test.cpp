#include "common/time.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace accompany {
namespace {

TEST(Time, ParsesAndFormatsDates) {
  auto date = parse_date("d", "2024-02-29");
  ASSERT_TRUE(date);
  EXPECT_EQ(format_date(*date), "2024-02-29");
}

TEST(Time, RefusesImpossibleDatesWithTheReason) {
  auto date = parse_date("birth_date", "2023-02-29");
  ASSERT_FALSE(date);
  EXPECT_EQ(date.error().describe(), "birth_date '2023-02-29': not a calendar date");
  EXPECT_FALSE(parse_date("d", "29/02/2024"));
  EXPECT_FALSE(parse_date("d", "2024-2-9"));
}

TEST(Time, TimestampsRoundTripInUtc) {
  auto at = parse_timestamp("t", "2023-10-01T08:30:05Z");
  ASSERT_TRUE(at);
  EXPECT_EQ(format_timestamp(*at), "2023-10-01T08:30:05Z");
  EXPECT_TRUE(parse_timestamp("t", "2023-10-01 08:30:05"));
  EXPECT_FALSE(parse_timestamp("t", "2023-10-01T24:00:00Z"));
}

// format_date and format_timestamp write their digits by hand; fmt (what they used before) is
// the reference for every day of 1899-2101, for dates that are not calendar dates, and for every
// second of a day.
std::string date_by_fmt(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                     static_cast<unsigned>(date.day()));
}

TEST(Time, FormatsDatesAsFmtDid) {
  using namespace std::chrono;
  for (sys_days day = sys_days{year{1899} / 1 / 1}; day < sys_days{year{2102} / 1 / 1}; day += days{1})
    ASSERT_EQ(format_date(Date{day}), date_by_fmt(Date{day}));
  for (const Date odd :
       {Date{year{0}, month{1}, std::chrono::day{1}}, Date{year{-5}, month{3}, std::chrono::day{4}},
        Date{year{12345}, month{6}, std::chrono::day{7}}, Date{year{2024}, month{0}, std::chrono::day{0}},
        Date{year{2024}, month{13}, std::chrono::day{32}}, Date{year{999}, month{200}, std::chrono::day{255}}})
    EXPECT_EQ(format_date(odd), date_by_fmt(odd));
  EXPECT_EQ(format_date(Date{year{7}, month{8}, std::chrono::day{9}}), "0007-08-09");
}

TEST(Time, FormatsEverySecondOfADay) {
  using namespace std::chrono;
  const sys_days day{year{2023} / 10 / 1};
  for (int second = 0; second < 86400; ++second) {
    const Timestamp at = day + seconds{second};
    const hh_mm_ss time{seconds{second}};
    ASSERT_EQ(format_timestamp(at), fmt::format("2023-10-01T{:02}:{:02}:{:02}Z", time.hours().count(),
                                                time.minutes().count(), time.seconds().count()));
  }
  EXPECT_EQ(format_timestamp(sys_days{year{1969} / 12 / 31} + hours{23} + minutes{59} + seconds{58}),
            "1969-12-31T23:59:58Z");
}

TEST(Time, CountsAgeInWholeYears) {
  auto born = *parse_date("d", "2008-06-15");
  EXPECT_EQ(years_between(born, *parse_date("d", "2026-06-14")), 17);
  EXPECT_EQ(years_between(born, *parse_date("d", "2026-06-15")), 18);
  EXPECT_EQ(days_between(*parse_date("d", "2024-01-01"), *parse_date("d", "2024-03-01")), 60);
}

}  // namespace
}  // namespace accompany

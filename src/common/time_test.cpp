#include "common/time.h"

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

TEST(Time, CountsAgeInWholeYears) {
  auto born = *parse_date("d", "2008-06-15");
  EXPECT_EQ(years_between(born, *parse_date("d", "2026-06-14")), 17);
  EXPECT_EQ(years_between(born, *parse_date("d", "2026-06-15")), 18);
  EXPECT_EQ(days_between(*parse_date("d", "2024-01-01"), *parse_date("d", "2024-03-01")), 60);
}

}  // namespace
}  // namespace accompany

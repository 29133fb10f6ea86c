// Birth dates as feeds write them, read loosely for linkage, and compared allowing the usual mistakes.
#pragma once

#include <optional>
#include <string_view>

#include "domain/identity.h"

namespace accompany::linkage {

// The orders a feed may write a date in.
enum class DateOrder { ymd, mdy, dmy };

// Reads "2008-04-02", "20080402", "04/02/2008", "02-APR-2008" (month names in English or Spanish)
// in the given order. When the day and month cannot be as written (a month of 13) but can be the
// other way round, they are swapped; a lone year ("2008") or a date whose day cannot be read becomes
// an estimated year (precision estimated_age, 1 January). Years before 1950 are kept: linkage
// compares dates, it does not store them, so the domain's plausibility window does not apply.
std::optional<BirthDate> parse_birth_date_loose(std::string_view text, DateOrder order);

// Levels of agreement, worst to best; `missing` when either side has no date.
enum class DateAgreement {
  different,
  same_year,         // or estimated years within one year of each other
  one_part_differs,  // two of year, month, day equal (one mistyped)
  day_month_swapped,
  // Both sides are (or may be) an estimated age for the same year: flagged estimated, or written as
  // 1 January, the date every agency records for an estimated age (docs/synth.md, dob_estimated).
  // Weaker evidence than an exact date: many children share an estimate's 1 January.
  same_estimated_year,
  exact,  // equal as far as the less precise date is known
};
DateAgreement compare_birth_dates(const BirthDate& a, const BirthDate& b);

}  // namespace accompany::linkage

// Dates and instants as the whole system writes them: calendar dates as ISO 8601
// "YYYY-MM-DD", instants as UTC "YYYY-MM-DDTHH:MM:SSZ". The clock is injected so tests
// never wait for time to pass.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/error.h"

namespace accompany {

using Date = std::chrono::year_month_day;
using Timestamp = std::chrono::sys_seconds;

// Parses "YYYY-MM-DD"; rejects impossible dates such as 2023-02-30 with a message saying so.
Result<Date> parse_date(std::string_view field, std::string_view text);
// Parses "YYYY-MM-DDTHH:MM:SSZ" (a space for the T and no Z are accepted too; always UTC).
Result<Timestamp> parse_timestamp(std::string_view field, std::string_view text);

std::string format_date(Date date);
std::string format_timestamp(Timestamp instant);

Date date_of(Timestamp instant);
// Whole years between two dates, as an age is counted.
int years_between(Date from, Date to);
int days_between(Date from, Date to);

// Where the current time comes from; tests use FixedClock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp at) : at_(at) {}
  Timestamp now() const override { return at_; }
  void set(Timestamp at) { at_ = at; }

 private:
  Timestamp at_;
};

}  // namespace accompany

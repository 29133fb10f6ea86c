#include "common/time.h"

#include <fmt/format.h>

#include <charconv>

namespace accompany {
namespace {

bool parse_fixed_int(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return ec == std::errc() && ptr == text.data() + pos + len;
}

}  // namespace

Result<Date> parse_date(std::string_view field, std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_fixed_int(text, 0, 4, y) ||
      !parse_fixed_int(text, 5, 2, m) || !parse_fixed_int(text, 8, 2, d))
    return invalid(field, text, "expected a date written YYYY-MM-DD");
  Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return invalid(field, text, "not a calendar date");
  return date;
}

Result<Timestamp> parse_timestamp(std::string_view field, std::string_view text) {
  int hh = 0, mm = 0, ss = 0;
  std::string_view rest = text;
  if (!rest.empty() && rest.back() == 'Z') rest.remove_suffix(1);
  if (rest.size() != 19 || (rest[10] != 'T' && rest[10] != ' ') || rest[13] != ':' || rest[16] != ':' ||
      !parse_fixed_int(rest, 11, 2, hh) || !parse_fixed_int(rest, 14, 2, mm) || !parse_fixed_int(rest, 17, 2, ss))
    return invalid(field, text, "expected a UTC time written YYYY-MM-DDTHH:MM:SSZ");
  auto date = parse_date(field, rest.substr(0, 10));
  if (!date) return invalid(field, text, date.error().message);
  if (hh > 23 || mm > 59 || ss > 59) return invalid(field, text, "not a time of day");
  return std::chrono::sys_days{*date} + std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss};
}

namespace {

// Writes `value` (< 10^width) as `width` digits, zero-padded, ending just before `end`.
char* put_digits(char* end, unsigned value, int width) {
  for (int i = 0; i < width; ++i, value /= 10) *--end = static_cast<char>('0' + value % 10);
  return end;
}

}  // namespace

std::string format_date(Date date) {
  // Written by hand: a bulk import formats a date or two per row it writes, and fmt's
  // format-string parsing cost ~1,600 instructions a date (docs/import.md, round 5).
  const int year = static_cast<int>(date.year());
  const auto month = static_cast<unsigned>(date.month());
  const auto day = static_cast<unsigned>(date.day());
  if (year < 0 || year > 9999 || month > 99 || day > 99)  // not a calendar date: fmt's padding rules
    return fmt::format("{:04}-{:02}-{:02}", year, month, day);
  std::string text(10, '-');
  put_digits(text.data() + 4, static_cast<unsigned>(year), 4);
  put_digits(text.data() + 7, month, 2);
  put_digits(text.data() + 10, day, 2);
  return text;
}

std::string format_timestamp(Timestamp instant) {
  auto day = std::chrono::floor<std::chrono::days>(instant);
  std::chrono::hh_mm_ss time{instant - day};  // less than a day: each part has two digits
  std::string text = format_date(Date{day});
  const size_t date_size = text.size();
  text.append("T00:00:00Z");
  char* at = text.data() + date_size;
  put_digits(at + 3, static_cast<unsigned>(time.hours().count()), 2);
  put_digits(at + 6, static_cast<unsigned>(time.minutes().count()), 2);
  put_digits(at + 9, static_cast<unsigned>(time.seconds().count()), 2);
  return text;
}

Date date_of(Timestamp instant) {
  return Date{std::chrono::floor<std::chrono::days>(instant)};
}

int years_between(Date from, Date to) {
  int years = static_cast<int>(to.year()) - static_cast<int>(from.year());
  if (std::chrono::month_day{to.month(), to.day()} < std::chrono::month_day{from.month(), from.day()}) --years;
  return years;
}

int days_between(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

Timestamp SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace accompany

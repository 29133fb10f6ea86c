// Loose birth-date reading and mistake-tolerant comparison.
#include "linkage/birth_dates.h"

#include <array>
#include <cstdlib>
#include <string>
#include <vector>

#include "linkage/text_fold.h"

namespace accompany::linkage {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

int month_from_name(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kEnglish{"jan", "feb", "mar", "apr", "may", "jun",
                                                             "jul", "aug", "sep", "oct", "nov", "dec"};
  static constexpr std::array<std::string_view, 12> kSpanish{"ene", "feb", "mar", "abr", "may", "jun",
                                                             "jul", "ago", "sep", "oct", "nov", "dic"};
  if (token.size() < 3) return 0;
  const auto prefix = token.substr(0, 3);
  for (int i = 0; i < 12; ++i)
    if (prefix == kEnglish[static_cast<size_t>(i)] || prefix == kSpanish[static_cast<size_t>(i)]) return i + 1;
  return 0;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int to_int(std::string_view s) {
  return std::atoi(std::string(s).c_str());
}

BirthDate estimated_year(int y) {
  // The domain's estimated form: 1 January of the year, age unknown (0) as of that day.
  return BirthDate{BirthDatePrecision::estimated_age, Date{year{y}, month{1}, day{1}}, 0, std::nullopt};
}

std::optional<BirthDate> from_parts(int y, int m, int d) {
  if (y < 1800 || y > 2200) return std::nullopt;
  auto valid = [&](int mm, int dd) {
    return mm >= 1 && mm <= 12 && dd >= 1 &&
           Date{year{y}, month{static_cast<unsigned>(mm)}, day{static_cast<unsigned>(dd)}}.ok();
  };
  if (valid(m, d))
    return BirthDate{BirthDatePrecision::exact,
                     Date{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}}, 0, std::nullopt};
  if (valid(d, m))
    return BirthDate{BirthDatePrecision::exact,
                     Date{year{y}, month{static_cast<unsigned>(d)}, day{static_cast<unsigned>(m)}}, 0, std::nullopt};
  if (m >= 1 && m <= 12)
    return BirthDate{BirthDatePrecision::year_month, Date{year{y}, month{static_cast<unsigned>(m)}, day{1}}, 0,
                     std::nullopt};
  return estimated_year(y);
}

}  // namespace

std::optional<BirthDate> parse_birth_date_loose(std::string_view text, DateOrder order) {
  const auto parts = split_tokens(fold_text(text));
  if (parts.empty()) return std::nullopt;
  if (parts.size() == 1) {
    const auto& p = parts.front();
    if (!all_digits(p)) return std::nullopt;
    if (p.size() == 4) {
      const int y = to_int(p);
      if (y < 1800 || y > 2200) return std::nullopt;
      return estimated_year(y);
    }
    if (p.size() != 8) return std::nullopt;
    switch (order) {
      case DateOrder::ymd:
        return from_parts(to_int(p.substr(0, 4)), to_int(p.substr(4, 2)), to_int(p.substr(6, 2)));
      case DateOrder::mdy:
        return from_parts(to_int(p.substr(4, 4)), to_int(p.substr(0, 2)), to_int(p.substr(2, 2)));
      case DateOrder::dmy:
        return from_parts(to_int(p.substr(4, 4)), to_int(p.substr(2, 2)), to_int(p.substr(0, 2)));
    }
    return std::nullopt;
  }
  if (parts.size() != 3) return std::nullopt;
  // A month written as a name fixes the order whatever `order` says ("05-MAR-2023").
  int named_month = 0;
  size_t named_at = 3;
  for (size_t i = 0; i < 3; ++i)
    if (!all_digits(parts[i]) && (named_month = month_from_name(parts[i])) != 0) {
      named_at = i;
      break;
    }
  std::array<int, 3> n{};
  for (size_t i = 0; i < 3; ++i) {
    if (i == named_at) continue;
    if (!all_digits(parts[i])) return std::nullopt;
    n[i] = to_int(parts[i]);
  }
  if (named_at == 1) return from_parts(n[2], named_month, n[0]);  // DD-MON-YYYY
  if (named_at == 0) return from_parts(n[2], named_month, n[1]);  // MON DD YYYY
  if (parts[0].size() == 4) return from_parts(n[0], n[1], n[2]);  // a leading 4-digit year is always Y-M-D
  switch (order) {
    case DateOrder::ymd:
    case DateOrder::mdy:
      return from_parts(n[2], n[0], n[1]);
    case DateOrder::dmy:
      return from_parts(n[2], n[1], n[0]);
  }
  return std::nullopt;
}

namespace {

// An estimated age, or a date that may be one: agencies write an estimated age as 1 January.
bool maybe_estimated(const BirthDate& d) {
  return d.precision == BirthDatePrecision::estimated_age ||
         (d.precision == BirthDatePrecision::exact && static_cast<unsigned>(d.date.month()) == 1 &&
          static_cast<unsigned>(d.date.day()) == 1);
}

}  // namespace

DateAgreement compare_birth_dates(const BirthDate& a, const BirthDate& b) {
  const int ya = static_cast<int>(a.date.year()), yb = static_cast<int>(b.date.year());
  if (maybe_estimated(a) && maybe_estimated(b) && ya == yb) return DateAgreement::same_estimated_year;
  if (a.precision == BirthDatePrecision::estimated_age || b.precision == BirthDatePrecision::estimated_age)
    return std::abs(ya - yb) <= 1 ? DateAgreement::same_year : DateAgreement::different;
  const unsigned ma = static_cast<unsigned>(a.date.month()), mb = static_cast<unsigned>(b.date.month());
  if (a.precision == BirthDatePrecision::year_month || b.precision == BirthDatePrecision::year_month) {
    if (ya == yb && ma == mb) return DateAgreement::exact;
    return ya == yb ? DateAgreement::same_year : DateAgreement::different;
  }
  const unsigned da = static_cast<unsigned>(a.date.day()), db = static_cast<unsigned>(b.date.day());
  if (a.date == b.date) return DateAgreement::exact;
  if (ya == yb && ma == db && da == mb) return DateAgreement::day_month_swapped;
  const int equal_parts = (ya == yb) + (ma == mb) + (da == db);
  if (equal_parts == 2) return DateAgreement::one_part_differs;
  if (ya == yb) return DateAgreement::same_year;
  return DateAgreement::different;
}

}  // namespace accompany::linkage

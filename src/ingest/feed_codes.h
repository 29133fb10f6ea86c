// The feeds' own spellings of dates, countries, languages and courts, mapped to the values the
// domain records use. Each parser names the feed column it read in its error.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "common/time.h"
#include "domain/identity.h"

namespace accompany {

// "04/02/2008" (MM/DD/YYYY, zero-padded when `padded`, else M/D/YYYY).
Result<Date> parse_us_date(std::string_view column, std::string_view text, bool padded);
// "20080402".
Result<Date> parse_compact_date(std::string_view column, std::string_view text);
// "05-MAR-2023".
Result<Date> parse_court_date(std::string_view column, std::string_view text);
// "YYYY-MM-DD", with the column named.
Result<Date> parse_iso_date(std::string_view column, std::string_view text);
// "03/14/2021 17:05" (UTC).
Result<Timestamp> parse_us_datetime(std::string_view column, std::string_view text);
// `date` at "HHMM".
Result<Timestamp> at_court_time(std::string_view column, Date date, std::string_view text);

// ISO 3166-1 alpha-3 ("GTM") to alpha-2 ("GT"), by ICU's tables.
Result<std::string> country_from_alpha3(std::string_view column, std::string_view code);
// An English country name ("Guatemala", "El Salvador") to alpha-2, by ICU's display names.
Result<std::string> country_from_english_name(std::string_view column, std::string_view name);
// An English language name as in identity.cpp ("K'iche'") to its ISO 639-3 code.
Result<std::string> language_from_english_name(std::string_view column, std::string_view name);
// EOIR base-city code ("HOU") to the court's name ("Houston Immigration Court").
Result<std::string> court_from_code(std::string_view column, std::string_view code);

// For matching: upper case ASCII with accents removed and single spaces ("María  José" -> "MARIA JOSE").
std::string normalize_name(std::string_view text);

// "GARCIA LOPEZ" -> {"GARCIA", "LOPEZ"}: the first word is the paternal surname, the rest the
// maternal; one word is a paternal surname alone.
std::pair<std::string, std::string> split_surnames(std::string_view text);

// The same error with its field renamed to the feed column that held the value.
Error in_column(Error error, std::string_view column);

}  // namespace accompany

// The rates the synthetic population is calibrated to, read from a JSON file (data/rates.json is
// compiled in as the default). docs/synth.md gives the source or assumption behind each one.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/time.h"

namespace accompany::synth {

struct AgeGroup {
  int min_age = 0;
  int max_age = 0;
  double share = 0;
};

// How often each kind of real-world mistake is made; each a probability per row or per child.
struct NoiseRates {
  double typo = 0;                             // per name field written by hand
  double accent_dropped_orr = 0;               // ORR names typed without accents
  double accent_dropped_address_change = 0;    // change-of-address forms written without accents
  double surnames_swapped = 0;                 // paternal and maternal surname in the wrong order
  double surname_dropped = 0;                  // only one surname recorded (CBP, EOIR, ICE)
  double day_month_swapped = 0;                // birth date with day and month swapped
  double dob_estimated = 0;                    // per child: no document, birth date estimated
  double a_number_missing_cbp = 0;             // per CBP row: A-number not yet assigned
  double a_number_missing_orr = 0;             // per ORR row
  double a_number_missing_address_change = 0;  // per form (the UAC_ID is given instead)
  double rekeyed = 0;                          // per child: re-entered care under a new UAC_ID
  double duplicate_row = 0;                    // per row: the same row sent twice
  double wrong_row = 0;                        // per row: a bad date, unknown code or wrong field count
};

struct Rates {
  std::map<int, double> fiscal_years;  // fiscal year -> relative weight
  std::map<std::string, double> countries;
  double male = 0;
  std::vector<AgeGroup> age_groups;
  std::map<std::string, std::map<std::string, double>> languages;  // country -> ISO 639-3 -> share
  double mayan_surname_given_indigenous = 0;
  double mayan_surname_given_spanish = 0;
  double particle_surname = 0;
  double single_surname = 0;
  double compound_given_name = 0;
  int stay_min_days = 0;
  int stay_max_days = 0;
  std::map<std::string, double> sponsor_categories;  // "1", "2A", "2B", "3"
  double sibling = 0;
  double address_missing = 0;
  double address_missing_unit = 0;
  double address_undeliverable = 0;
  double address_has_unit = 0;
  double sponsor_phone_blank = 0;
  double nta_never_served = 0;
  double nta_never_issued_given_not_served = 0;
  double failed_to_appear = 0;
  double in_absentia_given_failed_to_appear = 0;
  double represented = 0;
  double attendance_represented = 0;
  double attendance_unrepresented = 0;
  double runaway = 0;
  double followup_not_made = 0;
  double followup_unreachable = 0;
  double address_change = 0;
  Date as_of{};
  NoiseRates noise;
};

// Parses a rates file; every key is required and every probability must be in [0, 1], so a
// typo in a key is reported rather than silently using a zero.
Result<Rates> parse_rates(std::string_view json_text);
// The compiled-in default (src/synth/data/rates.json).
std::string_view default_rates_json();
const Rates& default_rates();

}  // namespace accompany::synth

// Name lists by country (src/synth/data/*.csv) and how a child's name is composed from them,
// following Hispanic naming custom: compound given names, a paternal and a maternal surname,
// surnames with particles ("de la Cruz"), Mayan surnames for Guatemalan Indigenous families.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "synth/random.h"
#include "synth/rates.h"

namespace accompany::synth {

// The countries the generator knows: alpha-2 (Accompany's own), alpha-3 (CBP), English name (ORR).
struct CountryInfo {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view english_name;
};
const std::vector<CountryInfo>& known_countries();
const CountryInfo* find_country(std::string_view alpha2);

// Thread-safe after construction (read-only).
class NameBook {
 public:
  // Parses the embedded given_names.csv and surnames.csv; a malformed embedded file aborts.
  static const NameBook& instance();

  // One given name, or two ("José Luis") with probability `compound`; `country` picks the list.
  std::string given_names(std::string_view country, bool male, double compound, Rng& rng) const;
  // A surname of `group`: a country code, "MAYAN", "PARTICLE" or "US".
  const std::string& surname(std::string_view group, Rng& rng) const;

 private:
  struct List {
    std::string group;
    char sex = 0;  // 'M', 'F', or 0 for surnames
    std::vector<std::string> names;
    std::vector<double> weights;
    Weighted distribution;
  };
  const List* find(std::string_view group, char sex) const;
  std::vector<List> lists_;
};

// Draws a surname for a child of `country`, honouring the Mayan and particle shares.
std::string draw_surname(const NameBook& book, std::string_view country, bool mayan_family, const Rates& rates,
                         Rng& rng);

}  // namespace accompany::synth

#include "synth/names.h"

#include <cstdio>
#include <cstdlib>

#include "synth/embedded_data.h"

namespace accompany::synth {

const std::vector<CountryInfo>& known_countries() {
  static const std::vector<CountryInfo> countries{
      {"GT", "GTM", "Guatemala"}, {"HN", "HND", "Honduras"},  {"SV", "SLV", "El Salvador"}, {"MX", "MEX", "Mexico"},
      {"EC", "ECU", "Ecuador"},   {"NI", "NIC", "Nicaragua"}, {"CO", "COL", "Colombia"},
  };
  return countries;
}

const CountryInfo* find_country(std::string_view alpha2) {
  for (const auto& country : known_countries())
    if (country.alpha2 == alpha2) return &country;
  return nullptr;
}

namespace {

// The embedded CSVs are plain: no quoted fields, so a split on commas is enough.
std::vector<std::string_view> split(std::string_view line, char delimiter) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (;;) {
    const size_t end = line.find(delimiter, start);
    fields.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

[[noreturn]] void broken(std::string_view file, std::string_view line) {
  std::fprintf(stderr, "accompany: embedded %.*s has a malformed line: %.*s\n", static_cast<int>(file.size()),
               file.data(), static_cast<int>(line.size()), line.data());
  std::abort();
}

}  // namespace

const NameBook& NameBook::instance() {
  static const NameBook book = [] {
    NameBook b;
    auto load = [&b](std::string_view file, bool with_sex) {
      std::string_view text = embedded_data(file);
      bool header = true;
      while (!text.empty()) {
        const size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        if (header || line.empty()) {
          header = false;
          continue;
        }
        const auto fields = split(line, ',');
        if (fields.size() != (with_sex ? 5u : 4u)) broken(file, line);
        const std::string group(fields[0]);
        const char sex = with_sex ? fields[1].front() : 0;
        const std::string_view name = fields[with_sex ? 2 : 1];
        const double weight = std::atof(std::string(fields[with_sex ? 3 : 2]).c_str());
        if (name.empty() || weight <= 0) broken(file, line);
        List* list = nullptr;
        for (auto& candidate : b.lists_)
          if (candidate.group == group && candidate.sex == sex) list = &candidate;
        if (!list) list = &b.lists_.emplace_back(List{group, sex, {}, {}, {}});
        list->names.emplace_back(name);
        list->weights.push_back(weight);
      }
    };
    load("given_names.csv", true);
    load("surnames.csv", false);
    for (auto& list : b.lists_) list.distribution = Weighted(list.weights);
    return b;
  }();
  return book;
}

const NameBook::List* NameBook::find(std::string_view group, char sex) const {
  for (const auto& list : lists_)
    if (list.group == group && list.sex == sex) return &list;
  return nullptr;
}

const std::string& NameBook::surname(std::string_view group, Rng& rng) const {
  const List* list = find(group, 0);
  if (!list) list = find("SV", 0);  // a country without its own list: common Central American surnames
  return list->names[list->distribution.sample(rng)];
}

std::string NameBook::given_names(std::string_view country, bool male, double compound, Rng& rng) const {
  const char sex = male ? 'M' : 'F';
  // Lists of recent baby names exist for some countries; children born 2005-2020 also carry the
  // names common across Central America, so mix the two where a country list exists.
  const List* central = find("CA", sex);
  const List* own = find(country, sex);
  auto draw = [&]() -> const std::string& {
    const List* list = own && rng.chance(0.5) ? own : central;
    return list->names[list->distribution.sample(rng)];
  };
  std::string first = draw();
  // A list entry may already be compound ("María José"); add a second name only to a single one.
  if (first.find(' ') != std::string::npos || !rng.chance(compound)) return first;
  // Girls' compound names very often start with María (María José, María Fernanda).
  if (!male && first != "María" && rng.chance(0.3)) first = "María";
  for (int attempt = 0; attempt < 8; ++attempt) {
    const std::string& second = draw();
    if (second != first && second.find(' ') == std::string::npos) return first + " " + second;
  }
  return first;
}

std::string draw_surname(const NameBook& book, std::string_view country, bool mayan_family, const Rates& rates,
                         Rng& rng) {
  if (mayan_family && rng.chance(0.8)) return book.surname("MAYAN", rng);
  if (rng.chance(rates.particle_surname)) return book.surname("PARTICLE", rng);
  return book.surname(country, rng);
}

}  // namespace accompany::synth

#include "synth/rates.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "synth/embedded_data.h"

namespace accompany::synth {

std::string_view embedded_data(std::string_view name) {
  const std::string path = fmt::format("synth/data/{}", name);
  for (const auto& [file, contents] : synth_data::embedded_files())
    if (file == path) return contents;
  std::fprintf(stderr, "accompany: embedded file %s is missing from this build\n", path.c_str());
  std::abort();
}

namespace {
namespace json = boost::json;

// Reads typed values out of one JSON object, remembering the first problem by its key path.
class Reader {
 public:
  Reader(const json::object& object, std::string path) : object_(object), path_(std::move(path)) {}

  const json::value* get(std::string_view key) {
    const auto* value = object_.if_contains(key);
    if (!value) fail(key, "", "is missing");
    return value;
  }
  double number(std::string_view key) {
    const auto* value = get(key);
    if (!value) return 0;
    if (value->is_double()) return value->get_double();
    if (value->is_int64()) return static_cast<double>(value->get_int64());
    if (value->is_uint64()) return static_cast<double>(value->get_uint64());
    fail(key, json::serialize(*value), "must be a number");
    return 0;
  }
  double probability(std::string_view key) {
    const double p = number(key);
    if (p < 0 || p > 1) fail(key, fmt::format("{}", p), "must be a probability between 0 and 1");
    return p;
  }
  const json::object* object(std::string_view key) {
    const auto* value = get(key);
    if (value && !value->is_object()) fail(key, json::serialize(*value), "must be an object");
    return value && value->is_object() ? &value->get_object() : nullptr;
  }
  // An object of name -> non-negative weight.
  std::map<std::string, double> weights(std::string_view key) {
    std::map<std::string, double> out;
    const auto* members = object(key);
    if (!members) return out;
    Reader inner(*members, fmt::format("{}.{}", path_, key));
    for (const auto& member : *members) {
      const double w = inner.number(member.key());
      if (w < 0) inner.fail(member.key(), fmt::format("{}", w), "must not be negative");
      out.emplace(std::string(member.key()), w);
    }
    if (out.empty()) fail(key, "{}", "must list at least one entry");
    adopt(inner);
    return out;
  }
  void fail(std::string_view key, std::string_view value, std::string_view why) {
    if (!error_) error_ = invalid(fmt::format("{}.{}", path_, key), value, why);
  }
  void adopt(const Reader& other) {
    if (!error_ && other.error_) error_ = other.error_;
  }
  const std::optional<Error>& error() const { return error_; }
  const std::string& path() const { return path_; }

 private:
  const json::object& object_;
  std::string path_;
  std::optional<Error> error_;
};

}  // namespace

Result<Rates> parse_rates(std::string_view json_text) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return invalid("rates", "", fmt::format("is not valid JSON: {}", ec.message()));
  if (!root.is_object()) return invalid("rates", "", "must be a JSON object");
  Reader r(root.get_object(), "rates");
  Rates rates;
  for (const auto& [year, weight] : r.weights("fiscal_years")) {
    const int fy = std::atoi(year.c_str());
    if (fy < 2000 || fy > 2100) r.fail("fiscal_years", year, "a fiscal year must be a year such as 2021");
    rates.fiscal_years[fy] = weight;
  }
  rates.countries = r.weights("countries");
  rates.male = r.probability("male");
  if (const auto* groups = r.get("age_groups")) {
    if (!groups->is_array()) r.fail("age_groups", "", "must be an array");
    for (const auto& group : groups->is_array() ? groups->get_array() : json::array{}) {
      if (!group.is_object()) {
        r.fail("age_groups", json::serialize(group), "each age group must be an object");
        continue;
      }
      Reader g(group.get_object(), "rates.age_groups[]");
      AgeGroup age{static_cast<int>(g.number("min")), static_cast<int>(g.number("max")), g.probability("share")};
      if (age.min_age < 0 || age.max_age > 17 || age.min_age > age.max_age)
        g.fail("min", json::serialize(group), "ages must satisfy 0 <= min <= max <= 17");
      r.adopt(g);
      rates.age_groups.push_back(age);
    }
  }
  if (const auto* languages = r.object("languages")) {
    Reader l(*languages, "rates.languages");
    for (const auto& member : *languages) rates.languages[std::string(member.key())] = l.weights(member.key());
    r.adopt(l);
  }
  rates.mayan_surname_given_indigenous = r.probability("mayan_surname_given_indigenous");
  rates.mayan_surname_given_spanish = r.probability("mayan_surname_given_spanish");
  rates.particle_surname = r.probability("particle_surname");
  rates.single_surname = r.probability("single_surname");
  rates.compound_given_name = r.probability("compound_given_name");
  if (const auto* stay = r.object("length_of_stay_days")) {
    Reader s(*stay, "rates.length_of_stay_days");
    rates.stay_min_days = static_cast<int>(s.number("min"));
    rates.stay_max_days = static_cast<int>(s.number("max"));
    if (rates.stay_min_days < 1 || rates.stay_max_days < rates.stay_min_days)
      s.fail("min", fmt::format("{}..{}", rates.stay_min_days, rates.stay_max_days), "must satisfy 1 <= min <= max");
    r.adopt(s);
  }
  rates.sponsor_categories = r.weights("sponsor_categories");
  for (const auto& [category, share] : rates.sponsor_categories)
    if (category != "1" && category != "2A" && category != "2B" && category != "3")
      r.fail("sponsor_categories", category, "categories are 1, 2A, 2B and 3 (4 means no sponsor: never released)");
  rates.sibling = r.probability("sibling");
  if (const auto* address = r.object("address")) {
    Reader a(*address, "rates.address");
    rates.address_missing = a.probability("missing");
    rates.address_missing_unit = a.probability("missing_unit");
    rates.address_undeliverable = a.probability("undeliverable");
    rates.address_has_unit = a.probability("has_unit");
    if (rates.address_missing + rates.address_missing_unit + rates.address_undeliverable > 1)
      a.fail("missing", "", "the three address defect rates add up to more than 1");
    if (rates.address_missing_unit > rates.address_has_unit)
      a.fail("missing_unit", "", "cannot exceed has_unit (only an address with a unit can miss it)");
    r.adopt(a);
  }
  rates.sponsor_phone_blank = r.probability("sponsor_phone_blank");
  rates.nta_never_served = r.probability("nta_never_served");
  rates.nta_never_issued_given_not_served = r.probability("nta_never_issued_given_not_served");
  rates.failed_to_appear = r.probability("failed_to_appear");
  rates.in_absentia_given_failed_to_appear = r.probability("in_absentia_given_failed_to_appear");
  rates.represented = r.probability("represented");
  rates.attendance_represented = r.probability("attendance_represented");
  rates.attendance_unrepresented = r.probability("attendance_unrepresented");
  if (rates.failed_to_appear > 1 - rates.nta_never_served)
    r.fail("failed_to_appear", "", "cannot exceed the share served a notice (only they have hearings)");
  rates.runaway = r.probability("runaway");
  rates.followup_not_made = r.probability("followup_not_made");
  rates.followup_unreachable = r.probability("followup_unreachable");
  rates.address_change = r.probability("address_change");
  if (const auto* as_of = r.get("as_of")) {
    auto date = as_of->is_string() ? parse_date("rates.as_of", as_of->get_string())
                                   : Result<Date>(invalid("rates.as_of", "", "must be a YYYY-MM-DD string"));
    if (!date) return date.error();
    rates.as_of = *date;
  }
  if (const auto* noise = r.object("noise")) {
    Reader n(*noise, "rates.noise");
    auto& out = rates.noise;
    out.typo = n.probability("typo");
    out.accent_dropped_orr = n.probability("accent_dropped_orr");
    out.accent_dropped_address_change = n.probability("accent_dropped_address_change");
    out.surnames_swapped = n.probability("surnames_swapped");
    out.surname_dropped = n.probability("surname_dropped");
    out.day_month_swapped = n.probability("day_month_swapped");
    out.dob_estimated = n.probability("dob_estimated");
    out.a_number_missing_cbp = n.probability("a_number_missing_cbp");
    out.a_number_missing_orr = n.probability("a_number_missing_orr");
    out.a_number_missing_address_change = n.probability("a_number_missing_address_change");
    out.rekeyed = n.probability("rekeyed");
    out.duplicate_row = n.probability("duplicate_row");
    out.wrong_row = n.probability("wrong_row");
    r.adopt(n);
  }
  if (r.error()) return *r.error();
  for (const auto& [country, share] : rates.countries)
    if (!rates.languages.contains(country))
      return invalid("rates.languages", country, "every country in rates.countries needs its languages");
  if (rates.age_groups.empty()) return invalid("rates.age_groups", "", "must list at least one age group");
  return rates;
}

std::string_view default_rates_json() {
  return embedded_data("rates.json");
}

const Rates& default_rates() {
  static const Rates rates = parse_rates(default_rates_json()).value();
  return rates;
}

}  // namespace accompany::synth

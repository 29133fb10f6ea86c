#include "synth/population.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

#include "domain/identity.h"
#include "synth/embedded_data.h"

namespace accompany::synth {
namespace {

using namespace std::chrono;

Date add_days(Date date, int days) {
  return Date{sys_days{date} + std::chrono::days{days}};
}
Date fiscal_year_start(int fy) {
  return Date{year{fy - 1}, October, day{1}};
}

struct Place {
  std::string state, city, zip, area_code, court;
};

// places.csv: state,city,zip,area_code,court,weight (plain CSV, no quoting).
struct PlaceTable {
  std::vector<Place> places;
  std::vector<double> weights;
};

const PlaceTable& place_table() {
  static const PlaceTable table = [] {
    PlaceTable out;
    std::string_view text = embedded_data("places.csv");
    text.remove_prefix(text.find('\n') + 1);  // header
    while (!text.empty()) {
      const size_t end = text.find('\n');
      std::string_view line = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (line.empty()) continue;
      std::array<std::string, 6> f;
      size_t i = 0;
      for (char c : line) {
        if (c == ',' && i < 5)
          ++i;
        else
          f[i] += c;
      }
      out.places.push_back({f[0], f[1], f[2], f[3], f[4]});
      out.weights.push_back(std::atof(f[5].c_str()));
    }
    return out;
  }();
  return table;
}

constexpr std::array<std::string_view, 24> kStreets{
    "Main",   "Bissonnet", "Bellaire", "Gessner", "Airline",  "Fondren",  "Lawndale", "Broadway",
    "Oak",    "Maple",     "Pine",     "Elm",     "Cedar",    "Central",  "Church",   "Park",
    "Harbor", "Lincoln",   "Garfield", "Jackson", "Franklin", "Magnolia", "Willow",   "Sunset"};
constexpr std::array<std::string_view, 7> kSuffixes{"St", "Ave", "Dr", "Rd", "Blvd", "Ln", "Ct"};
constexpr std::array<std::string_view, 5> kDirections{"", "", "N ", "S ", "W "};
constexpr std::array<std::string_view, 9> kBorderLocations{
    "Rio Grande Valley", "El Paso", "Del Rio", "Laredo", "Tucson", "Yuma", "San Diego", "El Centro", "Big Bend"};
// Fictional care-provider names: the generator must not attribute made-up cases to real providers.
constexpr std::array<std::string_view, 10> kPrograms{
    "Casa Esperanza Shelter", "Harbor Light Children's Center", "Nuevo Amanecer Home",       "Pathways Youth Shelter",
    "Casa Alegria",           "Lighthouse Foster Program",      "Sunrise Transitional Care", "Bridges Children's Home",
    "Casa de la Luz",         "Open Arms Foster Care"};
constexpr std::array<std::string_view, 16> kAttorneyGiven{"Sarah",   "Michael", "Jennifer", "David", "Laura", "Daniel",
                                                          "Rebecca", "Carlos",  "Ana",      "James", "Emily", "Luis",
                                                          "Rachel",  "Mark",    "Gabriela", "Andrea"};
constexpr std::array<int, 11> kHearingTimes{830, 900, 930, 1000, 1030, 1100, 1300, 1330, 1400, 1430, 1500};

struct Relationship {
  std::string_view name;
  bool male;
  int kin;  // 0 parent, 1 sibling, 2 paternal kin, 3 maternal kin, 4 none
};

const std::vector<Relationship>& relationships(std::string_view category) {
  static const std::vector<Relationship> parent{{"Mother", false, 3},
                                                {"Mother", false, 3},
                                                {"Father", true, 0},
                                                {"Father", true, 0},
                                                {"Legal guardian", false, 4}};
  static const std::vector<Relationship> caregiver{{"Sister", false, 1},      {"Brother", true, 1},
                                                   {"Grandmother", false, 2}, {"Grandmother", false, 3},
                                                   {"Aunt", false, 3},        {"Uncle", true, 2}};
  static const std::vector<Relationship> relative{
      {"Brother", true, 1},     {"Sister", false, 1},      {"Uncle", true, 2},        {"Aunt", false, 3},
      {"Grandfather", true, 2}, {"First cousin", true, 2}, {"First cousin", false, 3}};
  static const std::vector<Relationship> other{{"Family friend", true, 4},  {"Family friend", false, 4},
                                               {"Distant cousin", true, 4}, {"Godmother", false, 4},
                                               {"Godfather", true, 4},      {"Unrelated adult", true, 4}};
  if (category == "1") return parent;
  if (category == "2A") return caregiver;
  if (category == "2B") return relative;
  return other;
}

}  // namespace

PopulationGenerator::PopulationGenerator(const Rates& rates, uint64_t seed, uint32_t count)
    : rates_(rates), names_(NameBook::instance()), seed_(seed), count_(count) {
  // Exact per-year counts by largest remainder, so the yearly split is right at any N.
  double total = 0;
  for (const auto& [fy, weight] : rates.fiscal_years) total += weight;
  std::vector<std::pair<int, double>> shares;
  uint32_t assigned = 0;
  for (const auto& [fy, weight] : rates.fiscal_years) {
    const double exact = count * weight / total;
    const auto whole = static_cast<uint32_t>(std::floor(exact));
    year_of_child_.insert(year_of_child_.end(), whole, fy);
    assigned += whole;
    shares.emplace_back(fy, exact - whole);
  }
  std::stable_sort(shares.begin(), shares.end(), [](auto& a, auto& b) { return a.second > b.second; });
  for (size_t i = 0; assigned < count; ++i, ++assigned) year_of_child_.push_back(shares[i % shares.size()].first);
  std::sort(year_of_child_.begin(), year_of_child_.end());

  std::vector<double> weights;
  for (const auto& [code, share] : rates.countries) {
    country_codes_.push_back(code);
    weights.push_back(share);
    std::vector<std::string> codes;
    std::vector<double> language_weights;
    for (const auto& [language, language_share] : rates.languages.at(code)) {
      codes.push_back(language);
      language_weights.push_back(language_share);
    }
    language_codes_.push_back(std::move(codes));
    languages_.emplace_back(language_weights);
  }
  countries_ = Weighted(weights);
  weights.clear();
  for (const auto& group : rates.age_groups) weights.push_back(group.share);
  ages_ = Weighted(weights);
  weights.clear();
  for (const auto& [category, share] : rates.sponsor_categories) {
    categories_.push_back(category);
    weights.push_back(share);
  }
  category_weights_ = Weighted(weights);
  places_ = Weighted(place_table().weights);

  // Failure to appear is spread by relative risk: represented children attend far more often
  // (AIC: 95% vs 33%), and a notice sent to a defective address doubles the risk. The scale
  // makes the population-wide rate equal the target.
  const double risk_counsel = rates.represented * (1 - rates.attendance_represented) +
                              (1 - rates.represented) * (1 - rates.attendance_unrepresented);
  const double bad_address = rates.address_missing_unit + rates.address_undeliverable;
  const double served = 1 - rates.nta_never_served;
  fta_scale_ = served > 0 ? (rates.failed_to_appear / served) / (risk_counsel * (1 + bad_address)) : 0;
}

TrueChild PopulationGenerator::next() {
  TrueChild child;
  child.index = index_;
  Rng rng = Rng::derive(seed_, index_);
  child.fiscal_year = year_of_child_[index_];
  ++index_;
  identity(child, rng);
  journey(child, rng);
  sponsor_and_home(child, rng);
  court(child, rng);
  followup(child, rng);
  previous_ = child;
  return child;
}

void PopulationGenerator::identity(TrueChild& child, Rng& rng) {
  const bool sibling = previous_ && previous_->fiscal_year == child.fiscal_year && rng.chance(rates_.sibling);
  child.sibling = sibling;
  child.male = rng.chance(rates_.male);
  const auto& group = rates_.age_groups[ages_.sample(rng)];
  child.age_at_entry = rng.between(group.min_age, group.max_age);
  size_t country = 0;
  if (sibling) {
    child.country = previous_->country;
    country = static_cast<size_t>(std::find(country_codes_.begin(), country_codes_.end(), child.country) -
                                  country_codes_.begin());
  } else {
    country = countries_.sample(rng);
    child.country = country_codes_[country];
  }
  child.language = sibling ? previous_->language : language_codes_[country][languages_[country].sample(rng)];
  child.given_names = names_.given_names(child.country, child.male, rates_.compound_given_name, rng);
  if (sibling) {
    child.paternal_surname = previous_->paternal_surname;
    child.maternal_surname = previous_->maternal_surname;
    return;
  }
  bool indigenous = false;
  if (auto language = find_language("language", child.language)) indigenous = (*language)->indigenous;
  const double mayan_share =
      child.country != "GT" ? 0
                            : (indigenous ? rates_.mayan_surname_given_indigenous : rates_.mayan_surname_given_spanish);
  const bool mayan = rng.chance(mayan_share);
  child.paternal_surname = draw_surname(names_, child.country, mayan, rates_, rng);
  // A child registered by the mother alone carries one surname.
  if (!rng.chance(rates_.single_surname)) {
    do child.maternal_surname = draw_surname(names_, child.country, mayan, rates_, rng);
    while (child.maternal_surname == child.paternal_surname && rng.chance(0.9));
  }
}

void PopulationGenerator::journey(TrueChild& child, Rng& rng) {
  const bool sibling = child.sibling;
  const Date start = fiscal_year_start(child.fiscal_year);
  const Date apprehended = sibling ? date_of(previous_->apprehended) : add_days(start, rng.between(0, 364));
  child.apprehended = sys_days{apprehended} + hours{rng.between(0, 23)} + minutes{rng.between(0, 59)};
  // Border Patrol must transfer a child to ORR within 72 hours; the transfer stays in the same
  // fiscal year so the yearly split is by transfer, as the inspector general counted it.
  child.transferred = child.apprehended + hours{rng.between(12, 72)} + minutes{rng.between(0, 59)};
  const Date fy_end = Date{year{child.fiscal_year}, September, day{30}};
  if (date_of(child.transferred) > fy_end) child.transferred = sys_days{fy_end} + hours{20};
  child.border_location =
      sibling ? previous_->border_location : std::string(kBorderLocations[rng.below(kBorderLocations.size())]);
  const Date admitted = date_of(child.transferred);
  // Birth date: the age at admission is what was sampled; the birthday falls anywhere in that year of age.
  child.birth = add_days(Date{admitted.year() - years{child.age_at_entry}, admitted.month(), admitted.day()},
                         -rng.between(0, 364));
  if (!Date{child.birth}.ok()) child.birth = Date{admitted.year() - years{child.age_at_entry}, March, day{1}};
  if (years_between(child.birth, admitted) != child.age_at_entry)
    child.birth = add_days(Date{admitted.year() - years{child.age_at_entry}, January, day{1}}, 0);
  child.birth_estimated = rng.chance(rates_.noise.dob_estimated);
  child.cbp_subject = scatter(child.index, 1'000'000'000, seed_ * 7 + 1);
  child.a_number = 200'000'000 + scatter(child.index, 100'000'000, seed_ * 13 + 3);

  CareEpisode first{scatter(next_uac_++, 100'000'000, seed_ * 17 + 5), admitted,
                    add_days(admitted, rng.between(rates_.stay_min_days, rates_.stay_max_days)),
                    std::string(kPrograms[rng.below(kPrograms.size())])};
  child.episodes.push_back(first);
  // Re-entering care (a placement broke down): ORR opens a new case under a new UAC_ID.
  if (rng.chance(rates_.noise.rekeyed)) {
    const Date again = add_days(first.released, rng.between(45, 240));
    const Date out = add_days(again, rng.between(rates_.stay_min_days, rates_.stay_max_days));
    if (out < rates_.as_of)
      child.episodes.push_back({scatter(next_uac_++, 100'000'000, seed_ * 17 + 5), again, out,
                                std::string(kPrograms[rng.below(kPrograms.size())])});
  }
}

UsAddress PopulationGenerator::draw_address(Rng& rng, bool with_unit) const {
  const auto& place = place_table().places[places_.sample(rng)];
  UsAddress address;
  address.street = fmt::format("{} {}{} {}", rng.between(100, 9899), kDirections[rng.below(kDirections.size())],
                               kStreets[rng.below(kStreets.size())], kSuffixes[rng.below(kSuffixes.size())]);
  if (with_unit) {
    switch (rng.below(4)) {
      case 0:
        address.unit = fmt::format("Apt {}", rng.between(1, 40));
        break;
      case 1:
        address.unit = fmt::format("Apt {}{}", rng.between(1, 9), static_cast<char>('A' + rng.below(4)));
        break;
      case 2:
        address.unit = fmt::format("#{}", rng.between(1, 300));
        break;
      default:
        address.unit = fmt::format("Unit {}", rng.between(1, 60));
        break;
    }
  }
  address.city = place.city;
  address.state = place.state;
  address.zip = rng.chance(0.1) ? fmt::format("{}-{:04}", place.zip, rng.between(1, 9999)) : place.zip;
  address.area_code = place.area_code;
  address.court = place.court;
  return address;
}

void PopulationGenerator::sponsor_and_home(TrueChild& child, Rng& rng) {
  const bool sibling = child.sibling;
  // Address defect first: a missing unit needs a home that has one.
  const double u = rng.uniform();
  child.defect = u < rates_.address_missing                                 ? AddressDefect::missing
                 : u < rates_.address_missing + rates_.address_missing_unit ? AddressDefect::missing_unit
                 : u < rates_.address_missing + rates_.address_missing_unit + rates_.address_undeliverable
                     ? AddressDefect::undeliverable
                     : AddressDefect::none;
  if (sibling) {
    child.sponsor = previous_->sponsor;
    child.residence = previous_->residence;
  } else {
    // Of homes without a missing-unit defect, the share with a unit is scaled so the overall
    // share with a unit is has_unit.
    const double others = 1 - rates_.address_missing_unit;
    const double unit_share = others > 0 ? (rates_.address_has_unit - rates_.address_missing_unit) / others : 0;
    child.residence = draw_address(rng, child.defect == AddressDefect::missing_unit || rng.chance(unit_share));
    auto& sponsor = child.sponsor;
    sponsor.id = scatter(next_sponsor_++, 100'000'000, seed_ * 19 + 7);
    sponsor.category = categories_[category_weights_.sample(rng)];
    const auto& options = relationships(sponsor.category);
    const auto& relation = options[rng.below(options.size())];
    sponsor.relationship = std::string(relation.name);
    sponsor.given_names = names_.given_names(child.country, relation.male, rates_.compound_given_name, rng);
    const std::string other = draw_surname(names_, child.country, false, rates_, rng);
    const std::string other2 = draw_surname(names_, child.country, false, rates_, rng);
    switch (relation.kin) {
      case 0:
        sponsor.paternal_surname = child.paternal_surname;
        sponsor.maternal_surname = other;
        break;
      case 1:
        sponsor.paternal_surname = child.paternal_surname;
        sponsor.maternal_surname = child.maternal_surname;
        break;
      case 2:
        sponsor.paternal_surname = child.paternal_surname;
        sponsor.maternal_surname = other;
        break;
      case 3:
        sponsor.paternal_surname = child.maternal_surname.empty() ? other : child.maternal_surname;
        sponsor.maternal_surname = other2;
        break;
      default:
        sponsor.paternal_surname = other;
        sponsor.maternal_surname = other2;
        break;
    }
    if (!rng.chance(rates_.sponsor_phone_blank)) {
      // 555-0100..0199 are reserved for fiction: no real number is ever generated.
      const int line = rng.between(100, 199);
      switch (rng.below(4)) {
        case 0:
          sponsor.phone = fmt::format("({}) 555-0{}", child.residence.area_code, line);
          break;
        case 1:
          sponsor.phone = fmt::format("{}-555-0{}", child.residence.area_code, line);
          break;
        case 2:
          sponsor.phone = fmt::format("{}5550{}", child.residence.area_code, line);
          break;
        default:
          sponsor.phone = fmt::format("+1 {} 555 0{}", child.residence.area_code, line);
          break;
      }
    }
  }
  if (child.defect == AddressDefect::missing_unit && child.residence.unit.empty())
    child.residence.unit = fmt::format("Apt {}", rng.between(1, 40));
  child.reported = child.residence;
  switch (child.defect) {
    case AddressDefect::missing:
      child.reported.street.clear();
      child.reported.unit.clear();
      break;
    case AddressDefect::missing_unit:
      child.reported.unit.clear();
      break;
    case AddressDefect::undeliverable: {
      // A house number that does not exist on the street (digits garbled when written down).
      const auto space = child.reported.street.find(' ');
      child.reported.street = fmt::format("{}{}", rng.between(10000, 99999), child.reported.street.substr(space));
      break;
    }
    case AddressDefect::none:
      break;
  }
}

void PopulationGenerator::court(TrueChild& child, Rng& rng) {
  const Date released = child.episodes.front().released;
  const bool served = !rng.chance(rates_.nta_never_served);
  child.nta_issued = served || !rng.chance(rates_.nta_never_issued_given_not_served);
  // A release address that lacks its unit or does not exist is found out when ICE mails the
  // notice there and the Postal Service returns it, within a few weeks of release; for those
  // children the notice is always issued (the returned mail is why it is not served). The
  // mailing draws from its own stream so every other child's figures stay as they were.
  const bool bad_address = child.defect == AddressDefect::missing_unit || child.defect == AddressDefect::undeliverable;
  if (bad_address) {
    Rng mail = Rng::derive(seed_ * 31 + 17, child.index);
    if (!child.nta_issued) child.nta_issued_on = add_days(child.episodes.front().admitted, mail.between(1, 20));
    const Date returned = add_days(released, mail.between(7, 25));
    if (returned <= rates_.as_of) child.nta_returned = returned;  // otherwise still in the mail
    if (!child.nta_issued) {
      child.nta_issued = true;
      return;
    }
  }
  if (!child.nta_issued) return;
  child.nta_issued_on = add_days(child.episodes.front().admitted, rng.between(1, 20));
  if (!served) return;
  child.nta_served = add_days(released, rng.between(10, 120));
  child.service_method = child.defect == AddressDefect::missing ? 0 : static_cast<int>(rng.below(3));

  child.represented = rng.chance(rates_.represented);
  if (child.represented) {
    child.attorney = fmt::format("{} {}", kAttorneyGiven[rng.below(kAttorneyGiven.size())],
                                 rng.chance(0.4) ? names_.surname(child.country, rng) : names_.surname("US", rng));
  }
  const double risk = (child.represented ? 1 - rates_.attendance_represented : 1 - rates_.attendance_unrepresented) *
                      (bad_address ? 2.0 : 1.0);
  child.failed_to_appear = rng.chance(std::min(1.0, fta_scale_ * risk));
  child.in_absentia = child.failed_to_appear && rng.chance(rates_.in_absentia_given_failed_to_appear);

  const int count = 1 + static_cast<int>(rng.below(3)) + (rng.chance(0.2) ? 1 : 0);
  int failed_at = child.failed_to_appear ? static_cast<int>(rng.below(static_cast<uint64_t>(count))) : -1;
  const int counsel_from = child.represented && rng.chance(0.3) && count > 1 ? 1 : 0;
  Date date = add_days(*child.nta_served, rng.between(45, 240));
  for (int i = 0; i < count; ++i) {
    Hearing hearing;
    // A missed hearing has happened by the extract date: if the hearing meant to be missed
    // lies beyond it, the first hearing that does is the one missed, moved before the date.
    if (failed_at > i && date >= rates_.as_of) failed_at = i;
    if (i == failed_at && date >= rates_.as_of) {
      const Date earliest =
          child.hearings.empty() ? add_days(*child.nta_served, 14) : add_days(child.hearings.back().date, 1);
      date = std::max(earliest, add_days(rates_.as_of, -rng.between(1, 30)));
    }
    hearing.date = date;
    hearing.time_hhmm = kHearingTimes[rng.below(kHearingTimes.size())];
    hearing.individual = i > 0 && rng.chance(0.4);
    hearing.with_counsel = child.represented && i >= counsel_from;
    if (i == failed_at) {
      hearing.outcome = child.in_absentia ? HearingOutcome::in_absentia : HearingOutcome::failed_to_appear;
    } else if (date > rates_.as_of) {
      hearing.outcome = HearingOutcome::scheduled;  // the calendar holds the next hearing only
    } else if (i + 1 < count) {
      hearing.outcome = HearingOutcome::continued;
    } else {
      hearing.outcome = rng.chance(0.25) ? HearingOutcome::relief : HearingOutcome::appeared;
    }
    child.hearings.push_back(hearing);
    // An order ends the case; a scheduled hearing is the last the calendar knows of.
    if (hearing.outcome == HearingOutcome::in_absentia || hearing.outcome == HearingOutcome::scheduled) break;
    date = add_days(date, rng.between(60, 240));
  }
}

void PopulationGenerator::followup(TrueChild& child, Rng& rng) {
  // The 30-day safety and well-being call for every release; retries after no contact.
  for (size_t e = 0; e < child.episodes.size(); ++e) {
    FollowupCall call{e, add_days(child.episodes[e].released, 30), {}, CallResult::not_made, 0};
    if (!rng.chance(rates_.followup_not_made)) {
      call.made = add_days(call.due, rng.between(-3, 10));
      call.method = rng.chance(0.8) ? 0 : static_cast<int>(1 + rng.below(3));
      if (rng.chance(rates_.followup_unreachable)) {
        call.result = CallResult::no_contact;
      } else {
        const double r = rng.uniform();
        call.result = r < 0.85 ? CallResult::safe : r < 0.93 ? CallResult::concern : CallResult::referred;
      }
    }
    child.calls.push_back(call);
    if (call.result == CallResult::no_contact) {
      FollowupCall retry{e, add_days(call.made, 7), add_days(call.made, rng.between(7, 12)), CallResult::safe, 0};
      retry.result = rng.chance(0.5) ? CallResult::no_contact : CallResult::safe;
      child.calls.push_back(retry);
    }
  }
  // A runaway comes to light after the first call, when the sponsor says the child has left.
  const Date released = child.episodes.front().released;
  if (rng.chance(rates_.runaway)) {
    const int window = std::max(1, days_between(add_days(released, 40), rates_.as_of));
    child.runaway = true;
    child.ran_away_on =
        add_days(released, 40 + static_cast<int>(rng.below(static_cast<uint64_t>(std::min(window, 400)))));
    const Date noticed = add_days(child.ran_away_on, rng.between(1, 20));
    child.calls.push_back({0, noticed, noticed, rng.chance(0.6) ? CallResult::concern : CallResult::no_contact, 0});
  }
  if (rng.chance(rates_.address_change)) {
    AddressChange change;
    change.received = add_days(released, rng.between(30, 500));
    if (change.received > rates_.as_of) change.received = add_days(rates_.as_of, -rng.between(1, 60));
    if (change.received <= released) change.received = add_days(released, 1);
    change.address = draw_address(rng, rng.chance(rates_.address_has_unit));
    change.source = child.nta_served ? static_cast<int>(rng.below(3)) : static_cast<int>(1 + rng.below(2));
    child.address_change = change;
  }
}

}  // namespace accompany::synth

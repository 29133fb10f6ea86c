// The true population: each child as they really are (name, birth date, journey, sponsor, home,
// notice, hearings, follow-up calls), before any agency writes them down. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "synth/names.h"
#include "synth/random.h"
#include "synth/rates.h"

namespace accompany::synth {

struct UsAddress {
  std::string street;  // "4521 Bissonnet St"
  std::string unit;    // "Apt 12", blank when the building has none
  std::string city;
  std::string state;
  std::string zip;
  std::string area_code;
  std::string court;  // EOIR base city code of the court with jurisdiction
};

enum class AddressDefect { none, missing, missing_unit, undeliverable };

struct Sponsor {
  uint64_t id = 0;  // SP + 8 digits
  std::string given_names, paternal_surname, maternal_surname;
  std::string relationship;  // "Mother", "Uncle", "Family friend"
  std::string category;      // "1", "2A", "2B", "3"
  std::string phone;         // "(713) 555-0142", blank when none given
};

// One stay in ORR care under one UAC_ID; a child re-entering care gets a second.
struct CareEpisode {
  uint64_t uac = 0;  // UAC + 8 digits
  Date admitted{};
  Date released{};
  std::string program;
};

enum class HearingOutcome { scheduled, appeared, failed_to_appear, in_absentia, continued, relief };

struct Hearing {
  Date date{};
  int time_hhmm = 900;
  bool individual = false;  // IND (merits) rather than MAS (master calendar)
  HearingOutcome outcome = HearingOutcome::scheduled;
  bool with_counsel = false;
};

enum class CallResult { not_made, safe, concern, no_contact, referred };

struct FollowupCall {
  size_t episode = 0;  // which CareEpisode (and so which UAC_ID) the call belongs to
  Date due{};
  Date made{};  // meaningful unless result is not_made
  CallResult result = CallResult::not_made;
  int method = 0;  // index into PHONE, VIDEO, HOME_VISIT, TEXT
};

struct AddressChange {
  Date received{};
  UsAddress address;
  int source = 0;  // 0 EOIR-33, 1 ORR, 2 CASEWORKER
};

struct TrueChild {
  uint32_t index = 0;    // child_key is C + 7 digits of index + 1
  bool sibling = false;  // shares surnames, sponsor and home with the child generated before
  std::string given_names, paternal_surname, maternal_surname;  // maternal blank: one surname
  bool male = true;
  Date birth{};
  int age_at_entry = 0;
  bool birth_estimated = false;  // no document: agencies record 1 January of the estimated year
  std::string country;           // ISO 3166-1 alpha-2
  std::string language;          // ISO 639-3
  int fiscal_year = 0;
  Timestamp apprehended{};
  Timestamp transferred{};
  std::string border_location;
  uint64_t cbp_subject = 0;  // CBP + 9 digits
  uint64_t a_number = 0;     // 9 digits
  std::vector<CareEpisode> episodes;
  Sponsor sponsor;
  UsAddress residence;  // where the child really lives
  AddressDefect defect = AddressDefect::none;
  UsAddress reported;  // what the release record says (blank street when missing)
  bool nta_issued = false;
  Date nta_issued_on{};
  std::optional<Date> nta_served;
  // ICE mailed the notice to the release address and the Postal Service returned it (the
  // address lacks its unit or does not exist): the one trace such an address leaves in a feed.
  std::optional<Date> nta_returned;
  int service_method = 0;  // 0 PERSONAL, 1 MAIL, 2 CERT_MAIL
  bool represented = false;
  std::string attorney;
  bool failed_to_appear = false;
  bool in_absentia = false;
  std::vector<Hearing> hearings;
  bool runaway = false;
  Date ran_away_on{};
  std::vector<FollowupCall> calls;
  std::optional<AddressChange> address_change;
};

// Produces children one at a time, deterministically from the seed. Keeps the previous child
// so a sibling can share surnames, sponsor and home. Not thread-safe.
class PopulationGenerator {
 public:
  // `rates` must outlive the generator. `count` sets how the fiscal years are split.
  PopulationGenerator(const Rates& rates, uint64_t seed, uint32_t count);
  TrueChild next();

 private:
  void journey(TrueChild& child, Rng& rng);
  void identity(TrueChild& child, Rng& rng);
  void sponsor_and_home(TrueChild& child, Rng& rng);
  void court(TrueChild& child, Rng& rng);
  void followup(TrueChild& child, Rng& rng);
  UsAddress draw_address(Rng& rng, bool with_unit) const;

  const Rates& rates_;
  const NameBook& names_;
  uint64_t seed_;
  uint32_t count_;
  uint32_t index_ = 0;
  uint64_t next_uac_ = 0;
  uint64_t next_sponsor_ = 0;
  std::vector<int> year_of_child_;  // exact per-year counts, then shuffled-by-hash order
  std::vector<std::string> country_codes_;
  Weighted countries_;
  std::vector<Weighted> languages_;  // parallel to country_codes_
  std::vector<std::vector<std::string>> language_codes_;
  Weighted ages_;
  std::vector<std::string> categories_;
  Weighted category_weights_;
  Weighted places_;
  double fta_scale_ = 0;  // turns relative risk into probability so the overall rate hits the target
  std::optional<TrueChild> previous_;
};

// Permutes [0, modulus) so sequential counters become unremarkable ids; a bijection because
// the multiplier is odd and not a multiple of 5 (coprime with powers of ten).
constexpr uint64_t scatter(uint64_t value, uint64_t modulus, uint64_t salt) {
  return (value * 48271u + salt % modulus) % modulus;
}

}  // namespace accompany::synth

#include "synth/feeds.h"

#include <fmt/format.h>

#include "domain/identity.h"
#include "synth/names.h"
#include "synth/text_noise.h"

namespace accompany::synth {

namespace {

// One entry per Feed, in enum order: the kind (import --kind, truth.csv), file name and header.
struct FeedInfo {
  std::string_view kind, file_name, header;
};
constexpr std::array<FeedInfo, kAllFeeds.size()> kFeedInfo{{
    {"cbp_custody", "cbp_custody.csv",
     "EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,LOCATION"},
    {"orr_release", "orr_release.csv",
     "UAC_ID,A_NUMBER,FIRST_NAME,LAST_NAME_1,LAST_NAME_2,DOB,DOB_IS_ESTIMATED,GENDER,COUNTRY_OF_BIRTH,"
     "PRIMARY_LANGUAGE,INTERPRETER_NEEDED,ADMITTED_DATE,RELEASE_DATE,PROGRAM,SPONSOR_ID,SPONSOR_FIRST_NAME,"
     "SPONSOR_LAST_NAME_1,SPONSOR_LAST_NAME_2,SPONSOR_RELATIONSHIP,SPONSOR_CATEGORY,SPONSOR_PHONE,ADDRESS_LINE,"
     "ADDRESS_UNIT,CITY,STATE,ZIP"},
    {"ice_nta", "ice_nta.jsonl", ""},
    {"eoir_hearings", "eoir_hearings.psv",
     "ANUMBER|LAST|FIRST|DOB|BASE_CITY|HEARING_DATE|HEARING_TIME|HEARING_TYPE|OUTCOME|ATTY_NAME"},
    {"orr_followup", "orr_followup.csv", "CALL_ID,UAC_ID,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT"},
    {"address_changes", "address_changes.csv",
     "FORM_ID,A_NUMBER,UAC_ID,FULL_NAME,DOB,STREET,UNIT,CITY,STATE,ZIP,RECEIVED_DATE,FORM_SOURCE"},
}};

}  // namespace

std::string_view feed_kind(Feed feed) {
  return kFeedInfo[static_cast<size_t>(feed)].kind;
}
std::string_view feed_file_name(Feed feed) {
  return kFeedInfo[static_cast<size_t>(feed)].file_name;
}
std::string_view feed_header(Feed feed) {
  return kFeedInfo[static_cast<size_t>(feed)].header;
}

void append_csv_field(std::string& line, std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    line += value;
    return;
  }
  line += '"';
  for (char c : value) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

std::string json_string(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

int y_of(Date d) {
  return static_cast<int>(d.year());
}
unsigned m_of(Date d) {
  return static_cast<unsigned>(d.month());
}
unsigned d_of(Date d) {
  return static_cast<unsigned>(d.day());
}

std::string iso(Date d) {
  return fmt::format("{:04}-{:02}-{:02}", y_of(d), m_of(d), d_of(d));
}
std::string us(Date d) {
  return fmt::format("{:02}/{:02}/{:04}", m_of(d), d_of(d), y_of(d));
}
std::string us_short(Date d) {
  return fmt::format("{}/{}/{:04}", m_of(d), d_of(d), y_of(d));
}
std::string compact(Date d) {
  return fmt::format("{:04}{:02}{:02}", y_of(d), m_of(d), d_of(d));
}
std::string eoir_date(Date d) {
  return fmt::format("{:02}-{}-{:04}", d_of(d), kMonths[m_of(d) - 1], y_of(d));
}
std::string us_time(Timestamp t) {
  const auto day = floor<days>(t);
  const hh_mm_ss time{t - day};
  return fmt::format("{} {:02}:{:02}", us(Date{day}), time.hours().count(), time.minutes().count());
}

// A date as the agency holds it: an estimated birth is 1 January of the estimated year, and a
// clerk sometimes swaps day and month (only where the result is still a real date).
Date recorded_birth(const TrueChild& child, double swap_rate, Rng& rng) {
  Date date = child.birth;
  if (child.birth_estimated) {
    const Date admitted = child.episodes.front().admitted;
    date = Date{admitted.year() - years{child.age_at_entry}, January, day{1}};
  }
  if (rng.chance(swap_rate) && d_of(date) <= 12 && d_of(date) != m_of(date))
    date = Date{date.year(), month{d_of(date)}, day{m_of(date)}};
  return date;
}

// The wrong-row kinds: an impossible date in the field's own format, a code the contract does
// not allow, or a row with a field too few or too many.
enum class DateStyle { iso, us, us_time, compact, eoir, us_short };

std::string impossible_date(DateStyle style, Rng& rng) {
  const int year = rng.between(2005, 2023);
  const bool feb30 = rng.chance(0.5);  // else month 13
  switch (style) {
    case DateStyle::iso:
      return feb30 ? fmt::format("{}-02-30", year) : fmt::format("{}-13-{:02}", year, rng.between(1, 28));
    case DateStyle::us:
      return feb30 ? fmt::format("02/30/{}", year) : fmt::format("13/{:02}/{}", rng.between(1, 28), year);
    case DateStyle::us_time:
      return fmt::format("02/30/{} 10:15", year);
    case DateStyle::compact:
      return feb30 ? fmt::format("{}0230", year) : fmt::format("{}13{:02}", year, rng.between(1, 28));
    case DateStyle::eoir:
      return fmt::format("30-FEB-{}", year);
    case DateStyle::us_short:
      return feb30 ? fmt::format("2/30/{}", year) : fmt::format("13/{}/{}", rng.between(1, 28), year);
  }
  return "";
}

struct DateField {
  size_t field;
  DateStyle style;
};
struct CodeField {
  size_t field;
  std::string_view bad;
};
struct Corruptions {
  std::vector<DateField> dates;
  std::vector<CodeField> codes;
};

const Corruptions& corruptions(Feed feed) {
  static const Corruptions cbp{{{5, DateStyle::us}, {9, DateStyle::us_time}}, {{6, "X"}, {7, "ZZZ"}, {8, "XFR"}}};
  static const Corruptions orr{{{5, DateStyle::iso}, {11, DateStyle::iso}},
                               {{7, "Unknown"}, {19, "5"}, {24, "XX"}, {6, "?"}}};
  static const Corruptions eoir{{{3, DateStyle::eoir}}, {{4, "XXX"}, {7, "XYZ"}, {8, "UNK"}}};
  static const Corruptions followup{{{2, DateStyle::us_short}}, {{5, "MAYBE"}, {4, "FAX"}}};
  static const Corruptions address{{{4, DateStyle::iso}, {10, DateStyle::iso}}, {{11, "FAX"}, {8, "XX"}}};
  static const Corruptions json{};  // ice_nta: emit_json corrupts by key instead
  static const std::array<const Corruptions*, kAllFeeds.size()> by_feed{&cbp, &orr, &json, &eoir, &followup, &address};
  return *by_feed[static_cast<size_t>(feed)];
}

std::string a_display(uint64_t a) {
  return fmt::format("A{:03}-{:03}-{:03}", a / 1'000'000, a / 1000 % 1000, a % 1000);
}

}  // namespace

// One agency's rendering of the child's name.
struct FeedRenderer::Names {
  std::string given, first, second;

  static Names write(const TrueChild& child, const Rates& rates, bool upper, double accent_drop, bool may_drop,
                     Rng& rng) {
    Names n{child.given_names, child.paternal_surname, child.maternal_surname};
    if (!n.second.empty() && rng.chance(rates.noise.surnames_swapped)) std::swap(n.first, n.second);
    if (may_drop && !n.second.empty() && rng.chance(rates.noise.surname_dropped)) {
      if (rng.chance(0.15)) n.first = n.second;  // sometimes the maternal surname is the one kept
      n.second.clear();
    }
    for (auto* part : {&n.given, &n.first, &n.second})
      if (!part->empty() && rng.chance(rates.noise.typo)) *part = typo(*part, rng);
    const bool drop = rng.chance(accent_drop);
    for (auto* part : {&n.given, &n.first, &n.second}) {
      if (upper)
        *part = agency_upper(*part);
      else if (drop)
        *part = strip_accents(*part);
    }
    return n;
  }
  std::string family() const { return second.empty() ? first : first + " " + second; }
};

FeedRenderer::FeedRenderer(const Rates& rates, uint64_t seed) : rates_(rates), seed_(seed) {}

void FeedRenderer::render(const TrueChild& child, std::vector<FeedRow>& rows) {
  rows.clear();
  // One stream per feed, so a change in one feed's noise leaves the others' output unchanged.
  auto stream = [&](Feed feed) {
    return Rng::derive(seed_ ^ 0xfeed0000ULL, child.index * 8ULL + static_cast<int>(feed));
  };
  Rng r1 = stream(Feed::cbp_custody);
  cbp(child, r1, rows);
  Rng r2 = stream(Feed::orr_release);
  orr(child, r2, rows);
  Rng r3 = stream(Feed::ice_nta);
  ice(child, r3, rows);
  Rng r4 = stream(Feed::eoir_hearings);
  eoir(child, r4, rows);
  Rng r5 = stream(Feed::orr_followup);
  followup(child, r5, rows);
  Rng r6 = stream(Feed::address_changes);
  address_change(child, r6, rows);
}

void FeedRenderer::emit(Feed feed, std::vector<std::string> fields, size_t key_a, int key_b, int key_c, Rng& rng,
                        std::vector<FeedRow>& rows) {
  FeedRow row{feed, {}, {}, false};
  if (rng.chance(rates_.noise.wrong_row)) {
    row.wrong = true;
    const auto& options = corruptions(feed);
    const auto kind = rng.below(3);
    if (kind == 0 && !options.dates.empty()) {
      const auto& date = options.dates[rng.below(options.dates.size())];
      fields[date.field] = impossible_date(date.style, rng);
    } else if (kind == 1 && !options.codes.empty()) {
      const auto& code = options.codes[rng.below(options.codes.size())];
      fields[code.field] = code.bad;
    } else if (rng.chance(0.5)) {
      fields.pop_back();
    } else {
      fields.emplace_back(fields.back());
    }
  }
  const char delimiter = feed == Feed::eoir_hearings ? '|' : ',';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) row.text += delimiter;
    if (delimiter == ',')
      append_csv_field(row.text, fields[i]);
    else
      row.text += fields[i];
  }
  row.key = fields[key_a];
  for (int extra : {key_b, key_c})
    if (extra >= 0) row.key += "|" + fields[static_cast<size_t>(extra)];
  const bool duplicate = rng.chance(rates_.noise.duplicate_row);
  rows.push_back(row);
  if (duplicate) rows.push_back(std::move(row));
}

void FeedRenderer::emit_json(std::vector<std::pair<std::string, std::string>> members, Rng& rng,
                             std::vector<FeedRow>& rows) {
  FeedRow row{Feed::ice_nta, {}, {}, false};
  if (rng.chance(rates_.noise.wrong_row)) {
    row.wrong = true;
    auto find = [&](std::string_view key) -> std::string& {
      for (auto& member : members)
        if (member.first == key) return member.second;
      return members.front().second;
    };
    switch (rng.below(4)) {
      case 0:
        find("dob") = json_string(impossible_date(DateStyle::compact, rng));
        break;
      case 1:
        find("issued") = json_string(impossible_date(DateStyle::iso, rng));
        break;
      case 2:
        find("service_method") = json_string("FAX");
        break;
      default:
        members.erase(members.begin() + 3);
        break;  // "dob" missing
    }
  }
  row.text = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) row.text += ',';
    row.text += json_string(members[i].first);
    row.text += ':';
    row.text += members[i].second;
  }
  row.text += '}';
  row.key = members.front().second.substr(1, members.front().second.size() - 2);
  const bool duplicate = rng.chance(rates_.noise.duplicate_row);
  rows.push_back(row);
  if (duplicate) rows.push_back(std::move(row));
}

void FeedRenderer::cbp(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows) {
  const Names name = Names::write(child, rates_, true, 1.0, true, rng);
  const std::string dob = us(recorded_birth(child, rates_.noise.day_month_swapped, rng));
  const bool no_a = rng.chance(rates_.noise.a_number_missing_cbp);
  const std::string a = no_a ? "" : fmt::format("{:09}", child.a_number);
  const std::string sex = child.male ? "M" : "F";
  const auto* country = find_country(child.country);
  for (const auto& [type, when] : {std::pair{"APP", child.apprehended}, std::pair{"TRF", child.transferred}}) {
    const uint64_t event = scatter(next_event_++, 10'000'000'000ULL, seed_ * 23 + 11);
    emit(Feed::cbp_custody,
         {fmt::format("CBPE{:010}", event), fmt::format("CBP{:09}", child.cbp_subject), a, name.family(), name.given,
          dob, sex, std::string(country ? country->alpha3 : "UNK"), type, us_time(when), child.border_location},
         0, -1, -1, rng, rows);
  }
}

void FeedRenderer::orr(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows) {
  const auto* country = find_country(child.country);
  auto language = find_language("language", child.language);
  const bool indigenous = language && (*language)->indigenous;
  for (const auto& episode : child.episodes) {
    const Names name = Names::write(child, rates_, false, rates_.noise.accent_dropped_orr, false, rng);
    const std::string a = rng.chance(rates_.noise.a_number_missing_orr) ? "" : a_display(child.a_number);
    const auto& s = child.sponsor;
    emit(Feed::orr_release,
         {fmt::format("UAC{:08}", episode.uac),
          a,
          name.given,
          name.first,
          name.second,
          iso(recorded_birth(child, rates_.noise.day_month_swapped, rng)),
          child.birth_estimated ? "Y" : "N",
          child.male ? "Male" : "Female",
          std::string(country ? country->english_name : ""),
          std::string(language ? (*language)->english_name : "Spanish"),
          indigenous ? "Y" : "N",
          iso(episode.admitted),
          iso(episode.released),
          episode.program,
          fmt::format("SP{:08}", s.id),
          s.given_names,
          s.paternal_surname,
          s.maternal_surname,
          s.relationship,
          s.category,
          s.phone,
          child.reported.street,
          child.reported.unit,
          child.reported.city,
          child.reported.state,
          child.reported.zip},
         0, 12, -1, rng, rows);
  }
}

void FeedRenderer::ice(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows) {
  if (!child.nta_issued) return;
  const Names name = Names::write(child, rates_, true, 1.0, true, rng);
  const int year = y_of(child.nta_issued_on);
  const uint64_t serial = ++next_nta_[static_cast<size_t>(std::clamp(year - 1950, 0, 199))];
  std::string served = "null", method = "null", address = "null", returned = "null";
  const UsAddress* to = nullptr;
  if (child.nta_served) {
    served = json_string(iso(*child.nta_served));
    static constexpr std::array<std::string_view, 3> kMethods{"PERSONAL", "MAIL", "CERT_MAIL"};
    method = json_string(kMethods[static_cast<size_t>(child.service_method)]);
    // The notice goes to the newest address ICE knows: a change of address received before service wins.
    to = &child.reported;
    if (child.address_change && child.address_change->received < *child.nta_served) to = &child.address_change->address;
  }
  // Mail returned from the release address. The row holds one address, so when the notice was
  // later served at a newer address the return is not written (a few in a thousand such children).
  if (child.nta_returned && (!to || to == &child.reported)) {
    to = &child.reported;
    static constexpr std::string_view kReasons[] = {"INSUFFICIENT_ADDRESS", "NO_SUCH_NUMBER"};
    returned = fmt::format(R"({{"date":{},"reason":{}}})", json_string(iso(*child.nta_returned)),
                           json_string(kReasons[child.defect == AddressDefect::missing_unit ? 0 : 1]));
  }
  if (to) {
    if (!to->street.empty()) {
      const std::string street = to->unit.empty() ? to->street : to->street + " " + to->unit;
      address = fmt::format(R"({{"street":{},"city":{},"state":{},"zip":{}}})", json_string(agency_upper(street)),
                            json_string(agency_upper(to->city)), json_string(to->state), json_string(to->zip));
    }
  }
  emit_json(
      {{"nta_id", json_string(fmt::format("NTA{}{:06}", year, serial))},
       {"anumber", json_string(fmt::format("A{:09}", child.a_number))},
       {"subject", fmt::format(R"({{"given":{},"family":{}}})", json_string(name.given), json_string(name.family()))},
       {"dob", json_string(compact(recorded_birth(child, rates_.noise.day_month_swapped, rng)))},
       {"issued", json_string(iso(child.nta_issued_on))},
       {"served", served},
       {"service_method", method},
       {"served_address", address},
       {"returned", returned}},
      rng, rows);
}

void FeedRenderer::eoir(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows) {
  if (child.hearings.empty()) return;
  const Names name = Names::write(child, rates_, true, 1.0, true, rng);
  const std::string dob = eoir_date(recorded_birth(child, rates_.noise.day_month_swapped, rng));
  const std::string attorney = agency_upper(child.attorney);
  for (const auto& hearing : child.hearings) {
    static constexpr std::array<std::string_view, 6> kOutcomes{"", "APP", "FTA", "IAO", "CON", "REL"};
    const bool moved = child.address_change && child.address_change->received < hearing.date;
    const std::string& court = moved ? child.address_change->address.court : child.residence.court;
    emit(Feed::eoir_hearings,
         {fmt::format("{:09}", child.a_number), name.family(), name.given, dob, court, eoir_date(hearing.date),
          fmt::format("{:04}", hearing.time_hhmm), hearing.individual ? "IND" : "MAS",
          std::string(kOutcomes[static_cast<size_t>(hearing.outcome)]), hearing.with_counsel ? attorney : ""},
         0, 5, 6, rng, rows);
  }
}

void FeedRenderer::followup(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows) {
  static constexpr std::array<std::string_view, 4> kMethods{"PHONE", "VIDEO", "HOME_VISIT", "TEXT"};
  static constexpr std::array<std::string_view, 5> kResults{"", "SAFE", "CONCERN", "NO_CONTACT", "REFERRED"};
  for (const auto& call : child.calls) {
    const bool made = call.result != CallResult::not_made && call.made <= rates_.as_of;
    emit(Feed::orr_followup,
         {fmt::format("FU{:09}", scatter(next_call_++, 1'000'000'000, seed_ * 29 + 13)),
          fmt::format("UAC{:08}", child.episodes[call.episode].uac), us_short(call.due),
          made ? us_short(call.made) : "", made ? std::string(kMethods[static_cast<size_t>(call.method)]) : "",
          made ? std::string(kResults[static_cast<size_t>(call.result)]) : ""},
         0, -1, -1, rng, rows);
  }
}

void FeedRenderer::address_change(const TrueChild& child, Rng& rng, std::vector<FeedRow>& rows) {
  if (!child.address_change) return;
  const auto& change = *child.address_change;
  static constexpr std::array<std::string_view, 3> kSources{"EOIR-33", "ORR", "CASEWORKER"};
  const Names name = Names::write(child, rates_, false, rates_.noise.accent_dropped_address_change, false, rng);
  // The court's form carries the A-number; ORR's forms carry the UAC_ID and sometimes the A-number.
  const bool court_form = change.source == 0;
  const std::string a = court_form || !rng.chance(rates_.noise.a_number_missing_address_change)
                            ? fmt::format("{:09}", child.a_number)
                            : "";
  const std::string uac = court_form ? "" : fmt::format("UAC{:08}", child.episodes.back().uac);
  emit(Feed::address_changes,
       {fmt::format("COA{:09}", scatter(next_form_++, 1'000'000'000, seed_ * 31 + 17)), a, uac,
        name.given + " " + name.family(), iso(recorded_birth(child, rates_.noise.day_month_swapped, rng)),
        change.address.street, change.address.unit, change.address.city, change.address.state, change.address.zip,
        iso(change.received), std::string(kSources[static_cast<size_t>(change.source)])},
       0, -1, -1, rng, rows);
}

}  // namespace accompany::synth

#include "ingest/row_mapper.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json.hpp>
#include <initializer_list>

#include "ingest/feed_codes.h"
#include "ingest/fields.h"

namespace accompany {
namespace {

using Renames = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// A domain error with its record field renamed to the feed column that fed it.
Error renamed(Error error, Renames renames) {
  for (const auto& [field, column] : renames)
    if (error.field == field) return in_column(std::move(error), column);
  return error;
}

template <class T>
Result<T> renamed(Result<T> result, Renames renames) {
  if (!result) return renamed(result.error(), renames);
  return result;
}

Status renamed(Status status, Renames renames) {
  if (!status) return renamed(status.error(), renames);
  return {};
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "<prefix><digits>" exactly, as the feeds write their ids.
Status check_id(std::string_view column, std::string_view text, std::string_view prefix, size_t digit_count) {
  if (text.size() != prefix.size() + digit_count || !text.starts_with(prefix) ||
      !all_digits(text.substr(prefix.size())))
    return invalid(column, text, fmt::format("expected {} followed by {} digits", prefix, digit_count));
  return {};
}

Result<std::optional<ANumber>> nine_digit_a_number(std::string_view column, std::string_view text, bool required) {
  if (text.empty()) {
    if (required) return invalid(column, text, "is required");
    return std::optional<ANumber>();
  }
  if (text.size() != 9 || !all_digits(text)) return invalid(column, text, "an A-number here is 9 digits");
  auto parsed = ANumber::parse(text);
  if (!parsed) return in_column(parsed.error(), column);
  return std::optional<ANumber>(*parsed);
}

Result<bool> yes_no(std::string_view column, std::string_view text) {
  if (text == "Y") return true;
  if (text == "N") return false;
  return invalid(column, text, "expected Y or N");
}

template <size_t N>
Result<std::string_view> one_of(std::string_view column, std::string_view text,
                                const std::array<std::string_view, N>& allowed) {
  for (auto value : allowed)
    if (value == text) return value;
  std::string list;
  for (auto value : allowed) list += (list.empty() ? "" : ", ") + std::string(value);
  return invalid(column, text, "not one of: " + list);
}

Status field_count(const std::vector<std::string>& fields, size_t expected) {
  if (fields.size() != expected)
    return invalid("(row)", fmt::format("{} fields", fields.size()),
                   fmt::format("has {} fields; the header has {}", fields.size(), expected));
  return {};
}

// Validates a record that will name its child (and sponsor, address) once linked: with
// placeholders for those ids, so every other field is checked now.
template <class T>
Status validate_unlinked(T record, Renames renames) {
  record.child_id = 1;
  if constexpr (std::is_same_v<T, CustodyEvent>) {
    if (record.sponsor_id) record.sponsor_id = 1;
  }
  return renamed(T::validate(record), renames);
}

// The feed columns an address came from, in Address field order: line, unit, city, state, zip.
struct AddressColumns {
  std::string_view line, unit, city, state, zip;
};

// A validated address not yet linked to its child (child_id 0), errors named by feed column.
Result<Address> make_address(const std::array<std::string_view, 5>& values, std::string source,
                             const AddressColumns& columns) {
  Address address;
  address.child_id = 1;  // placeholder so validation checks everything else
  address.line = values[0];
  address.unit = values[1];
  address.city = values[2];
  address.state = values[3];
  address.zip = values[4];
  address.source = std::move(source);
  ACCOMPANY_TRY(valid, renamed(Address::create(std::move(address)), {{"line", columns.line},
                                                                     {"unit", columns.unit},
                                                                     {"city", columns.city},
                                                                     {"state", columns.state},
                                                                     {"zip", columns.zip},
                                                                     {"address", columns.line}}));
  valid.child_id = 0;
  return valid;
}

Result<Child> make_child(Child draft, Date today, Renames renames) {
  return renamed(Child::create(std::move(draft), today), renames);
}

// ---- cbp_custody.csv
Result<MappedRow> map_cbp(const std::vector<std::string>& f, Date today, std::string& key) {
  ACCOMPANY_CHECK(field_count(f, 11));
  key = f[0];
  MappedRow row;
  ACCOMPANY_CHECK(check_id("EVENT_ID", f[0], "CBPE", 10));
  ACCOMPANY_CHECK(check_id("SUBJECT_ID", f[1], "CBP", 9));
  row.row_key = f[0];
  ACCOMPANY_TRY(a_number, nine_digit_a_number("A_NUMBER", f[2], false));
  row.who.a_number = a_number;
  row.who.local_ids.emplace_back("SUBJECT_ID", f[1]);
  auto [paternal, maternal] = split_surnames(f[3]);
  ACCOMPANY_TRY(dob, parse_us_date("DOB", f[5], true));
  Sex sex = Sex::unknown;
  if (f[6] == "M")
    sex = Sex::male;
  else if (f[6] == "F")
    sex = Sex::female;
  else if (f[6] != "U")
    return invalid("SEX", f[6], "expected M, F or U");
  ACCOMPANY_TRY(country, country_from_alpha3("CITIZENSHIP", f[7]));
  row.who.given_names = f[4];
  row.who.paternal_surname = paternal;
  row.who.maternal_surname = maternal;
  row.who.birth_date = format_date(dob);
  row.who.sex = sex;
  row.who.country = country;

  Child draft;
  draft.a_number = a_number;
  draft.name = PersonName{f[4], paternal, maternal};
  ACCOMPANY_TRY(birth, renamed(BirthDate::exact(dob), {{"birth_date", "DOB"}}));
  draft.birth_date = birth;
  draft.sex = sex;
  draft.country_of_birth = country;
  // CBP records no language: "und" (undetermined) until ORR's release row says (docs/import.md).
  draft.languages = {"und"};
  ACCOMPANY_TRY(child, make_child(std::move(draft), today,
                                  {{"given_names", "FIRST_NAME"},
                                   {"paternal_surname", "LAST_NAME"},
                                   {"maternal_surname", "LAST_NAME"},
                                   {"birth_date", "DOB"},
                                   {"country_of_birth", "CITIZENSHIP"}}));
  row.child = std::move(child);

  CustodyEvent event;
  if (f[8] == "APP")
    event.kind = CustodyEventKind::apprehended;
  else if (f[8] == "TRF")
    event.kind = CustodyEventKind::transferred_to_orr;
  else
    return invalid("EVENT_TYPE", f[8], "expected APP (apprehended) or TRF (transferred to ORR)");
  ACCOMPANY_TRY(at, parse_us_datetime("EVENT_DT", f[9]));
  event.occurred_at = at;
  row.who.custody_date = format_date(Date{std::chrono::floor<std::chrono::days>(at)});
  event.location = f[10];
  ACCOMPANY_CHECK(validate_unlinked(event, {{"location", "LOCATION"}}));
  row.custody = std::move(event);
  return row;
}

// ---- orr_release.csv
Result<MappedRow> map_orr_release(const std::vector<std::string>& f, Date today, std::string& key) {
  ACCOMPANY_CHECK(field_count(f, 26));
  key = f[0] + "|" + f[12];
  MappedRow row;
  row.row_key = key;
  ACCOMPANY_CHECK(check_id("UAC_ID", f[0], "UAC", 8));
  row.who.local_ids.emplace_back("UAC_ID", f[0]);
  if (!f[1].empty()) {
    const std::string_view a = f[1];
    if (a.size() != 12 || a[0] != 'A' || a[4] != '-' || a[8] != '-')
      return invalid("A_NUMBER", a, "expected an A-number written A###-###-###");
    ACCOMPANY_TRY(parsed, renamed(ANumber::parse(a), {{"a_number", "A_NUMBER"}}));
    row.who.a_number = parsed;
  }
  ACCOMPANY_TRY(dob, parse_iso_date("DOB", f[5]));
  ACCOMPANY_TRY(estimated, yes_no("DOB_IS_ESTIMATED", f[6]));
  Sex sex;
  if (f[7] == "Male")
    sex = Sex::male;
  else if (f[7] == "Female")
    sex = Sex::female;
  else
    return invalid("GENDER", f[7], "expected Male or Female");
  ACCOMPANY_TRY(country, country_from_english_name("COUNTRY_OF_BIRTH", f[8]));
  row.who.given_names = f[2];
  row.who.paternal_surname = f[3];
  row.who.maternal_surname = f[4];
  row.who.birth_date = format_date(dob);
  row.who.sex = sex;
  row.who.country = country;
  ACCOMPANY_TRY(language, language_from_english_name("PRIMARY_LANGUAGE", f[9]));
  ACCOMPANY_TRY(interpreter, yes_no("INTERPRETER_NEEDED", f[10]));
  ACCOMPANY_TRY(admitted, parse_iso_date("ADMITTED_DATE", f[11]));
  ACCOMPANY_TRY(released, parse_iso_date("RELEASE_DATE", f[12]));
  if (released < admitted) return invalid("RELEASE_DATE", f[12], "is before ADMITTED_DATE");
  row.who.custody_date = format_date(admitted);

  Child draft;
  draft.a_number = row.who.a_number;
  draft.name = PersonName{f[2], f[3], f[4]};
  if (estimated) {
    // The feed writes 1 January of the estimated birth year; keep it as an age estimated on admission.
    const int age = static_cast<int>(admitted.year()) - static_cast<int>(dob.year());
    ACCOMPANY_TRY(birth, renamed(BirthDate::estimated(age, admitted), {{"estimated_age", "DOB"}}));
    draft.birth_date = birth;
  } else {
    ACCOMPANY_TRY(birth, renamed(BirthDate::exact(dob), {{"birth_date", "DOB"}}));
    draft.birth_date = birth;
  }
  draft.sex = sex;
  draft.country_of_birth = country;
  draft.languages = {language};
  draft.interpreter_needed = interpreter;
  ACCOMPANY_TRY(child, make_child(std::move(draft), today,
                                  {{"given_names", "FIRST_NAME"},
                                   {"paternal_surname", "LAST_NAME_1"},
                                   {"maternal_surname", "LAST_NAME_2"},
                                   {"birth_date", "DOB"},
                                   {"country_of_birth", "COUNTRY_OF_BIRTH"}}));
  row.child = std::move(child);

  ACCOMPANY_CHECK(check_id("SPONSOR_ID", f[14], "SP", 8));
  row.sponsor_local_id = f[14];
  Sponsor sponsor;
  sponsor.name = PersonName{f[15], f[16], f[17]};
  sponsor.relationship = f[18];
  ACCOMPANY_TRY(category, parse_enum(kSponsorCategoryNames, "SPONSOR_CATEGORY", f[19]));
  sponsor.category = category;
  if (!f[20].empty()) sponsor.phone = f[20];
  ACCOMPANY_TRY(valid_sponsor,
                renamed(Sponsor::create(std::move(sponsor)), {{"given_names", "SPONSOR_FIRST_NAME"},
                                                              {"paternal_surname", "SPONSOR_LAST_NAME_1"},
                                                              {"maternal_surname", "SPONSOR_LAST_NAME_2"},
                                                              {"relationship", "SPONSOR_RELATIONSHIP"},
                                                              {"phone", "SPONSOR_PHONE"}}));
  row.sponsor = std::move(valid_sponsor);

  // A blank ADDRESS_LINE is a missing address: no address record (triage sees the gap).
  if (!f[21].empty()) {
    ACCOMPANY_TRY(address, make_address({f[21], f[22], f[23], f[24], f[25]}, "orr_release",
                                        {"ADDRESS_LINE", "ADDRESS_UNIT", "CITY", "STATE", "ZIP"}));
    row.address = std::move(address);
  }

  CustodyEvent release;
  release.kind = CustodyEventKind::released_to_sponsor;
  release.occurred_at = std::chrono::sys_days{released};
  release.location = f[13];
  release.sponsor_id = 0;
  ACCOMPANY_CHECK(validate_unlinked(release, {{"location", "PROGRAM"}}));
  row.custody = std::move(release);
  return row;
}

// ---- ice_nta.jsonl
Result<std::string> json_text(const boost::json::object& object, std::string_view key, bool required) {
  const auto* value = object.if_contains(key);
  if (!value || value->is_null()) {
    if (required) return invalid(key, "", "is required");
    return std::string();
  }
  if (!value->is_string()) return invalid(key, boost::json::serialize(*value), "expected a string");
  return std::string(value->as_string());
}

// "returned": the Postal Service sent the mailed notice back from served_address, with its
// endorsement. The address keeps the finding as its status (docs/feeds.md).
Status map_returned_mail(const boost::json::object& object, const NoticeToAppear& notice, MappedRow& row) {
  const auto* returned = object.if_contains("returned");
  if (!returned || returned->is_null()) return {};
  if (!returned->is_object())
    return invalid("returned", boost::json::serialize(*returned), "expected an object or null");
  if (!row.address) return invalid("returned", "", "a returned notice needs the served_address it was mailed to");
  const auto& r = returned->as_object();
  ACCOMPANY_TRY(date_text, json_text(r, "date", true));
  ACCOMPANY_TRY(date, parse_iso_date("returned.date", date_text));
  if (date < notice.issued_on) return invalid("returned.date", date_text, "is before issued");
  ACCOMPANY_TRY(reason, json_text(r, "reason", true));
  static constexpr std::array<std::pair<std::string_view, AddressStatus>, 4> kReasons{{
      {"INSUFFICIENT_ADDRESS", AddressStatus::missing_unit},  // USPS: apartment or unit number missing
      {"NO_SUCH_NUMBER", AddressStatus::undeliverable},
      {"NO_SUCH_STREET", AddressStatus::undeliverable},
      {"NOT_DELIVERABLE_AS_ADDRESSED", AddressStatus::undeliverable},
  }};
  auto found = std::find_if(kReasons.begin(), kReasons.end(), [&](const auto& k) { return k.first == reason; });
  if (found == kReasons.end())
    return invalid("returned.reason", reason,
                   "not one of: INSUFFICIENT_ADDRESS, NO_SUCH_NUMBER, NO_SUCH_STREET, NOT_DELIVERABLE_AS_ADDRESSED");
  row.address->status = found->second;
  row.address->source = fmt::format("ice_nta:returned {} {}", date_text, reason);
  return {};
}

Result<MappedRow> map_ice(std::string_view record, Date today, std::string& key) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(record, ec);
  if (ec) return invalid("(row)", record.substr(0, 80), fmt::format("not a JSON object: {}", ec.message()));
  if (!parsed.is_object()) return invalid("(row)", record.substr(0, 80), "not a JSON object");
  const auto& object = parsed.as_object();
  ACCOMPANY_TRY(nta_id, json_text(object, "nta_id", true));
  key = nta_id;
  MappedRow row;
  row.row_key = nta_id;
  ACCOMPANY_TRY(anumber, json_text(object, "anumber", true));
  if (anumber.size() != 10 || anumber[0] != 'A' || !all_digits(std::string_view(anumber).substr(1)))
    return invalid("anumber", anumber, "expected A followed by 9 digits");
  ACCOMPANY_TRY(a_number, renamed(ANumber::parse(anumber), {{"a_number", "anumber"}}));
  row.who.a_number = a_number;
  if (const auto* subject = object.if_contains("subject"); subject && subject->is_object()) {
    ACCOMPANY_TRY(given, json_text(subject->as_object(), "given", false));
    ACCOMPANY_TRY(family, json_text(subject->as_object(), "family", false));
    auto [paternal, maternal] = split_surnames(family);
    row.who.given_names = given;
    row.who.paternal_surname = paternal;
    row.who.maternal_surname = maternal;
  } else {
    return invalid("subject", "", "expected an object with given and family names");
  }
  ACCOMPANY_TRY(dob_text, json_text(object, "dob", true));
  ACCOMPANY_TRY(dob, parse_compact_date("dob", dob_text));
  if (dob > today) return invalid("dob", dob_text, "is in the future");
  row.who.birth_date = format_date(dob);

  NoticeToAppear notice;
  ACCOMPANY_TRY(issued_text, json_text(object, "issued", true));
  ACCOMPANY_TRY(issued, parse_iso_date("issued", issued_text));
  notice.issued_on = issued;
  ACCOMPANY_TRY(served_text, json_text(object, "served", false));
  if (!served_text.empty()) {
    ACCOMPANY_TRY(served, parse_iso_date("served", served_text));
    notice.served_on = served;
  }
  ACCOMPANY_TRY(method, json_text(object, "service_method", false));
  if (method == "PERSONAL")
    notice.service_method = ServiceMethod::personal;
  else if (method == "MAIL")
    notice.service_method = ServiceMethod::regular_mail;
  else if (method == "CERT_MAIL")
    notice.service_method = ServiceMethod::certified_mail;
  else if (!method.empty())
    return invalid("service_method", method, "not one of: PERSONAL, MAIL, CERT_MAIL");
  ACCOMPANY_CHECK(validate_unlinked(notice, {{"served_on", "served"}, {"issued_on", "issued"}}));

  const auto* where = object.if_contains("served_address");
  if (where && where->is_object()) {
    const auto& a = where->as_object();
    ACCOMPANY_TRY(street, json_text(a, "street", true));
    ACCOMPANY_TRY(city, json_text(a, "city", true));
    ACCOMPANY_TRY(state, json_text(a, "state", true));
    ACCOMPANY_TRY(zip, json_text(a, "zip", true));
    // The street includes the unit here.
    ACCOMPANY_TRY(address, make_address({street, "", city, state, zip}, "ice_nta",
                                        {"served_address.street", "served_address.street", "served_address.city",
                                         "served_address.state", "served_address.zip"}));
    row.address = std::move(address);
  } else if (where && !where->is_null()) {
    return invalid("served_address", boost::json::serialize(*where), "expected an object or null");
  }
  ACCOMPANY_CHECK(map_returned_mail(object, notice, row));
  row.notice = std::move(notice);
  return row;
}

// ---- eoir_hearings.psv
Result<MappedRow> map_eoir(const std::vector<std::string>& f, Date today, std::string& key) {
  ACCOMPANY_CHECK(field_count(f, 10));
  key = f[0] + "|" + f[5] + "|" + f[6];
  MappedRow row;
  row.row_key = key;
  ACCOMPANY_TRY(a_number, nine_digit_a_number("ANUMBER", f[0], true));
  row.who.a_number = a_number;
  auto [paternal, maternal] = split_surnames(f[1]);
  row.who.given_names = f[2];
  row.who.paternal_surname = paternal;
  row.who.maternal_surname = maternal;
  ACCOMPANY_TRY(dob, parse_court_date("DOB", f[3]));
  if (dob > today) return invalid("DOB", f[3], "is in the future");
  row.who.birth_date = format_date(dob);
  Hearing hearing;
  ACCOMPANY_TRY(court, court_from_code("BASE_CITY", f[4]));
  hearing.court = court;
  ACCOMPANY_TRY(day, parse_court_date("HEARING_DATE", f[5]));
  ACCOMPANY_TRY(at, at_court_time("HEARING_TIME", day, f[6]));
  hearing.scheduled_at = at;
  if (f[7] == "MAS")
    hearing.type = HearingType::master_calendar;
  else if (f[7] == "IND")
    hearing.type = HearingType::individual_merits;
  else
    return invalid("HEARING_TYPE", f[7], "expected MAS (master calendar) or IND (individual merits)");
  static constexpr std::array<std::pair<std::string_view, HearingOutcome>, 6> kOutcomes{{
      {"", HearingOutcome::scheduled},
      {"APP", HearingOutcome::appeared},
      {"FTA", HearingOutcome::failed_to_appear},
      {"IAO", HearingOutcome::in_absentia_order},
      {"CON", HearingOutcome::continued},
      {"REL", HearingOutcome::relief_granted},
  }};
  auto outcome = std::find_if(kOutcomes.begin(), kOutcomes.end(), [&](const auto& o) { return o.first == f[8]; });
  if (outcome == kOutcomes.end())
    return invalid("OUTCOME", f[8], "not one of: blank (scheduled), APP, FTA, IAO, CON, REL");
  hearing.outcome = outcome->second;
  hearing.counsel_of_record = f[9];
  ACCOMPANY_CHECK(validate_unlinked(hearing, {{"counsel_of_record", "ATTY_NAME"}, {"court", "BASE_CITY"}}));
  row.hearing = std::move(hearing);
  return row;
}

// ---- orr_followup.csv
Result<MappedRow> map_followup(const std::vector<std::string>& f, std::string& key) {
  ACCOMPANY_CHECK(field_count(f, 6));
  key = f[0];
  MappedRow row;
  row.row_key = key;
  ACCOMPANY_CHECK(check_id("CALL_ID", f[0], "FU", 9));
  ACCOMPANY_CHECK(check_id("UAC_ID", f[1], "UAC", 8));
  row.who.local_ids.emplace_back("UAC_ID", f[1]);
  WelfareCheck check;
  ACCOMPANY_TRY(due, parse_us_date("CALL_DUE", f[2], false));
  check.due_on = due;
  if (!f[3].empty()) {
    ACCOMPANY_TRY(done, parse_us_date("CALL_DATE", f[3], false));
    check.done_at = std::chrono::sys_days{done};
  }
  static constexpr std::array<std::pair<std::string_view, WelfareMethod>, 4> kMethods{{
      {"PHONE", WelfareMethod::phone},
      {"VIDEO", WelfareMethod::video},
      {"HOME_VISIT", WelfareMethod::home_visit},
      {"TEXT", WelfareMethod::text_message},
  }};
  if (!f[4].empty()) {
    auto m = std::find_if(kMethods.begin(), kMethods.end(), [&](const auto& p) { return p.first == f[4]; });
    if (m == kMethods.end()) return invalid("CALL_METHOD", f[4], "not one of: PHONE, VIDEO, HOME_VISIT, TEXT");
    check.method = m->second;
  }
  static constexpr std::array<std::pair<std::string_view, WelfareOutcome>, 4> kResults{{
      {"SAFE", WelfareOutcome::reached_safe},
      {"CONCERN", WelfareOutcome::reached_concern},
      {"NO_CONTACT", WelfareOutcome::unreachable},
      {"REFERRED", WelfareOutcome::referred_to_services},
  }};
  if (!f[5].empty()) {
    auto r = std::find_if(kResults.begin(), kResults.end(), [&](const auto& p) { return p.first == f[5]; });
    if (r == kResults.end()) return invalid("CALL_RESULT", f[5], "not one of: SAFE, CONCERN, NO_CONTACT, REFERRED");
    check.outcome = r->second;
  }
  ACCOMPANY_CHECK(validate_unlinked(check, {{"method", "CALL_METHOD"}, {"outcome", "CALL_RESULT"}}));
  row.welfare = std::move(check);
  return row;
}

// ---- address_changes.csv
Result<MappedRow> map_address_change(const std::vector<std::string>& f, Date today, std::string& key) {
  ACCOMPANY_CHECK(field_count(f, 12));
  key = f[0];
  MappedRow row;
  row.row_key = key;
  ACCOMPANY_CHECK(check_id("FORM_ID", f[0], "COA", 9));
  ACCOMPANY_TRY(a_number, nine_digit_a_number("A_NUMBER", f[1], false));
  row.who.a_number = a_number;
  if (!f[2].empty()) {
    ACCOMPANY_CHECK(check_id("UAC_ID", f[2], "UAC", 8));
    row.who.local_ids.emplace_back("UAC_ID", f[2]);
  }
  if (!a_number && f[2].empty()) return invalid("A_NUMBER", "", "a form needs an A_NUMBER or a UAC_ID");
  if (f[3].find_first_not_of(' ') == std::string::npos) return invalid("FULL_NAME", f[3], "is required");
  // "Given Names Paternal Maternal": the last two words are taken as the surnames.
  std::vector<std::string_view> words;
  for (size_t i = 0; i < f[3].size();) {
    const size_t space = f[3].find(' ', i);
    const size_t stop = space == std::string::npos ? f[3].size() : space;
    if (stop > i) words.emplace_back(std::string_view(f[3]).substr(i, stop - i));
    i = stop + 1;
  }
  auto join = [&](size_t from, size_t to) {
    std::string out;
    for (size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + std::string(words[i]);
    return out;
  };
  const size_t surnames = words.size() >= 3 ? 2 : words.size() - 1;
  row.who.given_names = join(0, words.size() - surnames);
  if (surnames >= 1) row.who.paternal_surname = std::string(words[words.size() - surnames]);
  if (surnames == 2) row.who.maternal_surname = std::string(words.back());
  ACCOMPANY_TRY(dob, parse_iso_date("DOB", f[4]));
  if (dob > today) return invalid("DOB", f[4], "is in the future");
  row.who.birth_date = format_date(dob);
  ACCOMPANY_TRY(received, parse_iso_date("RECEIVED_DATE", f[10]));
  (void)received;
  static constexpr std::array<std::string_view, 3> kSources{"EOIR-33", "ORR", "CASEWORKER"};
  ACCOMPANY_TRY(source, one_of("FORM_SOURCE", f[11], kSources));
  ACCOMPANY_TRY(address,
                make_address({f[5], f[6], f[7], f[8], f[9]}, fmt::format("address_changes:{} {}", source, f[0]),
                             {"STREET", "UNIT", "CITY", "STATE", "ZIP"}));
  row.address = std::move(address);
  return row;
}

}  // namespace

Status check_header(FeedKind kind, std::string_view record, RowScratch& scratch) {
  const FeedSpec& spec = feed_spec(kind);
  if (spec.format == FeedFormat::json_lines) return {};
  if (spec.format == FeedFormat::csv) {
    if (auto split = split_csv(record, scratch.fields); !split)
      return invalid("header", record, "the header line is not valid CSV: " + split.error().message);
  } else {
    split_pipes(record, scratch.fields);
  }
  const auto& got = scratch.fields;
  for (size_t i = 0; i < std::max(got.size(), spec.columns.size()); ++i) {
    if (i >= got.size())
      return invalid("header", record,
                     fmt::format("column {} should be {} but the header ends after {} columns", i + 1, spec.columns[i],
                                 got.size()));
    if (i >= spec.columns.size())
      return invalid("header", record,
                     fmt::format("has an extra column {} '{}'; the {} header has {} columns", i + 1, got[i], spec.name,
                                 spec.columns.size()));
    if (got[i] != spec.columns[i])
      return invalid(
          "header", record,
          fmt::format("column {} is '{}' but the {} header has '{}' there", i + 1, got[i], spec.name, spec.columns[i]));
  }
  return {};
}

Result<MappedRow> map_record(FeedKind kind, std::string_view record, RowScratch& scratch, Date today,
                             std::string& row_key) {
  row_key.clear();
  const FeedSpec& spec = feed_spec(kind);
  if (spec.format == FeedFormat::json_lines) return map_ice(record, today, row_key);
  if (spec.format == FeedFormat::csv)
    ACCOMPANY_CHECK(split_csv(record, scratch.fields));
  else
    split_pipes(record, scratch.fields);
  const auto& f = scratch.fields;
  switch (kind) {
    case FeedKind::cbp_custody:
      return map_cbp(f, today, row_key);
    case FeedKind::orr_release:
      return map_orr_release(f, today, row_key);
    case FeedKind::eoir_hearings:
      return map_eoir(f, today, row_key);
    case FeedKind::orr_followup:
      return map_followup(f, row_key);
    case FeedKind::address_changes:
      return map_address_change(f, today, row_key);
    case FeedKind::ice_nta:
      break;
  }
  return make_error(ErrorCode::internal, "unhandled feed kind");
}

}  // namespace accompany

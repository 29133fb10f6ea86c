// Readers for the six agency feeds (identity columns only) and the ground-truth file.
#include "linkage/feed_records.h"

#include <fmt/format.h>
#include <unicode/locid.h>
#include <unicode/uloc.h>

#include <boost/json.hpp>
#include <unordered_map>

#include "common/time.h"
#include "linkage/birth_dates.h"
#include "linkage/csv_fields.h"
#include "linkage/identifiers.h"
#include "linkage/person_name.h"
#include "linkage/text_fold.h"

namespace accompany::linkage {
namespace {

Sex read_sex(std::string_view text) {
  const auto folded = fold_text(text);
  if (folded == "f" || folded == "female") return Sex::female;
  if (folded == "m" || folded == "male") return Sex::male;
  return Sex::unknown;
}

Status check_header(std::string_view kind, std::string_view line, std::string_view expected) {
  std::string_view got = line;
  if (!got.empty() && got.back() == '\r') got.remove_suffix(1);
  if (got != expected) return invalid("header", got, fmt::format("a {} file must start with: {}", kind, expected));
  return {};
}

}  // namespace

std::string custody_day(std::string_view kind, const std::vector<std::string>& fields) {
  std::string day;
  if (kind == "cbp_custody" && fields.size() > 9) {
    const std::string& at = fields[9];  // MM/DD/YYYY HH:MM
    if (at.size() >= 10 && at[2] == '/' && at[5] == '/')
      day = at.substr(6, 4) + "-" + at.substr(0, 2) + "-" + at.substr(3, 2);
  } else if (kind == "orr_release" && fields.size() > 11) {
    day = fields[11];  // YYYY-MM-DD
  }
  // Anything that is not a calendar day is no custody date (missing, not a disagreement).
  if (day.empty() || !parse_date("custody date", day)) return {};
  return day;
}

const std::vector<FeedFile>& feed_files() {
  static const std::vector<FeedFile> files{
      {"cbp_custody", "cbp_custody.csv"},   {"orr_release", "orr_release.csv"},
      {"ice_nta", "ice_nta.jsonl"},         {"eoir_hearings", "eoir_hearings.psv"},
      {"orr_followup", "orr_followup.csv"}, {"address_changes", "address_changes.csv"},
  };
  return files;
}

std::string country_alpha2(std::string_view code_or_name) {
  static const std::unordered_map<std::string, std::string> table = [] {
    std::unordered_map<std::string, std::string> made;
    for (const char* const* code = uloc_getISOCountries(); *code; ++code) {
      const icu::Locale locale("", *code);
      made[fold_text(locale.getISO3Country())] = *code;
      icu::UnicodeString name;
      locale.getDisplayCountry(icu::Locale::getEnglish(), name);
      std::string utf8;
      name.toUTF8String(utf8);
      made[fold_text(utf8)] = *code;
    }
    return made;
  }();
  auto it = table.find(fold_text(code_or_name));
  return it == table.end() ? std::string() : it->second;
}

Result<std::vector<PersonRecord>> feed_records(std::string_view kind, std::string_view text) {
  const auto lines = split_lines(text);
  if (lines.empty()) return invalid("file", kind, "is empty: the header line is missing");
  std::vector<PersonRecord> records;
  auto record_for = [&](size_t index, std::string key) {
    PersonRecord r;
    r.source = std::string(kind);
    r.line = static_cast<uint32_t>(index + 1);
    r.key = std::move(key);
    r.attributes.resize(child_attribute_count);
    return r;
  };
  auto set_names = [](PersonRecord& r, NameTokens names) {
    r.given = std::move(names.given);
    r.surnames = std::move(names.surnames);
  };
  if (kind == "ice_nta") {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      boost::system::error_code ec;
      auto value = boost::json::parse(lines[i], ec);
      if (ec || !value.is_object()) return invalid("line", std::to_string(i + 1), "ice_nta.jsonl: not a JSON object");
      const auto& o = value.as_object();
      auto text_of = [](const boost::json::object& obj, std::string_view field) -> std::string {
        auto it = obj.find(field);
        return it != obj.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
      };
      auto r = record_for(i, text_of(o, "nta_id"));
      r.anumber = normalize_anumber(text_of(o, "anumber"));
      if (auto it = o.find("subject"); it != o.end() && it->value().is_object())
        set_names(r,
                  name_tokens(text_of(it->value().as_object(), "given"), text_of(it->value().as_object(), "family")));
      r.birth = parse_birth_date_loose(text_of(o, "dob"), DateOrder::ymd);
      records.push_back(std::move(r));
    }
    return records;
  }
  const char delimiter = kind == "eoir_hearings" ? '|' : ',';
  std::string_view header;
  if (kind == "cbp_custody") {
    header = "EVENT_ID,SUBJECT_ID,A_NUMBER,LAST_NAME,FIRST_NAME,DOB,SEX,CITIZENSHIP,EVENT_TYPE,EVENT_DT,LOCATION";
  } else if (kind == "orr_release") {
    header =
        "UAC_ID,A_NUMBER,FIRST_NAME,LAST_NAME_1,LAST_NAME_2,DOB,DOB_IS_ESTIMATED,GENDER,COUNTRY_OF_BIRTH,"
        "PRIMARY_LANGUAGE,INTERPRETER_NEEDED,ADMITTED_DATE,RELEASE_DATE,PROGRAM,SPONSOR_ID,SPONSOR_FIRST_NAME,"
        "SPONSOR_LAST_NAME_1,SPONSOR_LAST_NAME_2,SPONSOR_RELATIONSHIP,SPONSOR_CATEGORY,SPONSOR_PHONE,ADDRESS_LINE,"
        "ADDRESS_UNIT,CITY,STATE,ZIP";
  } else if (kind == "eoir_hearings") {
    header = "ANUMBER|LAST|FIRST|DOB|BASE_CITY|HEARING_DATE|HEARING_TIME|HEARING_TYPE|OUTCOME|ATTY_NAME";
  } else if (kind == "orr_followup") {
    header = "CALL_ID,UAC_ID,CALL_DUE,CALL_DATE,CALL_METHOD,CALL_RESULT";
  } else if (kind == "address_changes") {
    header = "FORM_ID,A_NUMBER,UAC_ID,FULL_NAME,DOB,STREET,UNIT,CITY,STATE,ZIP,RECEIVED_DATE,FORM_SOURCE";
  } else {
    return invalid("kind", kind, "is not a feed kind (see docs/feeds.md)");
  }
  ACCOMPANY_CHECK(check_header(kind, lines.front(), header));
  const size_t columns = split_csv_line(header, delimiter).size();
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const auto f = split_csv_line(lines[i], delimiter);
    if (f.size() != columns)
      return invalid("line", std::to_string(i + 1), fmt::format("{}: {} fields, expected {}", kind, f.size(), columns));
    if (kind == "cbp_custody") {
      auto r = record_for(i, f[0]);
      r.anumber = normalize_anumber(f[2]);
      set_names(r, name_tokens(f[4], f[3]));
      r.birth = parse_birth_date_loose(f[5], DateOrder::mdy);
      r.sex = read_sex(f[6]);
      r.country = country_alpha2(f[7]);
      r.attributes[custody_date] = custody_day(kind, f);
      records.push_back(std::move(r));
    } else if (kind == "orr_release") {
      auto r = record_for(i, f[0] + "+" + f[12]);
      r.anumber = normalize_anumber(f[1]);
      set_names(r, name_tokens(f[2], f[3], f[4]));
      r.birth = parse_birth_date_loose(f[5], DateOrder::ymd);
      if (r.birth && f[6] == "Y")  // the date is 1 January of an estimated year
        r.birth = BirthDate{BirthDatePrecision::estimated_age, r.birth->date, 0, std::nullopt};
      r.sex = read_sex(f[7]);
      r.country = country_alpha2(f[8]);
      r.attributes[uac_id] = f[0];
      r.attributes[custody_date] = custody_day(kind, f);
      // SPONSOR_PHONE is the sponsor's: siblings share it, so it is not the child's identity.
      records.push_back(std::move(r));
    } else if (kind == "eoir_hearings") {
      auto r = record_for(i, f[0] + "+" + f[5] + "+" + f[6]);
      r.anumber = normalize_anumber(f[0]);
      set_names(r, name_tokens(f[2], f[1]));
      r.birth = parse_birth_date_loose(f[3], DateOrder::dmy);
      records.push_back(std::move(r));
    } else if (kind == "orr_followup") {
      auto r = record_for(i, f[0]);
      r.attributes[uac_id] = f[1];
      records.push_back(std::move(r));
    } else {  // address_changes
      auto r = record_for(i, f[0]);
      r.anumber = normalize_anumber(f[1]);
      r.attributes[uac_id] = f[2];
      set_names(r, split_full_name(f[3]));
      r.birth = parse_birth_date_loose(f[4], DateOrder::ymd);
      records.push_back(std::move(r));
    }
  }
  return records;
}

Result<std::map<std::pair<std::string, uint32_t>, std::string>> parse_truth(std::string_view text) {
  const auto lines = split_lines(text);
  if (lines.empty() ||
      split_csv_line(lines.front()) != std::vector<std::string>{"feed", "line", "row_key", "child_key"})
    return invalid("header", lines.empty() ? "" : lines.front(),
                   "truth.csv must start with: feed,line,row_key,child_key");
  std::map<std::pair<std::string, uint32_t>, std::string> truth;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const auto f = split_csv_line(lines[i]);
    if (f.size() != 4 || f[1].empty() || f[1].find_first_not_of("0123456789") != std::string::npos)
      return invalid("line", std::to_string(i + 1), "truth.csv: expected feed,line,row_key,child_key");
    truth[{f[0], static_cast<uint32_t>(std::stoul(f[1]))}] = f[3];
  }
  return truth;
}

}  // namespace accompany::linkage

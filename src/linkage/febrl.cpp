// FEBRL benchmark reader and spec.
#include "linkage/febrl.h"

#include <fmt/format.h>

#include "linkage/birth_dates.h"
#include "linkage/csv_fields.h"
#include "linkage/person_name.h"
#include "linkage/text_fold.h"

namespace accompany::linkage {

Result<LabeledRecords> parse_febrl(std::string_view csv_text, std::string_view source_name) {
  LabeledRecords out;
  const auto lines = split_lines(csv_text);
  if (lines.empty() || split_csv_line(lines.front()).size() != 11 || split_csv_line(lines.front())[0] != "rec_id")
    return invalid("file", source_name, "not a FEBRL file: the header must be rec_id, given_name, ... soc_sec_id");
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const auto f = split_csv_line(lines[i]);
    const auto where = fmt::format("{} line {}", source_name, i + 1);
    if (f.size() != 11) return invalid("line", where, fmt::format("has {} fields, expected 11", f.size()));
    // rec-N-org / rec-N-dup-K: the person is N.
    const auto& id = f[0];
    const auto first_dash = id.find('-'), second_dash = id.find('-', first_dash + 1);
    if (id.rfind("rec-", 0) != 0 || second_dash == std::string::npos)
      return invalid("rec_id", id, fmt::format("{}: expected rec-N-org or rec-N-dup-K", where));
    PersonRecord r;
    r.source = std::string(source_name);
    r.line = static_cast<uint32_t>(i + 1);
    r.key = id;
    auto names = name_tokens(f[1], f[2]);
    r.given = std::move(names.given);
    r.surnames = std::move(names.surnames);
    r.birth = parse_birth_date_loose(f[9], DateOrder::ymd);
    r.attributes.resize(FebrlAttribute::count);
    r.attributes[street_number] = fold_text(f[3]);
    r.attributes[address_1] = fold_text(f[4]);
    r.attributes[address_2] = fold_text(f[5]);
    r.attributes[suburb] = fold_text(f[6]);
    r.attributes[postcode] = fold_text(f[7]);
    r.attributes[state] = fold_text(f[8]);
    r.attributes[soc_sec_id] = fold_text(f[10]);
    out.truth.push_back(id.substr(first_dash + 1, second_dash - first_dash - 1));
    out.records.push_back(std::move(r));
  }
  return out;
}

LinkageSpec febrl_linkage_spec() {
  LinkageSpec spec;
  spec.name = "febrl";
  spec.fields = {
      {"given_name", Comparator::given_names, -1},         {"surname", Comparator::surnames, -1},
      {"date_of_birth", Comparator::birth_date, -1},       {"soc_sec_id", Comparator::digits, soc_sec_id},
      {"street_number", Comparator::exact, street_number}, {"address_1", Comparator::text, address_1},
      {"address_2", Comparator::text, address_2},          {"suburb", Comparator::text, suburb},
      {"postcode", Comparator::digits, postcode},          {"state", Comparator::exact, state},
  };
  spec.blocking = {
      {BlockingKey::surname_phonetic_birth_year, -1}, {BlockingKey::given_phonetic_birth_day_month, -1},
      {BlockingKey::birth_date_any_order, -1},        {BlockingKey::given_surname_phonetic, -1},
      {BlockingKey::attribute, soc_sec_id},           {BlockingKey::attribute_given_initial, postcode},
  };
  return spec;
}

}  // namespace accompany::linkage

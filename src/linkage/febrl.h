// The FEBRL deduplication benchmark: its CSV read into person records, its truth, and its linkage spec.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "linkage/linkage_spec.h"

namespace accompany::linkage {

// Records with the true person of each (`truth[i]` labels records[i]).
struct LabeledRecords {
  std::vector<PersonRecord> records;
  std::vector<std::string> truth;
};

// Parses a FEBRL file (rec_id, given_name, surname, street_number, address_1, address_2, suburb,
// postcode, state, date_of_birth, soc_sec_id). "rec-N-org" and "rec-N-dup-K" are person N.
Result<LabeledRecords> parse_febrl(std::string_view csv_text, std::string_view source_name);

// Names and birth date as for children, plus FEBRL's address fields and social security number as
// attributes (indexes below). No code path elsewhere knows about FEBRL: only this spec does.
enum FebrlAttribute { street_number, address_1, address_2, suburb, postcode, state, soc_sec_id, count };
LinkageSpec febrl_linkage_spec();

}  // namespace accompany::linkage

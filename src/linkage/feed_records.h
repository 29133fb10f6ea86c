// The agency feeds of docs/feeds.md read as person records for linkage, and truth.csv for evaluation.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "linkage/person_record.h"

namespace accompany::linkage {

// The feed kinds and their file names, in docs/feeds.md order.
struct FeedFile {
  std::string_view kind;
  std::string_view file_name;
};
const std::vector<FeedFile>& feed_files();

// Child attribute slots used by child_linkage_spec(): ORR's case id links the ORR feeds to each other;
// the custody date (YYYY-MM-DD) is when the child came into federal custody as the row tells it.
enum ChildAttribute { uac_id, custody_date, child_attribute_count };

// The custody date of one data row of `kind` split into its columns: the day of CBP's EVENT_DT
// (apprehension or transfer to ORR), ORR release's ADMITTED_DATE; empty for other feeds or when the
// column does not hold a date.
std::string custody_day(std::string_view kind, const std::vector<std::string>& fields);

// Reads one feed's text into one record per data row (`line` is the physical line, header = 1).
// Identity fields only; a row whose identity cannot be read at all still yields a record (with what
// it has), since linkage decides what it is worth. A wrong header refuses the file.
Result<std::vector<PersonRecord>> feed_records(std::string_view kind, std::string_view text);

// truth.csv (feed,line,row_key,child_key): the true child of each (feed, line).
Result<std::map<std::pair<std::string, uint32_t>, std::string>> parse_truth(std::string_view text);

// ISO 3166-1 alpha-2 for an alpha-3 code ("GTM") or an English country name ("Guatemala"); empty if unknown.
std::string country_alpha2(std::string_view code_or_name);

}  // namespace accompany::linkage

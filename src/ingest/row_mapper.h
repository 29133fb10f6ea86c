// Turns one feed record into domain records, or says which column is wrong and why. Pure: no
// I/O, no store; the row writer decides which child the records belong to.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/address.h"
#include "domain/case_events.h"
#include "domain/child.h"
#include "domain/sponsor.h"
#include "ingest/feed.h"

namespace accompany {

// Who a row is about, as the feed says it: what linkage needs when no child is found.
struct RowIdentity {
  std::optional<ANumber> a_number;
  std::vector<std::pair<std::string_view, std::string>> local_ids;  // ("UAC_ID", "UAC00012345")
  std::string given_names, paternal_surname, maternal_surname;      // as written
  std::string birth_date;                                           // YYYY-MM-DD, or empty
  Sex sex = Sex::unknown;
  std::string country;       // alpha-2, or empty
  std::string custody_date;  // YYYY-MM-DD: CBP's EVENT_DT day, ORR's ADMITTED_DATE; else empty
};

// A validated row. Records that name a child carry child_id 0 (and sponsor_id/address id 0
// placeholders) until the writer links them.
struct MappedRow {
  std::string row_key;
  RowIdentity who;
  std::optional<Child> child;  // set where the feed may create the child (CBP, ORR release)
  std::string sponsor_local_id;
  std::optional<Sponsor> sponsor;
  std::optional<Address> address;
  std::optional<CustodyEvent> custody;
  std::optional<NoticeToAppear> notice;
  std::optional<Hearing> hearing;
  std::optional<WelfareCheck> welfare;
};

// Reusable buffers, so a long import does not allocate per row.
struct RowScratch {
  std::vector<std::string> fields;
};

// Splits and maps one record of `kind`. On failure the error names the feed column (or
// "(row)" for the row's shape); `row_key` is filled whenever the key columns could be read, so
// a bad row can still be recognized as a duplicate.
Result<MappedRow> map_record(FeedKind kind, std::string_view record, RowScratch& scratch, Date today,
                             std::string& row_key);

// Checks a header record against the feed's: names the first column that differs.
Status check_header(FeedKind kind, std::string_view record, RowScratch& scratch);

}  // namespace accompany

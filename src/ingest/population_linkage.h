// Record linkage over the whole store: every child and every row still in the unlinked pool are
// linked together (src/linkage), and the result is written back through audited units of work.
// Rules (docs/linkage.md, "Linkage against the store"):
//   - a pooled row whose person holds exactly one child is attached to that child: its records are
//     written as import would have, the pool row is marked linked;
//   - pooled rows that are one person without any child and hold an ORR release row become a new
//     child, created from that row as import creates one from an A-numbered row (ORR's UAC_ID is
//     the case id that defines the child), and every row of the person is attached to it;
//   - other pooled rows that are one person without any child stay pooled, grouped in unlinked_persons;
//   - two children are never merged here (different A-numbers name different children unless a
//     data steward decides otherwise): such pairs, and every uncertain pair, go to link_reviews.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "linkage/evaluation.h"
#include "linkage/fellegi_sunter.h"
#include "linkage/person_record.h"
#include "store/store.h"

namespace accompany {

struct FullLinkSummary {
  size_t children = 0;  // child records linked against
  size_t pooled = 0;    // open unlinked rows linked against
  size_t candidate_pairs = 0;
  size_t auto_links = 0;
  size_t attached = 0;          // pooled rows attached to a child (existing or created)
  size_t children_created = 0;  // children created from a pooled person holding an ORR release row
  size_t pooled_persons = 0;    // groups of two or more pooled rows with no child
  size_t reviews_added = 0;     // new pairs in the review queue
  size_t guard_refusals = 0;
  double seconds_loading = 0, seconds_linking = 0, seconds_writing = 0;

  std::string describe() const;
};

// What the population consists of: children first (record ids 0..children-1), then open pooled rows.
struct LinkagePopulation {
  std::vector<Child> children;
  std::vector<UnlinkedRow> pooled;
  std::vector<linkage::PersonRecord> records;
  std::unordered_map<std::string, Id> child_of_local_id;  // "UAC_ID=UAC00012345" -> child id
};
Result<LinkagePopulation> load_linkage_population(SqlConnection& sql);

// The score of one pair broken down per field, for the steward: {"fields": [{"field","agreement","weight"}],
// "rule": why it needs review, when a review rule fired}.
std::string explanation_json(const linkage::LinkageSpec& spec, const linkage::MatchModel& model,
                             const linkage::PersonRecord& a, const linkage::PersonRecord& b);

// Puts a pair in the data steward's queue (left/right: "children" or "unlinked_rows" and the id);
// false when the pair is there already (a steward's decision stands).
Result<bool> queue_link_review(UnitOfWork& unit, const std::pair<std::string, Id>& left,
                               const std::pair<std::string, Id>& right, double probability,
                               const std::string& explanation);

// A child's identity and a pooled row's, as linkage reads them (exposed for tests and the search index).
// `custody_date` (YYYY-MM-DD or empty) is the day of the child's first transfer to ORR; a pooled row's
// comes from its raw feed row (linkage::custody_day).
linkage::PersonRecord child_person(const Child& child, const std::vector<std::string>& uac_ids,
                                   const std::string& custody_date = {});
linkage::PersonRecord pooled_person(const UnlinkedRow& row);

// Attaches one open pooled row to a child (a steward's decision, or link_full's): its records are
// written as import would have, the row is marked linked. Audited.
Status attach_pooled_row(UnitOfWork& unit, Id unlinked_row_id, Id child_id);

// Re-links the whole population in one transaction. `threads` for the comparison phase.
Result<FullLinkSummary> link_full(Store& store, const AuditContext& context, unsigned threads = 2);

// Where the store put every feed row it took in, by (feed kind, row key): "child 12" for a row
// attached to a child, "pooled person 40" for pooled rows linkage grouped, "pooled row 41" for a
// pooled row on its own. Rows only ever quarantined are not there.
Result<std::map<std::pair<std::string, std::string>, std::string>> stored_entities(Store& store);

struct StoredLinkageEvaluation {
  size_t rows = 0;      // truth rows found in the store
  size_t entities = 0;  // children and pooled persons they fall into
  size_t absent = 0;    // truth rows the store does not hold (quarantined)
  linkage::Scores pairs, clusters;
};
// Scores what the store holds against `truth_csv` (truth.csv of `accompany synth`:
// feed,line,row_key,child_key), by (feed, row key); rows the store does not hold are left out.
Result<StoredLinkageEvaluation> evaluate_stored_linkage(Store& store, std::string_view truth_csv);

}  // namespace accompany

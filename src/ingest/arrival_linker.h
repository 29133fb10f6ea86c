// Links a feed row on arrival: a row the importer would pool (no A-number or feed id it knows) is
// scored against the children and pooled rows already in the store with the match model of the
// last `accompany link --full`, the same scoring link --full uses (docs/linkage.md, "Link on
// arrival"):
//   - auto-link (probability >= the spec's link threshold, no review rule firing) to exactly one
//     child: the row is attached to that child as import attaches a known child's row; pooled rows
//     it also links to join the child too (guard permitting), so A=B and B=C never leaves two records;
//   - auto-links to several children: ambiguous, the row is pooled and each pair goes to review;
//   - the review band: the row is pooled and the pair goes to the data steward's review queue;
//   - links to pooled rows only: the row is pooled and grouped with them (unlinked_persons).
// Every write is audited (attachments through UnitOfWork, one "link" event per decision).
// Without a saved model (no link --full yet) rows are pooled as before and wait for link --full.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ingest/arrival_hook.h"
#include "linkage/blocking.h"
#include "linkage/fellegi_sunter.h"
#include "linkage/linkage_spec.h"

namespace accompany {

// The model of the last full re-link, kept in linkage_models (migration 0010).
Status save_linkage_model(UnitOfWork& unit, const linkage::LinkageSpec& spec, const linkage::MatchModel& model,
                          size_t records);
// The newest saved model for `spec`, or none (never saved, or saved for other comparison levels).
Result<std::optional<linkage::MatchModel>> load_linkage_model(SqlConnection& sql, const linkage::LinkageSpec& spec);

class ArrivalLinker final : public ArrivalLinking {
 public:
  ArrivalLinker();
  ArrivalLinker(const ArrivalLinker&) = delete;  // the block index refers to spec_
  ArrivalLinker& operator=(const ArrivalLinker&) = delete;

  // The population is loaded from the store on the first row asked about (inside that unit).
  Result<std::optional<Id>> child_for(UnitOfWork& unit, const MappedRow& row, std::string_view kind,
                                      std::int64_t line) override;
  Status pooled(UnitOfWork& unit, Id unlinked_row_id) override;

  struct Stats {
    bool model_found = false;
    size_t population = 0;  // records loaded (children + open pooled rows)
    size_t rows = 0;        // rows asked about
    size_t attached = 0;    // attached to a child on arrival
    size_t pooled_rows_attached = 0;  // pooled rows that followed a row to its child
    size_t grouped = 0;     // pooled, grouped with pooled rows it links to
    size_t reviews = 0;     // review pairs queued
    double seconds_loading = 0, seconds_linking = 0;  // CPU time of the importing thread
    std::string describe() const;
  };
  const Stats& stats() const { return stats_; }

 private:
  // A record in the index stands for a child (its identity, or a row attached to it on arrival) or
  // an open pooled row.
  struct Entity {
    bool child = false;
    Id id = 0;
  };
  struct Scored {
    uint32_t record = 0;
    double probability = 0;
  };
  Status load(UnitOfWork& unit);
  uint32_t add_record(linkage::PersonRecord record, Entity entity);
  double probability(const linkage::PersonRecord& a, const linkage::PersonRecord& b, bool* auto_link) const;
  // Mean probability of `members` against `with` over the pairs sharing a field (the clustering guard).
  bool guard_allows(const std::vector<uint32_t>& members, const std::vector<const linkage::PersonRecord*>& with) const;
  std::vector<uint32_t> pooled_person_members(uint32_t record) const;
  Status queue_review(UnitOfWork& unit, Entity left, const linkage::PersonRecord& left_record, Entity right,
                      const linkage::PersonRecord& right_record, double probability);

  linkage::LinkageSpec spec_;
  linkage::MatchModel model_;
  linkage::TokenFrequencies frequencies_;
  linkage::BlockIndex index_;
  bool loaded_ = false;
  std::vector<linkage::PersonRecord> records_;
  std::vector<Entity> entities_;
  std::unordered_map<Id, uint32_t> record_of_child_;   // child id -> its identity record
  std::unordered_map<Id, uint32_t> record_of_pooled_;  // unlinked row id -> record
  std::unordered_map<Id, Id> person_of_pooled_;        // unlinked row id -> person (smallest row id)
  std::unordered_map<Id, std::vector<Id>> rows_of_person_;
  // The row last asked about and not attached: what pooled() writes once it has an id.
  struct Pending {
    linkage::PersonRecord record;
    std::vector<Scored> pooled_links, reviews;
  };
  std::optional<Pending> pending_;
  Stats stats_;
};

}  // namespace accompany

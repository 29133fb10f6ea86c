// Record linkage end to end: blocking, comparison, EM, thresholds, clustering; full and incremental.
#pragma once

#include <cstdint>
#include <vector>

#include "linkage/blocking.h"
#include "linkage/clustering.h"
#include "linkage/fellegi_sunter.h"
#include "linkage/linkage_spec.h"

namespace accompany::linkage {

struct LinkageResult {
  MatchModel model;
  size_t candidate_pairs = 0;
  std::vector<ScoredPair> links;     // at or above the auto-link threshold
  std::vector<ScoredPair> review;    // between the review and the auto-link thresholds: for the data steward
  std::vector<uint32_t> cluster_of;  // per record: the smallest record id of its person
  TokenFrequencies frequencies;      // of name tokens, when the spec weighs names by frequency
  size_t guard_refusals = 0;
  double seconds_blocking = 0, seconds_comparing = 0, seconds_estimating = 0, seconds_clustering = 0;
};

// Links `records` from scratch on `threads` threads. Deterministic for a given input (the random
// pairs that estimate u come from a fixed seed).
LinkageResult link_records(const LinkageSpec& spec, const std::vector<PersonRecord>& records, unsigned threads = 2);

// A linkage kept current as rows arrive one by one, with a model estimated by a full run.
// Not thread-safe: one writer at a time.
class IncrementalLinker {
 public:
  // Starts from records already linked (`cluster_of` as link_records returns it).
  IncrementalLinker(LinkageSpec spec, MatchModel model, std::vector<PersonRecord> records,
                    const std::vector<uint32_t>& cluster_of);
  IncrementalLinker(const IncrementalLinker&) = delete;  // the block index refers to spec_
  IncrementalLinker& operator=(const IncrementalLinker&) = delete;

  struct Outcome {
    uint32_t id = 0;      // the new record's id
    uint32_t person = 0;  // its cluster's label after linking (smallest record id)
    std::vector<ScoredPair> links, review;
  };
  // Compares the new row with the rows sharing a blocking key, links it to the clusters it matches
  // (guard permitting) and lists the uncertain pairs for review.
  Outcome add(PersonRecord record);
  const std::vector<PersonRecord>& records() const { return records_; }
  uint32_t person_of(uint32_t id);
  // Match probability of two known records, as linking computes it.
  double probability_of(uint32_t x, uint32_t y) const;

 private:
  LinkageSpec spec_;
  MatchModel model_;
  std::vector<PersonRecord> records_;
  BlockIndex index_;
  Clusters clusters_;
  TokenFrequencies frequencies_;
};

}  // namespace accompany::linkage

// Blocking: which pairs of records are worth comparing, from several independent keys.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "linkage/linkage_spec.h"

namespace accompany::linkage {

using RecordId = uint32_t;

// The blocking keys of one record under `spec`, each prefixed by its rule's index so keys of
// different rules never collide. A record yields several keys per rule (one per surname token).
std::vector<std::string> blocking_keys(const LinkageSpec& spec, const PersonRecord& record);

// A key -> records index, kept current as records arrive. Not thread-safe for concurrent writes.
class BlockIndex {
 public:
  explicit BlockIndex(const LinkageSpec& spec) : spec_(spec) {}
  void add(RecordId id, const PersonRecord& record);
  // Every candidate pair (smaller id first, packed as id_a << 32 | id_b), sorted and without repeats.
  // Oversized blocks are compared by a sliding window in name order (see LinkageSpec::window).
  // With `only_rule` >= 0, only the pairs that rule's blocks produce.
  // With `rule_samples`, also fills rule_samples[r] with about `per_rule` of the pairs rule r's blocks
  // produce (a deterministic pseudo-random sample, sorted, without repeats: EM training per rule),
  // in the same pass instead of one pass per rule.
  std::vector<uint64_t> candidate_pairs(const std::vector<PersonRecord>& records, int only_rule = -1,
                                        std::vector<std::vector<uint64_t>>* rule_samples = nullptr,
                                        size_t per_rule = 0) const;
  // The records sharing a key of normal size with `record` (for linking one new row), without repeats.
  std::vector<RecordId> candidates_for(const PersonRecord& record) const;
  size_t block_count() const { return blocks_.size(); }

 private:
  const LinkageSpec& spec_;
  std::unordered_map<std::string, std::vector<RecordId>> blocks_;
};

inline uint64_t pack_pair(RecordId a, RecordId b) {
  return a < b ? (uint64_t{a} << 32) | b : (uint64_t{b} << 32) | a;
}
inline RecordId pair_first(uint64_t packed) {
  return static_cast<RecordId>(packed >> 32);
}
inline RecordId pair_second(uint64_t packed) {
  return static_cast<RecordId>(packed & 0xffffffffu);
}

}  // namespace accompany::linkage

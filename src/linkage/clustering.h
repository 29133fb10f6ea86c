// Clustering linked pairs into persons: transitive (A=B, B=C => one person) with a guard on chains.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace accompany::linkage {

struct ScoredPair {
  uint32_t a = 0, b = 0;
  double probability = 0;
};

struct ClusterGuard {
  // Two clusters merge only when the mean match probability over their cross pairs (those with a field
  // to compare) reaches this.
  double min_mean_cross_probability = 0.5;
  // A merge that would make a cluster larger than this is refused (no child has that many rows).
  size_t max_cluster_size = 64;
};

// Union-find with path halving and union by size; also keeps each cluster's members.
class Clusters {
 public:
  explicit Clusters(size_t n);
  uint32_t find(uint32_t x);
  const std::vector<uint32_t>& members(uint32_t root) const { return members_[root]; }
  void merge(uint32_t root_a, uint32_t root_b);
  size_t size() const { return parent_.size(); }
  // Grows by one singleton (for a record that arrives later); returns its id.
  uint32_t add();
  // Cluster label of every record: the smallest record id in its cluster.
  std::vector<uint32_t> labels();

 private:
  std::vector<uint32_t> parent_;
  std::vector<std::vector<uint32_t>> members_;
};

// Probability that records x and y are the same person (recomputed for the guard's cross pairs), or
// NaN when the two share no field to compare (no evidence: the guard leaves the pair out).
using PairProbability = std::function<double(uint32_t, uint32_t)>;

// Applies `pairs` (each already at or above the auto-link threshold) strongest first. Whatever the
// order of input, every returned cluster is closed under the accepted links: no two clusters share
// a record, so one child never ends up as two persons through an accepted link. Returns how many
// links the guard refused.
size_t cluster_pairs(Clusters& clusters, std::vector<ScoredPair> pairs, const ClusterGuard& guard,
                     const PairProbability& probability);

// Whether the guard lets the clusters of x and y merge.
bool guard_allows(Clusters& clusters, uint32_t x, uint32_t y, const ClusterGuard& guard,
                  const PairProbability& probability);

}  // namespace accompany::linkage

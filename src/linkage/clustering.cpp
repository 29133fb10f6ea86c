// Guarded union-find clustering of linked pairs.
#include "linkage/clustering.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace accompany::linkage {

Clusters::Clusters(size_t n) : parent_(n), members_(n) {
  std::iota(parent_.begin(), parent_.end(), 0u);
  for (uint32_t i = 0; i < n; ++i) members_[i] = {i};
}

uint32_t Clusters::find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void Clusters::merge(uint32_t a, uint32_t b) {
  a = find(a);
  b = find(b);
  if (a == b) return;
  if (members_[a].size() < members_[b].size()) std::swap(a, b);
  parent_[b] = a;
  members_[a].insert(members_[a].end(), members_[b].begin(), members_[b].end());
  members_[b].clear();
  members_[b].shrink_to_fit();
}

uint32_t Clusters::add() {
  const auto id = static_cast<uint32_t>(parent_.size());
  parent_.push_back(id);
  members_.push_back({id});
  return id;
}

std::vector<uint32_t> Clusters::labels() {
  std::vector<uint32_t> label(parent_.size());
  for (uint32_t i = 0; i < parent_.size(); ++i) {
    const auto& m = members_[find(i)];
    label[i] = *std::min_element(m.begin(), m.end());
  }
  return label;
}

bool guard_allows(Clusters& clusters, uint32_t x, uint32_t y, const ClusterGuard& guard,
                  const PairProbability& probability) {
  const uint32_t a = clusters.find(x), b = clusters.find(y);
  if (a == b) return true;
  const auto& ma = clusters.members(a);
  const auto& mb = clusters.members(b);
  if (ma.size() + mb.size() > guard.max_cluster_size) return false;
  if (ma.size() == 1 && mb.size() == 1) return true;  // the link itself is the only cross pair
  // Average linkage over the cross pairs that can be judged: a pair with no field both rows hold (a
  // follow-up call carrying only ORR's case id against a border apprehension) says nothing either
  // way, and counting its prior-only probability would refuse every merge it takes part in.
  double total = 0;
  size_t judged = 0;
  for (uint32_t i : ma)
    for (uint32_t j : mb) {
      const double p = probability(i, j);
      if (std::isnan(p)) continue;
      total += p;
      ++judged;
    }
  return judged == 0 || total / static_cast<double>(judged) >= guard.min_mean_cross_probability;
}

size_t cluster_pairs(Clusters& clusters, std::vector<ScoredPair> pairs, const ClusterGuard& guard,
                     const PairProbability& probability) {
  // Strongest links first, so a chain is judged from its most certain core outward; ties by ids
  // make the result independent of input order.
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    if (x.probability != y.probability) return x.probability > y.probability;
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  });
  size_t refused = 0;
  for (const auto& pair : pairs) {
    if (clusters.find(pair.a) == clusters.find(pair.b)) continue;
    if (!guard_allows(clusters, pair.a, pair.b, guard, probability)) {
      ++refused;
      continue;
    }
    clusters.merge(pair.a, pair.b);
  }
  return refused;
}

}  // namespace accompany::linkage

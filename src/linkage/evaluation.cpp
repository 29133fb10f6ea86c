// Pair and cluster metrics by counting, never by enumerating all pairs.
#include "linkage/evaluation.h"

#include <map>
#include <unordered_map>

#include "linkage/blocking.h"

namespace accompany::linkage {
namespace {

uint64_t pairs_in(uint64_t n) {
  return n * (n - 1) / 2;
}

// Sizes of predicted clusters, of true persons, and of each (cluster, person) overlap.
struct Tally {
  std::unordered_map<uint32_t, uint64_t> predicted_sizes;
  std::unordered_map<std::string, uint64_t> true_sizes;
  std::map<std::pair<uint32_t, std::string>, uint64_t> overlap;

  Tally(const std::vector<uint32_t>& predicted, const std::vector<std::string>& truth) {
    for (size_t i = 0; i < predicted.size(); ++i) {
      ++predicted_sizes[predicted[i]];
      ++true_sizes[truth[i]];
      ++overlap[{predicted[i], truth[i]}];
    }
  }
};

}  // namespace

Scores pair_scores(const std::vector<uint32_t>& predicted, const std::vector<std::string>& truth) {
  const Tally tally(predicted, truth);
  Scores s;
  for (const auto& [label, n] : tally.predicted_sizes) s.predicted += pairs_in(n);
  for (const auto& [label, n] : tally.true_sizes) s.actual += pairs_in(n);
  for (const auto& [labels, n] : tally.overlap) s.true_positives += pairs_in(n);
  return s;
}

Scores cluster_scores(const std::vector<uint32_t>& predicted, const std::vector<std::string>& truth) {
  // A predicted cluster is exact when all its records share one true label and that label has no
  // other records: its overlap count equals both sizes.
  const Tally tally(predicted, truth);
  Scores s;
  s.predicted = tally.predicted_sizes.size();
  s.actual = tally.true_sizes.size();
  for (const auto& [labels, n] : tally.overlap)
    if (n == tally.predicted_sizes.at(labels.first) && n == tally.true_sizes.at(labels.second)) ++s.true_positives;
  return s;
}

Scores decision_scores(const std::vector<uint64_t>& linked, const std::vector<std::string>& truth) {
  std::unordered_map<std::string, uint64_t> true_sizes;
  for (const auto& label : truth) ++true_sizes[label];
  Scores s;
  for (const auto& [label, n] : true_sizes) s.actual += pairs_in(n);
  s.predicted = linked.size();
  for (uint64_t pair : linked)
    if (truth[pair_first(pair)] == truth[pair_second(pair)]) ++s.true_positives;
  return s;
}

}  // namespace accompany::linkage

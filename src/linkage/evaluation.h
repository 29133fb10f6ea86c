// Precision, recall and F1 of a linkage against known truth, for pairs and for whole clusters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace accompany::linkage {

struct Scores {
  uint64_t true_positives = 0, predicted = 0, actual = 0;
  double precision() const {
    return predicted ? static_cast<double>(true_positives) / static_cast<double>(predicted) : 1.0;
  }
  double recall() const { return actual ? static_cast<double>(true_positives) / static_cast<double>(actual) : 1.0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
};

// Pairs: every pair of records put in one cluster is a predicted link; every pair of records of one
// true person is an actual link. `predicted[i]` and `truth[i]` are any labels of record i.
Scores pair_scores(const std::vector<uint32_t>& predicted, const std::vector<std::string>& truth);
// Clusters: a predicted cluster is right when it holds exactly the records of one true person.
Scores cluster_scores(const std::vector<uint32_t>& predicted, const std::vector<std::string>& truth);
// Pairwise decisions before clustering: `linked` pairs (packed ids, see blocking.h) against the truth.
Scores decision_scores(const std::vector<uint64_t>& linked, const std::vector<std::string>& truth);

}  // namespace accompany::linkage

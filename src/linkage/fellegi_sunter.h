// Fellegi–Sunter scoring with m and u probabilities estimated from the data (random pairs + EM).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "linkage/linkage_spec.h"

namespace accompany::linkage {

// One pair's agreement level per field of the spec (-1 = missing), the "comparison vector".
using Comparison = std::vector<int8_t>;
Comparison compare_records(const LinkageSpec& spec, const PersonRecord& a, const PersonRecord& b);

// m[l] = P(level l | same person), u[l] = P(level l | different people), for one field.
struct FieldProbabilities {
  std::vector<double> m, u;
};

struct MatchModel {
  double prior = 0.01;  // P(same person) among candidate pairs
  std::vector<FieldProbabilities> fields;
  int iterations = 0;
  bool converged = false;

  // log2 Bayes factor of one field's level (0 when missing): the "match weight" it contributes.
  double field_weight(size_t field, int level) const;
  // log2 prior odds + the sum of field weights.
  double match_weight(const Comparison& comparison) const;
  // The weight as a probability in [0, 1].
  static double probability(double match_weight);
};

// How common each name token is among the records (share of records with a given name, resp. surname,
// holding it). Agreement on "maria" is weaker evidence than agreement on "yesenia".
struct TokenFrequencies {
  std::unordered_map<std::string, double> given, surnames;
  static TokenFrequencies count(const std::vector<PersonRecord>& records);
};

// The match weight of a pair with term-frequency adjustment: for names agreeing exactly or by subset,
// u becomes the chance that a random record holds the shared tokens (the product of their
// frequencies) instead of the average agreement rate, as Splink's term-frequency adjustment does.
// The adjustment is capped at +/- kMaxTermFrequencyBits per field. `frequencies` may be null (none).
inline constexpr double kMaxTermFrequencyBits = 6.0;
double pair_weight(const LinkageSpec& spec, const MatchModel& model, const TokenFrequencies* frequencies,
                   const Comparison& comparison, const PersonRecord& a, const PersonRecord& b);
// True when a comparison has a name field whose weight term frequencies would change.
bool term_frequency_applies(const LinkageSpec& spec, const Comparison& comparison);

// Frequencies of each distinct comparison vector: EM runs on these, not on millions of pairs.
struct PatternCounts {
  std::vector<Comparison> patterns;
  std::vector<double> counts;
  void add(const Comparison& comparison, double count = 1.0);
};

// u from `random_pairs` (pairs drawn at random, nearly all non-matches); then EM over the candidate
// pairs' patterns estimates the prior and m (and u too with spec.em_updates_u). Conditional
// independence of the fields given match status is assumed, as in Fellegi–Sunter.
MatchModel estimate_model(const LinkageSpec& spec, const PatternCounts& candidates, const PatternCounts& random_pairs,
                          int max_iterations = 200, double tolerance = 1e-7);

// Re-estimates only the prior over `candidates`, m and u held fixed.
void estimate_prior(MatchModel& model, const PatternCounts& candidates, int max_iterations = 200,
                    double tolerance = 1e-9);

// m from several EM runs, one per blocking rule, each over that rule's pairs with the fields the rule
// forces to agree masked out (`per_rule[r]` patterns already masked, `masked[r]` lists the fields);
// a field's m is the median over the rules that could estimate it, falling back to `whole` (EM over all
// candidates) for a field no rule leaves free. Then the prior is fitted over all candidates. This is
// Splink's training scheme: EM on pairs that all agree on a field would otherwise mistake "agrees on
// the blocking key" for "same person".
MatchModel combine_rule_models(const LinkageSpec& spec, const std::vector<MatchModel>& per_rule,
                               const std::vector<std::vector<size_t>>& masked, const MatchModel& whole,
                               const PatternCounts& candidates);

// One line per field: "surnames: exact (any order) +9.2" — why a pair scored as it did.
std::vector<std::string> explain(const LinkageSpec& spec, const MatchModel& model, const Comparison& comparison);

}  // namespace accompany::linkage

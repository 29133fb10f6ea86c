// The linkage pipeline; comparisons run on worker threads, everything else is sequential and cheap.
#include "linkage/linker.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <thread>
#include <unordered_map>

namespace accompany::linkage {
namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A comparison vector packed 4 bits per field (level + 1), so pairs cost 8 bytes and patterns hash.
uint64_t encode(const Comparison& c) {
  uint64_t code = 0;
  for (size_t f = 0; f < c.size(); ++f) code |= static_cast<uint64_t>(c[f] + 1) << (4 * f);
  return code;
}
Comparison decode(uint64_t code, size_t fields) {
  Comparison c(fields);
  for (size_t f = 0; f < fields; ++f) c[f] = static_cast<int8_t>(static_cast<int>((code >> (4 * f)) & 0xf) - 1);
  return c;
}

// A pair's match probability for the clustering guard: NaN when the two rows share no field (no
// evidence either way, see ClusterGuard).
double guard_probability(const LinkageSpec& spec, const MatchModel& model, const TokenFrequencies* frequencies,
                         const PersonRecord& a, const PersonRecord& b) {
  const auto comparison = compare_records(spec, a, b);
  if (std::all_of(comparison.begin(), comparison.end(), [](int8_t level) { return level < 0; }))
    return std::numeric_limits<double>::quiet_NaN();
  return MatchModel::probability(pair_weight(spec, model, frequencies, comparison, a, b));
}

// The margin rule (LinkageSpec::margin_bits): review pairs one of whose records has a far stronger
// auto-link to another record leave the queue.
void drop_reviews_beaten_by_margin(const LinkageSpec& spec, const std::vector<ScoredPair>& links,
                                   std::vector<ScoredPair>& review, size_t records) {
  if (spec.margin_bits <= 0 || review.empty()) return;
  std::vector<double> best_link(records, 0.0);
  for (const auto& link : links) {
    best_link[link.a] = std::max(best_link[link.a], link.probability);
    best_link[link.b] = std::max(best_link[link.b], link.probability);
  }
  std::erase_if(review, [&](const ScoredPair& pair) {
    return beaten_by_margin(spec, pair.probability, std::max(best_link[pair.a], best_link[pair.b]));
  });
}

}  // namespace

LinkageResult link_records(const LinkageSpec& spec, const std::vector<PersonRecord>& records, unsigned threads) {
  LinkageResult result;
  const size_t nf = spec.fields.size();
  auto start = Clock::now();
  BlockIndex index(spec);
  for (RecordId id = 0; id < records.size(); ++id) index.add(id, records[id]);
  // Each rule's EM training pairs are sampled in the same pass (see the per-rule runs below).
  std::vector<std::vector<uint64_t>> rule_samples;
  const auto pairs = index.candidate_pairs(records, -1, &rule_samples, spec.training_pairs_per_rule);
  result.candidate_pairs = pairs.size();
  result.seconds_blocking = seconds_since(start);

  start = Clock::now();
  std::vector<uint64_t> codes(pairs.size());
  threads = std::max(1u, threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (size_t i = t; i < pairs.size(); i += threads)
        codes[i] = encode(compare_records(spec, records[pair_first(pairs[i])], records[pair_second(pairs[i])]));
    });
  for (auto& w : workers) w.join();
  result.seconds_comparing = seconds_since(start);

  start = Clock::now();
  std::unordered_map<uint64_t, double> code_counts;
  for (uint64_t code : codes) code_counts[code] += 1;
  PatternCounts candidates;
  for (const auto& [code, count] : code_counts) candidates.add(decode(code, nf), count);
  PatternCounts random_pairs;
  if (records.size() >= 2) {
    std::mt19937_64 rng(20240611);
    std::uniform_int_distribution<RecordId> pick(0, static_cast<RecordId>(records.size() - 1));
    std::unordered_map<uint64_t, double> random_counts;
    // A hundred pairs per record is plenty for a small set and keeps tests quick; large sets stop at the cap.
    const size_t samples = std::min(spec.u_sample_pairs, records.size() * 100);
    for (size_t i = 0; i < samples; ++i) {
      const RecordId a = pick(rng), b = pick(rng);
      if (a == b) continue;
      random_counts[encode(compare_records(spec, records[a], records[b]))] += 1;
    }
    for (const auto& [code, count] : random_counts) random_pairs.add(decode(code, nf), count);
  }
  const MatchModel whole = estimate_model(spec, candidates, random_pairs);
  std::vector<MatchModel> rule_models;
  std::vector<std::vector<size_t>> rule_masks;
  for (size_t r = 0; r < spec.blocking.size(); ++r) {
    const auto& rule_pairs = rule_samples[r];
    if (rule_pairs.size() < 50) continue;  // too few pairs to say anything
    const auto masked = fields_used_by(spec, spec.blocking[r]);
    uint64_t keep = ~uint64_t{0};
    for (size_t f : masked) keep &= ~(uint64_t{0xf} << (4 * f));  // nibble 0 decodes as missing
    std::unordered_map<uint64_t, double> rule_counts;
    for (size_t i = 0; i < rule_pairs.size(); ++i) {
      const auto at = std::lower_bound(pairs.begin(), pairs.end(), rule_pairs[i]);
      rule_counts[codes[static_cast<size_t>(at - pairs.begin())] & keep] += 1;
    }
    PatternCounts rule_patterns;
    for (const auto& [code, count] : rule_counts) rule_patterns.add(decode(code, nf), count);
    rule_models.push_back(estimate_model(spec, rule_patterns, random_pairs));
    rule_masks.push_back(masked);
  }
  result.model = combine_rule_models(spec, rule_models, rule_masks, whole, candidates);
  // The prior EM fits is P(match) among candidate pairs, but u comes from random pairs: scoring a
  // pair with both would count the blocking key's agreement twice (candidates agree on it by
  // construction). Scored against random-pair u, the prior must be the random-pair one too:
  // expected matches (all inside candidates, if blocking loses none) over all pairs.
  if (records.size() >= 2) {
    const double all_pairs = static_cast<double>(records.size()) * static_cast<double>(records.size() - 1) / 2.0;
    result.model.prior =
        std::clamp(result.model.prior * static_cast<double>(pairs.size()) / all_pairs, 1e-12, 1.0 - 1e-9);
  }
  if (spec.term_frequencies) result.frequencies = TokenFrequencies::count(records);
  const TokenFrequencies* frequencies = spec.term_frequencies ? &result.frequencies : nullptr;
  // Patterns without exact name agreement score the same whatever the names; the others are scored
  // per pair with the names' frequencies.
  std::unordered_map<uint64_t, double> probability_of;
  std::unordered_map<uint64_t, bool> per_pair;
  for (const auto& [code, count] : code_counts) {
    const auto comparison = decode(code, nf);
    probability_of[code] = MatchModel::probability(result.model.match_weight(comparison));
    per_pair[code] = frequencies && term_frequency_applies(spec, comparison);
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const RecordId a = pair_first(pairs[i]), b = pair_second(pairs[i]);
    const double p = per_pair[codes[i]]
                         ? MatchModel::probability(pair_weight(spec, result.model, frequencies, decode(codes[i], nf),
                                                               records[a], records[b]))
                         : probability_of[codes[i]];
    const ScoredPair scored{pair_first(pairs[i]), pair_second(pairs[i]), p};
    if (p >= spec.link_probability && !needs_review(spec, decode(codes[i], nf))) {
      result.links.push_back(scored);
    } else if (p >= spec.review_probability) {
      result.review.push_back(scored);
    }
  }
  drop_reviews_beaten_by_margin(spec, result.links, result.review, records.size());
  result.seconds_estimating = seconds_since(start);

  start = Clock::now();
  Clusters clusters(records.size());
  const auto probability = [&](uint32_t x, uint32_t y) {
    return guard_probability(spec, result.model, frequencies, records[x], records[y]);
  };
  result.guard_refusals = cluster_pairs(
      clusters, result.links, ClusterGuard{spec.min_mean_cross_probability, spec.max_cluster_size}, probability);
  result.cluster_of = clusters.labels();
  result.seconds_clustering = seconds_since(start);
  return result;
}

IncrementalLinker::IncrementalLinker(LinkageSpec spec, MatchModel model, std::vector<PersonRecord> records,
                                     const std::vector<uint32_t>& cluster_of)
    : spec_(std::move(spec)),
      model_(std::move(model)),
      records_(std::move(records)),
      index_(spec_),
      clusters_(records_.size()) {
  // Frequencies of the population already linked; a few new rows do not move them measurably.
  if (spec_.term_frequencies) frequencies_ = TokenFrequencies::count(records_);
  for (RecordId id = 0; id < records_.size(); ++id) {
    index_.add(id, records_[id]);
    if (id < cluster_of.size()) clusters_.merge(id, cluster_of[id]);
  }
}

double IncrementalLinker::probability_of(uint32_t x, uint32_t y) const {
  const auto& a = records_[x];
  const auto& b = records_[y];
  return MatchModel::probability(
      pair_weight(spec_, model_, spec_.term_frequencies ? &frequencies_ : nullptr, compare_records(spec_, a, b), a, b));
}

uint32_t IncrementalLinker::person_of(uint32_t id) {
  const auto& m = clusters_.members(clusters_.find(id));
  return *std::min_element(m.begin(), m.end());
}

IncrementalLinker::Outcome IncrementalLinker::add(PersonRecord record) {
  Outcome outcome;
  const auto candidates = index_.candidates_for(record);
  outcome.id = static_cast<uint32_t>(records_.size());
  records_.push_back(std::move(record));
  clusters_.add();
  const auto& added = records_.back();
  for (RecordId other : candidates) {
    const double p = probability_of(outcome.id, other);
    if (p >= spec_.link_probability && !needs_review(spec_, compare_records(spec_, added, records_[other]))) {
      outcome.links.push_back({other, outcome.id, p});
    } else if (p >= spec_.review_probability) {
      outcome.review.push_back({other, outcome.id, p});
    }
  }
  double best_link = 0;
  for (const auto& link : outcome.links) best_link = std::max(best_link, link.probability);
  std::erase_if(outcome.review,
                [&](const ScoredPair& pair) { return beaten_by_margin(spec_, pair.probability, best_link); });
  const auto probability = [this](uint32_t x, uint32_t y) {
    return guard_probability(spec_, model_, spec_.term_frequencies ? &frequencies_ : nullptr, records_[x], records_[y]);
  };
  cluster_pairs(clusters_, outcome.links, ClusterGuard{spec_.min_mean_cross_probability, spec_.max_cluster_size},
                probability);
  index_.add(outcome.id, added);
  outcome.person = person_of(outcome.id);
  return outcome;
}

}  // namespace accompany::linkage

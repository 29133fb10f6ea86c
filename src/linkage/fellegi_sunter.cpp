// EM for Fellegi–Sunter m/u probabilities over comparison patterns.
#include "linkage/fellegi_sunter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "linkage/name_compare.h"

namespace accompany::linkage {
namespace {

// No level is ever impossible: a floor keeps weights finite for levels the sample happened not to show.
constexpr double kFloor = 1e-5;

void normalize(std::vector<double>& p) {
  double total = 0;
  for (double& x : p) total += (x = std::max(x, kFloor));
  for (double& x : p) x /= total;
}

}  // namespace

Comparison compare_records(const LinkageSpec& spec, const PersonRecord& a, const PersonRecord& b) {
  Comparison c(spec.fields.size());
  for (size_t f = 0; f < spec.fields.size(); ++f) c[f] = static_cast<int8_t>(compare_field(spec.fields[f], a, b));
  return c;
}

double MatchModel::field_weight(size_t field, int level) const {
  if (level < 0) return 0.0;
  const auto& p = fields[field];
  return std::log2(p.m[static_cast<size_t>(level)] / p.u[static_cast<size_t>(level)]);
}

double MatchModel::match_weight(const Comparison& comparison) const {
  double w = std::log2(prior / (1.0 - prior));
  for (size_t f = 0; f < comparison.size(); ++f) w += field_weight(f, comparison[f]);
  return w;
}

double MatchModel::probability(double match_weight) {
  return 1.0 / (1.0 + std::exp2(-match_weight));
}

TokenFrequencies TokenFrequencies::count(const std::vector<PersonRecord>& records) {
  TokenFrequencies f;
  double with_given = 0, with_surnames = 0;
  for (const auto& r : records) {
    with_given += r.given.empty() ? 0 : 1;
    with_surnames += r.surnames.empty() ? 0 : 1;
    for (const auto& t : shared_tokens(r.given, r.given)) f.given[t] += 1;  // each token once per record
    for (const auto& t : shared_tokens(r.surnames, r.surnames)) f.surnames[t] += 1;
  }
  for (auto& [token, n] : f.given) n /= std::max(with_given, 1.0);
  for (auto& [token, n] : f.surnames) n /= std::max(with_surnames, 1.0);
  return f;
}

bool term_frequency_applies(const LinkageSpec& spec, const Comparison& comparison) {
  for (size_t f = 0; f < comparison.size(); ++f) {
    const auto c = spec.fields[f].comparator;
    if ((c == Comparator::given_names || c == Comparator::surnames) &&
        comparison[f] >= static_cast<int>(NameAgreement::subset))
      return true;
  }
  return false;
}

double pair_weight(const LinkageSpec& spec, const MatchModel& model, const TokenFrequencies* frequencies,
                   const Comparison& comparison, const PersonRecord& a, const PersonRecord& b) {
  double w = model.match_weight(comparison);
  if (!frequencies) return w;
  for (size_t f = 0; f < comparison.size(); ++f) {
    const auto c = spec.fields[f].comparator;
    const int level = comparison[f];
    if ((c != Comparator::given_names && c != Comparator::surnames) || level < static_cast<int>(NameAgreement::subset))
      continue;
    const bool surnames = c == Comparator::surnames;
    const auto& table = surnames ? frequencies->surnames : frequencies->given;
    const auto shared = surnames ? shared_tokens(a.surnames, b.surnames) : shared_tokens(a.given, b.given);
    if (shared.empty()) continue;  // agreement by joining tokens: no single value to weigh
    double u_value = 1.0;
    for (const auto& token : shared) {
      auto it = table.find(token);
      u_value *= it == table.end() ? 1e-6 : it->second;
    }
    const auto& p = model.fields[f];
    const double adjustment = std::log2(p.u[static_cast<size_t>(level)] / std::max(u_value, 1e-9));
    w += std::clamp(adjustment, -kMaxTermFrequencyBits, kMaxTermFrequencyBits);
  }
  return w;
}

void PatternCounts::add(const Comparison& comparison, double count) {
  // Kept sorted: there are few distinct patterns (hundreds) but millions of pairs adding to them.
  auto it = std::lower_bound(patterns.begin(), patterns.end(), comparison);
  const size_t at = static_cast<size_t>(it - patterns.begin());
  if (it != patterns.end() && *it == comparison) {
    counts[at] += count;
    return;
  }
  patterns.insert(it, comparison);
  counts.insert(counts.begin() + static_cast<std::ptrdiff_t>(at), count);
}

MatchModel estimate_model(const LinkageSpec& spec, const PatternCounts& candidates, const PatternCounts& random_pairs,
                          int max_iterations, double tolerance) {
  const size_t nf = spec.fields.size();
  MatchModel model;
  model.fields.resize(nf);
  for (size_t f = 0; f < nf; ++f) {
    const size_t levels = static_cast<size_t>(level_count(spec.fields[f].comparator));
    auto& p = model.fields[f];
    // u: the level frequencies among random pairs.
    p.u.assign(levels, 0.0);
    for (size_t i = 0; i < random_pairs.patterns.size(); ++i) {
      const int level = random_pairs.patterns[i][f];
      if (level >= 0) p.u[static_cast<size_t>(level)] += random_pairs.counts[i];
    }
    normalize(p.u);
    // m starts heavily on the top level: matches mostly agree. EM moves it from there.
    p.m.assign(levels, 0.1 / static_cast<double>(levels - 1));
    p.m.back() = 0.9;
    normalize(p.m);
  }
  model.prior = 0.1;
  std::vector<double> g(candidates.patterns.size());
  for (model.iterations = 1; model.iterations <= max_iterations; ++model.iterations) {
    // E step: the probability each pattern is a match under the current parameters.
    for (size_t i = 0; i < candidates.patterns.size(); ++i)
      g[i] = MatchModel::probability(model.match_weight(candidates.patterns[i]));
    // M step.
    double total = 0, matched = 0;
    for (size_t i = 0; i < g.size(); ++i) {
      total += candidates.counts[i];
      matched += candidates.counts[i] * g[i];
    }
    double change = 0;
    const double prior = std::clamp(matched / std::max(total, 1.0), 1e-9, 1 - 1e-9);
    change = std::max(change, std::abs(prior - model.prior));
    model.prior = prior;
    for (size_t f = 0; f < nf; ++f) {
      auto& p = model.fields[f];
      std::vector<double> m(p.m.size(), 0.0), u(p.u.size(), 0.0);
      for (size_t i = 0; i < g.size(); ++i) {
        const int level = candidates.patterns[i][f];
        if (level < 0) continue;
        m[static_cast<size_t>(level)] += candidates.counts[i] * g[i];
        u[static_cast<size_t>(level)] += candidates.counts[i] * (1 - g[i]);
      }
      normalize(m);
      for (size_t l = 0; l < m.size(); ++l) change = std::max(change, std::abs(m[l] - p.m[l]));
      p.m = std::move(m);
      if (spec.em_updates_u) {
        normalize(u);
        for (size_t l = 0; l < u.size(); ++l) change = std::max(change, std::abs(u[l] - p.u[l]));
        p.u = std::move(u);
      }
    }
    if (change < tolerance) {
      model.converged = true;
      break;
    }
  }
  return model;
}

void estimate_prior(MatchModel& model, const PatternCounts& candidates, int max_iterations, double tolerance) {
  for (int i = 0; i < max_iterations; ++i) {
    double total = 0, matched = 0;
    for (size_t p = 0; p < candidates.patterns.size(); ++p) {
      total += candidates.counts[p];
      matched += candidates.counts[p] * MatchModel::probability(model.match_weight(candidates.patterns[p]));
    }
    const double prior = std::clamp(matched / std::max(total, 1.0), 1e-9, 1 - 1e-9);
    const double change = std::abs(prior - model.prior);
    model.prior = prior;
    if (change < tolerance) break;
  }
}

MatchModel combine_rule_models(const LinkageSpec& spec, const std::vector<MatchModel>& per_rule,
                               const std::vector<std::vector<size_t>>& masked, const MatchModel& whole,
                               const PatternCounts& candidates) {
  MatchModel model = whole;
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    // The median per level, not the mean: a rule whose pairs leave too little free evidence lets EM
    // mix in non-matches, and one such run must not drag the others' estimate.
    std::vector<std::vector<double>> estimates(model.fields[f].m.size());
    for (size_t r = 0; r < per_rule.size(); ++r) {
      if (std::find(masked[r].begin(), masked[r].end(), f) != masked[r].end()) continue;
      for (size_t l = 0; l < estimates.size(); ++l) estimates[l].push_back(per_rule[r].fields[f].m[l]);
    }
    if (estimates.empty() || estimates[0].empty()) continue;
    std::vector<double> m(estimates.size());
    for (size_t l = 0; l < estimates.size(); ++l) {
      auto& e = estimates[l];
      std::sort(e.begin(), e.end());
      m[l] = e.size() % 2 ? e[e.size() / 2] : (e[e.size() / 2 - 1] + e[e.size() / 2]) / 2;
    }
    normalize(m);
    model.fields[f].m = std::move(m);
  }
  model.iterations = whole.iterations;
  model.converged = whole.converged;
  for (const auto& m : per_rule) model.converged = model.converged && m.converged;
  estimate_prior(model, candidates);
  return model;
}

std::vector<std::string> explain(const LinkageSpec& spec, const MatchModel& model, const Comparison& comparison) {
  std::vector<std::string> lines;
  for (size_t f = 0; f < comparison.size(); ++f)
    lines.push_back(fmt::format("{}: {} {:+.1f}", spec.fields[f].name,
                                level_name(spec.fields[f].comparator, comparison[f]),
                                model.field_weight(f, comparison[f])));
  return lines;
}

}  // namespace accompany::linkage

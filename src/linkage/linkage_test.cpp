// Linkage: EM estimates, the clustering invariant, incremental linking and the FEBRL evaluation floor.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <queue>
#include <random>
#include <sstream>

#include "linkage/birth_dates.h"
#include "linkage/blocking.h"
#include "linkage/evaluation.h"
#include "linkage/febrl.h"
#include "linkage/feed_records.h"
#include "linkage/identifiers.h"
#include "linkage/linker.h"
#include "linkage/name_compare.h"
#include "linkage/person_name.h"

namespace accompany::linkage {
namespace {

// Three fields with known m and u; EM must find them again from unlabeled comparison vectors.
TEST(FellegiSunter, EmRecoversKnownProbabilities) {
  LinkageSpec spec;
  spec.fields = {{"a", Comparator::digits, -1}, {"b", Comparator::digits, -1}, {"c", Comparator::digits, -1}};
  const std::vector<std::vector<double>> m{{0.05, 0.15, 0.80}, {0.10, 0.10, 0.80}, {0.02, 0.08, 0.90}};
  const std::vector<std::vector<double>> u{{0.90, 0.07, 0.03}, {0.80, 0.15, 0.05}, {0.95, 0.04, 0.01}};
  std::mt19937_64 rng(1);
  auto draw = [&](const std::vector<double>& p) {
    std::discrete_distribution<int> d(p.begin(), p.end());
    return static_cast<int8_t>(d(rng));
  };
  PatternCounts candidates, random_pairs;
  std::bernoulli_distribution is_match(0.2);
  for (int i = 0; i < 50000; ++i) {
    const bool match = is_match(rng);
    Comparison c(3);
    for (size_t f = 0; f < 3; ++f) c[f] = draw(match ? m[f] : u[f]);
    candidates.add(c);
    Comparison r(3);
    for (size_t f = 0; f < 3; ++f) r[f] = draw(u[f]);
    random_pairs.add(r);
  }
  const auto model = estimate_model(spec, candidates, random_pairs);
  EXPECT_TRUE(model.converged);
  EXPECT_NEAR(model.prior, 0.2, 0.02);
  for (size_t f = 0; f < 3; ++f)
    for (size_t l = 0; l < 3; ++l) {
      EXPECT_NEAR(model.fields[f].m[l], m[f][l], 0.03) << "field " << f << " level " << l;
      EXPECT_NEAR(model.fields[f].u[l], u[f][l], 0.02) << "field " << f << " level " << l;
    }
  // Agreement is evidence for a match, disagreement against.
  EXPECT_GT(model.match_weight({2, 2, 2}), 10);
  EXPECT_LT(model.match_weight({0, 0, 0}), -5);
}

// Connected components of the graph of `edges`, by breadth-first search: the reference clustering.
std::vector<uint32_t> components(size_t n, const std::vector<ScoredPair>& edges) {
  std::vector<std::vector<uint32_t>> adjacent(n);
  for (const auto& e : edges) {
    adjacent[e.a].push_back(e.b);
    adjacent[e.b].push_back(e.a);
  }
  std::vector<uint32_t> label(n, UINT32_MAX);
  for (uint32_t start = 0; start < n; ++start) {
    if (label[start] != UINT32_MAX) continue;
    std::queue<uint32_t> queue;
    queue.push(start);
    label[start] = start;
    while (!queue.empty()) {
      const auto x = queue.front();
      queue.pop();
      for (auto y : adjacent[x])
        if (label[y] == UINT32_MAX) {
          label[y] = start;
          queue.push(y);
        }
    }
  }
  return label;
}

TEST(Clustering, InvariantsHoldOnRandomGraphs) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    const size_t n = 2 + rng() % 40;
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<std::vector<double>> p(n, std::vector<double>(n));
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j < n; ++j) p[i][j] = p[j][i] = unit(rng);
    std::vector<ScoredPair> edges;
    for (uint32_t i = 0; i < n; ++i)
      for (uint32_t j = i + 1; j < n; ++j)
        if (unit(rng) < 3.0 / static_cast<double>(n)) edges.push_back({i, j, 0.9 + 0.1 * p[i][j]});
    const auto probability = [&](uint32_t x, uint32_t y) { return p[x][y]; };

    // Without a guard, clustering is exactly transitive closure: A=B and B=C put A, B, C together.
    Clusters open(n);
    EXPECT_EQ(cluster_pairs(open, edges, ClusterGuard{0.0, n}, probability), 0u);
    const auto reference = components(n, edges);
    const auto labels = open.labels();
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) EXPECT_EQ(labels[i] == labels[j], reference[i] == reference[j]);

    // With the guard: a partition, never larger than allowed, each cluster connected by accepted
    // links only (a subset of some component), and independent of the order links arrive in.
    const ClusterGuard guard{0.5, 6};
    Clusters guarded(n);
    cluster_pairs(guarded, edges, guard, probability);
    const auto guarded_labels = guarded.labels();
    std::map<uint32_t, size_t> sizes;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(guarded_labels[guarded_labels[i]], guarded_labels[i]);  // the label is a member
      EXPECT_LE(guarded_labels[i], i);                                  // the smallest member
      ++sizes[guarded_labels[i]];
    }
    for (const auto& [label, size] : sizes) EXPECT_LE(size, guard.max_cluster_size);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j)
        if (guarded_labels[i] == guarded_labels[j]) {
          EXPECT_EQ(reference[i], reference[j]);
        }
    auto shuffled = edges;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    Clusters again(n);
    cluster_pairs(again, shuffled, guard, probability);
    EXPECT_EQ(again.labels(), guarded_labels);
  }
}

TEST(Clustering, GuardStopsAChainThroughAnUnlikePerson) {
  // A=B strongly, B=C strongly, but A and C are plainly different people: C stays apart.
  std::vector<std::vector<double>> p{{1, 0.99, 0.0}, {0.99, 1, 0.95}, {0.0, 0.95, 1}};
  Clusters clusters(3);
  const auto refused = cluster_pairs(clusters, {{0, 1, 0.99}, {1, 2, 0.95}}, ClusterGuard{0.5, 64},
                                     [&](uint32_t x, uint32_t y) { return p[x][y]; });
  EXPECT_EQ(refused, 1u);
  EXPECT_EQ(clusters.labels(), (std::vector<uint32_t>{0, 0, 2}));
}

TEST(Clustering, GuardIgnoresCrossPairsWithNothingToCompare) {
  // {0, 1} and {2, 3}: 0=2 is a strong link; 1 (a follow-up call: only a case id) shares no field with
  // 2 or 3 (NaN), 0 and 3 agree. The mean over the judged pairs allows the merge.
  const double none = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> p{
      {1, 0.99, 0.99, 0.9}, {0.99, 1, none, none}, {0.99, none, 1, 0.99}, {0.9, none, 0.99, 1}};
  Clusters clusters(4);
  const auto refused = cluster_pairs(clusters, {{0, 1, 0.999}, {2, 3, 0.999}, {0, 2, 0.99}}, ClusterGuard{0.5, 64},
                                     [&](uint32_t x, uint32_t y) { return p[x][y]; });
  EXPECT_EQ(refused, 0u);
  EXPECT_EQ(clusters.labels(), (std::vector<uint32_t>{0, 0, 0, 0}));
}

TEST(Blocking, OversizedBlocksSortByWhatTheKeyDoesNotFix) {
  // A surname-and-year block too large to compare all-pairs: the row with its maternal surname
  // dropped must still meet the full name born the same day, however many Rodríguez sort between
  // them by name.
  LinkageSpec spec;
  spec.blocking = {{BlockingKey::surname_phonetic_birth_year, -1}};
  spec.max_block_size = 3;
  spec.window = 1;
  auto person = [](std::vector<std::string> given, std::vector<std::string> surnames, unsigned month, unsigned day) {
    PersonRecord r;
    r.given = std::move(given);
    r.surnames = std::move(surnames);
    r.birth = *BirthDate::exact(Date{std::chrono::year{2005}, std::chrono::month{month}, std::chrono::day{day}});
    return r;
  };
  std::vector<PersonRecord> records{person({"jose"}, {"rodriguez"}, 2, 27),
                                    person({"jose"}, {"rodriguez", "martinez"}, 2, 27)};
  const char* others[] = {"lopez", "mejia", "garcia", "perez", "diaz", "cruz"};
  for (unsigned i = 0; i < 6; ++i) records.push_back(person({"ana"}, {"rodriguez", others[i]}, 5 + i, 3));
  BlockIndex index(spec);
  for (RecordId id = 0; id < records.size(); ++id) index.add(id, records[id]);
  const auto pairs = index.candidate_pairs(records);
  EXPECT_NE(std::find(pairs.begin(), pairs.end(), pack_pair(0, 1)), pairs.end());
  EXPECT_LE(pairs.size(), records.size());  // still a window, not all pairs
}

TEST(Evaluation, CountsPairsAndClusters) {
  // Truth: {0,1,2} {3,4} {5}. Predicted: {0,1} {2} {3,4,5}.
  const std::vector<std::string> truth{"x", "x", "x", "y", "y", "z"};
  const std::vector<uint32_t> predicted{0, 0, 2, 3, 3, 3};
  const auto pairs = pair_scores(predicted, truth);
  EXPECT_EQ(pairs.actual, 4u);     // 3 in x, 1 in y
  EXPECT_EQ(pairs.predicted, 4u);  // 1 + 3
  EXPECT_EQ(pairs.true_positives, 2u);
  EXPECT_DOUBLE_EQ(pairs.f1(), 0.5);
  const auto clusters = cluster_scores(predicted, truth);
  EXPECT_EQ(clusters.true_positives, 0u);
  EXPECT_EQ(cluster_scores(std::vector<uint32_t>{0, 0, 0, 3, 3, 5}, truth).true_positives, 3u);
  EXPECT_EQ(decision_scores({pack_pair(0, 1), pack_pair(4, 5)}, truth).true_positives, 1u);
}

PersonRecord child(std::string given, std::string paternal, std::string maternal, std::string dob,
                   std::string anumber = "", Sex sex = Sex::female) {
  PersonRecord r;
  auto names = name_tokens(given, paternal, maternal);
  r.given = names.given;
  r.surnames = names.surnames;
  r.birth = parse_birth_date_loose(dob, DateOrder::ymd);
  r.anumber = normalize_anumber(anumber);
  r.sex = sex;
  return r;
}

TEST(ChildComparison, FeedVariantsOfOneChildAgree) {
  const auto spec = child_linkage_spec();
  const auto orr = child("María José", "García", "de la Cruz", "2008-04-02", "A201-234-567");
  const auto cbp = child("MARIA JOSE", "GARCIA CRUZ", "", "2008-02-04", "201234576");  // d/m swap, digits swapped
  const auto eoir = child("MARIA", "CRUZ GARCIA", "", "2008-04-02", "201234567");      // surnames swapped
  const auto other = child("Ana", "Pop", "Caal", "2011-09-20", "A209-999-111");
  auto levels = compare_records(spec, orr, cbp);
  EXPECT_EQ(levels[0], static_cast<int>(NameAgreement::exact));
  EXPECT_EQ(levels[1], static_cast<int>(NameAgreement::exact));
  EXPECT_EQ(levels[2], static_cast<int>(DateAgreement::day_month_swapped));
  EXPECT_EQ(levels[5], static_cast<int>(DigitAgreement::one_typo));
  levels = compare_records(spec, orr, eoir);
  EXPECT_EQ(levels[0], static_cast<int>(NameAgreement::subset));
  EXPECT_EQ(levels[1], static_cast<int>(NameAgreement::exact));
  EXPECT_EQ(levels[6], -1);  // no phone on either: missing, not disagreement
  levels = compare_records(spec, orr, other);
  EXPECT_EQ(levels[0], 0);
  EXPECT_EQ(levels[1], 0);
  EXPECT_EQ(levels[2], 0);
  // Blocking: the swapped-date and the swapped-surname rows share keys with the ORR row.
  auto shares_key = [&](const PersonRecord& a, const PersonRecord& b) {
    const auto ka = blocking_keys(spec, a), kb = blocking_keys(spec, b);
    return std::find_first_of(ka.begin(), ka.end(), kb.begin(), kb.end()) != ka.end();
  };
  EXPECT_TRUE(shares_key(orr, cbp));
  EXPECT_TRUE(shares_key(orr, eoir));
  EXPECT_FALSE(shares_key(orr, other));
}

TEST(ChildComparison, CustodyDatesCompareByDaysApart) {
  const auto spec = child_linkage_spec();
  const auto field = static_cast<size_t>(std::find_if(spec.fields.begin(), spec.fields.end(),
                                                      [](const FieldSpec& f) { return f.name == "custody_date"; }) -
                                         spec.fields.begin());
  ASSERT_LT(field, spec.fields.size());
  auto with_date = [](std::string day) {
    auto r = child("Kevin", "Pop", "", "2010-05-06");
    r.attributes.resize(child_attribute_count);
    r.attributes[custody_date] = std::move(day);
    return r;
  };
  auto level = [&](const std::string& x, const std::string& y) {
    return compare_records(spec, with_date(x), with_date(y))[field];
  };
  EXPECT_EQ(level("2021-03-03", "2021-03-03"), 2);
  EXPECT_EQ(level("2021-03-01", "2021-03-03"), 1);  // apprehended, then transferred two days later
  EXPECT_EQ(level("2021-02-28", "2021-03-03"), 1);  // across a month end: 3 days
  EXPECT_EQ(level("2021-02-27", "2021-03-03"), 0);  // 4 days
  EXPECT_EQ(level("2020-12-30", "2021-01-02"), 1);  // across a year end
  EXPECT_EQ(level("2021-03-03", "2022-03-03"), 0);
  EXPECT_EQ(level("", "2021-03-03"), -1);            // missing on one side
  EXPECT_EQ(level("2021-02-30", "2021-03-03"), -1);  // not a day: missing, not disagreement
  EXPECT_EQ(level_name(Comparator::days_apart, 1), "within 3 days");
}

TEST(MarginRule, DropsReviewsOnlyWhenTheBestLinkIsFarStronger) {
  auto spec = child_linkage_spec();
  ASSERT_EQ(spec.margin_bits, 10);
  const double review = 0.6;                            // weight log2(0.6/0.4) = 0.58 bits
  EXPECT_FALSE(beaten_by_margin(spec, review, 0));      // no auto-link at all
  EXPECT_FALSE(beaten_by_margin(spec, review, 0.99));   // 6.6 bits: not 10 above
  EXPECT_TRUE(beaten_by_margin(spec, review, 0.9995));  // 11 bits
  EXPECT_TRUE(beaten_by_margin(spec, review, 1.0));     // certain
  spec.margin_bits = 0;                                 // off, as for FEBRL
  EXPECT_FALSE(beaten_by_margin(spec, review, 1.0));
}

// A small population of children, each written by three feeds with typical mistakes.
LabeledRecords small_population(int children, uint64_t seed) {
  const std::vector<std::string> given{"María José", "José Luis", "Ana",   "Brayan", "Dulce María", "Kevin",
                                       "Yesenia",    "Wilmer",    "Heidy", "Santos", "Ximena",      "Juan Carlos"};
  const std::vector<std::string> surnames{"García", "López",   "Hernández", "Pérez",    "Xol",
                                          "Tzul",   "Caal",    "Pop",       "Martínez", "Ramírez",
                                          "Cruz",   "Vásquez", "Gómez",     "Choc",     "de León"};
  std::mt19937_64 rng(seed);
  auto pick = [&](const auto& list) { return list[rng() % list.size()]; };
  LabeledRecords out;
  for (int c = 0; c < children; ++c) {
    const auto g = pick(given), p = pick(surnames), m = pick(surnames);
    const int y = 2006 + static_cast<int>(rng() % 12), mo = 1 + static_cast<int>(rng() % 12),
              d = 1 + static_cast<int>(rng() % 28);
    const auto dob = fmt::format("{}-{:02}-{:02}", y, mo, d);
    const auto anumber = fmt::format("{}", 200000000 + rng() % 99999999);
    out.records.push_back(child(g, p, m, dob, anumber));
    out.records.push_back(child(g, m, p, dob, rng() % 2 ? anumber : ""));  // surnames swapped
    const auto swapped = d <= 12 ? fmt::format("{}-{:02}-{:02}", y, d, mo) : dob;
    out.records.push_back(child(g, p, "", rng() % 3 ? dob : swapped, ""));  // one surname dropped
    for (int k = 0; k < 3; ++k) out.truth.push_back(std::to_string(c));
  }
  return out;
}

TEST(Linker, LinksTheFeedsOfEachChildAndStaysCurrent) {
  const auto data = small_population(400, 3);
  const auto spec = child_linkage_spec();
  const auto result = link_records(spec, data.records);
  const auto pairs = pair_scores(result.cluster_of, data.truth);
  // Measured 0.998; the floor leaves room for the chance coincidences of a 12-name list.
  EXPECT_GT(pairs.f1(), 0.95) << "precision " << pairs.precision() << " recall " << pairs.recall();
  RecordProperty("pair_f1", std::to_string(pairs.f1()));

  // A fourth row for child 7 arrives: it joins child 7's person, in well under the 2 ms goal.
  IncrementalLinker linker(spec, result.model, data.records, result.cluster_of);
  auto row = data.records[21];
  row.anumber.clear();
  const auto outcome = linker.add(row);
  EXPECT_EQ(linker.person_of(outcome.id), linker.person_of(21));
  EXPECT_FALSE(outcome.links.empty());
  const auto stranger = linker.add(child("Zoila", "Quispe", "Mamani", "1999-12-31"));
  EXPECT_EQ(stranger.person, stranger.id);
  EXPECT_TRUE(stranger.links.empty());
}

#ifndef ACCOMPANY_FEBRL_DIR
#error "ACCOMPANY_FEBRL_DIR must name the folder holding the FEBRL benchmark files"
#endif

TEST(Febrl, Dataset1StaysAboveTheFloor) {
  const std::string path = std::string(ACCOMPANY_FEBRL_DIR) + "/dataset1.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent (shared/ not cloned beside the repo)";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto data = parse_febrl(text.str(), path);
  ASSERT_TRUE(data) << data.error().describe();
  ASSERT_EQ(data->records.size(), 1000u);
  const auto result = link_records(febrl_linkage_spec(), data->records);
  const auto pairs = pair_scores(result.cluster_of, data->truth);
  // Measured 0.9990 (499 of 500 true pairs, no false pair) on every run: the run is deterministic.
  // 0.99 allows 4 more misses or false links of 500 before it fails, and stays above Splink's 0.9929
  // on FEBRL3 (data/README.md); anything lower is a real regression.
  EXPECT_GE(pairs.f1(), 0.99) << "precision " << pairs.precision() << " recall " << pairs.recall();
  RecordProperty("pair_f1", std::to_string(pairs.f1()));
  EXPECT_GE(cluster_scores(result.cluster_of, data->truth).f1(), 0.99);
  EXPECT_TRUE(result.model.converged);
}

}  // namespace
}  // namespace accompany::linkage

// Full and incremental linkage of generated children's feed rows (150,000 children x 3 rows = 450,000
// rows by default; ACCOMPANY_BENCH_CHILDREN to change): wall time, pair F1, per-row incremental latency.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "linkage/evaluation.h"
#include "linkage/identifiers.h"
#include "linkage/linker.h"
#include "linkage/person_name.h"
#include "synthetic_people.h"

namespace accompany::bench {
namespace {

linkage::PersonRecord to_record(const Person& p, uint32_t line) {
  linkage::PersonRecord r;
  r.source = "bench";
  r.line = line;
  auto names = linkage::name_tokens(p.given, p.paternal, p.maternal);
  r.given = std::move(names.given);
  r.surnames = std::move(names.surnames);
  r.birth = BirthDate{BirthDatePrecision::exact, p.birth, 0, std::nullopt};
  r.sex = p.sex;
  r.anumber = linkage::normalize_anumber(p.anumber);
  r.phone = linkage::normalize_phone(p.phone);
  return r;
}

size_t children() {
  const char* env = std::getenv("ACCOMPANY_BENCH_CHILDREN");
  return env ? static_cast<size_t>(std::atoll(env)) : 150000;
}

void BM_FullAndIncrementalLinkage(benchmark::State& state) {
  const auto names = NameLists::load();
  PeopleGenerator generator(names, 7);
  std::vector<Person> people;
  std::vector<linkage::PersonRecord> rows;
  std::vector<std::string> truth;
  const size_t n = children();
  for (size_t c = 0; c < n; ++c) {
    people.push_back(generator.person());
    for (int copy = 0; copy < 3; ++copy) {
      rows.push_back(to_record(copy == 0 ? people.back() : generator.corrupted(people.back()),
                               static_cast<uint32_t>(rows.size() + 2)));
      truth.push_back(std::to_string(c));
    }
  }
  const auto spec = linkage::child_linkage_spec();
  linkage::LinkageResult result;
  for (auto _ : state) result = linkage::link_records(spec, rows, 2);
  const auto pairs = linkage::pair_scores(result.cluster_of, truth);
  state.counters["rows"] = static_cast<double>(rows.size());
  state.counters["candidate_pairs"] = static_cast<double>(result.candidate_pairs);
  state.counters["pair_precision"] = pairs.precision();
  state.counters["pair_recall"] = pairs.recall();
  state.counters["pair_F1"] = pairs.f1();
  std::vector<uint64_t> linked;
  for (const auto& p : result.links) linked.push_back(linkage::pack_pair(p.a, p.b));
  const auto decisions = linkage::decision_scores(linked, truth);
  if (std::getenv("ACCOMPANY_BENCH_DEBUG")) {
    for (size_t f = 0; f < spec.fields.size(); ++f) {
      std::string line = spec.fields[f].name;
      for (size_t l = 0; l < result.model.fields[f].m.size(); ++l)
        line += " [" + std::to_string(l) + "] m " + std::to_string(result.model.fields[f].m[l]) + " u " +
                std::to_string(result.model.fields[f].u[l]);
      std::puts(line.c_str());
    }
    std::printf("prior %f\n", result.model.prior);
    int shown = 0;
    for (const auto& p : result.links) {
      if (truth[p.a] == truth[p.b] || shown++ > 8) continue;
      std::printf("FP p=%.3f\n", p.probability);
      for (const auto& why : linkage::explain(spec, result.model, linkage::compare_records(spec, rows[p.a], rows[p.b])))
        std::printf("   %s\n", why.c_str());
    }
  }
  state.counters["decision_precision"] = decisions.precision();
  state.counters["decision_recall"] = decisions.recall();
  state.counters["cluster_F1"] = linkage::cluster_scores(result.cluster_of, truth).f1();
  state.counters["blocking_s"] = result.seconds_blocking;
  state.counters["comparing_s"] = result.seconds_comparing;
  state.counters["estimating_s"] = result.seconds_estimating;
  state.counters["clustering_s"] = result.seconds_clustering;

  // Incremental: another copy of 2,000 known children arrives, one row at a time.
  linkage::IncrementalLinker linker(spec, result.model, rows, result.cluster_of);
  std::vector<double> micros;
  size_t joined = 0;
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  for (int i = 0; i < 2000; ++i) {
    const size_t c = pick(generator.rng());
    auto row = to_record(generator.corrupted(people[c]), static_cast<uint32_t>(rows.size() + i + 2));
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = linker.add(std::move(row));
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    joined += linker.person_of(static_cast<uint32_t>(c * 3)) == outcome.person;
  }
  std::sort(micros.begin(), micros.end());
  state.counters["incremental_p50_us"] = micros[micros.size() / 2];
  state.counters["incremental_p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["incremental_right_person"] = static_cast<double>(joined) / 2000.0;
}
BENCHMARK(BM_FullAndIncrementalLinkage)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

}  // namespace
}  // namespace accompany::bench

BENCHMARK_MAIN();

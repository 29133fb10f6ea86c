// Person search over generated people (1,000,000 by default; ACCOMPANY_BENCH_PEOPLE to change):
// query latency p50/p99, recall@10 on misspelled queries, index build time and resident memory.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "linkage/search_index.h"
#include "synthetic_people.h"

namespace accompany::bench {
namespace {

struct Fixture {
  linkage::PersonSearchIndex index;
  std::vector<Person> people;
  std::vector<std::pair<linkage::SearchQuery, Id>> queries;  // query, the person it should find
  std::vector<bool> with_birth;                              // whether the query carries a birth date
  size_t rss_before = 0, rss_after = 0;
  double build_seconds = 0;
};

double thread_cpu_micros() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

size_t population() {
  const char* env = std::getenv("ACCOMPANY_BENCH_PEOPLE");
  return env ? static_cast<size_t>(std::atoll(env)) : 1000000;
}

Fixture& fixture() {
  static std::unique_ptr<Fixture> f = [] {
    auto made = std::make_unique<Fixture>();
    const auto names = NameLists::load();
    PeopleGenerator generator(names, 42);
    const size_t n = population();
    made->people.reserve(n);
    for (size_t i = 0; i < n; ++i) made->people.push_back(generator.person());
    made->rss_before = resident_bytes();
    const auto start = std::chrono::steady_clock::now();
    for (size_t i = 0; i < n; ++i) {
      const auto& p = made->people[i];
      made->index.upsert({static_cast<Id>(i + 1), p.given, p.paternal + " " + p.maternal,
                          BirthDate{BirthDatePrecision::exact, p.birth, 0, std::nullopt}, p.anumber, p.phone});
    }
    made->build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    made->rss_after = resident_bytes();
    // Queries as an agent types them from a caller: misspelled, in any order, often with a birth date.
    std::uniform_int_distribution<size_t> pick(0, n - 1);
    std::uniform_real_distribution<double> coin(0, 1);
    for (int q = 0; q < 2000; ++q) {
      const size_t i = pick(generator.rng());
      const auto typed = generator.corrupted(made->people[i]);
      std::string text = coin(generator.rng()) < 0.5 ? typed.given + " " + typed.paternal + " " + typed.maternal
                                                     : typed.paternal + " " + typed.given;
      const bool birth = coin(generator.rng()) < 0.6;
      made->with_birth.push_back(birth);
      if (birth)
        text += fmt::format(" {:02}/{:02}/{}", static_cast<unsigned>(typed.birth.month()),
                            static_cast<unsigned>(typed.birth.day()), static_cast<int>(typed.birth.year()));
      made->queries.push_back({linkage::SearchQuery{text, std::nullopt, "", "", 10}, static_cast<Id>(i + 1)});
    }
    return made;
  }();
  return *f;
}

void BM_PersonSearch(benchmark::State& state) {
  auto& f = fixture();
  std::vector<double> micros, cpu_micros;  // wall clock, and this thread's CPU time (the machine is shared)
  size_t found = 0, asked = 0, q = 0, found_birth = 0, asked_birth = 0;
  for (auto _ : state) {
    const size_t which = q++ % f.queries.size();
    const auto& [query, expected] = f.queries[which];
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_micros();
    auto hits = f.index.search(query);
    cpu_micros.push_back(thread_cpu_micros() - cpu_start);
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    if (std::getenv("ACCOMPANY_BENCH_SLOW") && cpu_micros.back() > 1000)
      std::fprintf(stderr, "%.0f us: %s\n", cpu_micros.back(), query.text.c_str());
    ++asked;
    const bool hit = std::any_of(hits.begin(), hits.end(), [&](const auto& h) { return h.id == expected; });
    found += hit;
    if (f.with_birth[which]) {
      ++asked_birth;
      found_birth += hit;
    }
    benchmark::DoNotOptimize(hits);
  }
  std::sort(micros.begin(), micros.end());
  std::sort(cpu_micros.begin(), cpu_micros.end());
  auto cpu_percentile = [&](double p) {
    return cpu_micros[std::min(cpu_micros.size() - 1, static_cast<size_t>(p * static_cast<double>(cpu_micros.size())))];
  };
  state.counters["cpu_p50_us"] = cpu_percentile(0.50);
  state.counters["cpu_p99_us"] = cpu_percentile(0.99);
  auto percentile = [&](double p) {
    return micros[std::min(micros.size() - 1, static_cast<size_t>(p * static_cast<double>(micros.size())))];
  };
  state.counters["people"] = static_cast<double>(f.index.size());
  state.counters["p50_us"] = percentile(0.50);
  state.counters["p99_us"] = percentile(0.99);
  state.counters["max_us"] = micros.back();
  state.counters["recall_at_10"] = static_cast<double>(found) / static_cast<double>(asked);
  state.counters["recall_at_10_with_birth_date"] = static_cast<double>(found_birth) / static_cast<double>(asked_birth);
  state.counters["recall_at_10_names_only"] =
      static_cast<double>(found - found_birth) / static_cast<double>(asked - asked_birth);
  state.counters["index_MiB"] = static_cast<double>(f.rss_after - f.rss_before) / (1 << 20);
  state.counters["process_RSS_MiB"] = static_cast<double>(resident_bytes()) / (1 << 20);
  state.counters["build_s"] = f.build_seconds;
  state.counters["vocabulary"] = static_cast<double>(f.index.vocabulary_size());
}
BENCHMARK(BM_PersonSearch)->Iterations(4000)->Unit(benchmark::kMicrosecond);

// Keeping the index current: one person's record changes (an update is a remove and an insert).
void BM_PersonUpdate(benchmark::State& state) {
  auto& f = fixture();
  size_t i = 0;
  for (auto _ : state) {
    const auto& p = f.people[i % f.people.size()];
    f.index.upsert({static_cast<Id>(i % f.people.size() + 1), p.given, p.maternal + " " + p.paternal,
                    BirthDate{BirthDatePrecision::exact, p.birth, 0, std::nullopt}, p.anumber, p.phone});
    i += 7919;
  }
}
BENCHMARK(BM_PersonUpdate)->Iterations(2000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace accompany::bench

BENCHMARK_MAIN();

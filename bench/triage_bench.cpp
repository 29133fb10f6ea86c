// Triage speed on a synthetic population of 450,000 children (issue 7 goals): a full pass
// (index + evaluate + plan every case) under 30 s, and re-triage of one child after a change
// under 1 ms median. The population is made here, deterministically; no store I/O is timed.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "triage/evaluator.h"
#include "triage/task_plan.h"
#include "triage/triage_store.h"

namespace accompany {
namespace {

// ACCOMPANY_BENCH_CHILDREN changes the population (make bench SCALE=small uses fewer).
size_t population_size() {
  const char* env = std::getenv("ACCOMPANY_BENCH_CHILDREN");
  return env ? static_cast<size_t>(std::atoll(env)) : 450'000;
}
const Timestamp kNow = *parse_timestamp("now", "2024-06-01T12:00:00Z");

std::vector<CaseFile> make_population(size_t n) {
  std::mt19937_64 random(7);
  auto pick = [&](int below) { return static_cast<int>(random() % static_cast<unsigned>(below)); };
  static const char* kSurnames[] = {"García", "López",   "Pérez", "Xol",   "Caal",   "Ramírez", "Hernández", "Cruz",
                                    "Tzul",   "Morales", "Choc",  "Reyes", "Flores", "Díaz",    "Ajú",       "Chávez"};
  static const char* kStreets[] = {"Main St", "Oak Avenue", "Elm Street", "Pine Rd", "Maple Dr", "Cedar Ln"};
  std::vector<CaseFile> cases(n);
  Id next = 1;
  for (size_t i = 0; i < n; ++i) {
    CaseFile& c = cases[i];
    const Id child = static_cast<Id>(i + 1);
    c.child.id = child;
    c.child.name = {"Ana", kSurnames[pick(16)], kSurnames[pick(16)]};
    const Id sponsor = static_cast<Id>(pick(static_cast<int>(n * 8 / 10)) + 1);  // some sponsors have several
    Sponsor s;
    s.id = sponsor;
    s.category = pick(100) < 15 ? SponsorCategory::non_relative : SponsorCategory::parent_or_guardian;
    c.sponsor = s;
    const Timestamp release = kNow - std::chrono::days(pick(1800));
    c.custody_events.push_back({next++, child, CustodyEventKind::released_to_sponsor, release, "shelter", sponsor});
    if (pick(100) < 2)
      c.custody_events.push_back(
          {next++, child, CustodyEventKind::ran_away, release + std::chrono::days(20), "", std::nullopt});
    if (pick(100) < 97) {
      Address a;
      a.id = next++;
      a.child_id = child;
      a.sponsor_id = sponsor;
      a.line = std::to_string(pick(20000)) + " " + kStreets[pick(6)];
      a.unit = pick(100) < 40 ? "Apt " + std::to_string(pick(30)) : "";
      a.city = "Houston";
      a.state = "TX";
      a.zip = std::to_string(77000 + pick(100));
      a.status = pick(100) < 5 ? AddressStatus::undeliverable : AddressStatus::unverified;
      c.addresses.push_back(a);
    }
    if (pick(100) < 40) {
      NoticeToAppear notice{next++,
                            child,
                            date_of(release),
                            date_of(release + std::chrono::days(10)),
                            ServiceMethod::regular_mail,
                            c.addresses.empty() ? std::nullopt : std::optional<Id>(c.addresses[0].id)};
      c.notices.push_back(notice);
      Hearing h{next++,
                child,
                "Houston Immigration Court",
                release + std::chrono::days(pick(900)),
                HearingType::master_calendar,
                HearingOutcome::scheduled,
                pick(2) ? "" : "KIND"};
      if (h.scheduled_at < kNow)
        h.outcome = pick(100) < 20 ? HearingOutcome::in_absentia_order : HearingOutcome::appeared;
      c.hearings.push_back(h);
    }
    if (pick(100) < 70) {
      const bool reached = pick(100) < 80;
      c.welfare_checks.push_back({next++, child, date_of(release + std::chrono::days(30)),
                                  release + std::chrono::days(31), WelfareMethod::phone,
                                  reached ? WelfareOutcome::reached_safe : WelfareOutcome::unreachable});
    }
    c.sort();
  }
  return cases;
}

const RuleSet& rules() {
  static const RuleSet set = *builtin_rule_set();
  return set;
}

const std::vector<CaseFile>& population() {
  static const std::vector<CaseFile> cases = make_population(population_size());
  return cases;
}

// The whole pass `accompany triage` does between loading and writing.
void BM_FullTriage(benchmark::State& state) {
  const auto& cases = population();
  std::int64_t opened = 0;
  for (auto _ : state) {
    CaseIndex index;
    for (const auto& c : cases) index.update(c);
    opened = 0;
    for (const auto& c : cases) {
      auto plan = plan_tasks(rules(), c.child.id, evaluate_case(rules(), c, index, kNow), c.open_tasks, kNow);
      opened += static_cast<std::int64_t>(plan.to_open.size());
    }
    benchmark::DoNotOptimize(opened);
  }
  state.counters["children"] = static_cast<double>(cases.size());
  state.counters["tasks_opened"] = static_cast<double>(opened);
}
BENCHMARK(BM_FullTriage)->Unit(benchmark::kSecond)->Iterations(1);

// One child changes (a welfare check is recorded, or the address moves): update the index,
// re-evaluate, plan the task changes.
void BM_IncrementalRetriage(benchmark::State& state) {
  static std::vector<CaseFile> cases = population();
  static CaseIndex index = [] {
    CaseIndex built;
    for (const auto& c : cases) built.update(c);
    return built;
  }();
  std::mt19937_64 random(11);
  for (auto _ : state) {
    CaseFile& c = cases[random() % cases.size()];
    if (!c.addresses.empty()) c.addresses.back().unit = "Apt " + std::to_string(random() % 50);
    c.welfare_checks.push_back(
        {0, c.child.id, date_of(kNow), kNow, WelfareMethod::phone, WelfareOutcome::reached_safe});
    const auto neighbours = index.update(c);
    auto plan = plan_tasks(rules(), c.child.id, evaluate_case(rules(), c, index, kNow), c.open_tasks, kNow);
    for (Id other : neighbours) {
      const CaseFile& o = cases[static_cast<size_t>(other - 1)];
      benchmark::DoNotOptimize(plan_tasks(rules(), other, evaluate_case(rules(), o, index, kNow), o.open_tasks, kNow));
    }
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_IncrementalRetriage)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

// The path the API will take after a write: in one SQLite transaction, reload the child's case
// (one query per table), update the index, evaluate and plan. With argument 0 nothing changes
// between iterations (no task is written: the read-evaluate cost of the call); with argument 1
// each iteration first records a welfare check that reached the child (the change), so the
// call also closes the tasks that check settles, audited; the time is the whole transaction.
void BM_RetriageChildFromSqlite(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / fmt::format("triage-bench-{}.db", getpid());
  std::filesystem::remove(path);
  if (!Store::initialize(path.string())) {
    state.SkipWithError("cannot create the database");
    return;
  }
  FixedClock clock(kNow);
  auto store = Store::open(path.string(), clock);
  const AuditContext context{"system:bench", "benchmark"};
  std::vector<CaseFile> cases = make_population(2000);
  // Write the cases through the unit of work (with fresh ids) so the store holds real rows.
  std::vector<Id> children;
  auto seeded = (*store)->transact(context, [&](UnitOfWork& unit) -> Status {
    for (auto& c : cases) {
      Child child = c.child;
      child.name.given_names = "Ana";
      child.birth_date = *BirthDate::exact(*parse_date("b", "2008-01-01"));
      child.country_of_birth = "GT";
      child.languages = {"spa"};
      ACCOMPANY_TRY(id, unit.insert(child));
      Sponsor sponsor = *c.sponsor;
      sponsor.name = {"Rosa", "García", ""};
      ACCOMPANY_TRY(sponsor_id, unit.insert(sponsor));
      for (auto e : c.custody_events) {
        e.child_id = id;
        e.sponsor_id = e.kind == CustodyEventKind::released_to_sponsor ? std::optional<Id>(sponsor_id) : std::nullopt;
        ACCOMPANY_CHECK(unit.insert(e));
      }
      for (auto a : c.addresses) {
        a.child_id = id;
        a.sponsor_id = sponsor_id;
        a.source = "bench";
        ACCOMPANY_CHECK(unit.insert(a));
      }
      for (auto h : c.hearings) {
        h.child_id = id;
        ACCOMPANY_CHECK(unit.insert(h));
      }
      for (auto w : c.welfare_checks) {
        w.child_id = id;
        ACCOMPANY_CHECK(unit.insert(w));
      }
      children.push_back(id);
    }
    return {};
  });
  if (!seeded) {
    state.SkipWithError(seeded.error().describe().c_str());
    return;
  }
  const RuleSet& set = rules();
  if (!run_triage(**store, set, context)) {
    state.SkipWithError("triage failed");
    return;
  }
  Population population;
  (void)(*store)->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(loaded, load_population(sql));
    population = std::move(loaded);
    return {};
  });
  CaseIndex index = build_index(population);
  std::mt19937_64 random(5);
  for (auto _ : state) {
    const Id child = children[random() % children.size()];
    auto done = (*store)->transact(context, [&](UnitOfWork& unit) -> Status {
      if (state.range(0) == 1)
        ACCOMPANY_CHECK(unit.insert(
            WelfareCheck{0, child, date_of(kNow), kNow, WelfareMethod::phone, WelfareOutcome::reached_safe}));
      ACCOMPANY_TRY(plan, retriage_child(unit, set, index, child));
      benchmark::DoNotOptimize(plan);
      return {};
    });
    if (!done) state.SkipWithError(done.error().describe().c_str());
  }
  store->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}
BENCHMARK(BM_RetriageChildFromSqlite)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

}  // namespace
}  // namespace accompany

BENCHMARK_MAIN();

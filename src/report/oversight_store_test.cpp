// The oversight report from a small seeded store (SQLite and PostgreSQL) after triage runs,
// where every number is known: releases by fiscal year, gaps opened, closed and overdue.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "report/oversight.h"
#include "report/oversight_cache.h"
#include "report/oversight_store.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"
#include "triage/triage_store.h"

namespace accompany {
namespace {

using testing::day;
using testing::instant;

Result<Id> seed(Store& store, const AuditContext& context);

// A fresh store on the backend, seeded (below), with the built-in rules.
class OversightStore : public ::testing::TestWithParam<Dialect> {
 protected:
  void open_and_seed(const char* name) {
    auto location = testing::fresh_database_location(GetParam(), name);
    ASSERT_TRUE(location);
    ASSERT_TRUE(Store::initialize(*location));
    auto opened = Store::open(*location, clock_);
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    auto rules = builtin_rule_set();
    ASSERT_TRUE(rules);
    rules_ = std::move(*rules);
    auto seeded = seed(*store_, context_);
    ASSERT_TRUE(seeded) << seeded.error().describe();
    late_child_ = *seeded;
  }

  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  std::unique_ptr<Store> store_;
  RuleSet rules_;
  const AuditContext context_{"system:test", "oversight test"};
  Id late_child_ = 0;
};

// A: released FY2023, notice served; B: released FY2024, no notice, missed a hearing, address
// missing its unit; C: still in care. Returns B.
Result<Id> seed(Store& store, const AuditContext& context) {
  Id late_child = 0;
  const Status seeded = store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(sponsor, unit.insert(testing::sample_sponsor()));
    // A: released in FY2023, notice served; only the follow-up call is missing.
    ACCOMPANY_TRY(a, unit.insert(testing::sample_child("A201234561")));
    ACCOMPANY_CHECK(unit.insert(CustodyEvent{0, a, CustodyEventKind::released_to_sponsor,
                                             instant("2022-12-01T10:00:00Z"), "shelter", sponsor}));
    ACCOMPANY_CHECK(unit.insert(testing::sample_address(a, sponsor)));
    ACCOMPANY_CHECK(
        unit.insert(NoticeToAppear{0, a, day("2022-12-05"), day("2022-12-20"), ServiceMethod::personal, std::nullopt}));
    // B: released in FY2024, no notice, missed a hearing, address missing its unit.
    ACCOMPANY_TRY(b, unit.insert(testing::sample_child("A201234562")));
    ACCOMPANY_CHECK(unit.insert(CustodyEvent{0, b, CustodyEventKind::released_to_sponsor,
                                             instant("2023-11-01T10:00:00Z"), "shelter", sponsor}));
    Address address = testing::sample_address(b, sponsor);
    address.status = AddressStatus::missing_unit;
    ACCOMPANY_CHECK(unit.insert(address));
    ACCOMPANY_CHECK(unit.insert(Hearing{0, b, "Houston Immigration Court", instant("2024-05-01T09:00:00Z"),
                                        HearingType::master_calendar, HearingOutcome::failed_to_appear, ""}));
    // C: still in ORR care: in no row.
    ACCOMPANY_TRY(c, unit.insert(testing::sample_child("A201234563")));
    ACCOMPANY_CHECK(unit.insert(
        CustodyEvent{0, c, CustodyEventKind::transferred_to_orr, instant("2024-05-01T10:00:00Z"), "", std::nullopt}));
    late_child = b;
    return {};
  });
  if (!seeded) return seeded.error();
  return late_child;
}

TEST_P(OversightStore, NumbersFromASeededStore) {
  open_and_seed("oversight");
  Store& store = *store_;
  FixedClock& clock = clock_;
  const RuleSet* rules = &rules_;
  const AuditContext context = context_;
  const Id late_child = late_child_;
  // Opens A: welfare_call_due; B: welfare_call_due, no_notice_90_days, missed_hearing, address_missing_unit.
  auto first = run_triage(store, *rules, context);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->opened, 5);

  // Ten days later a notice is served to B: one gap closed after 10 days.
  clock.set(instant("2024-06-11T12:00:00Z"));
  ASSERT_TRUE(store.transact(context, [&](UnitOfWork& unit) -> Status {
    return unit.insert(NoticeToAppear{0, late_child, day("2024-06-05"), day("2024-06-10"), ServiceMethod::personal,
                                      std::nullopt})
                   .has_value()
               ? Status{}
               : make_error(ErrorCode::internal, "insert failed");
  }));
  auto second = run_triage(store, *rules, context);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->closed, 1);

  std::vector<OversightRow> rows;
  ASSERT_TRUE(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(population, load_population(sql, true));
    std::vector<Task> tasks = population.closed_tasks;
    for (const auto& c : population.cases) tasks.insert(tasks.end(), c.open_tasks.begin(), c.open_tasks.end());
    rows = oversight_by_fiscal_year(population.cases, tasks, clock.now());
    return {};
  }));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(oversight_csv(rows),
            "fiscal_year,released,without_notice_served,failed_to_appear,address_defects,unreachable_at_follow_up,"
            "gaps_opened,gaps_closed,median_days_to_close,overdue\n"
            "FY2023,1,0,0,0,0,0,0,,0\n"
            // 5 opened on 2024-06-01; 1 closed after 10 days; the other 4 were due within 7 days.
            "FY2024,1,0,1,1,0,5,1,10.0,4\n");
}

// The API's cache: the same rows as a full load after every write, reloading only the children
// written to, and correct while another connection writes.
TEST_P(OversightStore, CacheFollowsEveryWrite) {
  open_and_seed("oversight_cache");
  Store& store = *store_;
  FixedClock& clock = clock_;
  const RuleSet* rules = &rules_;
  const AuditContext context = context_;
  const Id late_child = late_child_;
  ASSERT_TRUE(run_triage(store, *rules, context));

  OversightCache cache(/*max_incremental_children=*/5);
  const AuditContext reader{"demo.oversight", "oversight report"};
  auto cached = [&]() -> std::string {
    std::vector<OversightRow> rows;
    const Status read = store.read_audited(reader, [&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(counted, cache.rows(unit, clock.now()));
      rows = std::move(counted);
      return {};
    });
    EXPECT_TRUE(read) << read.error().describe();
    return oversight_csv(rows);
  };
  auto loaded = [&]() -> std::string {
    std::vector<OversightRow> rows;
    EXPECT_TRUE(store.read([&](SqlConnection& sql) -> Status {
      ACCOMPANY_TRY(counted, load_oversight(sql, clock.now()));
      rows = std::move(counted);
      return {};
    }));
    return oversight_csv(rows);
  };

  const std::string before = cached();
  EXPECT_EQ(before, loaded());
  EXPECT_EQ(cached(), before);  // nothing written: from the cache
  EXPECT_EQ(cache.counters().full_loads, 1);
  EXPECT_EQ(cache.counters().unchanged, 1);

  // A write changes the next report: B's notice is served, triage closes a gap.
  clock.set(instant("2024-06-11T12:00:00Z"));
  ASSERT_TRUE(store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(id, unit.insert(NoticeToAppear{0, late_child, day("2024-06-05"), day("2024-06-10"),
                                                 ServiceMethod::personal, std::nullopt}));
    (void)id;
    return {};
  }));
  ASSERT_TRUE(run_triage(store, *rules, context));
  const std::string after = cached();
  EXPECT_NE(after, before);
  EXPECT_EQ(after, loaded());
  EXPECT_EQ(cache.counters().full_loads, 1);
  EXPECT_EQ(cache.counters().incremental_loads, 1);
  EXPECT_EQ(cache.counters().children_reloaded, 1);  // only B

  // Time alone changes overdue; the cache counts as of the request.
  clock.set(instant("2024-09-01T12:00:00Z"));
  EXPECT_EQ(cached(), loaded());

  // More children written than the cache reloads one by one: everything is reloaded.
  const Status many = store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(sponsor, unit.insert(testing::sample_sponsor()));
    for (int i = 0; i < 6; ++i) {
      ACCOMPANY_TRY(child, unit.insert(testing::sample_child(fmt::format("A20123457{}", i).c_str())));
      ACCOMPANY_CHECK(unit.insert(CustodyEvent{0, child, CustodyEventKind::released_to_sponsor,
                                               instant("2024-01-01T10:00:00Z"), "shelter", sponsor}));
    }
    return {};
  });
  ASSERT_TRUE(many) << many.error().describe();
  EXPECT_EQ(cached(), loaded());
  EXPECT_EQ(cache.counters().full_loads, 2);

  // A writer on another connection while reports are read: every report is a consistent one
  // and the last one, after the writer is done, has every write.
  std::thread writer([&] {
    for (int i = 0; i < 20; ++i) {
      const Status wrote = store.transact(context, [&](UnitOfWork& unit) -> Status {
        ACCOMPANY_TRY(id, unit.insert(Hearing{0, late_child, "Houston Immigration Court",
                                              instant(fmt::format("2024-07-{:02}T09:00:00Z", i + 1).c_str()),
                                              HearingType::master_calendar, HearingOutcome::continued, ""}));
        (void)id;
        return {};
      });
      EXPECT_TRUE(wrote) << wrote.error().describe();
    }
  });
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(cached().empty());
  writer.join();
  EXPECT_EQ(cached(), loaded());
  EXPECT_EQ(cache.counters().full_loads, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, OversightStore, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany

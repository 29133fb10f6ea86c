// Triage against a real store, on SQLite and PostgreSQL: tasks opened once, closed with a
// reason when the condition stops holding (fully and incrementally), every change audited.
#include "triage/triage_store.h"

#include <gtest/gtest.h>

#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

using testing::day;
using testing::instant;

class TriageStore : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto location = testing::fresh_database_location(GetParam(), "triage");
    ASSERT_TRUE(location) << location.error().describe();
    ASSERT_TRUE(Store::initialize(*location));
    auto store = Store::open(*location, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
    auto rules = builtin_rule_set();
    ASSERT_TRUE(rules);
    rules_ = std::move(*rules);
  }

  void write(const std::function<Status(UnitOfWork&)>& work) {
    auto done = store_->transact({"caseworker:ana", "triage test"}, work);
    ASSERT_TRUE(done) << done.error().describe();
  }

  // A child released 95 days before "now" to a verified address, with no notice served.
  Id seed_released_child() {
    Id child_id = 0;
    write([&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(child, unit.insert(testing::sample_child()));
      ACCOMPANY_TRY(sponsor, unit.insert(testing::sample_sponsor()));
      CustodyEvent release{
          0, child, CustodyEventKind::released_to_sponsor, instant("2024-02-27T10:00:00Z"), "Casa Guadalupe", sponsor};
      ACCOMPANY_CHECK(unit.insert(release));
      Address address = testing::sample_address(child, sponsor);
      address.status = AddressStatus::verified;
      ACCOMPANY_CHECK(unit.insert(address));
      WelfareCheck check{0,
                         child,
                         day("2024-03-28"),
                         instant("2024-03-28T15:00:00Z"),
                         WelfareMethod::phone,
                         WelfareOutcome::reached_safe};
      ACCOMPANY_CHECK(unit.insert(check));
      child_id = child;
      return {};
    });
    return child_id;
  }

  std::vector<Task> tasks_of(Id child) {
    std::vector<Task> tasks;
    write([&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(found, unit.find_by<Task>("child_id", SqlValue(child)));
      tasks = std::move(found);
      return {};
    });
    return tasks;
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = 0;
    EXPECT_TRUE(store_->read([&](SqlConnection& c) -> Status {
      ACCOMPANY_TRY(rows, c.query(sql));
      n = rows.at(0).integer(0);
      return {};
    }));
    return n;
  }

  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  std::unique_ptr<Store> store_;
  RuleSet rules_;
  AuditContext system_{"system:triage", "triage test"};
};

TEST_P(TriageStore, OpensOnceThenClosesWithAReasonWhenTheNoticeIsServed) {
  const Id child = seed_released_child();
  auto first = run_triage(*store_, rules_, system_);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->cases, 1);
  EXPECT_TRUE(first->rules_changed);
  auto tasks = tasks_of(child);
  ASSERT_EQ(tasks.size(), 1u) << tasks.at(0).rule;
  EXPECT_EQ(tasks[0].rule, "no_notice_90_days");
  EXPECT_EQ(tasks[0].queue, "court");
  EXPECT_NE(tasks[0].reason.find("(95 days ago)"), std::string::npos) << tasks[0].reason;
  EXPECT_NE(tasks[0].reason_es.find("hace 95 días"), std::string::npos) << tasks[0].reason_es;
  EXPECT_EQ(first->opened, 1);

  // Again: nothing new, the same rule set is not recorded twice.
  auto second = run_triage(*store_, rules_, system_);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->opened, 0);
  EXPECT_EQ(second->closed, 0);
  EXPECT_EQ(second->unchanged, 1);
  EXPECT_FALSE(second->rules_changed);
  EXPECT_EQ(count("SELECT count(*) FROM tasks"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rule_set_loaded'"), 1);

  // A notice is served; incremental re-triage in the same unit of work closes the task.
  Population population;
  ASSERT_TRUE(store_->read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(loaded, load_population(sql));
    population = std::move(loaded);
    return {};
  }));
  CaseIndex index = build_index(population);
  clock_.set(instant("2024-06-02T09:00:00Z"));
  write([&](UnitOfWork& unit) -> Status {
    NoticeToAppear notice{0, child, day("2024-05-30"), day("2024-06-01"), ServiceMethod::personal, std::nullopt};
    ACCOMPANY_CHECK(unit.insert(notice));
    ACCOMPANY_TRY(plan, retriage_child(unit, rules_, index, child));
    EXPECT_EQ(plan.to_close.size(), 1u);
    EXPECT_TRUE(plan.to_open.empty());
    return {};
  });
  tasks = tasks_of(child);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].status, TaskStatus::closed);
  EXPECT_EQ(tasks[0].closed_at, instant("2024-06-02T09:00:00Z"));
  EXPECT_EQ(tasks[0].close_reason, "Closed by triage (rule set 2): A Notice to Appear has been served.");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'tasks' AND action = 'update'"), 1);

  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
}

TEST_P(TriageStore, TheDatabaseRefusesASecondOpenTaskForTheSameRule) {
  const Id child = seed_released_child();
  ASSERT_TRUE(run_triage(*store_, rules_, system_));
  Task task = tasks_of(child).at(0);
  task.id = 0;
  auto duplicate = store_->transact(system_, [&](UnitOfWork& unit) -> Status {
    return unit.insert(task).has_value() ? Status{} : make_error(ErrorCode::conflict, "refused");
  });
  EXPECT_FALSE(duplicate);
}

TEST_P(TriageStore, AChangedRuleSetIsRecordedAndItsRetiredRulesClose) {
  const Id child = seed_released_child();
  ASSERT_TRUE(run_triage(*store_, rules_, system_));
  auto narrower = parse_rule_set(
      R"({"version": 2, "rules": [{"name": "runaway", "when": "ran_away", "queue": "safety", "priority": "urgent",
          "due_hours": 4, "reason": {"en": "Ran away.", "es": "Se fue."}, "resolved": {"en": "Back.", "es": "Volvió."}}]})",
      "narrow.json");
  ASSERT_TRUE(narrower) << narrower.error().describe();
  auto run = run_triage(*store_, *narrower, system_);
  ASSERT_TRUE(run);
  EXPECT_TRUE(run->rules_changed);
  EXPECT_EQ(run->closed, 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rule_set_loaded'"), 2);
  EXPECT_NE(tasks_of(child).at(0).close_reason.find("not in rule set 2"), std::string::npos);
}

TEST_P(TriageStore, AssignReassignAndResolveAreAudited) {
  const Id child = seed_released_child();
  ASSERT_TRUE(run_triage(*store_, rules_, system_));
  const Id task = tasks_of(child).at(0).id;
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(assign_task(unit, task, "ana"));
    ACCOMPANY_TRY(reassigned, assign_task(unit, task, "luis"));
    EXPECT_EQ(reassigned.assignee, "luis");
    ACCOMPANY_TRY(resolved, resolve_task(unit, task, "Notice requested from the court; child informed."));
    EXPECT_EQ(resolved.status, TaskStatus::closed);
    EXPECT_FALSE(assign_task(unit, task, "ana"));  // a closed task is not reassigned
    EXPECT_EQ(assign_task(unit, 999999, "ana").error().code, ErrorCode::not_found);
    return {};
  });
  EXPECT_EQ(tasks_of(child).at(0).close_reason, "Notice requested from the court; child informed.");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'tasks' AND action = 'update'"), 3);
  // The gap is still there, so the next triage opens a new task for it.
  auto again = run_triage(*store_, rules_, system_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->opened, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, TriageStore, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany

// Task plans: open once per rule, close with the rule's reason when it stops holding, never
// touch manual tasks; assignment and resolution.
#include "triage/task_plan.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

Timestamp t(const char* text) {
  return *parse_timestamp("t", text);
}

class TaskPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = builtin_rule_set();
    ASSERT_TRUE(loaded);
    rules_ = std::move(*loaded);
  }
  Finding finding(const char* rule) {
    return Finding{rules_.find(rule), std::string("reason for ") + rule, "motivo", now_ + std::chrono::hours(4)};
  }
  Task open_task(Id id, const char* rule) {
    Task task;
    task.id = id;
    task.child_id = 7;
    task.rule = rule;
    task.queue = "safety";
    task.reason = "why";
    task.opened_at = t("2024-05-01T00:00:00Z");
    task.due_at = t("2024-05-02T00:00:00Z");
    return task;
  }
  RuleSet rules_;
  Timestamp now_ = t("2024-06-01T12:00:00Z");
};

TEST_F(TaskPlanTest, OpensATaskWithItsReasonsQueueAndDue) {
  auto plan = plan_tasks(rules_, 7, {finding("runaway")}, {}, now_);
  ASSERT_EQ(plan.to_open.size(), 1u);
  const Task& task = plan.to_open[0];
  EXPECT_EQ(task.rule, "runaway");
  EXPECT_EQ(task.queue, "safety");
  EXPECT_EQ(task.priority, TaskPriority::urgent);
  EXPECT_EQ(task.reason, "reason for runaway");
  EXPECT_EQ(task.reason_es, "motivo");
  EXPECT_EQ(task.child_id, 7);
  EXPECT_EQ(task.due_at, now_ + std::chrono::hours(4));
  EXPECT_TRUE(Task::validate(task));
}

TEST_F(TaskPlanTest, NoDuplicateWhileOneIsOpen) {
  auto plan = plan_tasks(rules_, 7, {finding("runaway")}, {open_task(1, "runaway")}, now_);
  EXPECT_TRUE(plan.empty());
  EXPECT_EQ(plan.unchanged, 1);
}

TEST_F(TaskPlanTest, ClosesItselfSayingWhyWhenTheConditionStops) {
  auto plan = plan_tasks(rules_, 7, {}, {open_task(1, "no_notice_90_days")}, now_);
  ASSERT_EQ(plan.to_close.size(), 1u);
  EXPECT_EQ(plan.to_close[0].status, TaskStatus::closed);
  EXPECT_EQ(plan.to_close[0].closed_at, now_);
  EXPECT_EQ(plan.to_close[0].close_reason, "Closed by triage (rule set 2): A Notice to Appear has been served.");
  EXPECT_TRUE(Task::validate(plan.to_close[0]));
}

TEST_F(TaskPlanTest, ClosesTasksOfARuleNoLongerInTheSetAndExtraDuplicates) {
  auto plan = plan_tasks(rules_, 7, {finding("runaway")},
                         {open_task(1, "retired_rule"), open_task(2, "runaway"), open_task(3, "runaway")}, now_);
  ASSERT_EQ(plan.to_close.size(), 2u);
  EXPECT_NE(plan.to_close[0].close_reason.find("'retired_rule' is not in rule set 2"), std::string::npos);
  EXPECT_EQ(plan.to_close[1].id, 3);
  EXPECT_NE(plan.to_close[1].close_reason.find("duplicate"), std::string::npos);
  EXPECT_TRUE(plan.to_open.empty());
}

TEST_F(TaskPlanTest, ManualTasksAreLeftAlone) {
  auto plan = plan_tasks(rules_, 7, {}, {open_task(1, "manual")}, now_);
  EXPECT_TRUE(plan.empty());
}

TEST_F(TaskPlanTest, AssignReassignResolveAndOverdue) {
  Task task = open_task(1, "runaway");
  EXPECT_TRUE(task.overdue(now_));
  EXPECT_FALSE(task.overdue(t("2024-05-01T12:00:00Z")));
  auto assigned = assign_task(task, "ana");
  ASSERT_TRUE(assigned);
  EXPECT_EQ(assigned->assignee, "ana");
  auto reassigned = assign_task(*assigned, "luis");
  ASSERT_TRUE(reassigned);
  EXPECT_EQ(reassigned->assignee, "luis");
  EXPECT_FALSE(resolve_task(*reassigned, "", now_));
  auto resolved = resolve_task(*reassigned, "Reached the child; safe with an aunt.", now_);
  ASSERT_TRUE(resolved);
  EXPECT_FALSE(resolved->overdue(now_));
  EXPECT_FALSE(assign_task(*resolved, "ana"));
}

}  // namespace
}  // namespace accompany

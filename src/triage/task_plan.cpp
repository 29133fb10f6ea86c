#include "triage/task_plan.h"

#include <fmt/format.h>

#include <set>

namespace accompany {

TaskPlan plan_tasks(const RuleSet& rules, Id child_id, const std::vector<Finding>& findings,
                    const std::vector<Task>& open_tasks, Timestamp now) {
  TaskPlan plan;
  std::set<std::string_view> holding;
  for (const auto& finding : findings) holding.insert(finding.rule->name);
  std::set<std::string_view> has_open;
  for (const auto& task : open_tasks) {
    // People's tasks and contact follow-ups ("contact:<category>", contact/contact_rules.h) are
    // closed by people, not by triage: no triage rule's condition stands behind them.
    if (task.status != TaskStatus::open || task.rule == "manual" || task.rule.starts_with("contact:")) continue;
    Task closed = task;
    closed.status = TaskStatus::closed;
    closed.closed_at = now;
    if (!has_open.insert(task.rule).second) {
      closed.close_reason = "Closed by triage: a duplicate of another open task for the same rule.";
      plan.to_close.push_back(std::move(closed));
      continue;
    }
    if (holding.contains(task.rule)) {
      ++plan.unchanged;
      continue;
    }
    const Rule* rule = rules.find(task.rule);
    closed.close_reason =
        rule ? fmt::format("Closed by triage (rule set {}): {}", rules.version, rule->resolved_en)
             : fmt::format("Closed by triage: rule '{}' is not in rule set {} any more.", task.rule, rules.version);
    plan.to_close.push_back(std::move(closed));
  }
  for (const auto& finding : findings) {
    if (has_open.contains(finding.rule->name)) continue;
    Task task;
    task.child_id = child_id;
    task.rule = finding.rule->name;
    task.queue = finding.rule->queue;
    task.reason = finding.reason_en;
    task.reason_es = finding.reason_es;
    task.priority = finding.rule->priority;
    task.status = TaskStatus::open;
    task.opened_at = now;
    task.due_at = finding.due_at;
    plan.to_open.push_back(std::move(task));
  }
  return plan;
}

Result<Task> assign_task(Task task, const std::string& assignee) {
  if (task.status != TaskStatus::open)
    return make_error(ErrorCode::conflict, fmt::format("task {} is closed; reopen work with a new task", task.id));
  task.assignee = assignee;
  ACCOMPANY_CHECK(Task::validate(task));
  return task;
}

Result<Task> resolve_task(Task task, const std::string& outcome, Timestamp now) {
  if (task.status != TaskStatus::open)
    return make_error(ErrorCode::conflict, fmt::format("task {} is already closed", task.id));
  if (outcome.empty()) return invalid("outcome", "", "resolving a task records its outcome");
  task.status = TaskStatus::closed;
  task.closed_at = now;
  task.close_reason = outcome;
  ACCOMPANY_CHECK(Task::validate(task));
  return task;
}

}  // namespace accompany

// Turns findings into task changes, pure: open a task for a rule that holds and has none, close
// (with the rule's "resolved" text) an open triage task whose rule stopped holding, leave the
// rest. One open task per child and rule; manual tasks are never touched.
#pragma once

#include <vector>

#include "triage/evaluator.h"

namespace accompany {

struct TaskPlan {
  std::vector<Task> to_open;
  std::vector<Task> to_close;  // the open task with status, closed_at and close_reason set
  int unchanged = 0;
  bool empty() const { return to_open.empty() && to_close.empty(); }
};

TaskPlan plan_tasks(const RuleSet& rules, Id child_id, const std::vector<Finding>& findings,
                    const std::vector<Task>& open_tasks, Timestamp now);

// Assignment: (re)assigns an open task to `assignee` (empty to unassign); refuses a closed task.
Result<Task> assign_task(Task task, const std::string& assignee);
// Resolution by a person: closes an open task with the outcome they record.
Result<Task> resolve_task(Task task, const std::string& outcome, Timestamp now);

}  // namespace accompany

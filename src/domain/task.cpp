#include "domain/task.h"

#include "domain/identity.h"

namespace accompany {

Status Task::validate(const Task& task) {
  if (task.child_id && *task.child_id <= 0)
    return invalid("child_id", std::to_string(*task.child_id), "not a child id");
  ACCOMPANY_CHECK(check_text("rule", task.rule, 100, true));
  ACCOMPANY_CHECK(check_text("queue", task.queue, 100, true));
  ACCOMPANY_CHECK(check_text("reason", task.reason, 1000, true));
  ACCOMPANY_CHECK(check_text("reason_es", task.reason_es, 1000, false));
  ACCOMPANY_CHECK(check_text("assignee", task.assignee, 100, false));
  if (task.due_at < task.opened_at)
    return invalid("due_at", format_timestamp(task.due_at), "a task cannot be due before it is opened");
  const bool closed = task.status == TaskStatus::closed;
  if (closed != task.closed_at.has_value())
    return invalid("closed_at", task.closed_at ? format_timestamp(*task.closed_at) : "",
                   closed ? "a closed task records when it closed" : "an open task has no closing time");
  if (closed && task.close_reason.empty()) return invalid("close_reason", "", "a closed task records why it closed");
  ACCOMPANY_CHECK(check_text("close_reason", task.close_reason, 1000, false));
  return {};
}

}  // namespace accompany

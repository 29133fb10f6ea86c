// A piece of work in someone's worklist: opened by a triage rule or a person, always with a
// reason a caseworker can read, closed with an outcome or because its condition stopped holding.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

enum class TaskPriority { urgent, high, normal, low };
inline constexpr EnumTable<TaskPriority, 4> kTaskPriorityNames{{
    {TaskPriority::urgent, "urgent"},
    {TaskPriority::high, "high"},
    {TaskPriority::normal, "normal"},
    {TaskPriority::low, "low"},
}};

enum class TaskStatus { open, closed };
inline constexpr EnumTable<TaskStatus, 2> kTaskStatusNames{
    {{TaskStatus::open, "open"}, {TaskStatus::closed, "closed"}}};

struct Task {
  Id id = 0;
  std::optional<Id> child_id;
  std::string rule;    // triage rule name, or "manual"
  std::string queue;   // owner queue: "safety", "court", "legal_referral", "records", ...
  std::string reason;  // plain language, shown in the worklist (English)
  TaskPriority priority = TaskPriority::normal;
  TaskStatus status = TaskStatus::open;
  Timestamp opened_at{};
  Timestamp due_at{};
  std::string assignee;  // user name; empty while unassigned
  std::optional<Timestamp> closed_at;
  std::string close_reason;  // the outcome recorded, or why the rule stopped holding
  std::string reason_es;     // `reason` in Spanish; empty for a manual task written in one language

  static Status validate(const Task& task);
  bool overdue(Timestamp now) const { return status == TaskStatus::open && now > due_at; }
  bool operator==(const Task&) const = default;
};

}  // namespace accompany

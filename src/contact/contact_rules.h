// The contact center's rules as data (contact/rules/contact_center.json): queue priorities for
// routing, the service-level target, and which follow-up task a contact's category opens in
// which worklist queue. Loaded once; thread-safe to read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/contact.h"
#include "domain/task.h"

namespace accompany {

struct FollowUpRule {
  ContactCategory category;
  std::vector<std::string> sub_categories;  // empty: any
  std::string queue;
  TaskPriority priority = TaskPriority::normal;
  std::int64_t due_hours = 72;
  std::string reason_en;
  std::string reason_es;
  // Task.rule of the follow-ups it opens; triage leaves these to people (task_plan.cpp).
  std::string task_rule() const;
};

struct ContactCenterRules {
  int version = 0;
  std::vector<std::pair<std::string, std::int64_t>> queue_priorities;  // 0 first
  std::int64_t answer_target_seconds = 20;
  double service_level_target = 0.8;
  std::vector<FollowUpRule> follow_ups;  // first match wins

  // Unknown queues get the lowest priority listed.
  std::int64_t queue_priority(std::string_view queue) const;
  const FollowUpRule* follow_up_for(const Contact& contact) const;
};

Result<ContactCenterRules> parse_contact_center_rules(std::string_view json_text);
// The rules compiled into the binary.
const ContactCenterRules& contact_center_rules();

// The follow-up tasks `contact` opens (one per linked child, or one without a child).
std::vector<Task> plan_follow_ups(const ContactCenterRules& rules, const Contact& contact);

// Tasks whose rule names start with this were opened from a contact, not by a triage rule.
inline constexpr std::string_view kContactTaskRulePrefix = "contact:";

}  // namespace accompany

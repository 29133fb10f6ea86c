#include "contact/contact_rules.h"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>

#include "contact/embedded.h"

namespace accompany {
namespace json = boost::json;

namespace {

Result<std::string> text_of(const json::object& object, std::string_view name, std::string_view where) {
  auto found = object.find(name);
  if (found == object.end() || !found->value().is_string())
    return invalid(name, "", fmt::format("{} needs the string '{}'", where, name));
  return std::string(found->value().get_string());
}

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{" + name + "}";
    for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
      text.replace(at, placeholder.size(), value);
  }
  return text;
}

}  // namespace

std::string FollowUpRule::task_rule() const {
  return std::string(kContactTaskRulePrefix) + std::string(enum_name(kContactCategoryNames, category));
}

std::int64_t ContactCenterRules::queue_priority(std::string_view queue) const {
  std::int64_t lowest = 0;
  for (const auto& [name, priority] : queue_priorities) {
    if (name == queue) return priority;
    lowest = std::max(lowest, priority);
  }
  return lowest;
}

const FollowUpRule* ContactCenterRules::follow_up_for(const Contact& contact) const {
  for (const auto& rule : follow_ups) {
    if (rule.category != contact.category) continue;
    if (rule.sub_categories.empty() || std::find(rule.sub_categories.begin(), rule.sub_categories.end(),
                                                 contact.sub_category) != rule.sub_categories.end())
      return &rule;
  }
  return nullptr;
}

Result<ContactCenterRules> parse_contact_center_rules(std::string_view json_text) {
  json::error_code error;
  auto value = json::parse(json_text, error);
  if (error || !value.is_object()) return invalid("contact_center.json", "", "is not a JSON object");
  const auto& root = value.get_object();
  ContactCenterRules rules;
  if (auto v = root.find("version"); v != root.end() && v->value().is_int64())
    rules.version = static_cast<int>(v->value().get_int64());
  if (auto v = root.find("answer_target_seconds"); v != root.end() && v->value().is_int64())
    rules.answer_target_seconds = v->value().get_int64();
  if (auto v = root.find("service_level_target"); v != root.end() && v->value().is_double())
    rules.service_level_target = v->value().get_double();
  auto queues = root.find("queues");
  if (queues == root.end() || !queues->value().is_array()) return invalid("queues", "", "must be a list");
  for (const auto& entry : queues->value().get_array()) {
    if (!entry.is_object()) return invalid("queues", "", "each queue is an object");
    ACCOMPANY_TRY(name, text_of(entry.get_object(), "name", "a queue"));
    auto priority = entry.get_object().find("priority");
    if (priority == entry.get_object().end() || !priority->value().is_int64())
      return invalid("priority", name, "each queue needs an integer priority (0 first)");
    rules.queue_priorities.emplace_back(name, priority->value().get_int64());
  }
  auto follow_ups = root.find("follow_ups");
  if (follow_ups == root.end() || !follow_ups->value().is_array()) return invalid("follow_ups", "", "must be a list");
  for (const auto& entry : follow_ups->value().get_array()) {
    if (!entry.is_object()) return invalid("follow_ups", "", "each follow-up is an object");
    const auto& object = entry.get_object();
    FollowUpRule rule;
    ACCOMPANY_TRY(category, text_of(object, "category", "a follow-up"));
    ACCOMPANY_TRY(parsed, parse_enum(kContactCategoryNames, "category", category));
    rule.category = parsed;
    if (auto subs = object.find("sub_categories"); subs != object.end()) {
      if (!subs->value().is_array()) return invalid("sub_categories", category, "must be a list");
      for (const auto& sub : subs->value().get_array()) {
        if (!sub.is_string() || !is_sub_category_of(rule.category, sub.get_string()))
          return invalid("sub_categories", category, "lists a name that is not one of the category's sub-categories");
        rule.sub_categories.emplace_back(sub.get_string());
      }
    }
    ACCOMPANY_TRY(queue, text_of(object, "queue", "a follow-up"));
    rule.queue = queue;
    ACCOMPANY_TRY(priority, text_of(object, "priority", "a follow-up"));
    ACCOMPANY_TRY(parsed_priority, parse_enum(kTaskPriorityNames, "priority", priority));
    rule.priority = parsed_priority;
    auto due = object.find("due_hours");
    if (due == object.end() || !due->value().is_int64() || due->value().get_int64() <= 0)
      return invalid("due_hours", category, "must be a positive number of hours");
    rule.due_hours = due->value().get_int64();
    auto reason = object.find("reason");
    if (reason == object.end() || !reason->value().is_object()) return invalid("reason", category, "needs en and es");
    ACCOMPANY_TRY(en, text_of(reason->value().get_object(), "en", "a reason"));
    ACCOMPANY_TRY(es, text_of(reason->value().get_object(), "es", "a reason"));
    rule.reason_en = en;
    rule.reason_es = es;
    rules.follow_ups.push_back(std::move(rule));
  }
  return rules;
}

const ContactCenterRules& contact_center_rules() {
  static const ContactCenterRules rules = [] {
    for (const auto& [name, contents] : contact_files::embedded_files())
      if (name == "contact/rules/contact_center.json") {
        auto parsed = parse_contact_center_rules(contents);
        if (!parsed) throw std::logic_error("contact_center.json: " + parsed.error().describe());
        return *parsed;
      }
    throw std::logic_error("contact/rules/contact_center.json is not compiled into this build");
  }();
  return rules;
}

std::vector<Task> plan_follow_ups(const ContactCenterRules& rules, const Contact& contact) {
  const FollowUpRule* rule = rules.follow_up_for(contact);
  if (!rule) return {};
  const std::vector<std::pair<std::string, std::string>> values{
      {"caller_type", std::string(enum_name(kCallerTypeNames, contact.caller_type))},
      {"sub_category", contact.sub_category.empty() ? "unspecified" : contact.sub_category},
      {"contact_id", std::to_string(contact.id)},
      {"date", format_date(date_of(contact.occurred_at))}};
  Task task;
  task.rule = rule->task_rule();
  task.queue = rule->queue;
  task.priority = rule->priority;
  task.reason = fill(rule->reason_en, values);
  task.reason_es = fill(rule->reason_es, values);
  task.opened_at = contact.occurred_at;
  task.due_at = contact.occurred_at + std::chrono::hours(rule->due_hours);
  std::vector<Task> tasks;
  if (contact.child_ids.empty()) {
    tasks.push_back(task);
  } else {
    for (Id child : contact.child_ids) {
      task.child_id = child;
      tasks.push_back(task);
    }
  }
  return tasks;
}

}  // namespace accompany

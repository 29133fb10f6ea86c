// Who may do what, as data: the permissions each role holds, and the fields that need a
// permission of their own. The HTTP gate (http/router.cpp) is the one place routes check
// these; handlers apply the field rules through `field_visible`. Pure and thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "security/accounts.h"

namespace accompany {

namespace permission {
inline constexpr std::string_view child_read = "child.read";  // identity, custody and court records
inline constexpr std::string_view child_write = "child.write";
inline constexpr std::string_view address_read = "address.read";
inline constexpr std::string_view address_write = "address.write";
inline constexpr std::string_view sponsor_read = "sponsor.read";
inline constexpr std::string_view custody_read = "custody.read";
inline constexpr std::string_view court_read = "court.read";  // notices and hearings
inline constexpr std::string_view welfare_read = "welfare.read";
inline constexpr std::string_view contact_read = "contact.read";
inline constexpr std::string_view contact_write = "contact.write";
inline constexpr std::string_view safety_narrative = "safety.narrative";  // exploitation-report narratives
inline constexpr std::string_view task_read = "task.read";
inline constexpr std::string_view task_assign = "task.assign";    // assign, reassign, unassign open tasks
inline constexpr std::string_view task_resolve = "task.resolve";  // resolve an open task with an outcome
inline constexpr std::string_view link_review = "link.review";  // the record-linkage review queue: merge, attach, reject
inline constexpr std::string_view referral_read = "referral.read";
inline constexpr std::string_view referral_write = "referral.write";
inline constexpr std::string_view access_log_read = "access_log.read";
inline constexpr std::string_view break_glass_open = "break_glass.open";
inline constexpr std::string_view break_glass_review = "break_glass.review";
inline constexpr std::string_view user_manage = "user.manage";
inline constexpr std::string_view sharing_manage = "sharing.manage";
inline constexpr std::string_view shared_read = "shared.read";  // read through a sharing policy
inline constexpr std::string_view report_read = "report.read";  // aggregate reports: counts, no identities
inline constexpr std::string_view quarantine_read = "quarantine.read";  // rows that did not validate
inline constexpr std::string_view quarantine_resolve = "quarantine.resolve";  // retry or discard them
inline constexpr std::string_view cti_event = "cti.event";        // a PBX posts call events (service account)
inline constexpr std::string_view desk_use = "desk.use";          // the agent desktop: own state, pops, callbacks
inline constexpr std::string_view wallboard_read = "wallboard.read";  // live wallboard, call reports, staffing
}  // namespace permission

// Every permission any route or field may name; a name outside this list is a bug.
const std::vector<std::string_view>& all_permissions();
bool is_known_permission(std::string_view name);

// The permissions a role holds.
const std::vector<std::string_view>& permissions_of(Role role);
bool role_has(Role role, std::string_view permission);

// Roles that see only the children referred to their organization (or opened by break-the-glass).
bool role_sees_referred_children_only(Role role);
// Roles that see only the children assigned to them: a child is assigned to a caseworker when a
// supervisor assigned one of the child's tasks to them (POST /api/tasks/{id}/assign), or when they
// opened it by break-the-glass.
bool role_sees_assigned_children_only(Role role);

// A field that needs its own permission, optionally only when another field has a given value
// (an exploitation report's narrative, but not a hearing question's).
struct FieldRule {
  std::string_view entity;  // table name: "contacts"
  std::string_view field;
  std::string_view permission;
  std::string_view when_field;  // empty: always
  std::string_view when_value;
};
const std::vector<FieldRule>& field_rules();

// Whether `role` may see `field` of an `entity` record; `value_of` gives another field's value.
template <class ValueOf>
bool field_visible(Role role, std::string_view entity, std::string_view field, const ValueOf& value_of) {
  for (const auto& rule : field_rules()) {
    if (rule.entity != entity || rule.field != field) continue;
    if (!rule.when_field.empty() && value_of(rule.when_field) != rule.when_value) continue;
    if (!role_has(role, rule.permission)) return false;
  }
  return true;
}

}  // namespace accompany

#include "security/permissions.h"

#include <algorithm>
#include <map>

namespace accompany {

using namespace permission;

const std::vector<std::string_view>& all_permissions() {
  static const std::vector<std::string_view> all{
      child_read,         child_write,  address_read,   address_write,  sponsor_read,     custody_read,
      court_read,         welfare_read, contact_read,   contact_write,  safety_narrative, task_read,
      task_assign,        task_resolve, link_review,    referral_read,  referral_write, access_log_read,  break_glass_open,
      break_glass_review, user_manage,  sharing_manage, shared_read,    report_read,    quarantine_read,  quarantine_resolve,
      cti_event,          desk_use,     wallboard_read};
  return all;
}

bool is_known_permission(std::string_view name) {
  const auto& all = all_permissions();
  return std::find(all.begin(), all.end(), name) != all.end();
}

const std::vector<std::string_view>& permissions_of(Role role) {
  // DESIGN.md's roles. The administrator manages accounts and sharing but holds no permission
  // that reads case content; oversight reads the audit trail, not identities.
  static const std::map<Role, std::vector<std::string_view>> table{
      {Role::caseworker,
       {child_read, child_write, address_read, address_write, sponsor_read, custody_read, court_read, welfare_read,
        contact_read, contact_write, task_read, task_resolve, referral_read, referral_write, break_glass_open}},
      {Role::contact_center_agent,
       {child_read, address_read, sponsor_read, custody_read, court_read, welfare_read, contact_read, contact_write,
        task_read, task_resolve, break_glass_open, desk_use}},
      {Role::supervisor,
       {child_read, child_write, address_read, address_write, sponsor_read, custody_read, court_read, welfare_read,
        contact_read, contact_write, safety_narrative, task_read, task_assign, task_resolve, referral_read,
        referral_write, access_log_read, break_glass_review, report_read, desk_use, wallboard_read}},
      {Role::legal_partner, {child_read, court_read, referral_read, break_glass_open}},
      {Role::data_steward,
       {child_read, child_write, address_read, sponsor_read, custody_read, court_read, task_read, report_read,
        link_review, quarantine_read, quarantine_resolve}},
      {Role::oversight, {access_log_read, break_glass_review, report_read}},
      {Role::administrator, {user_manage, sharing_manage}},
      {Role::outside_agency, {shared_read}},
      // The PBX bridge's service account: posts call events, reads nothing.
      {Role::telephony, {cti_event}},
  };
  return table.at(role);
}

bool role_has(Role role, std::string_view name) {
  const auto& held = permissions_of(role);
  return std::find(held.begin(), held.end(), name) != held.end();
}

bool role_sees_referred_children_only(Role role) {
  return role == Role::legal_partner;
}

bool role_sees_assigned_children_only(Role role) {
  return role == Role::caseworker;
}

const std::vector<FieldRule>& field_rules() {
  static const std::vector<FieldRule> rules{
      {"contacts", "narrative", safety_narrative, "category", "exploitation_report"},
      {"contacts", "details", safety_narrative, "category", "exploitation_report"},
  };
  return rules;
}

}  // namespace accompany

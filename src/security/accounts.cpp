#include "security/accounts.h"

#include <algorithm>

#include "domain/identity.h"

namespace accompany {
namespace {

bool is_login_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

}  // namespace

Status User::validate(const User& user) {
  if (!is_login_name(user.name))
    return invalid("name", user.name, "use 1 to 64 lower-case letters, digits, '.', '_' or '-'");
  ACCOMPANY_CHECK(check_text("organization", user.organization, 200, false));
  if ((user.role == Role::legal_partner || user.role == Role::outside_agency) && user.organization.empty())
    return invalid("organization", "", "a legal partner or outside agency account must name its organization");
  if (user.service && user.token_hash.empty()) return invalid("token_hash", "", "a service account needs an API token");
  if (!user.service && user.password_hash.empty())
    return invalid("password_hash", "", "a person's account needs a password");
  if (user.service && !user.password_hash.empty())
    return invalid("password_hash", "", "a service account signs in with its token only");
  return {};
}

Status Referral::validate(const Referral& referral) {
  if (referral.child_id <= 0) return invalid("child_id", std::to_string(referral.child_id), "not a child id");
  ACCOMPANY_CHECK(check_text("organization", referral.organization, 200, true));
  ACCOMPANY_CHECK(check_text("referred_by", referral.referred_by, 100, true));
  return {};
}

const std::vector<std::string>& shareable_child_fields() {
  static const std::vector<std::string> fields{"a_number",         "name",      "birth_date",         "sex",
                                               "country_of_birth", "languages", "interpreter_needed", "hearings",
                                               "notices"};
  return fields;
}

Status SharingPolicy::validate(const SharingPolicy& policy) {
  ACCOMPANY_CHECK(check_text("organization", policy.organization, 200, true));
  ACCOMPANY_CHECK(check_text("purpose", policy.purpose, 500, true));
  ACCOMPANY_CHECK(check_text("created_by", policy.created_by, 100, true));
  if (policy.fields.empty()) return invalid("fields", "", "name at least one field the organization may see");
  const auto& allowed = shareable_child_fields();
  for (const auto& field : policy.fields)
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end())
      return invalid("fields", field,
                     "not a shareable field; use a_number, name, birth_date, sex, country_of_birth, languages, "
                     "interpreter_needed, hearings or notices");
  if (policy.expires_at <= policy.created_at)
    return invalid("expires_at", format_timestamp(policy.expires_at), "a policy must expire after it is created");
  return {};
}

Status BreakGlassGrant::validate(const BreakGlassGrant& grant) {
  if (grant.child_id <= 0) return invalid("child_id", std::to_string(grant.child_id), "not a child id");
  ACCOMPANY_CHECK(check_text("user_name", grant.user_name, 100, true));
  auto reason = clean_text("reason", grant.reason, 1000, true, true);
  if (!reason) return reason.error();
  if (reason->size() < 10)
    return invalid("reason", grant.reason, "say in a sentence why you need this record (at least 10 characters)");
  if (grant.expires_at <= grant.opened_at)
    return invalid("expires_at", format_timestamp(grant.expires_at), "a grant must expire after it opens");
  return {};
}

}  // namespace accompany

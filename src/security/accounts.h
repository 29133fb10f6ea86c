// The people and services that use Accompany, and the records that decide what each may see:
// referrals of a child to a legal partner, sharing policies for outside organizations, and
// break-the-glass grants. Plain records with validation; no I/O.
#pragma once

#include <string>
#include <vector>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

// The roles of DESIGN.md, plus outside_agency for the service accounts of organizations that
// read through a sharing policy.
enum class Role {
  caseworker,
  contact_center_agent,
  supervisor,
  legal_partner,
  data_steward,
  oversight,
  administrator,
  outside_agency,
  telephony
};
inline constexpr EnumTable<Role, 9> kRoleNames{{
    {Role::caseworker, "caseworker"},
    {Role::contact_center_agent, "contact_center_agent"},
    {Role::supervisor, "supervisor"},
    {Role::legal_partner, "legal_partner"},
    {Role::data_steward, "data_steward"},
    {Role::oversight, "oversight"},
    {Role::administrator, "administrator"},
    {Role::outside_agency, "outside_agency"},
    {Role::telephony, "telephony"},
}};

struct User {
  Id id = 0;
  std::string name;  // the login name: lower-case letters, digits, '.', '_', '-'
  Role role = Role::caseworker;
  std::string organization;   // required for legal partners and outside agencies
  bool service = false;       // a service account signs in with an API token, never a password
  std::string password_hash;  // argon2id string (crypto_pwhash_str); empty for service accounts
  std::string token_hash;     // BLAKE2b of the API token; empty for people
  bool disabled = false;
  Timestamp created_at{};

  static Status validate(const User& user);
  bool operator==(const User&) const = default;
};

// Who is making a request, once signed in (by session cookie or API token).
struct Principal {
  Id user_id = 0;
  std::string name;
  Role role = Role::caseworker;
  std::string organization;
  bool by_session = false;  // a browser session (needs CSRF tokens), not an API token
  std::string csrf_token;   // for sessions only
};

// A child referred to a legal service provider: that organization's legal partners may see it.
struct Referral {
  Id id = 0;
  Id child_id = 0;
  std::string organization;
  Timestamp referred_at{};
  std::string referred_by;

  static Status validate(const Referral& referral);
  bool operator==(const Referral&) const = default;
};

// What an outside organization may see, why, and until when. Fields are named from
// kShareableChildFields; nothing else is ever shared.
struct SharingPolicy {
  Id id = 0;
  std::string organization;
  std::vector<std::string> fields;
  std::string purpose;
  Timestamp expires_at{};
  std::string created_by;
  Timestamp created_at{};

  static Status validate(const SharingPolicy& policy);
  bool active(Timestamp now) const { return now < expires_at; }
  bool operator==(const SharingPolicy&) const = default;
};

// The fields of a child's record a sharing policy may name.
const std::vector<std::string>& shareable_child_fields();

// A user opened one child's record outside their usual access, with a stated reason.
struct BreakGlassGrant {
  Id id = 0;
  Id child_id = 0;
  std::string user_name;
  std::string reason;
  Timestamp opened_at{};
  Timestamp expires_at{};

  static Status validate(const BreakGlassGrant& grant);
  bool operator==(const BreakGlassGrant&) const = default;
};

}  // namespace accompany

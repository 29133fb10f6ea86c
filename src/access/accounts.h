// Accounts and access: users (people with argon2id passwords, services with API tokens),
// sessions, sign-in throttling per account and per client address, and whether a signed-in
// user may see a given child (referrals, break-the-glass grants). Every account change goes
// through Store::transact and is audited. Thread-safe: each call uses its own store connection.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/session_cache.h"
#include "security/accounts.h"
#include "store/store.h"

namespace accompany {

struct SignInOutcome {
  enum class Kind { signed_in, bad_credentials, throttled };
  Kind kind = Kind::bad_credentials;
  std::string session_token;  // for the cookie; only its digest is stored
  Principal principal;
  Timestamp expires_at{};
  std::chrono::seconds retry_after{0};  // when throttled
};

struct ThrottleLimits {
  int per_account = 5;   // failed sign-ins per account in one window
  int per_address = 20;  // failed sign-ins from one client address in one window
  std::chrono::seconds window{15 * 60};
};

// Whether `who` may see `child_id` at `now`, read on `sql` (so a handler can decide inside its own
// transaction): legal partners see the children referred to their organization, caseworkers
// the children with a task assigned to them, both also a child they hold an open
// break-the-glass grant for; every other role sees every child.
Result<bool> child_visible(SqlConnection& sql, const Principal& who, Id child_id, Timestamp now);

// The same rule for list queries: " AND <column> IN (...)" keeping only the rows about children
// `who` may see, or "" for roles that see every child. Its parameters are appended to `params`
// and numbered after them, plus `placeholders_before` (e.g. 1 when $1 is a paging cursor).
std::string child_scope_condition(const Principal& who, std::string_view column, std::vector<SqlValue>& params,
                                  Timestamp now, size_t placeholders_before = 0);

class Accounts {
 public:
  static constexpr std::chrono::seconds kDefaultSessionLifetime = std::chrono::hours(8);
  // `session_cache_ttl`: how long a looked-up session is trusted without reading the database
  // again (0 turns the cache off); see SessionCache.
  Accounts(Store& store, ThrottleLimits limits = {}, std::chrono::seconds session_lifetime = kDefaultSessionLifetime,
           std::chrono::seconds session_cache_ttl = SessionCache::kDefaultTtl);

  // A person who signs in with a password (checked for strength, stored as argon2id).
  Result<Id> add_person(const AuditContext& context, const std::string& name, Role role,
                        const std::string& organization, const std::string& password);
  // A service account; returns its API token, which is shown once and stored only as a digest.
  Result<std::string> add_service(const AuditContext& context, const std::string& name, Role role,
                                  const std::string& organization);
  Result<std::vector<User>> list();
  // Disabling also ends the user's sessions.
  Status disable(const AuditContext& context, const std::string& name);
  // Sets a new password (people) and ends the user's sessions.
  Status reset_password(const AuditContext& context, const std::string& name, const std::string& password);
  // Issues a new API token (services); the old one stops working.
  Result<std::string> reset_token(const AuditContext& context, const std::string& name);

  // Checks the password unless the account or address is throttled. A session token the
  // client already held is discarded (no session fixation): every sign-in gets a new one.
  Result<SignInOutcome> sign_in(const std::string& name, const std::string& password, const std::string& client_address,
                                const std::optional<std::string>& old_session);
  Status sign_out(const std::string& session_token);

  // The signed-in user behind a session cookie or an API token ("acc_<id>_<secret>"). A session
  // seen in the last few seconds is answered from the session cache.
  Result<std::optional<Principal>> from_session(const std::string& session_token);
  Result<std::optional<Principal>> from_api_token(const std::string& token);

  // Whether `who` may open `child_id`: always for roles not scoped to referrals; otherwise
  // when the child is referred to their organization or they hold an open break-the-glass grant.
  Result<bool> can_see_child(const Principal& who, Id child_id);

 private:
  Result<std::optional<User>> find_user(SqlConnection& sql, const std::string& name);
  Status end_sessions(UnitOfWork& unit, Id user_id);
  Status forget_ended_sessions(Status committed);
  Status count_failure(const std::string& key);
  Result<std::optional<std::chrono::seconds>> throttled(const std::string& key, int limit);

  Store& store_;
  ThrottleLimits limits_;
  std::chrono::seconds session_lifetime_;
  SessionCache sessions_;
  std::mutex session_ending_;     // one disable or password reset at a time
  std::optional<Id> ended_user_;  // guarded by session_ending_: whose sessions end_sessions deleted
};

}  // namespace accompany

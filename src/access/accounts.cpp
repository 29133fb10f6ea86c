#include "access/accounts.h"

#include <fmt/format.h>

#include <charconv>

#include "security/credentials.h"
#include "security/permissions.h"

namespace accompany {
namespace {

std::string user_columns() {
  std::string out = "id";
  for (auto column : EntityTable<User>::spec().columns) out += fmt::format(", {}", column);
  return out;
}

Principal principal_of(const User& user) {
  return Principal{user.id, user.name, user.role, user.organization, false, {}};
}

}  // namespace

Accounts::Accounts(Store& store, ThrottleLimits limits, std::chrono::seconds session_lifetime,
                   std::chrono::seconds session_cache_ttl)
    : store_(store), limits_(limits), session_lifetime_(session_lifetime), sessions_(session_cache_ttl) {}

Result<std::optional<User>> Accounts::find_user(SqlConnection& sql, const std::string& name) {
  const SqlValue params[] = {name};
  ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM users WHERE name = $1", user_columns()), params));
  if (rows.empty()) return std::optional<User>();
  ACCOMPANY_TRY(user, EntityTable<User>::from_row(rows.front()));
  return std::optional<User>(std::move(user));
}

Result<Id> Accounts::add_person(const AuditContext& context, const std::string& name, Role role,
                                const std::string& organization, const std::string& password) {
  ACCOMPANY_CHECK(check_password_strength(password));
  ACCOMPANY_TRY(hash, hash_password(password));
  Id id = 0;
  ACCOMPANY_CHECK(store_.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(existing, find_user(unit.sql(), name));
    if (existing) return make_error(ErrorCode::conflict, fmt::format("a user named '{}' already exists", name));
    User user{0, name, role, organization, false, hash, "", false, unit.now()};
    ACCOMPANY_TRY(inserted, unit.insert(user));
    id = inserted;
    return {};
  }));
  return id;
}

Result<std::string> Accounts::add_service(const AuditContext& context, const std::string& name, Role role,
                                          const std::string& organization) {
  const std::string secret = random_token();
  std::string token;
  ACCOMPANY_CHECK(store_.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(existing, find_user(unit.sql(), name));
    if (existing) return make_error(ErrorCode::conflict, fmt::format("a user named '{}' already exists", name));
    User user{0, name, role, organization, true, "", token_digest(secret), false, unit.now()};
    ACCOMPANY_TRY(id, unit.insert(user));
    token = fmt::format("acc_{}_{}", id, secret);
    return {};
  }));
  return token;
}

Result<std::vector<User>> Accounts::list() {
  std::vector<User> users;
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM users ORDER BY name", user_columns())));
    for (const auto& row : rows) {
      ACCOMPANY_TRY(user, EntityTable<User>::from_row(row));
      users.push_back(std::move(user));
    }
    return {};
  }));
  return users;
}

Status Accounts::end_sessions(UnitOfWork& unit, Id user_id) {
  const SqlValue params[] = {user_id};
  ACCOMPANY_CHECK(unit.sql().execute("DELETE FROM sessions WHERE user_id = $1", params));
  ended_user_ = user_id;
  return {};
}

// After the commit that deleted the user's sessions: dropping them from the cache then (and
// bumping its generation) leaves no way for a lookup that read them before to keep them.
Status Accounts::forget_ended_sessions(Status committed) {
  if (committed && ended_user_) sessions_.forget_user(*ended_user_);
  return committed;
}

Status Accounts::disable(const AuditContext& context, const std::string& name) {
  std::lock_guard lock(session_ending_);
  ended_user_.reset();
  return forget_ended_sessions(store_.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(user, find_user(unit.sql(), name));
    if (!user) return make_error(ErrorCode::not_found, fmt::format("there is no user named '{}'", name));
    user->disabled = true;
    ACCOMPANY_CHECK(unit.update(*user));
    return end_sessions(unit, user->id);
  }));
}

Status Accounts::reset_password(const AuditContext& context, const std::string& name, const std::string& password) {
  ACCOMPANY_CHECK(check_password_strength(password));
  ACCOMPANY_TRY(hash, hash_password(password));
  std::lock_guard lock(session_ending_);
  ended_user_.reset();
  return forget_ended_sessions(store_.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(user, find_user(unit.sql(), name));
    if (!user) return make_error(ErrorCode::not_found, fmt::format("there is no user named '{}'", name));
    if (user->service)
      return invalid("name", name, "a service account has no password; use `accompany user reset-token`");
    user->password_hash = hash;
    ACCOMPANY_CHECK(unit.update(*user));
    return end_sessions(unit, user->id);
  }));
}

Result<std::string> Accounts::reset_token(const AuditContext& context, const std::string& name) {
  const std::string secret = random_token();
  std::string token;
  ACCOMPANY_CHECK(store_.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(user, find_user(unit.sql(), name));
    if (!user) return make_error(ErrorCode::not_found, fmt::format("there is no user named '{}'", name));
    if (!user->service)
      return invalid("name", name, "a person signs in with a password; use `accompany user reset-password`");
    user->token_hash = token_digest(secret);
    ACCOMPANY_CHECK(unit.update(*user));
    token = fmt::format("acc_{}_{}", user->id, secret);
    return {};
  }));
  return token;
}

Result<std::optional<std::chrono::seconds>> Accounts::throttled(const std::string& key, int limit) {
  std::optional<std::chrono::seconds> wait;
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    const SqlValue params[] = {key};
    ACCOMPANY_TRY(rows, sql.query("SELECT failures, window_start FROM login_throttle WHERE key = $1", params));
    if (rows.empty() || rows[0].integer(0) < limit) return {};
    ACCOMPANY_TRY(start, parse_timestamp("window_start", rows[0].text(1)));
    const auto ends = start + limits_.window;
    const auto now = store_.clock().now();
    if (now < ends) wait = std::chrono::duration_cast<std::chrono::seconds>(ends - now);
    return {};
  }));
  return wait;
}

Status Accounts::count_failure(const std::string& key) {
  return store_.read([&](SqlConnection& sql) -> Status {
    const auto now = store_.clock().now();
    // A failure after the window has passed starts a new window.
    const SqlValue params[] = {
        key, format_timestamp(now),
        format_timestamp(now - std::chrono::duration_cast<std::chrono::seconds>(limits_.window))};
    ACCOMPANY_CHECK(sql.execute(
        "INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 1, $2) ON CONFLICT (key) DO UPDATE SET "
        "failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 ELSE login_throttle.failures + 1 END, "
        "window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 ELSE login_throttle.window_start END",
        params));
    return {};
  });
}

Result<SignInOutcome> Accounts::sign_in(const std::string& name, const std::string& password,
                                        const std::string& client_address,
                                        const std::optional<std::string>& old_session) {
  SignInOutcome outcome;
  const std::string account_key = "user:" + name;
  const std::string address_key = "address:" + client_address;
  // Throttled requests are refused before the (deliberately slow) password check.
  ACCOMPANY_TRY(account_wait, throttled(account_key, limits_.per_account));
  ACCOMPANY_TRY(address_wait, throttled(address_key, limits_.per_address));
  if (account_wait || address_wait) {
    outcome.kind = SignInOutcome::Kind::throttled;
    outcome.retry_after =
        std::max(account_wait.value_or(std::chrono::seconds(0)), address_wait.value_or(std::chrono::seconds(0)));
    return outcome;
  }
  std::optional<User> user;
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(found, find_user(sql, name));
    user = std::move(found);
    return {};
  }));
  // An unknown name costs the same argon2 check as a known one, so timing does not tell which
  // names exist.
  static const std::string kDecoy = hash_password("decoy password, never matches").value();
  const bool known = user && !user->service;
  const bool matches = verify_password(password, known ? user->password_hash : kDecoy);
  const bool good = known && !user->disabled && matches;
  if (!good) {
    ACCOMPANY_CHECK(count_failure(account_key));
    ACCOMPANY_CHECK(count_failure(address_key));
    return outcome;
  }
  const std::string token = random_token();
  outcome.kind = SignInOutcome::Kind::signed_in;
  outcome.principal = principal_of(*user);
  outcome.principal.by_session = true;
  outcome.principal.csrf_token = random_token();
  outcome.session_token = token;
  ACCOMPANY_CHECK(store_.transact({user->name, "sign in"}, [&](UnitOfWork& unit) -> Status {
    outcome.expires_at = unit.now() + session_lifetime_;
    if (old_session) {
      const SqlValue old[] = {token_digest(*old_session)};
      ACCOMPANY_CHECK(unit.sql().execute("DELETE FROM sessions WHERE token_hash = $1", old));
    }
    const SqlValue params[] = {token_digest(token), user->id, outcome.principal.csrf_token,
                               format_timestamp(unit.now()), format_timestamp(outcome.expires_at)};
    ACCOMPANY_CHECK(unit.sql().execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        params));
    const SqlValue reset[] = {account_key};
    ACCOMPANY_CHECK(unit.sql().execute("DELETE FROM login_throttle WHERE key = $1", reset));
    return unit.record_event("sign_in", "users", user->id, "from " + client_address);
  }));
  if (old_session) sessions_.forget(token_digest(*old_session));  // after the commit that deleted it
  return outcome;
}

Status Accounts::sign_out(const std::string& session_token) {
  const std::string digest = token_digest(session_token);
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    const SqlValue params[] = {digest};
    ACCOMPANY_CHECK(sql.execute("DELETE FROM sessions WHERE token_hash = $1", params));
    return {};
  }));
  // After the delete (see forget_ended_sessions).
  sessions_.forget(digest);
  return {};
}

Result<std::optional<Principal>> Accounts::from_session(const std::string& session_token) {
  const std::string digest = token_digest(session_token);
  const Timestamp now = store_.clock().now();
  if (auto cached = sessions_.find(digest, now)) return cached;
  const auto generation = sessions_.generation();
  std::optional<Principal> principal;
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    const SqlValue params[] = {digest, format_timestamp(now)};
    ACCOMPANY_TRY(rows, sql.query("SELECT u.id, u.name, u.role, u.organization, s.csrf_token, s.expires_at FROM "
                                  "sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND "
                                  "s.expires_at > $2 AND u.disabled = 0",
                                  params));
    if (rows.empty()) return {};
    ACCOMPANY_TRY(role, parse_enum(kRoleNames, "role", rows[0].text(2)));
    ACCOMPANY_TRY(expires, parse_timestamp("expires_at", rows[0].text(5)));
    principal = Principal{rows[0].integer(0), rows[0].text(1), role, rows[0].text(3), true, rows[0].text(4)};
    sessions_.remember(digest, *principal, expires, now, generation);
    return {};
  }));
  return principal;
}

Result<std::optional<Principal>> Accounts::from_api_token(const std::string& token) {
  // "acc_<user id>_<64 hex>": the id finds the account, the digest proves the secret.
  if (!token.starts_with("acc_")) return std::optional<Principal>();
  const auto underscore = token.find('_', 4);
  if (underscore == std::string::npos) return std::optional<Principal>();
  Id id = 0;
  auto [end, ec] = std::from_chars(token.data() + 4, token.data() + underscore, id);
  if (ec != std::errc() || end != token.data() + underscore) return std::optional<Principal>();
  const std::string digest = token_digest(token.substr(underscore + 1));
  std::optional<Principal> principal;
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    const SqlValue params[] = {id};
    ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM users WHERE id = $1", user_columns()), params));
    if (rows.empty()) return {};
    ACCOMPANY_TRY(user, EntityTable<User>::from_row(rows.front()));
    if (user.service && !user.disabled && constant_time_equal(user.token_hash, digest)) principal = principal_of(user);
    return {};
  }));
  return principal;
}

Result<bool> child_visible(SqlConnection& sql, const Principal& who, Id child_id, Timestamp now) {
  const bool by_referral = role_sees_referred_children_only(who.role);
  if (!by_referral && !role_sees_assigned_children_only(who.role)) return true;
  const SqlValue scope[] = {by_referral ? who.organization : who.name, child_id};
  ACCOMPANY_TRY(in_scope, sql.query(by_referral
                                        ? "SELECT 1 FROM referrals WHERE organization = $1 AND child_id = $2 LIMIT 1"
                                        : "SELECT 1 FROM tasks WHERE assignee = $1 AND child_id = $2 LIMIT 1",
                                    scope));
  if (!in_scope.empty()) return true;
  const SqlValue grant[] = {who.name, child_id, format_timestamp(now)};
  ACCOMPANY_TRY(granted, sql.query("SELECT 1 FROM break_glass_grants WHERE user_name = $1 AND child_id = $2 AND "
                                   "expires_at > $3 LIMIT 1",
                                   grant));
  return !granted.empty();
}

std::string child_scope_condition(const Principal& who, std::string_view column, std::vector<SqlValue>& params,
                                  Timestamp now, size_t placeholders_before) {
  const bool by_referral = role_sees_referred_children_only(who.role);
  if (!by_referral && !role_sees_assigned_children_only(who.role)) return "";
  params.emplace_back(by_referral ? who.organization : who.name);
  const size_t scope = params.size() + placeholders_before;
  params.emplace_back(who.name);
  const size_t user = params.size() + placeholders_before;
  params.emplace_back(format_timestamp(now));
  const size_t at = params.size() + placeholders_before;
  const std::string members = by_referral
                                  ? fmt::format("SELECT child_id FROM referrals WHERE organization = ${}", scope)
                                  : fmt::format("SELECT child_id FROM tasks WHERE assignee = ${}", scope);
  return fmt::format(
      " AND {} IN ({} UNION SELECT child_id FROM break_glass_grants WHERE user_name = ${} AND expires_at > ${})", column,
      members, user, at);
}

Result<bool> Accounts::can_see_child(const Principal& who, Id child_id) {
  if (!role_sees_referred_children_only(who.role) && !role_sees_assigned_children_only(who.role)) return true;
  bool allowed = false;
  ACCOMPANY_CHECK(store_.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(visible, child_visible(sql, who, child_id, store_.clock().now()));
    allowed = visible;
    return {};
  }));
  return allowed;
}

}  // namespace accompany

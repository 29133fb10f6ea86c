#include "http/api.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "contact/call_store.h"
#include "http/api_support.h"
#include "http/records_json.h"
#include "security/credentials.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

constexpr std::string_view kChildFields = "a_number,name,birth_date,sex,country_of_birth,languages,interpreter_needed";

// A contact as `role` may see it: the narrative of an exploitation report only for the safety team.
std::pair<json::object, std::string> visible_contact(const Contact& contact, Role role) {
  json::object out = to_json(contact);
  std::string fields;
  std::vector<std::string> hidden;
  for (auto& member : out) {
    const std::string field(member.key());
    const bool visible = field_visible(role, "contacts", field, [&](std::string_view other) -> std::string {
      auto found = out.find(other);
      return found != out.end() && found->value().is_string() ? std::string(found->value().get_string()) : "";
    });
    if (visible)
      fields += (fields.empty() ? "" : ",") + field;
    else
      hidden.push_back(field);
  }
  for (const auto& field : hidden) out.erase(field);
  if (!hidden.empty()) {
    json::array withheld;
    for (const auto& field : hidden) withheld.emplace_back(field);
    out["withheld_fields"] = std::move(withheld);
  }
  return {std::move(out), fields};
}

// Whether the signed-in user may see `contact`: every child it names must be visible to them
// (caseworkers: assigned; legal partners: referred), and one about no child only to whoever
// recorded it. Roles that see every child see every contact.
Result<bool> contact_visible(UnitOfWork& unit, const RequestContext& context, const Contact& contact) {
  if (!sees_some_children_only(context)) return true;
  if (contact.child_ids.empty()) return contact.recorded_by == context.who().name;
  for (Id child : contact.child_ids) {
    ACCOMPANY_TRY(visible, child_visible(unit.sql(), context.who(), child, unit.now()));
    if (!visible) return false;
  }
  return true;
}

std::optional<Response> check_access(ApiServices& services, const Route& route, RequestContext& context) {
  const auto& request = context.request;
  std::optional<Principal> who;
  if (auto authorization = request.header("authorization")) {
    if (!authorization->starts_with("Bearer "))
      return problem_response(401, "Not signed in", "Send an API token as 'Authorization: Bearer <token>'.");
    auto found = services.accounts.from_api_token(std::string(authorization->substr(7)));
    if (!found) return error_response(found.error());
    who = *found;
  } else if (auto cookie = request.cookie(kSessionCookie)) {
    auto found = services.accounts.from_session(*cookie);
    if (!found) return error_response(found.error());
    who = *found;
  }
  if (!who) {
    auto response = problem_response(
        401, "Not signed in",
        "Sign in first (POST /api/session with your name and password), or send a service account's API token.");
    response.headers.emplace_back("WWW-Authenticate", "Bearer");
    return response;
  }
  // A browser sends cookies on its own; only a page of ours can also send the session's token.
  if (who->by_session && request.unsafe()) {
    auto token = request.header("x-csrf-token");
    if (!token || !constant_time_equal(*token, who->csrf_token))
      return problem_response(403, "Missing CSRF token",
                              "Send the X-CSRF-Token header with the csrf_token you received when signing in "
                              "(GET /api/session shows it again).");
  }
  if (route.policy.kind == Policy::Kind::permission && !role_has(who->role, route.policy.permission))
    return problem_response(403, "Forbidden",
                            fmt::format("Your role ({}) does not include '{}'. If your work needs it, ask an "
                                        "administrator to change your role.",
                                        enum_name(kRoleNames, who->role), route.policy.permission));
  if (route.policy.child_scoped) {
    auto id = context.id_param();
    if (!id) return error_response(id.error());
    auto allowed = services.accounts.can_see_child(*who, *id);
    if (!allowed) return error_response(allowed.error());
    if (!*allowed && role_sees_assigned_children_only(who->role))
      return problem_response(403, "Not assigned to you",
                              fmt::format("Child {} is not assigned to you (no task of the child is). Ask a "
                                          "supervisor to assign it, or, if you must open this record now, state why "
                                          "with POST /api/children/{}/break-glass; supervisors review every use.",
                                          *id, *id));
    if (!*allowed)
      return problem_response(403, "Not referred to your organization",
                              fmt::format("Child {} has not been referred to {}. If you must open this record, state "
                                          "why with POST /api/children/{}/break-glass; supervisors review every use.",
                                          *id, who->organization, *id));
  }
  context.principal = std::move(who);
  return std::nullopt;
}

std::string session_cookie(const std::string& value, bool secure, std::int64_t max_age) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie, value, max_age,
                     secure ? "; Secure" : "");
}

void add_session_routes(Router& router, ApiServices& services) {
  router.add(
      "POST", "/api/session", Policy::open_to_all(), "Sign in with a name and password",
      fallible([&services](RequestContext& context) -> Result<Response> {
        ACCOMPANY_CHECK(only_known_query(context.request, {}));
        ACCOMPANY_TRY(body, json_body(context.request));
        if (!body.is_object()) return invalid("body", "", "send {\"name\": ..., \"password\": ...}");
        ACCOMPANY_TRY(name, string_member(body.get_object(), "name", true));
        ACCOMPANY_TRY(password, string_member(body.get_object(), "password", true));
        ACCOMPANY_TRY(outcome, services.accounts.sign_in(name, password, context.request.client_address,
                                                         context.request.cookie(kSessionCookie)));
        if (outcome.kind == SignInOutcome::Kind::throttled) {
          auto response = problem_response(
              429, "Too many failed sign-ins",
              fmt::format("Sign-in is paused for this account or address; try again in {} minutes, or ask "
                          "an administrator to reset your password.",
                          (outcome.retry_after.count() + 59) / 60));
          response.headers.emplace_back("Retry-After", std::to_string(outcome.retry_after.count()));
          return response;
        }
        if (outcome.kind == SignInOutcome::Kind::bad_credentials)
          return problem_response(401, "Sign-in failed", "The name or password is wrong, or the account is disabled.");
        auto response = ok(json::object{{"name", outcome.principal.name},
                                        {"role", enum_name(kRoleNames, outcome.principal.role)},
                                        {"organization", outcome.principal.organization},
                                        {"csrf_token", outcome.principal.csrf_token},
                                        {"expires_at", format_timestamp(outcome.expires_at)}});
        const auto lifetime = outcome.expires_at - services.store.clock().now();
        response.headers.emplace_back(
            "Set-Cookie",
            session_cookie(outcome.session_token, services.secure_cookies || context.request.secure, lifetime.count()));
        return response;
      }));
  router.add("GET", "/api/session", Policy::signed_in(), "Who is signed in, and the CSRF token for this session",
             fallible([](RequestContext& context) -> Result<Response> {
               const auto& who = context.who();
               json::object out{
                   {"name", who.name}, {"role", enum_name(kRoleNames, who.role)}, {"organization", who.organization}};
               json::array held;
               for (auto name : permissions_of(who.role)) held.emplace_back(name);
               out["permissions"] = std::move(held);
               if (who.by_session) out["csrf_token"] = who.csrf_token;
               return ok(std::move(out));
             }));
  router.add("DELETE", "/api/session", Policy::signed_in(), "Sign out",
             fallible([&services](RequestContext& context) -> Result<Response> {
               if (auto cookie = context.request.cookie(kSessionCookie))
                 ACCOMPANY_CHECK(services.accounts.sign_out(*cookie));
               Response response = json_response(200, "{\"signed_out\":true}");
               response.headers.emplace_back("Set-Cookie", session_cookie("", services.secure_cookies, 0));
               return response;
             }));
}

// GET /api/children/{id}/<segment>: every record of type T that belongs to the child.
template <class T>
void add_child_records(Router& router, ApiServices& services, const std::string& segment, std::string_view needed,
                       const std::string& summary) {
  router.add("GET", "/api/children/{id}/" + segment, Policy::needs(needed, true), summary,
             fallible([&services, segment](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               json::array items;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(child, unit.find<Child>(id));
                 if (!child) return not_found("child", id);
                 ACCOMPANY_TRY(records, unit.find_by<T>("child_id", id));
                 for (const auto& record : records) items.push_back(to_json(record));
                 return unit.record_read("children", id, segment);
               }));
               return ok(json::object{{"items", std::move(items)}});
             }));
}

void add_children_routes(Router& router, ApiServices& services) {
  router.add(
      "GET", "/api/children", Policy::needs(child_read), "List children, or look one up by A-number or exact name",
      fallible([&services](RequestContext& context) -> Result<Response> {
        const auto& request = context.request;
        ACCOMPANY_CHECK(only_known_query(request, {"a_number", "given_names", "paternal_surname", "maternal_surname",
                                                   "country_of_birth", "cursor", "limit"}));
        ACCOMPANY_TRY(page, page_of(request));
        std::string where;
        std::vector<SqlValue> params;
        auto add = [&](std::string_view column, std::string value) {
          params.emplace_back(std::move(value));
          where += fmt::format(" AND {} = ${}", column, params.size() + 1);
        };
        if (auto a_number = request.query_value("a_number")) {
          ACCOMPANY_TRY(parsed, ANumber::parse(*a_number));
          add("a_number", parsed.digits());
        }
        for (const char* column : {"given_names", "paternal_surname", "maternal_surname", "country_of_birth"})
          if (auto value = request.query_value(column)) add(column, *value);
        // Legal partners list only the children referred to their organization, caseworkers only
        // those assigned to them (and either a child they broke the glass for).
        where += child_scope_condition(context.who(), "id", params, services.store.clock().now(), 1);
        json::array items;
        std::optional<Id> next;
        ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
          ACCOMPANY_TRY(found, paged<Child>(unit.sql(), where, params, page));
          next = found.second;
          for (const auto& child : found.first) {
            items.push_back(to_json(child));
            ACCOMPANY_CHECK(unit.record_read("children", child.id, kChildFields));
          }
          return {};
        }));
        return ok(page_json(std::move(items), next));
      }));
  router.add("POST", "/api/children", Policy::needs(child_write), "Record a new child",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(body, json_body(context.request));
               ACCOMPANY_TRY(child, child_from_json(body, date_of(services.store.clock().now())));
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 if (child.a_number) {
                   ACCOMPANY_TRY(same, unit.find_by<Child>("a_number", child.a_number->digits()));
                   // Someone who sees only some children learns that the A-number is taken, not
                   // which record holds it.
                   if (!same.empty() && sees_some_children_only(context))
                     return make_error(ErrorCode::conflict,
                                       fmt::format("a child with A-number {} is already on record; ask a supervisor "
                                                   "to assign the child to you",
                                                   child.a_number->display()));
                   if (!same.empty())
                     return make_error(ErrorCode::conflict, fmt::format("child {} already has A-number {}; look it up "
                                                                        "with GET /api/children?a_number=...",
                                                                        same.front().id, child.a_number->display()));
                 }
                 ACCOMPANY_TRY(id, unit.insert(child));
                 child.id = id;
                 return {};
               }));
               return ok(to_json(child), 201);
             }));
  router.add("GET", "/api/children/{id}", Policy::needs(child_read, true), "One child's record",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               json::object out;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(child, unit.find<Child>(id));
                 if (!child) return not_found("child", id);
                 out = to_json(*child);
                 return unit.record_read("children", id, kChildFields);
               }));
               return ok(std::move(out));
             }));
  add_child_records<Address>(router, services, "addresses", address_read, "The child's addresses, oldest first");
  router.add("POST", "/api/children/{id}/addresses", Policy::needs(address_write, true),
             "Record a new address for the child", fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               ACCOMPANY_TRY(address, address_from_json(body, id));
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(child, unit.find<Child>(id));
                 if (!child) return not_found("child", id);
                 ACCOMPANY_TRY(inserted, unit.insert(address));
                 address.id = inserted;
                 return {};
               }));
               return ok(to_json(address), 201);
             }));
  add_child_records<CustodyEvent>(router, services, "custody-events", custody_read,
                                  "Border custody, transfer and release events");
  add_child_records<NoticeToAppear>(router, services, "notices", court_read, "Notices to Appear and their service");
  add_child_records<Hearing>(router, services, "hearings", court_read, "Immigration-court hearings and outcomes");
  add_child_records<WelfareCheck>(router, services, "welfare-checks", welfare_read, "Post-release welfare checks");
  add_child_records<Task>(router, services, "tasks", task_read, "Open and closed tasks about the child");
  add_child_records<Referral>(router, services, "referrals", referral_read, "Referrals to legal service providers");
  router.add("GET", "/api/children/{id}/contacts", Policy::needs(contact_read, true),
             "Contact-center and caseworker contacts about the child",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               json::array items;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(child, unit.find<Child>(id));
                 if (!child) return not_found("child", id);
                 const SqlValue params[] = {std::to_string(id)};
                 ACCOMPANY_TRY(
                     rows, unit.sql().query(fmt::format("SELECT {} FROM contacts WHERE ',' || child_ids || ',' LIKE "
                                                        "'%,' || $1 || ',%' ORDER BY id",
                                                        columns_of(EntityTable<Contact>::spec())),
                                            params));
                 std::string fields = "contacts";
                 for (const auto& row : rows) {
                   ACCOMPANY_TRY(contact, EntityTable<Contact>::from_row(row));
                   // A contact that also names a child this user cannot see is left out.
                   ACCOMPANY_TRY(visible, contact_visible(unit, context, contact));
                   if (!visible) continue;
                   auto [shown, shown_fields] = visible_contact(contact, context.who().role);
                   items.push_back(std::move(shown));
                   ACCOMPANY_CHECK(unit.record_read("contacts", contact.id, shown_fields));
                 }
                 return unit.record_read("children", id, fields);
               }));
               return ok(json::object{{"items", std::move(items)}});
             }));
  router.add("POST", "/api/children/{id}/referrals", Policy::needs(referral_write, true),
             "Refer the child to a legal service provider",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"organization\": ...}");
               ACCOMPANY_TRY(organization, string_member(body.get_object(), "organization", true));
               Referral referral{0, id, organization, services.store.clock().now(), context.who().name};
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(child, unit.find<Child>(id));
                 if (!child) return not_found("child", id);
                 referral.referred_at = unit.now();
                 ACCOMPANY_TRY(inserted, unit.insert(referral));
                 referral.id = inserted;
                 return {};
               }));
               return ok(to_json(referral), 201);
             }));
  router.add("POST", "/api/children/{id}/break-glass", Policy::needs(break_glass_open),
             "Open a child's record outside your usual access, stating why (reviewed by supervisors)",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"reason\": ...}");
               ACCOMPANY_TRY(reason, string_member(body.get_object(), "reason", true));
               BreakGlassGrant grant;
               ACCOMPANY_CHECK(audited(
                   services, context,
                   [&](UnitOfWork& unit) -> Status {
                     ACCOMPANY_TRY(child, unit.find<Child>(id));
                     if (!child) return not_found("child", id);
                     // One record, for the rest of a working hour: enough to act, short enough to notice.
                     grant = BreakGlassGrant{0,      id,         context.who().name,
                                             reason, unit.now(), unit.now() + std::chrono::hours(1)};
                     ACCOMPANY_TRY(inserted, unit.insert(grant));
                     grant.id = inserted;
                     return {};
                   },
                   "break the glass: " + reason.substr(0, 200)));
               return ok(to_json(grant), 201);
             }));
  router.add("GET", "/api/children/{id}/access-log", Policy::needs(access_log_read),
             "Who read or changed the child's record, when, which fields and why",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               json::array items;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(child, unit.find<Child>(id));
                 if (!child) return not_found("child", id);
                 const SqlValue params[] = {id};
                 ACCOMPANY_TRY(rows, unit.sql().query("SELECT seq, at, actor, action, purpose, fields FROM audit_log "
                                                      "WHERE entity = 'children' AND entity_id = $1 ORDER BY seq DESC "
                                                      "LIMIT 1000",
                                                      params));
                 for (const auto& row : rows)
                   items.push_back(json::object{{"seq", row.integer(0)},
                                                {"at", row.text(1)},
                                                {"actor", row.text(2)},
                                                {"action", row.text(3)},
                                                {"purpose", row.text(4)},
                                                {"fields", row.text(5)}});
                 return unit.record_read("children", id, "access_log");
               }));
               return ok(json::object{{"items", std::move(items)}});
             }));
}

void add_other_routes(Router& router, ApiServices& services) {
  router.add("GET", "/api/sponsors/{id}", Policy::needs(sponsor_read), "One sponsor",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               json::object out;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 // A sponsor is part of the case of each child released or living with them: one
                 // who sees only some children sees the sponsors of those.
                 if (sees_some_children_only(context)) {
                   const SqlValue params[] = {id};
                   ACCOMPANY_TRY(children, unit.sql().query("SELECT child_id FROM custody_events WHERE sponsor_id = "
                                                            "$1 UNION SELECT child_id FROM addresses WHERE sponsor_id "
                                                            "= $1",
                                                            params));
                   bool visible = false;
                   for (const auto& row : children) {
                     ACCOMPANY_TRY(seen, child_visible(unit.sql(), context.who(), row.integer(0), unit.now()));
                     if ((visible = seen)) break;
                   }
                   if (!visible)
                     return make_error(ErrorCode::permission_denied,
                                       fmt::format("sponsor {} is not the sponsor of a child you can see", id));
                 }
                 ACCOMPANY_TRY(sponsor, unit.find<Sponsor>(id));
                 if (!sponsor) return not_found("sponsor", id);
                 out = to_json(*sponsor);
                 return unit.record_read("sponsors", id, "name,category,relationship,phone");
               }));
               return ok(std::move(out));
             }));
  router.add("GET", "/api/contacts/{id}", Policy::needs(contact_read), "One contact",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               json::object out;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(contact, unit.find<Contact>(id));
                 // One who sees only some children sees a contact whose children are all theirs to
                 // see, or one about no child that they recorded; whether another exists is not told.
                 if (sees_some_children_only(context)) {
                   Result<bool> visible = false;
                   if (contact) visible = contact_visible(unit, context, *contact);
                   if (!visible) return visible.error();
                   if (!*visible)
                     return make_error(ErrorCode::permission_denied,
                                       fmt::format("contact {} is about a child you cannot see (ask a supervisor "
                                                   "to assign the child to you)",
                                                   id));
                 }
                 if (!contact) return not_found("contact", id);
                 auto [shown, fields] = visible_contact(*contact, context.who().role);
                 out = std::move(shown);
                 for (Id child : contact->child_ids)
                   ACCOMPANY_CHECK(unit.record_read("children", child, fmt::format("contact {}", id)));
                 return unit.record_read("contacts", id, fields);
               }));
               return ok(std::move(out));
             }));
  router.add("POST", "/api/contacts", Policy::needs(contact_write), "Record a contact",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(body, json_body(context.request));
               ACCOMPANY_TRY(contact, contact_from_json(body, services.store.clock().now()));
               contact.recorded_by = context.who().name;
               Intake intake;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 for (Id child : contact.child_ids)
                   ACCOMPANY_CHECK(require_child_visible(unit, context, child, "the contact"));
                 ACCOMPANY_TRY(recorded, record_contact(unit, contact, contact_center_rules()));
                 intake = std::move(recorded);
                 return {};
               }));
               // The contact's category opens its follow-ups (contact/rules/contact_center.json).
               json::object out = visible_contact(intake.contact, context.who().role).first;
               json::array follow_ups;
               for (const auto& task : intake.follow_ups) follow_ups.push_back(to_json(task));
               out["follow_ups"] = std::move(follow_ups);
               return ok(std::move(out), 201);
             }));
  router.add("GET", "/api/break-glass", Policy::needs(break_glass_review),
             "Every break-the-glass opening, newest first, for review",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               json::array items;
               ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
                 ACCOMPANY_TRY(rows,
                               sql.query(fmt::format("SELECT {} FROM break_glass_grants ORDER BY id DESC LIMIT 1000",
                                                     columns_of(EntityTable<BreakGlassGrant>::spec()))));
                 for (const auto& row : rows) {
                   ACCOMPANY_TRY(grant, EntityTable<BreakGlassGrant>::from_row(row));
                   items.push_back(to_json(grant));
                 }
                 return {};
               }));
               return ok(json::object{{"items", std::move(items)}});
             }));
  router.add("GET", "/api/users", Policy::needs(user_manage), "Accounts (never their secrets)",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(users, services.accounts.list());
               json::array items;
               for (const auto& user : users) items.push_back(to_json(user));
               return ok(json::object{{"items", std::move(items)}});
             }));
  router.add("GET", "/api/sharing-policies", Policy::needs(sharing_manage), "Sharing policies, newest first",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               json::array items;
               ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
                 ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM sharing_policies ORDER BY id DESC",
                                                           columns_of(EntityTable<SharingPolicy>::spec()))));
                 for (const auto& row : rows) {
                   ACCOMPANY_TRY(policy, EntityTable<SharingPolicy>::from_row(row));
                   items.push_back(to_json(policy));
                 }
                 return {};
               }));
               return ok(json::object{{"items", std::move(items)}});
             }));
  router.add("POST", "/api/sharing-policies", Policy::needs(sharing_manage),
             "Let an outside organization see named fields, for a purpose, until an expiry",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send organization, fields, purpose and expires_at");
               const auto& object = body.get_object();
               SharingPolicy policy;
               ACCOMPANY_TRY(organization, string_member(object, "organization", true));
               ACCOMPANY_TRY(purpose, string_member(object, "purpose", true));
               ACCOMPANY_TRY(expires_text, string_member(object, "expires_at", true));
               ACCOMPANY_TRY(expires, parse_timestamp("expires_at", expires_text));
               policy.organization = organization;
               policy.purpose = purpose;
               policy.expires_at = expires;
               auto fields = object.find("fields");
               if (fields == object.end() || !fields->value().is_array())
                 return invalid("fields", "", "name the fields as a list, e.g. [\"name\", \"hearings\"]");
               for (const auto& field : fields->value().get_array()) {
                 if (!field.is_string()) return invalid("fields", json::serialize(field), "must be a string");
                 policy.fields.emplace_back(field.get_string());
               }
               policy.created_by = context.who().name;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 policy.created_at = unit.now();
                 ACCOMPANY_TRY(inserted, unit.insert(policy));
                 policy.id = inserted;
                 return {};
               }));
               return ok(to_json(policy), 201);
             }));
  router.add(
      "GET", "/api/shared/children/{id}", Policy::needs(shared_read),
      "A child's record as an outside organization's sharing policy allows",
      fallible([&services](RequestContext& context) -> Result<Response> {
        ACCOMPANY_CHECK(only_known_query(context.request, {}));
        ACCOMPANY_TRY(id, context.id_param());
        const auto& who = context.who();
        std::optional<SharingPolicy> policy;
        ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
          const SqlValue params[] = {who.organization, format_timestamp(services.store.clock().now())};
          ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM sharing_policies WHERE organization = $1 AND "
                                                    "expires_at > $2 ORDER BY id DESC LIMIT 1",
                                                    columns_of(EntityTable<SharingPolicy>::spec())),
                                        params));
          if (!rows.empty()) {
            ACCOMPANY_TRY(found, EntityTable<SharingPolicy>::from_row(rows.front()));
            policy = std::move(found);
          }
          return {};
        }));
        if (!policy)
          return make_error(ErrorCode::permission_denied,
                            fmt::format("{} has no active sharing policy; an administrator must create one that "
                                        "names the fields, purpose and expiry",
                                        who.organization));
        json::object out{{"id", id}};
        std::string fields;
        ACCOMPANY_CHECK(audited_read(
            services, context,
            [&](UnitOfWork& unit) -> Status {
              ACCOMPANY_TRY(child, unit.find<Child>(id));
              if (!child) return not_found("child", id);
              const json::object full = to_json(*child);
              for (const auto& field : policy->fields) {
                fields += (fields.empty() ? "" : ",") + field;
                if (field == "hearings" || field == "notices") {
                  json::array items;
                  if (field == "hearings") {
                    ACCOMPANY_TRY(records, unit.find_by<Hearing>("child_id", id));
                    for (const auto& record : records) items.push_back(to_json(record));
                  } else {
                    ACCOMPANY_TRY(records, unit.find_by<NoticeToAppear>("child_id", id));
                    for (const auto& record : records) items.push_back(to_json(record));
                  }
                  out[field] = std::move(items);
                } else if (auto found = full.find(field); found != full.end()) {
                  out[field] = found->value();
                }
              }
              return unit.record_read("children", id, fields);
            },
            fmt::format("sharing policy {}: {}", policy->id, policy->purpose)));
        out["sharing_policy"] = json::object{
            {"id", policy->id}, {"purpose", policy->purpose}, {"expires_at", format_timestamp(policy->expires_at)}};
        return ok(std::move(out));
      }));
}

}  // namespace

void add_api_routes(Router& router, ApiServices& services) {
  router.set_metrics(&services.metrics);
  router.set_gate(
      [&services](const Route& route, RequestContext& context) { return check_access(services, route, context); });
  router.add("GET", "/metrics", Policy::open_to_all(), "Prometheus metrics (counts and latencies, no case content)",
             [&services](RequestContext&) {
               Response response = json_response(200, services.metrics.prometheus_text());
               response.content_type = "text/plain; version=0.0.4";
               return response;
             });
  add_session_routes(router, services);
  add_children_routes(router, services);
  add_other_routes(router, services);
  add_task_routes(router, services);
  add_report_routes(router, services);
  add_review_routes(router, services);
  add_search_routes(router, services);
  add_quarantine_routes(router, services);
  add_case_update_routes(router, services);
  add_contact_center_routes(router, services);
  // Built once every route, this one included, is registered (the router is moved afterwards).
  auto document = std::make_shared<std::string>();
  router.add("GET", "/api/openapi.json", Policy::open_to_all(), "This API's OpenAPI 3.1 description",
             [document](RequestContext&) { return json_response(200, *document); });
  *document = openapi_document(router);
}

}  // namespace accompany

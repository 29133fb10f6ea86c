#include "http/api_support.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "access/accounts.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;

// Handlers written with ACCOMPANY_TRY return Result<Response>; an error becomes problem+json.
Handler fallible(Fallible handler) {
  return [handler = std::move(handler)](RequestContext& context) -> Response {
    auto response = handler(context);
    if (!response) {
      if (response.error().code == ErrorCode::internal || response.error().code == ErrorCode::tampered)
        spdlog::error("{} {}: {}", context.request.method, context.request.path, response.error().describe());
      return error_response(response.error());
    }
    return std::move(*response);
  };
}

Response ok(json::value value, int status) {
  return json_response(status, json::serialize(value));
}

// The purpose stated with the request (X-Purpose), else the role's everyday purpose.
std::string purpose_of(const RequestContext& context) {
  if (auto stated = context.request.header("x-purpose")) {
    auto cleaned = clean_text("X-Purpose", *stated, 200, false);
    if (cleaned && !cleaned->empty()) return *cleaned;
  }
  return fmt::format("case work ({})", enum_name(kRoleNames, context.who().role));
}

// One audited transaction as the signed-in user, timed for /metrics.
Status audited(ApiServices& services, const RequestContext& context, const std::function<Status(UnitOfWork&)>& work,
               std::optional<std::string> purpose) {
  const auto started = std::chrono::steady_clock::now();
  std::int64_t entries = 0;
  Status done = services.store.transact({context.who().name, purpose ? *purpose : purpose_of(context)},
                                        [&](UnitOfWork& unit) -> Status {
                                          ACCOMPANY_CHECK(work(unit));
                                          entries = unit.audit_entries_written();
                                          return {};
                                        });
  services.metrics.observe_store(std::chrono::steady_clock::now() - started);
  if (done) services.metrics.add_audit_entries(entries);
  return done;
}

Status audited_read(ApiServices& services, const RequestContext& context,
                    const std::function<Status(UnitOfWork&)>& work, std::optional<std::string> purpose) {
  const auto started = std::chrono::steady_clock::now();
  std::int64_t entries = 0;
  Status done = services.store.read_audited({context.who().name, purpose ? *purpose : purpose_of(context)}, work,
                                            &entries);
  services.metrics.observe_store(std::chrono::steady_clock::now() - started);
  if (done) services.metrics.add_audit_entries(entries);
  return done;
}

Status timed_read(ApiServices& services, const std::function<Status(SqlConnection&)>& read) {
  const auto started = std::chrono::steady_clock::now();
  Status done = services.store.read(read);
  services.metrics.observe_store(std::chrono::steady_clock::now() - started);
  return done;
}

bool sees_some_children_only(const RequestContext& context) {
  return role_sees_assigned_children_only(context.who().role) || role_sees_referred_children_only(context.who().role);
}

Status require_child_visible(UnitOfWork& unit, const RequestContext& context, Id child_id, std::string_view what) {
  ACCOMPANY_TRY(visible, child_visible(unit.sql(), context.who(), child_id, unit.now()));
  if (visible) return {};
  return make_error(ErrorCode::permission_denied,
                    role_sees_assigned_children_only(context.who().role)
                        ? fmt::format("{} is about a child not assigned to you (no task of the child is). Ask a "
                                      "supervisor to assign it, or, if you must open the child's record now, state "
                                      "why with POST /api/children/{{id}}/break-glass",
                                      what)
                        : fmt::format("{} is about a child not referred to {}; if you must open the child's record, "
                                      "state why with POST /api/children/{{id}}/break-glass",
                                      what, context.who().organization));
}

Result<json::value> json_body(const Request& request) {
  const auto type = request.header("content-type");
  if (!type || !type->starts_with("application/json"))
    return invalid("Content-Type", type ? std::string(*type) : "", "send the body as application/json");
  boost::system::error_code error;
  json::value body = json::parse(request.body, error);
  if (error) return invalid("body", "", fmt::format("is not valid JSON ({})", error.message()));
  return body;
}

Error not_found(std::string_view what, Id id) {
  return make_error(ErrorCode::not_found, fmt::format("there is no {} with id {}", what, id));
}

// Query parameters the route documents; anything else is refused so a typo is not ignored.
Status only_known_query(const Request& request, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : request.query) {
    bool found = false;
    for (auto name : known) found = found || key == name;
    if (!found) {
      std::string list;
      for (auto name : known) list += (list.empty() ? "" : ", ") + std::string(name);
      return invalid(key, value,
                     list.empty() ? "this route takes no query parameters" : "not a filter here; use " + list);
    }
  }
  return {};
}

Result<Page> page_of(const Request& request) {
  Page page;
  if (auto cursor = request.query_value("cursor"); cursor && !cursor->empty()) {
    auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), page.after);
    if (ec != std::errc() || end != cursor->data() + cursor->size() || page.after < 0)
      return invalid("cursor", *cursor, "use the next_cursor value of the previous page");
  }
  if (auto limit = request.query_value("limit")) {
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), page.limit);
    if (ec != std::errc() || end != limit->data() + limit->size() || page.limit < 1 || page.limit > 200)
      return invalid("limit", *limit, "use a number from 1 to 200");
  }
  return page;
}

std::string columns_of(const TableSpec& table, std::string_view alias) {
  std::string out = fmt::format("{}id", alias);
  for (auto column : table.columns) out += fmt::format(", {}{}", alias, column);
  return out;
}

json::object page_json(json::array items, std::optional<Id> next) {
  return {{"items", std::move(items)}, {"next_cursor", next ? json::value(std::to_string(*next)) : json::value()}};
}

}  // namespace accompany

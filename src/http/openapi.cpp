// The OpenAPI 3.1 document: operations come from the route table (method, path, summary,
// policy); what a route takes (query filters, a body) is documented here by hand, and a test
// checks that the two agree in both directions.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "http/api.h"

namespace accompany {
namespace json = boost::json;
namespace {

struct QueryDoc {
  const char* name;
  const char* description;
};

struct RouteDoc {
  const char* key;  // "GET /api/children"
  std::vector<QueryDoc> query;
  const char* body;  // description of the JSON body, or nullptr
  int success;       // 200 or 201
};

const std::vector<QueryDoc> kPaging{{"cursor", "next_cursor from the previous page; omit for the first page"},
                                    {"limit", "items per page, 1 to 200 (default 50)"}};

std::vector<QueryDoc> with_paging(std::vector<QueryDoc> query) {
  query.insert(query.end(), kPaging.begin(), kPaging.end());
  return query;
}

const std::vector<RouteDoc>& route_docs() {
  static const std::vector<RouteDoc> docs{
      {"GET /healthz", {}, nullptr, 200},
      {"GET /metrics", {}, nullptr, 200},
      {"GET /api/openapi.json", {}, nullptr, 200},
      {"POST /api/session", {}, "{name, password}", 200},
      {"GET /api/session", {}, nullptr, 200},
      {"DELETE /api/session", {}, nullptr, 200},
      {"GET /api/children",
       with_paging({{"a_number", "exact A-number, with or without 'A' and dashes"},
                    {"given_names", "exact given names"},
                    {"paternal_surname", "exact paternal surname"},
                    {"maternal_surname", "exact maternal surname"},
                    {"country_of_birth", "ISO 3166-1 alpha-2 code"}}),
       nullptr, 200},
      {"POST /api/children",
       {},
       "{a_number?, given_names, paternal_surname?, maternal_surname?, birth_date (YYYY-MM-DD), sex?, "
       "country_of_birth, languages?, interpreter_needed?}",
       201},
      {"GET /api/children/{id}", {}, nullptr, 200},
      {"GET /api/children/{id}/addresses", {}, nullptr, 200},
      {"POST /api/children/{id}/addresses", {}, "{line, unit?, city, state, zip, source, status?}", 201},
      {"GET /api/children/{id}/custody-events", {}, nullptr, 200},
      {"GET /api/children/{id}/notices", {}, nullptr, 200},
      {"GET /api/children/{id}/hearings", {}, nullptr, 200},
      {"GET /api/children/{id}/welfare-checks", {}, nullptr, 200},
      {"GET /api/children/{id}/tasks", {}, nullptr, 200},
      {"GET /api/children/{id}/referrals", {}, nullptr, 200},
      {"POST /api/children/{id}/referrals", {}, "{organization}", 201},
      {"GET /api/children/{id}/contacts", {}, nullptr, 200},
      {"POST /api/children/{id}/break-glass", {}, "{reason}", 201},
      {"GET /api/children/{id}/access-log", {}, nullptr, 200},
      {"GET /api/sponsors/{id}", {}, nullptr, 200},
      {"GET /api/contacts/{id}", {}, nullptr, 200},
      {"POST /api/contacts",
       {},
       "{channel, caller_type, category, sub_category?, language, narrative?, outcome?, child_ids?, caller_number?, "
       "call_id?, details? (object of strings)}; the reply lists the follow_ups the category opened",
       201},
      {"POST /api/cti/events",
       {},
       "{event (queued|ringing|answered|ended|abandoned|transferred), call_id, timestamp (RFC 3339, ms allowed), "
       "caller_number?, queue?, agent? (required for ringing, answered, transferred), language?, linked_id?, "
       "direction?, dialed_number?}; 201 accepted, 200 a retry already accepted (docs/contact-center.md)",
       201},
      {"GET /api/agent/desk", {}, nullptr, 200},
      {"PUT /api/agent/state", {}, "{state (available|on_contact|wrap_up|away), languages? ([ISO 639-3])}", 200},
      {"POST /api/callbacks", {}, "{caller_number, promised_at, language?, child_id?, note?}", 201},
      {"GET /api/wallboard", {}, nullptr, 200},
      {"GET /api/contact-center/reports",
       {{"by", "hour, day or category (default hour)"},
        {"from", "start instant, RFC 3339 (default 24 hours ago)"},
        {"to", "end instant, exclusive (default now)"}},
       nullptr,
       200},
      {"GET /api/contact-center/staffing",
       {{"calls", "calls offered in the interval (default: observed in the last hour)"},
        {"interval_seconds", "interval length (default 3600)"},
        {"handle_seconds", "average handle time (default: observed, else 480)"},
        {"target_service_level", "share answered within the target time (default 0.8)"},
        {"target_answer_seconds", "target answer time (default 20)"},
        {"shrinkage", "share of paid time off the phones (default 0.3)"},
        {"max_occupancy", "occupancy cap (default 0.85)"}},
       nullptr,
       200},
      {"GET /api/tasks",
       with_paging({{"queue", "owner queue: safety, court, legal_referral, records ..."},
                    {"status", "open or closed"},
                    {"assignee", "user name, or me for the signed-in user"}}),
       nullptr, 200},
      {"GET /api/assignees", {}, nullptr, 200},
      {"POST /api/tasks/{id}/assign", {}, "{assignee} (a user name; \"\" unassigns)", 200},
      {"POST /api/tasks/{id}/resolve", {}, "{outcome} (required, what was done)", 200},
      {"GET /api/reports/oversight", {{"by", "fiscal-year (the only grouping)"}}, nullptr, 200},
      {"GET /api/search",
       {{"q", "free text: names in any order, typos and accents allowed; a date or A-number in it is used"},
        {"dob", "birth date YYYY-MM-DD"},
        {"a_number", "A-number, with or without 'A' and dashes"},
        {"phone", "phone number"},
        {"limit", "1 to 50 (default 10)"}},
       nullptr, 200},
      {"GET /api/link-reviews",
       with_paging({{"status", "open, later, accepted or rejected (default: open and later)"}}),
       nullptr, 200},
      {"POST /api/link-reviews/{id}/decision", {}, "{decision: accept | reject | later}", 200},
      {"GET /api/break-glass", {}, nullptr, 200},
      {"GET /api/users", {}, nullptr, 200},
      {"GET /api/sharing-policies", {}, nullptr, 200},
      {"POST /api/sharing-policies", {}, "{organization, fields: [..], purpose, expires_at (UTC instant)}", 201},
      {"GET /api/shared/children/{id}", {}, nullptr, 200},
      {"GET /api/quarantine",
       with_paging({{"kind", "feed kind, e.g. orr_release"},
                    {"file", "file name as imported"},
                    {"reason", "text the reason contains"},
                    {"status", "open (default), imported, duplicate, discarded or all"}}),
       nullptr, 200},
      {"GET /api/quarantine/{id}", {}, nullptr, 200},
      {"PATCH /api/children/{id}", {}, "{languages?: [ISO 639-3], interpreter_needed?: bool}", 200},
      {"PATCH /api/addresses/{id}", {}, "{status: verified | invalid | undeliverable | missing_unit | unverified}", 200},
      {"POST /api/quarantine/{id}/retry", {}, nullptr, 200},
      {"POST /api/quarantine/{id}/discard", {}, "{reason} (required, why the row is discarded)", 200},
  };
  return docs;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

json::object problem_ref(const char* description) {
  return {{"description", description},
          {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

}  // namespace

std::vector<std::string> documented_routes() {
  std::vector<std::string> keys;
  for (const auto& doc : route_docs()) keys.emplace_back(doc.key);
  return keys;
}

std::string openapi_document(const Router& router) {
  json::object paths;
  for (const auto& route : router.routes()) {
    const std::string key = route.method + " " + route.pattern;
    const RouteDoc* doc = nullptr;
    for (const auto& candidate : route_docs())
      if (key == candidate.key) doc = &candidate;
    json::object operation{{"summary", route.summary}, {"operationId", key}};
    json::array parameters;
    for (const auto& segment : route.segments)
      if (segment.size() > 2 && segment.front() == '{')
        parameters.push_back(json::object{{"name", segment.substr(1, segment.size() - 2)},
                                          {"in", "path"},
                                          {"required", true},
                                          {"schema", {{"type", "integer"}, {"minimum", 1}}}});
    if (doc)
      for (const auto& query : doc->query)
        parameters.push_back(json::object{{"name", query.name},
                                          {"in", "query"},
                                          {"description", query.description},
                                          {"schema", {{"type", "string"}}}});
    if (!parameters.empty()) operation["parameters"] = std::move(parameters);
    if (doc && doc->body)
      operation["requestBody"] = json::object{{"required", true},
                                              {"description", doc->body},
                                              {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};
    json::object responses;
    responses[std::to_string(doc ? doc->success : 200)] = json::object{{"description", "success"}};
    responses["400"] = problem_ref("the request is not valid; the detail says which field and why");
    switch (route.policy.kind) {
      case Policy::Kind::open:
        operation["security"] = json::array{};
        break;
      case Policy::Kind::permission:
        operation["x-permission"] = route.policy.permission;
        if (route.policy.child_scoped) operation["x-child-scoped"] = true;
        [[fallthrough]];
      default:
        responses["401"] = problem_ref("not signed in");
        responses["403"] = problem_ref("signed in, but not allowed (role, CSRF token or referral)");
        break;
    }
    if (route.pattern.find('{') != std::string::npos) responses["404"] = problem_ref("no such record");
    operation["responses"] = std::move(responses);
    auto& item = paths[route.pattern];
    if (!item.is_object()) item = json::object{};
    item.get_object()[lower(route.method)] = std::move(operation);
  }
  json::object document{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Accompany API"},
        {"version", "1"},
        {"description",
         "Case accountability for unaccompanied children. Every read of a child's record is audited; state why "
         "with the X-Purpose header. Errors are application/problem+json (RFC 9457)."}}},
      {"paths", std::move(paths)},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas",
         {{"Problem",
           {{"type", "object"},
            {"properties",
             {{"type", {{"type", "string"}}},
              {"title", {{"type", "string"}}},
              {"status", {{"type", "integer"}}},
              {"detail", {{"type", "string"}}}}}}}}}}},
      {"security", json::array{json::object{{"session", json::array{}}}, json::object{{"token", json::array{}}}}}};
  return json::serialize(document);
}

}  // namespace accompany

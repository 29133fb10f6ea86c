// The data steward's quarantine, over HTTP: list rows that did not validate (paged, filtered by
// feed kind, file, reason and status), show one whole (an audited read: the raw row may name a
// child), retry it after a fix, or discard it with a reason (audited). The work itself is
// src/ingest/quarantine.*, which `accompany quarantine` uses too.
#include <fmt/format.h>

#include <boost/json/value.hpp>

#include "http/api_support.h"
#include "http/records_json.h"
#include "ingest/quarantine.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

// The list leaves out the raw row and the offending value, which may name a person; showing
// one row whole is an audited read.
json::object summary_json(const QuarantinedRow& row) {
  return {{"id", row.id},
          {"kind", row.kind},
          {"file_name", row.file_name},
          {"line", row.line},
          {"row_key", row.row_key},
          {"field", row.field},
          {"reason", row.reason},
          {"status", enum_name(kQuarantineStatusNames, row.status)},
          {"resolution", row.resolution},
          {"resolved_by", row.resolved_by},
          {"received_at", format_timestamp(row.received_at)},
          {"resolved_at", row.resolved_at ? json::value(format_timestamp(*row.resolved_at)) : json::value()}};
}

json::object full_json(const QuarantinedRow& row) {
  json::object out = summary_json(row);
  out["value"] = row.value;
  out["raw"] = row.raw;
  return out;
}

// LIKE treats % and _ as wildcards; a reason filter means the text as typed.
std::string contains_pattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

AuditContext steward(const RequestContext& context, std::string_view what) {
  return {context.who().name, fmt::format("{}: {}", what, purpose_of(context))};
}

}  // namespace

void add_quarantine_routes(Router& router, ApiServices& services) {
  router.add(
      "GET", "/api/quarantine", Policy::needs(quarantine_read),
      "Rows that did not validate, oldest first (without the raw row)",
      fallible([&services](RequestContext& context) -> Result<Response> {
        const auto& request = context.request;
        ACCOMPANY_CHECK(only_known_query(request, {"kind", "file", "reason", "status", "cursor", "limit"}));
        ACCOMPANY_TRY(page, page_of(request));
        std::string where;
        std::vector<SqlValue> params;
        auto add = [&](std::string condition, std::string value) {
          params.emplace_back(std::move(value));
          where += fmt::format(" AND {}${}", condition, params.size() + 1);
        };
        const std::string status(request.query_value("status").value_or("open"));
        if (status != "all") {
          ACCOMPANY_TRY(parsed, parse_enum(kQuarantineStatusNames, "status", status));
          add("status = ", std::string(enum_name(kQuarantineStatusNames, parsed)));
        }
        if (auto kind = request.query_value("kind")) add("kind = ", std::string(*kind));
        if (auto file = request.query_value("file")) add("file_name = ", std::string(*file));
        if (auto reason = request.query_value("reason")) {
          add("reason LIKE ", contains_pattern(*reason));
          where += " ESCAPE '\\'";
        }
        json::array items;
        std::optional<Id> next;
        ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
          ACCOMPANY_TRY(found, paged<QuarantinedRow>(sql, where, params, page));
          next = found.second;
          for (const auto& row : found.first) items.push_back(summary_json(row));
          return {};
        }));
        return ok(page_json(std::move(items), next));
      }));
  router.add("GET", "/api/quarantine/{id}", Policy::needs(quarantine_read),
             "One quarantined row whole, with its raw text (the read is audited)",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(row, show_quarantined(services.store, id, steward(context, "quarantine review")));
               return ok(full_json(row));
             }));
  router.add("POST", "/api/quarantine/{id}/retry", Policy::needs(quarantine_resolve),
             "Validate an open quarantined row again and take it in if it now passes",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(outcome, retry_quarantined(services.store, id, steward(context, "quarantine retry")));
               return ok(json::object{{"id", id}, {"resolved", outcome.resolved}, {"outcome", outcome.description}});
             }));
  router.add("POST", "/api/quarantine/{id}/discard", Policy::needs(quarantine_resolve),
             "Discard an open quarantined row for good, saying why (audited)",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"reason\": \"why the row is discarded\"}");
               ACCOMPANY_TRY(reason, string_member(body.get_object(), "reason", true));
               ACCOMPANY_CHECK(
                   discard_quarantined(services.store, id, reason, steward(context, "quarantine discard")));
               return ok(json::object{{"id", id}, {"status", "discarded"}, {"resolution", reason}});
             }));
}

}  // namespace accompany

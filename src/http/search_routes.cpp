// Person search for the contact center: free text (names in any order, typos, accents, a date or an
// A-number written in it) plus birth date, A-number and phone filters, answered from the in-memory
// index (src/ingest/child_search.h) built when the server starts. Every hit shown is an audited read.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <charconv>
#include <memory>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "http/api_support.h"
#include "http/records_json.h"
#include "ingest/child_search.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

Result<linkage::SearchQuery> query_of(const Request& request) {
  linkage::SearchQuery query;
  query.text = request.query_value("q").value_or("");
  if (auto dob = request.query_value("dob"); dob && !dob->empty()) {
    ACCOMPANY_TRY(date, parse_date("dob", *dob));
    ACCOMPANY_TRY(birth, BirthDate::exact(date));
    query.birth = birth;
  }
  if (auto a_number = request.query_value("a_number"); a_number && !a_number->empty()) {
    ACCOMPANY_TRY(parsed, ANumber::parse(*a_number));
    query.anumber = parsed.digits();
  }
  query.phone = request.query_value("phone").value_or("");
  if (auto limit = request.query_value("limit")) {
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), query.limit);
    if (ec != std::errc() || end != limit->data() + limit->size() || query.limit < 1 || query.limit > 50)
      return invalid("limit", *limit, "use a number from 1 to 50");
  }
  if (query.text.find_first_not_of(" \t") == std::string::npos && !query.birth && query.anumber.empty() &&
      query.phone.empty())
    return invalid("q", query.text, "say what to look for: names, a birth date, an A-number or a phone");
  return query;
}

}  // namespace

void add_search_routes(Router& router, ApiServices& services) {
  // Built now, when the server starts; each search catches up with what was written since.
  auto index = std::make_shared<ChildSearch>();
  auto built = services.store.read([&](SqlConnection& sql) { return index->catch_up(sql); });
  if (built)
    spdlog::info("person search index: {} children", index->size());
  else
    spdlog::warn("person search index not built at start ({}); built on the first search", built.error().describe());
  router.add("GET", "/api/search", Policy::needs(child_read),
             "Find children by free text (names in any order, typos, accents) and birth date, A-number or phone; "
             "ranked, each hit with why it matched",
             fallible([&services, index](RequestContext& context) -> Result<Response> {
               const auto& request = context.request;
               ACCOMPANY_CHECK(only_known_query(request, {"q", "dob", "a_number", "phone", "limit"}));
               ACCOMPANY_TRY(query, query_of(request));
               ACCOMPANY_CHECK(services.store.read([&](SqlConnection& sql) { return index->catch_up(sql); }));
               // Legal partners find only the children referred to their organization, caseworkers
               // only those assigned to them (child_scope_condition).
               const bool scoped = sees_some_children_only(context);
               const size_t wanted = query.limit;
               if (scoped) query.limit = 200;  // filtered to the children this user may see below
               const auto hits = index->search(query);
               json::array items;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 std::unordered_set<Id> allowed;
                 if (scoped) {
                   std::vector<SqlValue> params;
                   const std::string scope = child_scope_condition(context.who(), "id", params, unit.now());
                   ACCOMPANY_TRY(rows, unit.sql().query("SELECT id FROM children WHERE 1 = 1" + scope, params));
                   for (const auto& row : rows) allowed.insert(row.integer(0));
                 }
                 for (const auto& hit : hits) {
                   if (items.size() == wanted) break;
                   if (scoped && !allowed.contains(hit.id)) continue;
                   ACCOMPANY_TRY(child, unit.find<Child>(hit.id));
                   if (!child) continue;
                   json::object item = to_json(*child);
                   item["score"] = std::round(hit.score * 100) / 100;
                   json::array why;
                   for (const auto& reason : hit.why) why.emplace_back(reason);
                   item["why"] = std::move(why);
                   items.push_back(std::move(item));
                   ACCOMPANY_CHECK(unit.record_read("children", hit.id, "identity (search hit)"));
                 }
                 return {};
               }));
               return ok(json::object{{"items", std::move(items)}});
             }));
}

}  // namespace accompany

// The data steward's review queue of uncertain record-linkage pairs (src/ingest/link_review.h):
// list them with both sides and the score per field, and decide accept / reject / later.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "http/api_support.h"
#include "http/records_json.h"
#include "ingest/link_review.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

json::object side_json(const ReviewSide& side) {
  return {{"entity", side.entity},
          {"id", side.id},
          {"given_names", side.given_names},
          {"paternal_surname", side.paternal_surname},
          {"maternal_surname", side.maternal_surname},
          {"birth_date", side.birth_date},
          {"sex", side.sex},
          {"country", side.country},
          {"a_number", side.a_number},
          {"source", side.source}};
}

json::object review_json(const LinkReview& review) {
  json::object out{{"id", review.id},
                   {"probability", review.probability},
                   {"status", review.status},
                   {"left", side_json(review.left)},
                   {"right", side_json(review.right)},
                   {"decided_by", review.decided_by},
                   {"decided_at", review.decided_at.empty() ? json::value() : json::value(review.decided_at)}};
  // The breakdown was written by link --full as JSON: {"fields":[...], "rule"?}.
  boost::system::error_code ec;
  auto explanation = json::parse(review.explanation, ec);
  if (!ec && explanation.is_object()) {
    auto& object = explanation.as_object();
    out["fields"] = object.contains("fields") ? object["fields"] : json::array();
    if (object.contains("rule")) out["rule"] = object["rule"];
  }
  return out;
}

}  // namespace

void add_review_routes(Router& router, ApiServices& services) {
  router.add("GET", "/api/link-reviews", Policy::needs(link_review),
             "Record-linkage pairs waiting for a data steward (open and later unless status says), both sides and "
             "the score per field",
             fallible([&services](RequestContext& context) -> Result<Response> {
               const auto& request = context.request;
               ACCOMPANY_CHECK(only_known_query(request, {"status", "cursor", "limit"}));
               ACCOMPANY_TRY(page, page_of(request));
               std::string status;
               if (auto value = request.query_value("status")) {
                 status = *value;
                 if (status != "open" && status != "later" && status != "accepted" && status != "rejected")
                   return invalid("status", status, "use open, later, accepted or rejected");
               }
               json::array items;
               std::optional<Id> next;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(reviews, list_reviews(unit, status, page.after, static_cast<int>(page.limit) + 1));
                 for (const auto& review : reviews) {
                   if (static_cast<std::int64_t>(items.size()) == page.limit) {
                     next = items.back().as_object().at("id").as_int64();
                     break;
                   }
                   items.push_back(review_json(review));
                 }
                 return {};
               }));
               return ok(page_json(std::move(items), next));
             }));
  router.add("POST", "/api/link-reviews/{id}/decision", Policy::needs(link_review),
             "Decide a link review: accept (merge the children, or attach the pooled row), reject, or later",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"decision\": \"accept|reject|later\"}");
               ACCOMPANY_TRY(text, string_member(body.get_object(), "decision", true));
               ACCOMPANY_TRY(decision, parse_review_decision(text));
               json::object out;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(review, decide_review(unit, id, decision));
                 out = review_json(review);
                 return {};
               }));
               return ok(std::move(out));
             }));
}

}  // namespace accompany

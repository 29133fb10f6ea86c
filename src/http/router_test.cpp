// The router on its own: path parameters, 404 and 405, the gate, and refusing a route whose
// access policy was never declared.
#include "http/router.h"

#include <gtest/gtest.h>

namespace accompany {
namespace {

Request get(const std::string& target, const std::string& method = "GET") {
  Request request;
  request.method = method;
  EXPECT_TRUE(request.set_target(target));
  return request;
}

Response echo(RequestContext& context) {
  std::string out;
  for (const auto& [name, value] : context.params) out += name + "=" + value + ";";
  return json_response(200, out);
}

TEST(Router, MatchesPathParametersAndQueries) {
  Router router;
  router.add("GET", "/api/children/{id}", Policy::open_to_all(), "one", echo);
  router.add("GET", "/api/children/{id}/hearings", Policy::open_to_all(), "hearings", echo);
  EXPECT_EQ(router.dispatch(get("/api/children/42")).body, "id=42;");
  EXPECT_EQ(router.dispatch(get("/api/children/42/hearings?x=1")).body, "id=42;");
  EXPECT_EQ(router.dispatch(get("/api/children/")).status, 404);
  EXPECT_EQ(router.dispatch(get("/api/children/42/other")).status, 404);
  auto request = get("/api/children?a_number=A%20201&given_names=Mar%C3%ADa");
  EXPECT_EQ(request.path, "/api/children");
  EXPECT_EQ(request.query_value("given_names"), "María");
  EXPECT_EQ(request.query_value("a_number"), "A 201");
}

TEST(Router, AnswersMethodNotAllowedWithAllow) {
  Router router;
  router.add("GET", "/api/tasks", Policy::open_to_all(), "list", echo);
  router.add("POST", "/api/tasks", Policy::open_to_all(), "add", echo);
  auto response = router.dispatch(get("/api/tasks", "DELETE"));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].second, "GET, POST");
  EXPECT_EQ(response.content_type, "application/problem+json");
}

TEST(Router, RefusesARouteWithoutADeclaredPolicy) {
  Router router;
  router.add("GET", "/forgotten", Policy{}, "no policy", echo);
  EXPECT_EQ(router.dispatch(get("/forgotten")).status, 500);
}

TEST(Router, TheGateRunsBeforeTheHandlerForEveryGuardedRoute) {
  Router router;
  bool ran = false;
  router.add("GET", "/guarded/{id}", Policy::needs("child.read", true), "guarded", [&](RequestContext&) {
    ran = true;
    return json_response(200, "{}");
  });
  router.add("GET", "/open", Policy::open_to_all(), "open", echo);
  EXPECT_EQ(router.dispatch(get("/guarded/1")).status, 500);  // no gate configured: refuse, never run
  EXPECT_FALSE(ran);
  int gated = 0;
  router.set_gate([&](const Route& route, RequestContext&) -> std::optional<Response> {
    ++gated;
    EXPECT_EQ(route.policy.permission, "child.read");
    return problem_response(403, "Forbidden", "no");
  });
  EXPECT_EQ(router.dispatch(get("/guarded/1")).status, 403);
  EXPECT_FALSE(ran);
  EXPECT_EQ(router.dispatch(get("/open")).status, 200);
  EXPECT_EQ(gated, 1);
}

TEST(Metrics, ExposesPrometheusText) {
  Metrics metrics;
  Router router;
  router.set_metrics(&metrics);
  router.add("GET", "/x/{id}", Policy::open_to_all(), "x", echo);
  router.dispatch(get("/x/1"));
  router.dispatch(get("/x/2"));
  router.dispatch(get("/nowhere"));
  metrics.add_audit_entries(3);
  const std::string text = metrics.prometheus_text();
  EXPECT_NE(text.find("accompany_http_requests_total{route=\"GET /x/{id}\",status=\"200\"} 2"), std::string::npos)
      << text;
  EXPECT_NE(text.find("accompany_http_requests_total{route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(text.find("accompany_http_request_duration_seconds_count{route=\"GET /x/{id}\"} 2"), std::string::npos);
  EXPECT_NE(text.find("accompany_audit_entries_written_total 3"), std::string::npos);
}

}  // namespace
}  // namespace accompany

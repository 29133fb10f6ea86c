// Drives a real Server on port 0 with a real HTTP client, on SQLite and on PostgreSQL: the
// authorization matrix (every route as every role and anonymously), accounts and sessions,
// audited reads, sharing and break-the-glass, attacks (CSRF, session fixation, SQL injection,
// oversized requests, slow clients) and graceful shutdown under load.
#include "http/api.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <set>
#include <thread>

#include "http/healthz.h"
#include "http/server.h"
#include "domain/ingest_records.h"
#include "http/testing/http_client.h"
#include "security/field_cipher.h"
#include "security/permissions.h"
#include "store/testing/sample_records.h"
#include "store/testing/temporary_postgres.h"

namespace accompany {
namespace {

namespace json = boost::json;
using testing::instant;
using testing::Reply;

constexpr const char* kPassword = "correct horse battery staple";
constexpr const char* kLegalOrganization = "Kids Legal Aid";
constexpr const char* kAgency = "County Child Services";

struct Credentials {
  std::string cookie;  // "accompany_session=..."
  std::string csrf;
  std::string bearer;
};

std::string user_name(Role role) {
  return std::string(enum_name(kRoleNames, role));
}

class Api : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto location = testing::fresh_database_location(GetParam(), "api");
    ASSERT_TRUE(location) << location.error().describe();
    location_ = *location;
    ASSERT_TRUE(Store::initialize(location_));
    auto store = Store::open(location_, clock_);
    ASSERT_TRUE(store) << store.error().describe();
    store_ = std::move(*store);
    accounts_ = std::make_unique<Accounts>(*store_, ThrottleLimits{3, 6, std::chrono::minutes(15)});
    const AuditContext admin{"system:test", "test setup"};
    for (const auto& [role, name] : kRoleNames) {
      if (role == Role::outside_agency) {
        auto token = accounts_->add_service(admin, "county-agency", role, kAgency);
        ASSERT_TRUE(token) << token.error().describe();
        agency_token_ = *token;
        continue;
      }
      auto added = accounts_->add_person(admin, std::string(name), role,
                                         role == Role::legal_partner ? kLegalOrganization : "", kPassword);
      ASSERT_TRUE(added) << added.error().describe();
    }
    ASSERT_TRUE(accounts_->add_person(admin, "matrix", Role::caseworker, "", kPassword));
    write([&](UnitOfWork& unit) -> Status {
      ACCOMPANY_TRY(referred, unit.insert(testing::sample_child("A201234567")));
      ACCOMPANY_TRY(other, unit.insert(testing::sample_child("A209999999")));
      ACCOMPANY_TRY(sponsor, unit.insert(testing::sample_sponsor()));
      referred_ = referred;
      other_ = other;
      sponsor_ = sponsor;
      ACCOMPANY_TRY(address, unit.insert(testing::sample_address(referred, sponsor)));
      address_ = address;
      Hearing hearing;
      hearing.child_id = referred;
      hearing.court = "San Antonio Immigration Court";
      hearing.scheduled_at = instant("2024-07-01T09:00:00Z");
      ACCOMPANY_CHECK(unit.insert(hearing));
      Contact contact;
      contact.occurred_at = instant("2024-05-30T10:00:00Z");
      contact.language = "spa";
      contact.category = ContactCategory::exploitation_report;
      contact.narrative = "Caller says the child works nights at a plant.";
      contact.child_ids = {referred};
      ACCOMPANY_TRY(contact_id, unit.insert(contact));
      contact_ = contact_id;
      Task task;
      task.child_id = referred;
      task.rule = "manual";
      task.queue = "safety";
      task.reason = "Follow up the exploitation report";
      task.assignee = "caseworker";  // assigns the referred child to the caseworker
      task.opened_at = instant("2024-05-30T10:00:00Z");
      task.due_at = instant("2024-05-31T10:00:00Z");
      ACCOMPANY_CHECK(unit.insert(task));
      ACCOMPANY_CHECK(
          unit.insert(Referral{0, referred, kLegalOrganization, instant("2024-05-01T00:00:00Z"), "caseworker"}));
      SharingPolicy policy{0,
                           kAgency,
                           {"name", "hearings"},
                           "court date reminders",
                           instant("2024-07-01T00:00:00Z"),
                           "admin",
                           instant("2024-06-01T00:00:00Z")};
      ACCOMPANY_CHECK(unit.insert(policy));
      return {};
    });
    start_server();
  }

  void TearDown() override { stop_server(); }

  void start_server(std::chrono::seconds io_timeout = std::chrono::seconds(2)) {
    services_ = std::make_unique<ApiServices>(ApiServices{*store_, *accounts_, metrics_, false});
    Router router;
    add_health_routes(router, *store_);
    add_api_routes(router, *services_);
    for (const auto& route : router.routes()) routes_.push_back({route.method, route.pattern, route.policy});
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.workers = 4;
    options.io_timeout = io_timeout;
    options.body_limit = 64 * 1024;
    options.header_limit = 8 * 1024;
    server_ = std::make_unique<Server>(options, std::move(router));
    auto port = server_->listen();
    ASSERT_TRUE(port) << port.error().describe();
    port_ = *port;
    thread_ = std::thread([this] { server_->run(); });
  }

  void stop_server() {
    if (!server_) return;
    server_->request_stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  void write(const std::function<Status(UnitOfWork&)>& work) {
    auto done = store_->transact({"system:test", "test setup"}, work);
    ASSERT_TRUE(done) << done.error().describe();
  }

  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(store_->read([&](SqlConnection& connection) -> Status {
      ACCOMPANY_TRY(rows, connection.query(sql));
      n = rows.at(0).integer(0);
      return {};
    }));
    return n;
  }

  // A review-queue pair between the two children, as `link --full` writes one; "later" keeps it
  // open for a decision, so the matrix reuses it.
  Id link_review() {
    if (review_) return review_;
    write([&](UnitOfWork& unit) -> Status {
      const SqlValue params[] = {referred_, other_};
      ACCOMPANY_TRY(rows, unit.sql().query(
                              "INSERT INTO link_reviews (left_entity, left_id, right_entity, right_id, probability, "
                              "explanation, status, created_at, decided_by) VALUES ('children', $1, 'children', $2, "
                              "0.7, '{\"fields\":[]}', 'open', '2024-06-01T00:00:00Z', '') RETURNING id",
                              params));
      review_ = rows.at(0).integer(0);
      return {};
    });
    return review_;
  }
  Id review_ = 0;

  Id add_task(const std::string& queue, TaskPriority priority, const std::string& due, const std::string& reason,
              const std::string& reason_es = "") {
    Id id = 0;
    write([&](UnitOfWork& unit) -> Status {
      Task task;
      task.child_id = referred_;
      task.rule = "manual";
      task.queue = queue;
      task.reason = reason;
      task.reason_es = reason_es;
      task.priority = priority;
      task.opened_at = instant("2024-04-01T00:00:00Z");
      task.due_at = instant(due.c_str());
      ACCOMPANY_TRY(inserted, unit.insert(task));
      id = inserted;
      return {};
    });
    return id;
  }

  // An open quarantined row whose raw text still does not validate.
  Id add_quarantined(const std::string& file = "orr_release_2024-06.csv",
                     const std::string& reason = "not a calendar date") {
    Id id = 0;
    write([&](UnitOfWork& unit) -> Status {
      QuarantinedRow row;
      row.kind = "orr_release";
      row.file_name = file;
      row.line = 7;
      row.field = "birth_date";
      row.value = "2010-02-30";
      row.reason = reason;
      row.raw = "only,three,columns";
      row.received_at = instant("2024-05-31T08:00:00Z");
      ACCOMPANY_TRY(inserted, unit.insert(row));
      id = inserted;
      return {};
    });
    return id;
  }

  Credentials sign_in(const std::string& name, const std::string& password = kPassword) {
    Reply reply =
        call({}, "POST", "/api/session", json::serialize(json::object{{"name", name}, {"password", password}}));
    EXPECT_EQ(reply.status, 200) << name << ": " << reply.body;
    Credentials credentials;
    const std::string cookie = reply.header("set-cookie");
    credentials.cookie = cookie.substr(0, cookie.find(';'));
    if (reply.status == 200) credentials.csrf = json::parse(reply.body).at("csrf_token").as_string().c_str();
    return credentials;
  }

  Credentials as(Role role) {
    if (role == Role::outside_agency) return Credentials{"", "", agency_token_};
    return sign_in(user_name(role));
  }

  Reply call(const Credentials& who, const std::string& method, const std::string& target, const std::string& body = "",
             HeaderList headers = {}) {
    if (!who.cookie.empty()) headers.emplace_back("Cookie", who.cookie);
    if (!who.csrf.empty() && method != "GET") headers.emplace_back("X-CSRF-Token", who.csrf);
    if (!who.bearer.empty()) headers.emplace_back("Authorization", "Bearer " + who.bearer);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return testing::request(port_, method, target, body, headers);
  }

  struct RouteInfo {
    std::string method;
    std::string pattern;
    Policy policy;
  };

  FixedClock clock_{instant("2024-06-01T12:00:00Z")};
  std::string location_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Accounts> accounts_;
  Metrics metrics_;
  std::unique_ptr<ApiServices> services_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
  std::vector<RouteInfo> routes_;
  std::string agency_token_;
  Id referred_ = 0, other_ = 0, sponsor_ = 0, contact_ = 0, address_ = 0;
};

std::string replace_id(std::string pattern, Id id) {
  auto at = pattern.find("{id}");
  if (at != std::string::npos) pattern.replace(at, 4, std::to_string(id));
  return pattern;
}

// A valid body for each route that takes one, so an allowed call succeeds.
std::string body_for(const std::string& key) {
  static const std::map<std::string, std::string> bodies{
      {"POST /api/session", R"({"name":"matrix","password":"correct horse battery staple"})"},
      {"POST /api/children",
       R"({"given_names":"Ana","paternal_surname":"Pérez","birth_date":"2009-03-04","country_of_birth":"HN","languages":["spa"]})"},
      {"POST /api/children/{id}/addresses",
       R"({"line":"12 Oak St","unit":"","city":"Dallas","state":"TX","zip":"75201","source":"caseworker"})"},
      {"POST /api/children/{id}/referrals", R"({"organization":"Other Legal Aid"})"},
      {"POST /api/children/{id}/break-glass", R"({"reason":"Child called our hotline in distress tonight"})"},
      {"POST /api/contacts",
       R"({"channel":"phone","caller_type":"sponsor","category":"hearing_question","language":"spa","narrative":"Asked for the court date"})"},
      {"POST /api/tasks/{id}/assign", R"({"assignee":"caseworker"})"},
      {"POST /api/cti/events",
       R"({"event":"ringing","call_id":"matrix-1","timestamp":"2024-06-01T11:59:50Z","caller_number":"+12025550143","queue":"general","agent":"contact_center_agent"})"},
      {"PUT /api/agent/state", R"({"state":"available","languages":["spa","eng"]})"},
      {"POST /api/callbacks", R"({"caller_number":"+12025550143","promised_at":"2024-06-01T15:00:00Z"})"},
      {"POST /api/tasks/{id}/resolve", R"({"outcome":"Spoke with the sponsor; the child is safe"})"},
      {"POST /api/link-reviews/{id}/decision", R"({"decision":"later"})"},
      {"POST /api/sharing-policies",
       R"({"organization":"School District 9","fields":["name"],"purpose":"enrolment","expires_at":"2024-09-01T00:00:00Z"})"},
      {"POST /api/quarantine/{id}/discard", R"({"reason":"Test row sent by mistake by the agency"})"},
      {"PATCH /api/children/{id}", R"({"interpreter_needed":true})"},
      {"PATCH /api/addresses/{id}", R"({"status":"verified"})"},
  };
  auto found = bodies.find(key);
  return found == bodies.end() ? "" : found->second;
}

TEST_P(Api, EveryRouteDeclaresAKnownPolicy) {
  ASSERT_FALSE(routes_.empty());
  for (const auto& route : routes_) {
    const std::string key = route.method + " " + route.pattern;
    EXPECT_NE(route.policy.kind, Policy::Kind::undeclared) << key << " has no access policy";
    if (route.policy.kind == Policy::Kind::permission) {
      EXPECT_TRUE(is_known_permission(route.policy.permission)) << key << ": " << route.policy.permission;
    }
    // Routes under /api/ other than the sign-in and the OpenAPI document need a signed-in caller.
    if (route.pattern.starts_with("/api/") && key != "POST /api/session" && key != "GET /api/openapi.json") {
      EXPECT_NE(route.policy.kind, Policy::Kind::open) << key << " is open to anyone";
    }
  }
}

TEST_P(Api, AuthorizationMatrixMatchesTheDeclaredPolicies) {
  // Sign-out ends the caller's session, so it goes last.
  auto routes = routes_;
  std::stable_partition(routes.begin(), routes.end(), [](const RouteInfo& route) {
    return !(route.method == "DELETE" && route.pattern == "/api/session");
  });
  std::vector<std::pair<std::string, std::optional<Role>>> callers{{"anonymous", std::nullopt}};
  std::map<std::string, Credentials> credentials{{"anonymous", {}}};
  for (const auto& [role, name] : kRoleNames) {
    callers.emplace_back(std::string(name), role);
    credentials[std::string(name)] = as(role);
  }
  int checked = 0;
  for (const auto& route : routes) {
    const std::string key = route.method + " " + route.pattern;
    // Task and quarantine routes act on a fresh open row each time, so one caller's resolve leaves the next one work.
    const bool task_route = route.pattern.starts_with("/api/tasks/");
    const bool review_route = route.pattern.starts_with("/api/link-reviews/");
    const bool quarantine_route = route.pattern.starts_with("/api/quarantine/");
    const bool creates = route.method == "POST" && key != "POST /api/session" && !task_route && !review_route &&
                         !quarantine_route;
    const int success = creates ? 201 : 200;
    for (const auto& [label, role] : callers) {
      const Id id = route.pattern.starts_with("/api/sponsors/")   ? sponsor_
                    : route.pattern.starts_with("/api/contacts/") ? contact_
                    : route.pattern.starts_with("/api/addresses/") ? address_
                    : task_route ? add_task("safety", TaskPriority::normal, "2024-06-02T10:00:00Z", "Matrix task")
                    : review_route     ? link_review()
                    : quarantine_route ? add_quarantined()
                                       : referred_;
      int expected = success;
      if (route.policy.kind != Policy::Kind::open) {
        if (!role)
          expected = 401;
        else if (route.policy.kind == Policy::Kind::permission && !role_has(*role, route.policy.permission))
          expected = 403;
      }
      std::string body = body_for(key);
      // Signing in replaces the caller's session (no fixation), so each signs in as itself.
      const bool sign_in = key == "POST /api/session" && role && *role != Role::outside_agency;
      if (sign_in) body = json::serialize(json::object{{"name", user_name(*role)}, {"password", kPassword}});
      // A search needs something to look for.
      const std::string query = key == "GET /api/search" ? "?q=ana" : "";
      Reply reply = call(credentials[label], route.method, replace_id(route.pattern, id) + query, body);
      EXPECT_EQ(reply.status, expected) << key << " as " << label << ": " << reply.body;
      if (sign_in && reply.status == 200) {
        const std::string cookie = reply.header("set-cookie");
        credentials[label] = {cookie.substr(0, cookie.find(';')),
                              std::string(json::parse(reply.body).at("csrf_token").as_string()), ""};
      }
      if (reply.status >= 400) {
        EXPECT_EQ(reply.header("content-type"), "application/problem+json") << key;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(routes.size() * (kRoleNames.size() + 1)));
  RecordProperty("matrix", fmt::format("{} routes x {} callers", routes.size(), kRoleNames.size() + 1));
}

TEST_P(Api, DataStewardDecidesLinkReviews) {
  const Id review = link_review();
  const auto steward = as(Role::data_steward);
  EXPECT_EQ(call(as(Role::caseworker), "GET", "/api/link-reviews").status, 403);
  Reply listed = call(steward, "GET", "/api/link-reviews");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const auto items = json::parse(listed.body).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("left").at("id").as_int64(), referred_);
  EXPECT_EQ(items[0].at("right").at("entity").as_string(), "children");
  EXPECT_EQ(call(steward, "GET", "/api/link-reviews?status=maybe").status, 400);
  const std::string decide = fmt::format("/api/link-reviews/{}/decision", review);
  EXPECT_EQ(call(steward, "POST", decide, R"({"decision":"perhaps"})").status, 400);
  Reply later = call(steward, "POST", decide, R"({"decision":"later"})");
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(json::parse(later.body).at("status").as_string(), "later");
  Reply accepted = call(steward, "POST", decide, R"({"decision":"accept"})");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(json::parse(accepted.body).at("status").as_string(), "accepted");
  EXPECT_EQ(call(steward, "POST", decide, R"({"decision":"reject"})").status, 409);  // decided for good
  EXPECT_EQ(json::parse(call(steward, "GET", "/api/link-reviews").body).at("items").as_array().size(), 0u);
  EXPECT_EQ(call(steward, "POST", "/api/link-reviews/999999/decision", R"({"decision":"later"})").status, 404);
}

TEST_P(Api, PersonSearchFindsChildrenWithTyposAndSaysWhy) {
  const auto agent = as(Role::contact_center_agent);
  Reply created = call(as(Role::caseworker), "POST", "/api/children",
                       R"({"given_names":"Yesenia","paternal_surname":"Hernández","maternal_surname":"Tzul",)"
                       R"("birth_date":"2010-07-14","country_of_birth":"GT","languages":["spa"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = json::parse(created.body).at("id").as_int64();
  // Written after the server started: the next search sees it. Misspelt, surnames swapped, no accent.
  Reply found = call(agent, "GET", "/api/search?q=tzul%20ernandez%20yesenia&dob=2010-07-14");
  ASSERT_EQ(found.status, 200) << found.body;
  const auto items = json::parse(found.body).at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(items[0].at("id").as_int64(), id);
  EXPECT_FALSE(items[0].at("why").as_array().empty());
  EXPECT_EQ(call(agent, "GET", "/api/search").status, 400);
  EXPECT_EQ(call(agent, "GET", "/api/search?q=ana&limit=0").status, 400);
  EXPECT_EQ(call(agent, "GET", "/api/search?dob=14/07/2010").status, 400);
  EXPECT_EQ(call(as(Role::administrator), "GET", "/api/search?q=yesenia").status, 403);
}

TEST_P(Api, TheDataStewardWorksTheQuarantine) {
  const Id bad_date = add_quarantined();
  const Id other_file = add_quarantined("dhs_custody_2024-06.csv", "unknown facility code 'XX9'");
  const Id discarded = add_quarantined("dhs_custody_2024-06.csv", "100% wrong_shape");
  const auto steward = as(Role::data_steward);
  auto list = [&](const std::string& query) {
    Reply reply = call(steward, "GET", "/api/quarantine" + query);
    EXPECT_EQ(reply.status, 200) << query << ": " << reply.body;
    std::vector<Id> ids;
    if (reply.status != 200) return ids;
    const json::value parsed = json::parse(reply.body);
    for (const auto& item : parsed.at("items").as_array()) {
      ids.push_back(item.at("id").as_int64());
      EXPECT_FALSE(item.as_object().contains("raw")) << "the list must not show raw rows";
    }
    return ids;
  };
  EXPECT_EQ(list(""), (std::vector<Id>{bad_date, other_file, discarded}));
  EXPECT_EQ(list("?file=dhs_custody_2024-06.csv"), (std::vector<Id>{other_file, discarded}));
  EXPECT_EQ(list("?reason=facility"), (std::vector<Id>{other_file}));
  EXPECT_EQ(list("?reason=100%25"), (std::vector<Id>{discarded}));  // % is the text, not a wildcard
  EXPECT_EQ(list("?kind=dhs_custody"), std::vector<Id>{});
  EXPECT_EQ(list("?limit=2").size(), 2u);
  EXPECT_EQ(call(steward, "GET", "/api/quarantine?status=lost").status, 400);

  Reply shown = call(steward, "GET", fmt::format("/api/quarantine/{}", bad_date));
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(json::parse(shown.body).at("raw").as_string(), "only,three,columns");
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'quarantine' AND "
                              "entity_id = {} AND actor = 'data_steward'",
                              bad_date)),
            1);
  EXPECT_EQ(call(steward, "GET", "/api/quarantine/999999").status, 404);

  Reply retried = call(steward, "POST", fmt::format("/api/quarantine/{}/retry", bad_date));
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_FALSE(json::parse(retried.body).at("resolved").as_bool());

  const std::string discard = fmt::format("/api/quarantine/{}/discard", discarded);
  EXPECT_EQ(call(steward, "POST", discard, R"({"reason":"  "})").status, 400);
  EXPECT_EQ(call(steward, "POST", discard, "{}").status, 400);
  Reply done = call(steward, "POST", discard, R"({"reason":"Duplicate test file from the agency"})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(call(steward, "POST", discard, R"({"reason":"again"})").status, 409);
  EXPECT_EQ(list(""), (std::vector<Id>{bad_date, other_file}));
  EXPECT_EQ(list("?status=discarded"), (std::vector<Id>{discarded}));
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'discard' AND entity = 'quarantine' AND "
                              "entity_id = {} AND fields = 'Duplicate test file from the agency'",
                              discarded)),
            1);
  EXPECT_EQ(call(as(Role::caseworker), "GET", "/api/quarantine").status, 403);
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << report->problems.front();
}

TEST_P(Api, UpdatesAreAuditedAndReTriageTheChild) {
  const auto caseworker = as(Role::caseworker);
  auto rules_of = [](const json::value& reply, const char* which) {
    std::vector<std::string> rules;
    for (const auto& rule : reply.at("tasks").at(which).as_array()) rules.emplace_back(rule.as_string());
    return rules;
  };
  const std::string address = fmt::format("/api/addresses/{}", address_);
  // The child has a hearing within 30 days: an address not known good opens a task, confirming it closes it.
  Reply invalid = call(caseworker, "PATCH", address, R"({"status":"invalid"})");
  ASSERT_EQ(invalid.status, 200) << invalid.body;
  const json::value marked = json::parse(invalid.body);
  EXPECT_EQ(marked.at("status").as_string(), "invalid");
  const auto opened = rules_of(marked, "opened");
  EXPECT_NE(std::find(opened.begin(), opened.end(), "hearing_soon_unverified_address"), opened.end()) << invalid.body;
  Reply verified = call(caseworker, "PATCH", address, R"({"status":"verified"})");
  ASSERT_EQ(verified.status, 200) << verified.body;
  const json::value confirmed = json::parse(verified.body);
  EXPECT_EQ(confirmed.at("last_confirmed").as_string(), "2024-06-01");
  const auto closed = rules_of(confirmed, "closed");
  EXPECT_NE(std::find(closed.begin(), closed.end(), "hearing_soon_unverified_address"), closed.end()) << verified.body;
  EXPECT_EQ(call(caseworker, "PATCH", address, R"({"status":"lost"})").status, 400);
  EXPECT_EQ(call(caseworker, "PATCH", address, R"({"status":"verified","city":"Austin"})").status, 400);
  // A caseworker is not told whether an address outside their children exists; a supervisor is.
  EXPECT_EQ(call(caseworker, "PATCH", "/api/addresses/999999", R"({"status":"verified"})").status, 403);
  EXPECT_EQ(call(as(Role::supervisor), "PATCH", "/api/addresses/999999", R"({"status":"verified"})").status, 404);

  const std::string child = fmt::format("/api/children/{}", referred_);
  Reply changed = call(caseworker, "PATCH", child, R"({"languages":["mam","spa"],"interpreter_needed":true})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json::serialize(json::parse(changed.body).at("languages")), R"(["mam","spa"])");
  EXPECT_TRUE(json::parse(changed.body).at("interpreter_needed").as_bool());
  EXPECT_EQ(call(caseworker, "PATCH", child, R"({"languages":["xx1"]})").status, 400);
  EXPECT_EQ(call(caseworker, "PATCH", child, R"({"birth_date":"2001-01-01"})").status, 400);
  EXPECT_EQ(call(caseworker, "PATCH", child, "{}").status, 400);
  EXPECT_EQ(call(as(Role::contact_center_agent), "PATCH", child, R"({"interpreter_needed":false})").status, 403);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'children' AND "
                              "entity_id = {} AND actor = 'caseworker'",
                              referred_)),
            1);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'addresses' AND "
                              "entity_id = {} AND actor = 'caseworker'",
                              address_)),
            2);
  auto report = store_->verify_audit();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << report->problems.front();
}

TEST_P(Api, CaseworkersSeeOnlyChildrenAssignedToThem) {
  const auto caseworker = as(Role::caseworker);
  EXPECT_EQ(call(caseworker, "GET", fmt::format("/api/children/{}", referred_)).status, 200);
  Reply refused = call(caseworker, "GET", fmt::format("/api/children/{}/hearings", other_));
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("not assigned to you"), std::string::npos) << refused.body;
  EXPECT_EQ(call(caseworker, "PATCH", fmt::format("/api/children/{}", other_), R"({"interpreter_needed":true})").status,
            403);
  Reply listed = call(caseworker, "GET", "/api/children");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(json::parse(listed.body).at("items").as_array().size(), 1u) << listed.body;
  // A supervisor assigns one of the other child's tasks: the child is now the caseworker's.
  const Id task = add_task("safety", TaskPriority::normal, "2024-06-02T10:00:00Z", "Check on the other child");
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(found, unit.find<Task>(task));
    Task moved = *found;
    moved.child_id = other_;
    return unit.update(moved);
  });
  Reply assigned =
      call(as(Role::supervisor), "POST", fmt::format("/api/tasks/{}/assign", task), R"({"assignee":"caseworker"})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(call(caseworker, "GET", fmt::format("/api/children/{}/hearings", other_)).status, 200);
  EXPECT_EQ(json::parse(call(caseworker, "GET", "/api/children").body).at("items").as_array().size(), 2u);
  // Supervisors and contact-center agents are not limited per child.
  EXPECT_EQ(call(as(Role::contact_center_agent), "GET", fmt::format("/api/children/{}", other_)).status, 200);
}

// Every route, as each role that sees only some children, aimed at records of a child outside
// that scope: a route that targets one (an {id} route, a contact naming the child) is refused
// with 403, and no answer, list or search includes anything of it. New routes are covered as
// they are added (the loop is over the router's table).
TEST_P(Api, ScopedRolesLearnNothingAboutOtherChildren) {
  Id sponsor = 0, address = 0, contact = 0, task = 0;
  write([&](UnitOfWork& unit) -> Status {
    Sponsor hidden = testing::sample_sponsor();
    hidden.name = PersonName{"Escondida", "Zamora", ""};
    hidden.phone = "+17135550777";
    ACCOMPANY_TRY(sponsor_id, unit.insert(hidden));
    sponsor = sponsor_id;
    Address home = testing::sample_address(other_, sponsor);
    home.line = "99 Hidden Lane";
    ACCOMPANY_TRY(address_id, unit.insert(home));
    address = address_id;
    Contact call;
    call.occurred_at = instant("2024-05-30T11:00:00Z");
    call.language = "spa";
    call.category = ContactCategory::hearing_question;
    call.narrative = "OTHER-CHILD-NARRATIVE";
    call.child_ids = {other_};
    ACCOMPANY_TRY(contact_id, unit.insert(call));
    contact = contact_id;
    // A contact about both children: it names the other child, so it is withheld too.
    Contact both = call;
    both.narrative = "BOTH-CHILDREN-NARRATIVE";
    both.child_ids = {referred_, other_};
    ACCOMPANY_CHECK(unit.insert(both));
    Task theirs;
    theirs.child_id = other_;
    theirs.rule = "manual";
    theirs.queue = "safety";
    theirs.reason = "OTHER-CHILD-TASK";
    theirs.assignee = "supervisor";
    theirs.opened_at = instant("2024-05-30T10:00:00Z");
    theirs.due_at = instant("2024-06-03T10:00:00Z");
    ACCOMPANY_TRY(task_id, unit.insert(theirs));
    task = task_id;
    return {};
  });
  // The other child's A-number as shown (A209-999-999) and stored, and its records' texts.
  const std::vector<std::string> markers{"209-999-999", "209999999",    "Escondida",     "5550777",
                                         "Hidden Lane", "OTHER-CHILD-", "BOTH-CHILDREN-"};
  int targeted = 0;
  for (Role role : {Role::caseworker, Role::legal_partner}) {
    ASSERT_TRUE(role_sees_assigned_children_only(role) || role_sees_referred_children_only(role));
    const auto who = as(role);
    for (const auto& route : routes_) {
      const std::string key = route.method + " " + route.pattern;
      // Signing in and out change the caller; breaking the glass is the audited way in.
      if (route.pattern == "/api/session" || route.pattern.ends_with("/break-glass")) continue;
      const bool has_id = route.pattern.find("{id}") != std::string::npos;
      const Id id = route.pattern.starts_with("/api/sponsors/")    ? sponsor
                    : route.pattern.starts_with("/api/contacts/")  ? contact
                    : route.pattern.starts_with("/api/addresses/") ? address
                    : route.pattern.starts_with("/api/tasks/")     ? task
                                                                   : other_;
      std::string body = body_for(key);
      if (key == "POST /api/contacts")
        body = fmt::format(R"({{"channel":"phone","caller_type":"sponsor","category":"hearing_question",)"
                           R"("language":"spa","narrative":"Asked","child_ids":[{}]}})",
                           other_);
      const bool targets_other = has_id || key == "POST /api/contacts";
      const std::string query = key == "GET /api/search" ? "?q=maria+jose+garcia" : "";
      Reply reply = call(who, route.method, replace_id(route.pattern, id) + query, body);
      const std::string label = fmt::format("{} as {}", key, user_name(role));
      if (targets_other) {
        // Refused by permission or by scope, never 404 (which would tell the record exists or not).
        EXPECT_EQ(reply.status, 403) << label << ": " << reply.body;
        ++targeted;
      }
      for (const auto& marker : markers)
        EXPECT_EQ(reply.body.find(marker), std::string::npos) << label << " shows '" << marker << "': " << reply.body;
    }
  }
  EXPECT_GT(targeted, 10);
  // The in-scope child's own records stay visible (the checks above are not refusing everything).
  const auto caseworker = as(Role::caseworker);
  EXPECT_EQ(call(caseworker, "GET", fmt::format("/api/contacts/{}", contact_)).status, 200);
  EXPECT_EQ(call(caseworker, "GET", fmt::format("/api/sponsors/{}", sponsor_)).status, 200);
  Reply contacts = call(caseworker, "GET", fmt::format("/api/children/{}/contacts", referred_));
  ASSERT_EQ(contacts.status, 200);
  EXPECT_EQ(contacts.body.find("BOTH-CHILDREN-"), std::string::npos) << contacts.body;
  EXPECT_EQ(json::parse(contacts.body).at("items").as_array().size(), 1u) << contacts.body;
  Reply tasks = call(caseworker, "GET", "/api/tasks");
  ASSERT_EQ(tasks.status, 200);
  EXPECT_NE(tasks.body.find("Follow up the exploitation report"), std::string::npos) << tasks.body;
  Reply search = call(caseworker, "GET", "/api/search?q=maria+jose+garcia");
  ASSERT_EQ(search.status, 200);
  EXPECT_NE(search.body.find("201-234-567"), std::string::npos) << search.body;
  // Once the other child is assigned to the caseworker, its records open.
  Reply assigned =
      call(as(Role::supervisor), "POST", fmt::format("/api/tasks/{}/assign", task), R"({"assignee":"caseworker"})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(call(caseworker, "GET", fmt::format("/api/contacts/{}", contact)).status, 200);
  EXPECT_EQ(call(caseworker, "GET", fmt::format("/api/sponsors/{}", sponsor)).status, 200);
  EXPECT_NE(call(caseworker, "GET", "/api/tasks").body.find("OTHER-CHILD-TASK"), std::string::npos);
}

TEST_P(Api, RolesKeepTheLimitsDesignMdGivesThem) {
  const auto admin = as(Role::administrator);
  EXPECT_EQ(call(admin, "GET", fmt::format("/api/children/{}", referred_)).status, 403);
  EXPECT_EQ(call(admin, "GET", "/api/children").status, 403);
  EXPECT_EQ(call(admin, "GET", "/api/users").status, 200);
  for (auto name : permissions_of(Role::administrator))
    EXPECT_TRUE(name == permission::user_manage || name == permission::sharing_manage) << name;
  const auto oversight = as(Role::oversight);
  EXPECT_EQ(call(oversight, "GET", fmt::format("/api/children/{}", referred_)).status, 403);
  EXPECT_EQ(call(oversight, "GET", fmt::format("/api/children/{}/access-log", referred_)).status, 200);
  const auto legal = as(Role::legal_partner);
  EXPECT_EQ(call(legal, "GET", fmt::format("/api/children/{}", referred_)).status, 200);
  EXPECT_EQ(call(legal, "GET", fmt::format("/api/children/{}/hearings", referred_)).status, 200);
  EXPECT_EQ(call(legal, "GET", fmt::format("/api/children/{}/addresses", referred_)).status, 403);
  Reply refused = call(legal, "GET", fmt::format("/api/children/{}", other_));
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("break-glass"), std::string::npos) << refused.body;
  // A child that does not exist looks the same as one not referred: no existence leak.
  EXPECT_EQ(call(legal, "GET", "/api/children/999999").status, 403);
  auto listed = json::parse(call(legal, "GET", "/api/children").body);
  ASSERT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(listed.at("items").at(0).at("id").as_int64(), referred_);
  EXPECT_EQ(call(as(Role::contact_center_agent), "GET", "/api/users").status, 403);
}

TEST_P(Api, ExploitationNarrativeOnlyForTheSafetyTeam) {
  const std::string target = fmt::format("/api/contacts/{}", contact_);
  auto supervisor = json::parse(call(as(Role::supervisor), "GET", target).body);
  EXPECT_EQ(supervisor.at("narrative").as_string(), "Caller says the child works nights at a plant.");
  auto caseworker = json::parse(call(as(Role::caseworker), "GET", target).body);
  EXPECT_EQ(caseworker.as_object().count("narrative"), 0u) << json::serialize(caseworker);
  EXPECT_EQ(caseworker.at("withheld_fields").at(0).as_string(), "narrative");
  auto listed =
      json::parse(call(as(Role::caseworker), "GET", fmt::format("/api/children/{}/contacts", referred_)).body);
  EXPECT_EQ(listed.at("items").at(0).as_object().count("narrative"), 0u);
  // The audit entry names exactly the fields shown.
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE actor = 'caseworker' AND entity = 'contacts' AND "
                              "action = 'read' AND fields LIKE '%narrative%'")),
            0);
  EXPECT_GE(count("SELECT count(*) FROM audit_log WHERE actor = 'supervisor' AND entity = 'contacts' AND "
                  "fields LIKE '%narrative%'"),
            1);
}

// The message naming table, row, field and key id goes to the server log (fallible logs every
// internal error); the client gets a plain 500 with no record data.
TEST_P(Api, ANarrativeUnderAnotherKeyIsA500WithoutTheData) {
  FieldKey written, other;
  written.bytes.fill(1);
  written.id = key_id_of(written.bytes);
  other.bytes.fill(2);
  other.id = key_id_of(other.bytes);
  install_field_keys(written);
  write([&](UnitOfWork& unit) -> Status {  // re-encrypts the seeded narrative under `written`
    ACCOMPANY_TRY(contact, unit.find<Contact>(contact_));
    return unit.update(*contact);
  });
  install_field_keys(other);
  Reply reply = call(as(Role::supervisor), "GET", fmt::format("/api/contacts/{}", contact_));
  install_field_keys(std::nullopt);
  EXPECT_EQ(reply.status, 500) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  EXPECT_EQ(reply.body.find("plant"), std::string::npos) << reply.body;
  // With the right key installed again the same contact reads.
  install_field_keys(written);
  Reply again = call(as(Role::supervisor), "GET", fmt::format("/api/contacts/{}", contact_));
  install_field_keys(std::nullopt);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_NE(again.body.find("plant"), std::string::npos) << again.body;
}

TEST_P(Api, EveryReadOfAChildIsAuditedWithWhoFieldsAndPurpose) {
  const auto caseworker = as(Role::caseworker);
  const auto before = count("SELECT count(*) FROM audit_log WHERE action = 'read'");
  Reply reply = call(caseworker, "GET", fmt::format("/api/children/{}", referred_), "",
                     {{"X-Purpose", "30-day welfare follow-up"}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'read'"), before + 1);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'read' AND actor = 'caseworker' AND "
                              "entity = 'children' AND entity_id = {} AND purpose = '30-day welfare follow-up' AND "
                              "fields LIKE '%birth_date%'",
                              referred_)),
            1);
  ASSERT_EQ(call(caseworker, "GET", fmt::format("/api/children/{}/hearings", referred_)).status, 200);
  // The other child is not assigned to the caseworker; a supervisor looks it up.
  ASSERT_EQ(call(as(Role::supervisor), "GET", "/api/children?a_number=A-209-999-999").status, 200);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'read' AND entity_id = {}", other_)), 1);
  // Supervisors see it in the access log; the chain still verifies.
  auto log = json::parse(call(as(Role::supervisor), "GET", fmt::format("/api/children/{}/access-log", referred_)).body);
  bool seen = false;
  for (const auto& entry : log.at("items").as_array())
    seen = seen || (entry.at("actor").as_string() == "caseworker" &&
                    entry.at("purpose").as_string() == "30-day welfare follow-up");
  EXPECT_TRUE(seen) << json::serialize(log);
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok()) << (verified->problems.empty() ? "" : verified->problems.front());
  const std::string metrics = testing::request(port_, "GET", "/metrics").body;
  EXPECT_NE(metrics.find("accompany_http_requests_total{route=\"GET /api/children/{id}\",status=\"200\"}"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("accompany_store_duration_seconds_count"), std::string::npos);
  EXPECT_EQ(metrics.find("accompany_audit_entries_written_total 0\n"), std::string::npos);
}

TEST_P(Api, BreakTheGlassOpensOneRecordAndIsReviewed) {
  const auto legal = as(Role::legal_partner);
  const std::string target = fmt::format("/api/children/{}", other_);
  EXPECT_EQ(call(legal, "GET", target).status, 403);
  Reply short_reason = call(legal, "POST", target + "/break-glass", R"({"reason":"need it"})");
  EXPECT_EQ(short_reason.status, 400);
  EXPECT_NE(short_reason.body.find("reason"), std::string::npos);
  Reply opened = call(legal, "POST", target + "/break-glass", R"({"reason":"Child walked into our clinic today"})");
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_EQ(call(legal, "GET", target).status, 200);
  auto grants = json::parse(call(as(Role::supervisor), "GET", "/api/break-glass").body);
  ASSERT_EQ(grants.at("items").as_array().size(), 1u);
  EXPECT_EQ(grants.at("items").at(0).at("user").as_string(), "legal_partner");
  EXPECT_EQ(grants.at("items").at(0).at("reason").as_string(), "Child walked into our clinic today");
  // The grant lasts an hour.
  clock_.set(instant("2024-06-01T13:00:01Z"));
  EXPECT_EQ(call(legal, "GET", target).status, 403);
}

TEST_P(Api, SharingPolicyShowsExactlyItsFieldsUntilItExpires) {
  const Credentials agency{"", "", agency_token_};
  Reply reply = call(agency, "GET", fmt::format("/api/shared/children/{}", referred_));
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto shared = json::parse(reply.body).as_object();
  std::set<std::string> keys;
  for (const auto& member : shared) keys.insert(std::string(member.key()));
  EXPECT_EQ(keys, (std::set<std::string>{"id", "name", "hearings", "sharing_policy"}));
  EXPECT_EQ(shared.at("hearings").as_array().size(), 1u);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM audit_log WHERE actor = 'county-agency' AND entity_id = {} AND "
                              "fields = 'name,hearings' AND purpose LIKE 'sharing policy %: court date reminders'",
                              referred_)),
            1);
  // The agency cannot use any other route.
  EXPECT_EQ(call(agency, "GET", fmt::format("/api/children/{}", referred_)).status, 403);
  clock_.set(instant("2024-07-01T00:00:00Z"));
  Reply expired = call(agency, "GET", fmt::format("/api/shared/children/{}", referred_));
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("no active sharing policy"), std::string::npos) << expired.body;
  // A wrong token is refused.
  EXPECT_EQ(call(Credentials{"", "", agency_token_ + "0"}, "GET", "/api/session").status, 401);
}

TEST_P(Api, CsrfTokenIsRequiredForUnsafeMethodsWithASession) {
  auto caseworker = as(Role::caseworker);
  const std::string body = body_for("POST /api/children");
  HeaderList headers{{"Cookie", caseworker.cookie}, {"Content-Type", "application/json"}};
  Reply missing = testing::request(port_, "POST", "/api/children", body, headers);
  EXPECT_EQ(missing.status, 403);
  EXPECT_NE(missing.body.find("X-CSRF-Token"), std::string::npos);
  auto wrong = headers;
  wrong.emplace_back("X-CSRF-Token", std::string(caseworker.csrf.size(), '0'));
  EXPECT_EQ(testing::request(port_, "POST", "/api/children", body, wrong).status, 403);
  EXPECT_EQ(call(caseworker, "POST", "/api/children", body).status, 201);
  // The cookie cannot be read by scripts, is not sent cross-site.
  Reply signed_in = call({}, "POST", "/api/session", body_for("POST /api/session"));
  const std::string cookie = signed_in.header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  // Sign-in itself needs a JSON body, which a cross-site form cannot send without a preflight.
  Reply form = testing::request(port_, "POST", "/api/session", "name=matrix&password=x",
                                {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 400);
}

TEST_P(Api, SignInAlwaysIssuesANewSession) {
  // An attacker plants a session id; signing in neither adopts it nor keeps an old one alive.
  HeaderList planted{{"Cookie", "accompany_session=attacker-chosen"}, {"Content-Type", "application/json"}};
  Reply first = testing::request(port_, "POST", "/api/session", body_for("POST /api/session"), planted);
  ASSERT_EQ(first.status, 200);
  const std::string issued = first.header("set-cookie");
  EXPECT_EQ(issued.find("attacker-chosen"), std::string::npos);
  EXPECT_EQ(call(Credentials{"accompany_session=attacker-chosen", "", ""}, "GET", "/api/session").status, 401);
  const std::string old_cookie = issued.substr(0, issued.find(';'));
  HeaderList again{{"Cookie", old_cookie}, {"Content-Type", "application/json"}};
  Reply second = testing::request(port_, "POST", "/api/session", body_for("POST /api/session"), again);
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(second.header("set-cookie").substr(0, old_cookie.size()), old_cookie);
  EXPECT_EQ(call(Credentials{old_cookie, "", ""}, "GET", "/api/session").status, 401);
  // Signing out ends the session.
  const std::string cookie = second.header("set-cookie").substr(0, second.header("set-cookie").find(';'));
  auto session = json::parse(call(Credentials{cookie, "", ""}, "GET", "/api/session").body);
  Credentials current{cookie, std::string(session.at("csrf_token").as_string()), ""};
  EXPECT_EQ(call(current, "DELETE", "/api/session").status, 200);
  EXPECT_EQ(call(current, "GET", "/api/session").status, 401);
}

TEST_P(Api, SignInIsThrottledPerAccountAndPerAddress) {
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(call({}, "POST", "/api/session", R"({"name":"caseworker","password":"wrong password!"})").status, 401);
  Reply locked = call({}, "POST", "/api/session", R"({"name":"caseworker","password":"correct horse battery staple"})");
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_FALSE(locked.header("retry-after").empty());
  // Other accounts still sign in until the address itself has failed too often.
  EXPECT_EQ(call({}, "POST", "/api/session", body_for("POST /api/session")).status, 200);
  for (int i = 0; i < 3; ++i)
    call({}, "POST", "/api/session", fmt::format(R"({{"name":"nobody{}","password":"x"}})", i));
  EXPECT_EQ(call({}, "POST", "/api/session", body_for("POST /api/session")).status, 429);
  // The window passes.
  clock_.set(instant("2024-06-01T12:15:01Z"));
  EXPECT_EQ(call({}, "POST", "/api/session", body_for("POST /api/session")).status, 200);
}

TEST_P(Api, DisabledAccountsAndTheirSessionsStop) {
  auto caseworker = as(Role::caseworker);
  EXPECT_EQ(call(caseworker, "GET", "/api/session").status, 200);
  ASSERT_TRUE(accounts_->disable({"system:test", "test"}, "caseworker"));
  EXPECT_EQ(call(caseworker, "GET", "/api/session").status, 401);
  EXPECT_EQ(
      call({}, "POST", "/api/session", R"({"name":"caseworker","password":"correct horse battery staple"})").status,
      401);
}

// The server caches sessions for a few seconds (access/session_cache.h). Ended in this process
// (sign-out, disable, reset) a session stops at once; ended by another process (the `accompany
// user` command) it stops once the cache's lifetime has passed — the documented bound.
TEST_P(Api, ASessionEndedElsewhereStopsWithinTheCacheLifetime) {
  auto caseworker = as(Role::caseworker);
  ASSERT_EQ(call(caseworker, "GET", "/api/session").status, 200);
  Accounts command_line(*store_);
  ASSERT_TRUE(command_line.disable({"system:test", "test"}, "caseworker"));
  EXPECT_EQ(call(caseworker, "GET", "/api/session").status, 200) << "served from the cache, as documented";
  clock_.set(clock_.now() + SessionCache::kDefaultTtl);
  EXPECT_EQ(call(caseworker, "GET", "/api/session").status, 401);
  // Signing out in this process ends the session at once, cached or not.
  auto supervisor = as(Role::supervisor);
  ASSERT_EQ(call(supervisor, "GET", "/api/session").status, 200);
  ASSERT_EQ(call(supervisor, "DELETE", "/api/session").status, 200);
  EXPECT_EQ(call(supervisor, "GET", "/api/session").status, 401);
}

TEST_P(Api, SqlInjectionStringsAreJustText) {
  const auto supervisor = as(Role::supervisor);
  const std::vector<std::string> attacks{
      "' OR '1'='1",    "'; DROP TABLE children; --",      "1 OR 1=1", "\" OR \"\"=\"",
      "%27%20OR%201=1", "children; DELETE FROM audit_log", "\\x00'--"};
  const auto children_before = count("SELECT count(*) FROM children");
  for (const auto& attack : attacks) {
    const std::string encoded = [&] {
      std::string out;
      for (unsigned char c : attack)
        out += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
      return out;
    }();
    for (const char* param :
         {"a_number", "given_names", "paternal_surname", "maternal_surname", "country_of_birth", "cursor", "limit"}) {
      Reply reply = call(supervisor, "GET", fmt::format("/api/children?{}={}", param, encoded));
      EXPECT_TRUE(reply.status == 200 || reply.status == 400) << param << "=" << attack << ": " << reply.status;
      if (reply.status == 200) {
        EXPECT_EQ(json::parse(reply.body).at("items").as_array().size(), 0u) << attack;
      }
    }
    for (const char* param : {"queue", "status", "assignee", "cursor", "limit"}) {
      Reply reply = call(supervisor, "GET", fmt::format("/api/tasks?{}={}", param, encoded));
      EXPECT_TRUE(reply.status == 200 || reply.status == 400) << param << "=" << attack << ": " << reply.status;
    }
    for (const char* pattern :
         {"/api/children/{}", "/api/children/{}/hearings", "/api/sponsors/{}", "/api/contacts/{}"})
      EXPECT_EQ(call(supervisor, "GET", fmt::format(fmt::runtime(pattern), encoded)).status, 404) << attack;
    json::object child = json::parse(body_for("POST /api/children")).as_object();
    child["given_names"] = attack;
    child["paternal_surname"] = attack;
    Reply created = call(supervisor, "POST", "/api/children", json::serialize(child));
    EXPECT_TRUE(created.status == 201 || created.status == 400) << attack << ": " << created.body;
    if (created.status == 201) {
      EXPECT_EQ(json::parse(created.body).at("name").at("given_names").as_string(), attack);
    }
    Reply signin =
        call({}, "POST", "/api/session", json::serialize(json::object{{"name", attack}, {"password", attack}}));
    EXPECT_TRUE(signin.status == 401 || signin.status == 429) << attack;
  }
  EXPECT_GE(count("SELECT count(*) FROM children"), children_before);
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
}

TEST_P(Api, ListsPageWithACursorAndRefuseUnknownFilters) {
  // A supervisor sees every child (a caseworker would list only the children assigned to them).
  const auto supervisor = as(Role::supervisor);
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(call(supervisor, "POST", "/api/children", body_for("POST /api/children")).status, 201);
  std::set<std::int64_t> seen;
  std::string cursor;
  int pages = 0;
  do {
    Reply reply = call(supervisor, "GET", "/api/children?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto page = json::parse(reply.body);
    for (const auto& item : page.at("items").as_array()) EXPECT_TRUE(seen.insert(item.at("id").as_int64()).second);
    cursor = page.at("next_cursor").is_null() ? "" : std::string(page.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);
  Reply unknown = call(supervisor, "GET", "/api/children?surname=Garcia");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("paternal_surname"), std::string::npos) << unknown.body;
  EXPECT_EQ(call(supervisor, "GET", "/api/children?limit=5000").status, 400);
  auto by_name = json::parse(
      call(supervisor, "GET", "/api/children?given_names=Mar%C3%ADa%20Jos%C3%A9&paternal_surname=Garc%C3%ADa").body);
  EXPECT_EQ(by_name.at("items").as_array().size(), 2u);
  Reply bad_json = call(supervisor, "POST", "/api/children", "{not json");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.header("content-type"), "application/problem+json");
  Reply invalid =
      call(supervisor, "POST", "/api/children",
           R"({"given_names":"Ana","paternal_surname":"Pérez","birth_date":"2009-02-30","country_of_birth":"HN"})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_NE(invalid.body.find("birth_date"), std::string::npos) << invalid.body;
}

TEST_P(Api, WorklistIsSortedByPriorityThenDueAndSaysWhyAndWhetherOverdue) {
  // The clock reads 2024-06-01T12:00Z; the setup's safety task (normal, due 2024-05-31) is overdue.
  const Id low = add_task("court", TaskPriority::low, "2024-06-01T13:00:00Z", "Low, due soon");
  const Id urgent_late = add_task("court", TaskPriority::urgent, "2024-06-20T10:00:00Z", "Urgent, due later");
  const Id urgent_soon =
      add_task("court", TaskPriority::urgent, "2024-06-03T10:00:00Z", "Hearing in 2 days", "Audiencia en 2 días");
  const Id high_overdue = add_task("court", TaskPriority::high, "2024-05-01T10:00:00Z", "High, overdue");
  add_task("welfare", TaskPriority::urgent, "2024-06-02T10:00:00Z", "Another queue");
  const auto caseworker = as(Role::caseworker);
  Reply reply = call(caseworker, "GET", "/api/tasks?queue=court&status=open");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto items = json::parse(reply.body).at("items").as_array();
  ASSERT_EQ(items.size(), 4u) << reply.body;
  const std::vector<Id> expected{urgent_soon, urgent_late, high_overdue, low};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(items[i].at("id").as_int64(), expected[i]) << i << ": " << reply.body;
    EXPECT_EQ(items[i].at("child_id").as_int64(), referred_);
  }
  EXPECT_EQ(items[0].at("reason").as_string(), "Hearing in 2 days");
  EXPECT_EQ(items[0].at("reason_es").as_string(), "Audiencia en 2 días");
  EXPECT_FALSE(items[1].as_object().contains("reason_es"));
  EXPECT_FALSE(items[0].at("overdue").as_bool());
  EXPECT_TRUE(items[2].at("overdue").as_bool());
  EXPECT_FALSE(items[3].at("overdue").as_bool());
  // Pages keep the same order and never repeat a task.
  std::vector<Id> paged;
  std::string cursor;
  int pages = 0;
  do {
    Reply page =
        call(caseworker, "GET", "/api/tasks?queue=court&limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    auto parsed = json::parse(page.body);
    for (const auto& item : parsed.at("items").as_array()) paged.push_back(item.at("id").as_int64());
    cursor = parsed.at("next_cursor").is_null() ? "" : std::string(parsed.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 5);
  EXPECT_EQ(paged, expected);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(call(caseworker, "GET", "/api/tasks?cursor=17").status, 400);
  EXPECT_EQ(call(caseworker, "GET", "/api/tasks?cursor=9_1_yesterday").status, 400);
}

TEST_P(Api, TasksAreAssignedAndResolvedWithAnAuditedOutcome) {
  // The court queue: the fixture's safety task is already assigned to the caseworker.
  const Id task = add_task("court", TaskPriority::urgent, "2024-06-02T10:00:00Z", "Runaway report");
  const auto supervisor = as(Role::supervisor);
  const auto caseworker = as(Role::caseworker);
  const std::string assign = fmt::format("/api/tasks/{}/assign", task);
  const std::string resolve = fmt::format("/api/tasks/{}/resolve", task);
  EXPECT_EQ(call(caseworker, "POST", assign, R"({"assignee":"caseworker"})").status, 403);
  Reply assigned = call(supervisor, "POST", assign, R"({"assignee":"caseworker"})");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  EXPECT_EQ(json::parse(assigned.body).at("assignee").as_string(), "caseworker");
  auto mine =
      json::parse(call(caseworker, "GET", "/api/tasks?assignee=caseworker&queue=court").body).at("items").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].at("id").as_int64(), task);
  // "me" is the signed-in caller: the caseworker's own list holds the task, the supervisor's does not.
  auto my_tasks =
      json::parse(call(caseworker, "GET", "/api/tasks?assignee=me&queue=court").body).at("items").as_array();
  ASSERT_EQ(my_tasks.size(), 1u);
  EXPECT_EQ(my_tasks[0].at("id").as_int64(), task);
  EXPECT_TRUE(json::parse(call(supervisor, "GET", "/api/tasks?assignee=me").body).at("items").as_array().empty());
  Reply unassigned = call(supervisor, "POST", assign, R"({"assignee":""})");
  ASSERT_EQ(unassigned.status, 200) << unassigned.body;
  EXPECT_EQ(json::parse(unassigned.body).at("assignee").as_string(), "");
  EXPECT_EQ(call(supervisor, "POST", assign, "{}").status, 400);
  EXPECT_EQ(call(supervisor, "POST", assign, R"({"assignee":"nobody.here"})").status, 400);
  // The assign control offers exactly the people who can resolve tasks.
  Reply people = call(supervisor, "GET", "/api/assignees");
  ASSERT_EQ(people.status, 200) << people.body;
  std::set<std::string> names;
  const json::value listed = json::parse(people.body);
  for (const auto& item : listed.at("items").as_array()) names.insert(std::string(item.at("name").as_string()));
  EXPECT_TRUE(names.contains("caseworker") && names.contains("supervisor") && names.contains("contact_center_agent"));
  EXPECT_FALSE(names.contains("administrator") || names.contains("oversight") || names.contains("county-agency"));
  EXPECT_EQ(call(supervisor, "POST", assign, R"({"assignee":"administrator"})").status, 400);
  EXPECT_EQ(call(caseworker, "POST", resolve, "{}").status, 400);
  EXPECT_EQ(call(caseworker, "POST", resolve, R"({"outcome":"   "})").status, 400);
  // A caseworker is not told whether a task outside their children exists; a supervisor is.
  EXPECT_EQ(call(caseworker, "POST", "/api/tasks/999999/resolve", R"({"outcome":"done"})").status, 403);
  EXPECT_EQ(call(supervisor, "POST", "/api/tasks/999999/resolve", R"({"outcome":"done"})").status, 404);
  EXPECT_EQ(call(as(Role::data_steward), "POST", resolve, R"({"outcome":"done"})").status, 403);
  Reply resolved = call(caseworker, "POST", resolve, R"({"outcome":"Reached the child; safe with sponsor"})");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  auto body = json::parse(resolved.body);
  EXPECT_EQ(body.at("status").as_string(), "closed");
  EXPECT_EQ(body.at("close_reason").as_string(), "Reached the child; safe with sponsor");
  EXPECT_EQ(body.at("closed_at").as_string(), "2024-06-01T12:00:00Z");
  // Closed tasks leave the open worklist and cannot be resolved or assigned again.
  const auto open = json::parse(call(caseworker, "GET", "/api/tasks?queue=court&status=open").body);
  for (const auto& item : open.at("items").as_array()) EXPECT_NE(item.at("id").as_int64(), task);
  EXPECT_EQ(call(caseworker, "POST", resolve, R"({"outcome":"again"})").status, 409);
  EXPECT_EQ(call(supervisor, "POST", assign, R"({"assignee":"caseworker"})").status, 409);
  EXPECT_EQ(count(fmt::format("SELECT count(*) FROM tasks WHERE id = {} AND status = 'closed' AND close_reason = "
                              "'Reached the child; safe with sponsor'",
                              task)),
            1);
  EXPECT_GE(count(fmt::format("SELECT count(*) FROM audit_log WHERE entity = 'tasks' AND entity_id = {} AND actor = "
                              "'caseworker' AND action = 'update'",
                              task)),
            1);
  EXPECT_GE(count(fmt::format("SELECT count(*) FROM audit_log WHERE entity = 'tasks' AND entity_id = {} AND actor = "
                              "'supervisor' AND action = 'update'",
                              task)),
            2);
}

TEST_P(Api, OversightReportGivesCountsPerFiscalYearAndIsAudited) {
  // The referred child is released in FY2024 with no notice served; a triage gap opened in FY2024
  // closed after 4 days, another is open and past due.
  write([&](UnitOfWork& unit) -> Status {
    ACCOMPANY_CHECK(unit.insert(CustodyEvent{0, referred_, CustodyEventKind::released_to_sponsor,
                                             instant("2024-01-10T10:00:00Z"), "shelter", sponsor_}));
    Task closed;
    closed.child_id = referred_;
    closed.rule = "welfare_call_due";
    closed.queue = "welfare";
    closed.reason = "No call yet";
    closed.opened_at = instant("2024-02-10T00:00:00Z");
    closed.due_at = instant("2024-02-12T00:00:00Z");
    closed.status = TaskStatus::closed;
    closed.closed_at = instant("2024-02-14T00:00:00Z");
    closed.close_reason = "Closed by triage";
    ACCOMPANY_CHECK(unit.insert(closed));
    Task open = closed;
    open.rule = "no_notice_90_days";
    open.queue = "court";
    open.status = TaskStatus::open;
    open.closed_at.reset();
    open.close_reason.clear();
    return unit.insert(open).has_value() ? Status{} : make_error(ErrorCode::internal, "insert failed");
  });
  Reply reply = call(as(Role::oversight), "GET", "/api/reports/oversight?by=fiscal-year");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto body = json::parse(reply.body);
  const auto& years = body.at("years").as_array();
  ASSERT_EQ(years.size(), 1u) << reply.body;
  const auto& fy = years[0].as_object();
  EXPECT_EQ(fy.at("fiscal_year").as_int64(), 2024);
  EXPECT_EQ(fy.at("released").as_int64(), 1);
  EXPECT_EQ(fy.at("without_notice_served").as_int64(), 1);
  EXPECT_EQ(fy.at("failed_to_appear").as_int64(), 0);
  EXPECT_EQ(fy.at("gaps_opened").as_int64(), 2);  // manual tasks are not gaps
  EXPECT_EQ(fy.at("gaps_closed").as_int64(), 1);
  EXPECT_DOUBLE_EQ(fy.at("median_days_to_close").as_double(), 4.0);
  EXPECT_EQ(fy.at("overdue").as_int64(), 1);
  EXPECT_EQ(body.at("as_of").as_string(), "2024-06-01T12:00:00Z");
  // Counts only: no identity of any child in the report.
  EXPECT_EQ(reply.body.find("A201234567"), std::string::npos);
  EXPECT_EQ(reply.body.find("child_id"), std::string::npos);
  EXPECT_EQ(call(as(Role::oversight), "GET", "/api/reports/oversight?by=state").status, 400);
  EXPECT_EQ(call(as(Role::caseworker), "GET", "/api/reports/oversight").status, 403);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'report_read' AND entity = 'reports' AND actor = "
                  "'oversight'"),
            1);
}

TEST_P(Api, OpenApiDocumentsEveryRouteAndOnlyThem) {
  std::set<std::string> routes, documented;
  for (const auto& route : routes_) routes.insert(route.method + " " + route.pattern);
  for (const auto& key : documented_routes()) documented.insert(key);
  for (const auto& key : routes) EXPECT_TRUE(documented.count(key)) << key << " is not documented";
  for (const auto& key : documented) EXPECT_TRUE(routes.count(key)) << key << " is documented but does not exist";
  Reply reply = testing::request(port_, "GET", "/api/openapi.json");
  ASSERT_EQ(reply.status, 200);
  auto document = json::parse(reply.body);
  EXPECT_EQ(document.at("openapi").as_string(), "3.1.0");
  for (const auto& route : routes_) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(document.at("paths").at(route.pattern).as_object().contains(method)) << route.pattern;
  }
}

TEST_P(Api, OversizedRequestsAreRefusedAndTheServerStaysUp) {
  Reply big_body = testing::request(port_, "POST", "/api/session", std::string(128 * 1024, 'x'),
                                    {{"Content-Type", "application/json"}});
  EXPECT_EQ(big_body.status, 413);
  Reply big_header = testing::request(port_, "GET", "/healthz", "", {{"X-Filler", std::string(16 * 1024, 'y')}});
  EXPECT_EQ(big_header.status, 431);
  Reply garbage = [&] {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    boost::asio::write(socket, boost::asio::buffer(std::string("NOT HTTP AT ALL\r\n\r\n")));
    std::string response(4096, '\0');
    boost::system::error_code error;
    const size_t n = socket.read_some(boost::asio::buffer(response), error);
    Reply reply;
    reply.status = response.starts_with("HTTP/1.1 400") ? 400 : 0;
    reply.body = response.substr(0, n);
    return reply;
  }();
  EXPECT_EQ(garbage.status, 400) << garbage.body;
  EXPECT_EQ(testing::request(port_, "GET", "/healthz").status, 200);
  EXPECT_EQ(testing::request(port_, "GET", "/../../etc/passwd").status, 404);
}

TEST_P(Api, SlowClientsAreCutOffWithoutHoldingUpOthers) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket slow(io);
  slow.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  const auto started = std::chrono::steady_clock::now();
  // Slow-loris: a header line at a time, never finishing the request.
  boost::asio::write(slow, boost::asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  std::thread dribble([&] {
    for (int i = 0; i < 6; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      boost::system::error_code ignored;
      boost::asio::write(slow, boost::asio::buffer(fmt::format("X-{}: y\r\n", i)), ignored);
    }
  });
  EXPECT_EQ(testing::request(port_, "GET", "/healthz").status, 200);
  char byte;
  boost::system::error_code error;
  while (!error) slow.read_some(boost::asio::buffer(&byte, 1), error);  // until the server closes it
  const auto elapsed = std::chrono::steady_clock::now() - started;
  dribble.join();
  EXPECT_LT(elapsed, std::chrono::milliseconds(2900)) << "the 2 s read deadline was not enforced";
  EXPECT_EQ(testing::request(port_, "GET", "/healthz").status, 200);
}

TEST_P(Api, SigtermDuringLoadCutsNoResponseMidWay) {
  const auto caseworker = as(Role::caseworker);
  std::atomic<bool> go{true};
  std::atomic<int> complete{0}, cut{0}, refused_before_response{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 6; ++c)
    clients.emplace_back([&] {
      testing::HttpClient client(port_);
      while (go) {
        Reply reply =
            client.send("GET", fmt::format("/api/children/{}", referred_), "", {{"Cookie", caseworker.cookie}});
        if (reply.cut)
          ++cut;
        else if (!reply.error.empty()) {
          ++refused_before_response;  // connection closed between responses: allowed
          if (reply.error.starts_with("connect")) break;
        } else if (reply.status == 200)
          ++complete;
        else
          ++cut;  // an error status under load is a failure too
      }
    });
  while (complete < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  thread_.join();  // run() returns once in-flight requests finish
  go = false;
  for (auto& client : clients) client.join();
  server_.reset();
  EXPECT_EQ(cut, 0);
  EXPECT_GE(complete, 200);
  auto verified = store_->verify_audit();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok());
}

TEST_P(Api, ServesHttpsWithSecureCookiesWhenGivenACertificate) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("accompany-tls-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  ASSERT_EQ(std::system(fmt::format("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                                    "-keyout '{}' -out '{}' -days 1 -subj /CN=localhost 2>/dev/null",
                                    key, cert)
                            .c_str()),
            0);
  stop_server();
  ApiServices services{*store_, *accounts_, metrics_, true};
  Router router;
  add_health_routes(router, *store_);
  add_api_routes(router, services);
  ServerOptions options;
  options.port = 0;
  options.io_timeout = std::chrono::seconds(2);
  options.tls_cert_file = cert;
  options.tls_key_file = key + ".missing";
  {
    Server refused(options, Router{});
    auto port = refused.listen();
    ASSERT_FALSE(port);
    EXPECT_NE(port.error().describe().find("--tls-key"), std::string::npos) << port.error().describe();
  }
  options.tls_key_file = key;
  Server server(options, std::move(router));
  auto port = server.listen();
  ASSERT_TRUE(port) << port.error().describe();
  std::thread runner([&] { server.run(); });
  EXPECT_EQ(testing::tls_request(*port, "GET", "/healthz").status, 200);
  Reply signed_in = testing::tls_request(*port, "POST", "/api/session", body_for("POST /api/session"),
                                         {{"Content-Type", "application/json"}});
  EXPECT_EQ(signed_in.status, 200) << signed_in.error;
  EXPECT_NE(signed_in.header("set-cookie").find("; Secure"), std::string::npos) << signed_in.header("set-cookie");
  // Plain HTTP to the HTTPS port gets no HTTP answer, and the server carries on.
  EXPECT_EQ(testing::request(*port, "GET", "/healthz").status, 0);
  EXPECT_EQ(testing::tls_request(*port, "GET", "/healthz").status, 200);
  server.request_stop();
  runner.join();
  std::filesystem::remove_all(dir);
}

// Reads server-sent events from a raw socket until `until` appears (or 5 s pass).
class EventReader {
 public:
  EventReader(unsigned short port, const std::string& cookie, const std::string& target) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    const std::string request = fmt::format(
        "GET {} HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\nAccept: text/event-stream\r\n\r\n", target, cookie);
    boost::asio::write(socket_, boost::asio::buffer(request));
  }
  std::string read_until(const std::string& until) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    socket_.non_blocking(true);
    while (received_.find(until) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      char buffer[4096];
      boost::system::error_code error;
      const size_t n = socket_.read_some(boost::asio::buffer(buffer), error);
      if (error == boost::asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (error) break;
      received_.append(buffer, n);
    }
    return received_;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string received_;
};

TEST_P(Api, ARingingCallPopsTheCallersHistoryOnTheAgentsDesk) {
  const auto agent = as(Role::contact_center_agent);
  const auto pbx = as(Role::telephony);
  // An earlier contact from this number, about the referred child.
  Reply recorded = call(agent, "POST", "/api/contacts",
                        fmt::format(R"({{"channel":"phone","caller_type":"sponsor","category":"runaway",)"
                                    R"("sub_category":"left_sponsor","language":"spa","caller_number":"(202) 555-0143",)"
                                    R"("child_ids":[{}],"details":{{"last_seen":"bus station"}}}})",
                                    referred_));
  ASSERT_EQ(recorded.status, 201) << recorded.body;
  auto contact = json::parse(recorded.body).as_object();
  EXPECT_EQ(contact.at("caller_number").as_string(), "+12025550143");
  EXPECT_EQ(contact.at("recorded_by").as_string(), "contact_center_agent");
  ASSERT_EQ(contact.at("follow_ups").as_array().size(), 1u);
  EXPECT_EQ(contact.at("follow_ups").as_array()[0].at("queue").as_string(), "safety");

  EventReader desk(port_, agent.cookie, "/api/agent/desk");
  ASSERT_NE(desk.read_until("event: desk").find("text/event-stream"), std::string::npos);
  const std::string ringing =
      R"({"event":"ringing","call_id":"pop-1","timestamp":"2024-06-01T11:59:58.125Z","caller_number":"+1 202 555 0143","queue":"safety","agent":"contact_center_agent"})";
  Reply posted = call(pbx, "POST", "/api/cti/events", ringing);
  ASSERT_EQ(posted.status, 201) << posted.body;
  EXPECT_TRUE(json::parse(posted.body).at("popped").as_bool());
  const std::string events = desk.read_until("event: pop");
  const auto at = events.find("event: pop\ndata: ");
  ASSERT_NE(at, std::string::npos) << events;
  const auto line = events.substr(at + 17, events.find('\n', at + 17) - at - 17);
  auto pop = json::parse(line).as_object();
  EXPECT_EQ(pop.at("timestamp").as_string(), "2024-06-01T11:59:58.125Z");
  ASSERT_EQ(pop.at("previous_contacts").as_array().size(), 1u);
  ASSERT_EQ(pop.at("children").as_array().size(), 1u);
  EXPECT_EQ(pop.at("children").as_array()[0].at("id").as_int64(), referred_);
  // The pop's reads are audited as reads of the child's record.
  EXPECT_GE(count(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'read' AND entity = 'children' AND "
                              "entity_id = {} AND fields LIKE '%screen pop for contact_center_agent%'",
                              referred_)),
            1);

  // A retried event is acknowledged once and pops nothing new.
  Reply retried = call(pbx, "POST", "/api/cti/events", ringing);
  EXPECT_EQ(retried.status, 200) << retried.body;
  EXPECT_TRUE(json::parse(retried.body).at("duplicate").as_bool());
  EXPECT_EQ(count("SELECT count(*) FROM calls WHERE call_id = 'pop-1'"), 1);
  // Agents cannot post events; a PBX cannot read the desk.
  EXPECT_EQ(call(agent, "POST", "/api/cti/events", ringing).status, 403);
  EXPECT_EQ(call(pbx, "GET", "/api/agent/desk").status, 403);

  // The wallboard sees the call waiting, in the safety queue.
  Reply board = call(as(Role::supervisor), "GET", "/api/wallboard");
  ASSERT_EQ(board.status, 200) << board.body;
  auto figures = json::parse(board.body).as_object();
  EXPECT_EQ(figures.at("calls_waiting").as_int64(), 1);
  EXPECT_EQ(figures.at("contacts_by_category").at("runaway").as_int64(), 1);
}

TEST_P(Api, TheStaffingCalculatorAnswersTheTextbookExample) {
  Reply reply = call(as(Role::supervisor), "GET",
                     "/api/contact-center/staffing?calls=100&interval_seconds=1800&handle_seconds=180&max_occupancy=1");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto result = json::parse(reply.body).as_object();
  EXPECT_EQ(result.at("agents").as_int64(), 14);
  EXPECT_NEAR(result.at("load_erlangs").as_double(), 10.0, 1e-9);
  EXPECT_EQ(call(as(Role::supervisor), "GET", "/api/contact-center/staffing?handle_seconds=-3").status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, Api, ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace accompany

// The JSON API: every route with its access policy, the gate that checks those policies (the
// one place), /metrics and /api/openapi.json. Handlers speak Request/Response, never Beast.
// Every read of a child's record appends an audit entry (who, which record, which fields, why)
// in the same transaction as the read. Thread-safe: handlers share nothing but the store.
#pragma once

#include "access/accounts.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/store.h"

namespace accompany {

struct ApiServices {
  Store& store;
  Accounts& accounts;
  Metrics& metrics;
  bool secure_cookies = false;  // set the cookie's Secure attribute (the server speaks TLS)
};

inline constexpr const char* kSessionCookie = "accompany_session";

// Adds /metrics, the session routes and the /api routes, and installs the gate and metrics.
void add_api_routes(Router& router, ApiServices& services);

// Groups of routes, each in its own src/http/<area>_routes.cpp; add_api_routes calls them all.
void add_task_routes(Router& router, ApiServices& services);
void add_report_routes(Router& router, ApiServices& services);
void add_review_routes(Router& router, ApiServices& services);
void add_search_routes(Router& router, ApiServices& services);
void add_quarantine_routes(Router& router, ApiServices& services);
void add_case_update_routes(Router& router, ApiServices& services);
void add_contact_center_routes(Router& router, ApiServices& services);

// The OpenAPI 3.1 document for the router's routes (served at /api/openapi.json).
std::string openapi_document(const Router& router);
// Routes the OpenAPI document describes by hand ("GET /api/children/{id}"), for the test that
// checks every route is documented and every documented route exists.
std::vector<std::string> documented_routes();

}  // namespace accompany

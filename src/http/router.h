// Routes as data: method, path pattern (with {parameters}), the access policy and a handler.
// The router checks every route's policy in one place, through the gate, before its handler
// runs; a route with no declared policy is refused (and fails the authorization-matrix test).
// Thread-safe once built: dispatch may run on many threads at once.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/metrics.h"
#include "security/accounts.h"

namespace accompany {

struct Policy {
  enum class Kind { undeclared, open, signed_in, permission };
  Kind kind = Kind::undeclared;
  std::string_view permission;  // for Kind::permission
  bool child_scoped = false;    // the {id} parameter names a child; referral-scoped roles need access to it

  static Policy open_to_all() { return {Kind::open, {}, false}; }
  static Policy signed_in() { return {Kind::signed_in, {}, false}; }
  static Policy needs(std::string_view name, bool child_scoped = false) {
    return {Kind::permission, name, child_scoped};
  }
};

struct RequestContext {
  const Request& request;
  std::map<std::string, std::string> params;  // from {name} segments
  std::optional<Principal> principal;         // set by the gate for routes that are not open

  // The {name} parameter as a positive record id, or an error naming it.
  Result<Id> id_param(const std::string& name = "id") const;
  const Principal& who() const { return *principal; }
};

using Handler = std::function<Response(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/children/{id}"
  Policy policy;
  std::string summary;  // one line, also the OpenAPI summary
  Handler handler;
  std::vector<std::string> segments;
};

// Authenticates the caller and checks the route's policy: returns the response to send
// instead of running the handler (401, 403 ...), or nothing to let it run.
using Gate = std::function<std::optional<Response>(const Route&, RequestContext&)>;

class Router {
 public:
  void add(std::string method, std::string pattern, Policy policy, std::string summary, Handler handler);
  void set_gate(Gate gate) { gate_ = std::move(gate); }
  void set_metrics(Metrics* metrics) { metrics_ = metrics; }
  // GET and HEAD of a path no route matches, outside /api/, go here: the web UI's files,
  // which are public (the app's code, never case data), so they need no policy.
  void set_fallback(std::function<Response(const Request&)> fallback) { fallback_ = std::move(fallback); }

  // 404 for an unknown path, 405 (with Allow) for a known path and another method.
  Response dispatch(const Request& request) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  Response run(const Request& request) const;

  std::vector<Route> routes_;
  Gate gate_;
  Metrics* metrics_ = nullptr;
  std::function<Response(const Request&)> fallback_;
};

}  // namespace accompany

// The request and response handlers see: plain structs, so that handlers never include Beast
// (server.cpp converts at the edge). Not thread-safe; each request is handled on one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "http/event_stream.h"

namespace accompany {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST" ...
  std::string target;  // as sent: "/api/children?limit=10"
  std::string path;    // the target's path, percent-decoded: "/api/children"
  HeaderList query;    // decoded query parameters, in order
  HeaderList headers;  // header names in lower case
  std::string body;
  std::string client_address;  // the peer's IP address
  bool secure = false;         // arrived over TLS

  // Splits `target` into path and query; fails on a target that is not an origin-form URL.
  Status set_target(std::string_view target);
  std::optional<std::string_view> header(std::string_view lower_case_name) const;
  std::optional<std::string> query_value(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // POST, PUT, PATCH, DELETE: methods that change something and so need a CSRF token.
  bool unsafe() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  HeaderList headers;  // besides Content-Type and Content-Length
  std::string body;
  std::string route;  // the matched route's pattern, for metrics; set by the router
  // Set: a server-sent events stream (text/event-stream). The server writes the status and
  // headers, then each event as it is queued, until either side closes; `body` is not sent.
  std::shared_ptr<EventStream> events;
};

// A JSON response; `body` must already be serialized JSON.
Response json_response(int status, std::string body);
// An RFC 9457 problem+json response; `detail` tells the person reading it what to do.
Response problem_response(int status, std::string_view title, std::string_view detail);
// The problem response for an Error: 400 invalid, 404 not found, 409 conflict, 403 denied, 503, 500.
Response error_response(const Error& error);

}  // namespace accompany

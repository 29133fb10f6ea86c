#include "http/router.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>

namespace accompany {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 1;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    segments.emplace_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return segments;
}

bool is_parameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches `path` against a pattern's segments; fills `params` on success.
bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (is_parameter(pattern[i])) {
      if (path[i].empty()) return false;
      found[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

Result<Id> RequestContext::id_param(const std::string& name) const {
  auto found = params.find(name);
  if (found == params.end()) return make_error(ErrorCode::internal, "route has no parameter " + name);
  Id id = 0;
  const auto& text = found->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
    return make_error(ErrorCode::not_found,
                      fmt::format("there is no record with id '{}'; ids are positive numbers", text));
  return id;
}

void Router::add(std::string method, std::string pattern, Policy policy, std::string summary, Handler handler) {
  Route route{std::move(method), std::move(pattern), policy, std::move(summary), std::move(handler), {}};
  route.segments = split_path(route.pattern);
  routes_.push_back(std::move(route));
}

Response Router::dispatch(const Request& request) const {
  const auto started = std::chrono::steady_clock::now();
  Response response = run(request);
  if (metrics_)
    metrics_->observe_request(response.route.empty() ? "unmatched" : response.route, response.status,
                              std::chrono::steady_clock::now() - started);
  return response;
}

Response Router::run(const Request& request) const {
  const auto path = split_path(request.path);
  std::string allow;
  const Route* chosen = nullptr;
  std::map<std::string, std::string> params;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> found;
    if (!match(route.segments, path, found)) continue;
    if (route.method == request.method) {
      chosen = &route;
      params = std::move(found);
      break;
    }
    allow += (allow.empty() ? "" : ", ") + route.method;
  }
  if (!chosen) {
    const bool readable = request.method == "GET" || request.method == "HEAD";
    if (allow.empty() && fallback_ && readable && !request.path.starts_with("/api/")) {
      auto response = fallback_(request);
      response.route = "static";
      return response;
    }
    if (allow.empty()) return problem_response(404, "Not found", fmt::format("There is no page at {}.", request.path));
    auto response =
        problem_response(405, "Method not allowed", fmt::format("{} accepts {} only.", request.path, allow));
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  RequestContext context{request, std::move(params), std::nullopt};
  Response response = [&]() -> Response {
    switch (chosen->policy.kind) {
      case Policy::Kind::undeclared:
        spdlog::error("route {} {} has no access policy; refusing it", chosen->method, chosen->pattern);
        return problem_response(500, "Internal error", "This page has no access policy and is switched off.");
      case Policy::Kind::open:
        break;
      case Policy::Kind::signed_in:
      case Policy::Kind::permission:
        if (!gate_) return problem_response(500, "Internal error", "Sign-in is not configured on this server.");
        if (auto refused = gate_(*chosen, context)) return std::move(*refused);
        break;
    }
    return chosen->handler(context);
  }();
  response.route = chosen->method + " " + chosen->pattern;
  return response;
}

}  // namespace accompany

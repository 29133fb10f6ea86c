#include "http/message.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace accompany {

Status Request::set_target(std::string_view raw) {
  target = std::string(raw);
  auto parsed = boost::urls::parse_origin_form(raw);
  if (!parsed) return invalid("target", raw, "not a valid request path");
  path = std::string(parsed->path());
  query.clear();
  for (auto param : parsed->params()) query.emplace_back(param.key, param.has_value ? param.value : std::string());
  return {};
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return std::string_view(value);
  return std::nullopt;
}

std::optional<std::string> Request::query_value(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return value;
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto end = rest.find(';');
      std::string_view pair = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == name)
        return std::string(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

bool Request::unsafe() const {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response problem_response(int status, std::string_view title, std::string_view detail) {
  boost::json::object problem{{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  Response response = json_response(status, boost::json::serialize(problem));
  response.content_type = "application/problem+json";
  return response;
}

Response error_response(const Error& error) {
  switch (error.code) {
    case ErrorCode::invalid_argument:
      return problem_response(400, "Invalid request", error.describe());
    case ErrorCode::not_found:
      return problem_response(404, "Not found", error.describe());
    case ErrorCode::conflict:
      return problem_response(409, "Conflict", error.describe());
    case ErrorCode::permission_denied:
      return problem_response(403, "Forbidden", error.describe());
    case ErrorCode::unavailable:
      return problem_response(503, "Unavailable", "The database is not reachable right now; try again shortly.");
    default:
      return problem_response(500, "Internal error", "The server failed to handle this request; it has been logged.");
  }
}

}  // namespace accompany

#include "http/healthz.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/build_info.h"

namespace accompany {

void add_health_routes(Router& router, const Store& store) {
  // The answer never changes while the server runs, so it is built once.
  const std::string body = boost::json::serialize(boost::json::object{
      {"status", "ok"},
      {"store", {{"backend", to_string(store.dialect())}, {"schema_version", store.schema_version()}}},
      {"build", {{"version", kBuildVersion}, {"commit", kBuildCommit}}}});
  router.add(boost::beast::http::verb::get, "/healthz", [body](const HttpRequest& request) {
    return json_response(request, boost::beast::http::status::ok, body);
  });
}

}  // namespace accompany

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
  router.add("GET", "/healthz", Policy::open_to_all(), "Is the server up, on which store and schema",
             [body](RequestContext&) { return json_response(200, body); });
}

}  // namespace accompany

// GET /healthz: is the server up, which store it uses, at which schema, which build.
#pragma once

#include "http/router.h"
#include "store/store.h"

namespace accompany {

void add_health_routes(Router& router, const Store& store);

}  // namespace accompany

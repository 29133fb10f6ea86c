// Aggregate report routes: counts per fiscal year, never a child's identity. Reading one is
// still recorded in the audit trail (who looked at the oversight figures, and why).
#include <fmt/format.h>

#include <boost/json/value.hpp>
#include <memory>

#include "http/api_support.h"
#include "report/oversight_cache.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

json::object oversight_json(const OversightRow& row) {
  return {{"fiscal_year", row.fiscal_year},
          {"released", row.released},
          {"without_notice_served", row.without_notice_served},
          {"failed_to_appear", row.failed_to_appear},
          {"address_defects", row.address_defects},
          {"unreachable_at_follow_up", row.unreachable_at_follow_up},
          {"gaps_opened", row.gaps_opened},
          {"gaps_closed", row.gaps_closed},
          {"median_days_to_close", row.median_days_to_close ? json::value(*row.median_days_to_close) : json::value()},
          {"overdue", row.overdue}};
}

}  // namespace

void add_report_routes(Router& router, ApiServices& services) {
  auto cache = std::make_shared<OversightCache>();
  router.add(
      "GET", "/api/reports/oversight", Policy::needs(report_read),
      "Per fiscal year of release: the inspector general's measures and the follow-through on gaps "
      "(counts only)",
      fallible([&services, cache](RequestContext& context) -> Result<Response> {
        ACCOMPANY_CHECK(only_known_query(context.request, {"by"}));
        if (auto by = context.request.query_value("by"); by && *by != "fiscal-year")
          return invalid("by", *by, "the report is grouped by fiscal-year (1 October to 30 September)");
        const Timestamp now = services.store.clock().now();
        std::vector<OversightRow> rows;
        // One snapshot: the cache catches up with the writes it holds (docs/triage.md), and the
        // read of the report is recorded; the answer waits until that entry is committed.
        ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
          ACCOMPANY_TRY(counted, cache->rows(unit, now));
          rows = std::move(counted);
          return unit.record_event("report_read", "reports", 1, "oversight by fiscal-year");
        }));
        json::array years;
        for (const auto& row : rows) years.push_back(oversight_json(row));
        return ok(json::object{{"by", "fiscal-year"}, {"as_of", format_timestamp(now)}, {"years", std::move(years)}});
      }));
}

}  // namespace accompany

// What every group of API routes shares: turning Result into problem+json, audited and timed
// store access, JSON bodies, strict query parameters and id-cursor paging. Route files
// (src/http/*_routes.cpp) use these; none keeps its own copy.
#pragma once

#include <fmt/format.h>

#include <boost/json/value.hpp>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/api.h"
#include "store/entity_tables.h"

namespace accompany {

using Fallible = std::function<Result<Response>(RequestContext&)>;

// Handlers written with ACCOMPANY_TRY return Result<Response>; an error becomes problem+json.
Handler fallible(Fallible handler);

Response ok(boost::json::value value, int status = 200);

// The purpose stated with the request (X-Purpose), else the role's everyday purpose.
std::string purpose_of(const RequestContext& context);

// One audited transaction as the signed-in user, timed for /metrics.
Status audited(ApiServices& services, const RequestContext& context, const std::function<Status(UnitOfWork&)>& work,
               std::optional<std::string> purpose = std::nullopt);

// An audited read as the signed-in user: the read runs without the write lock and its audit
// entries are group-committed with concurrent reads; returns once they are committed, so the
// handler never answers before its read is in the chain. `work` cannot write rows.
Status audited_read(ApiServices& services, const RequestContext& context,
                    const std::function<Status(UnitOfWork&)>& work, std::optional<std::string> purpose = std::nullopt);

// A read that touches no child's record (accounts, policies), timed for /metrics.
Status timed_read(ApiServices& services, const std::function<Status(SqlConnection&)>& read);

// Refuses (403) unless the signed-in user may see `child_id` (access/accounts.h,
// child_visible: caseworkers their assigned children, legal partners their referred ones).
// `what` names the record asked for, e.g. "contact 12"; the refusal does not say whether it
// exists.
Status require_child_visible(UnitOfWork& unit, const RequestContext& context, Id child_id, std::string_view what);
// Whether the signed-in user sees only some children (and so needs the checks above).
bool sees_some_children_only(const RequestContext& context);

Result<boost::json::value> json_body(const Request& request);

Error not_found(std::string_view what, Id id);

// Query parameters the route documents; anything else is refused so a typo is not ignored.
Status only_known_query(const Request& request, std::initializer_list<std::string_view> known);

struct Page {
  Id after = 0;
  std::int64_t limit = 50;
};

Result<Page> page_of(const Request& request);

std::string columns_of(const TableSpec& table, std::string_view alias = "");

// Runs a paged query: `where` holds conditions with $2.. placeholders ($1 is the cursor).
template <class T>
Result<std::pair<std::vector<T>, std::optional<Id>>> paged(SqlConnection& sql, const std::string& where,
                                                           std::vector<SqlValue> filters, const Page& page) {
  // Built front to back (not insert at begin(), which GCC 12 warns about spuriously).
  std::vector<SqlValue> params;
  params.reserve(filters.size() + 2);
  params.emplace_back(page.after);
  for (auto& filter : filters) params.push_back(std::move(filter));
  params.emplace_back(page.limit + 1);
  const auto& table = EntityTable<T>::spec();
  const std::string query = fmt::format("SELECT {} FROM {} WHERE id > $1{} ORDER BY id LIMIT ${}", columns_of(table),
                                        table.name, where, params.size());
  ACCOMPANY_TRY(rows, sql.query(query, params));
  std::vector<T> records;
  std::optional<Id> next;
  for (const auto& row : rows) {
    if (static_cast<std::int64_t>(records.size()) == page.limit) {
      next = records.back().id;
      break;
    }
    ACCOMPANY_TRY(record, EntityTable<T>::from_row(row));
    records.push_back(std::move(record));
  }
  return std::make_pair(std::move(records), next);
}

boost::json::object page_json(boost::json::array items, std::optional<Id> next);

}  // namespace accompany

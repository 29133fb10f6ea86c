// The worklist routes: tasks by queue, status and assignee in worklist order (urgent first, then
// by due time), assignment and resolution.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/value.hpp>
#include <charconv>

#include "http/api_support.h"
#include "http/records_json.h"
#include "security/permissions.h"
#include "triage/triage_store.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

// Worklist order: urgent first, then by due time; the id breaks ties so paging is stable.
constexpr std::string_view kTaskRank =
    "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END";

std::int64_t task_rank(TaskPriority priority) {
  switch (priority) {
    case TaskPriority::urgent:
      return 0;
    case TaskPriority::high:
      return 1;
    case TaskPriority::normal:
      return 2;
    case TaskPriority::low:
      return 3;
  }
  return 3;
}

// A task list's cursor names the last row shown: "<rank>_<id>_<due_at>".
struct TaskCursor {
  std::int64_t rank = 0;
  Id id = 0;
  std::string due_at;
};

struct TaskPage {
  std::optional<TaskCursor> after;
  std::int64_t limit = 50;
};

std::string task_cursor(const Task& task) {
  return fmt::format("{}_{}_{}", task_rank(task.priority), task.id, format_timestamp(task.due_at));
}

Result<TaskPage> task_page_of(const Request& request) {
  TaskPage page;
  if (auto cursor = request.query_value("cursor"); cursor && !cursor->empty()) {
    const std::string_view text = *cursor;
    const auto refuse = [&] { return invalid("cursor", text, "use the next_cursor value of the previous page"); };
    const auto first = text.find('_');
    const auto second = first == std::string_view::npos ? first : text.find('_', first + 1);
    if (second == std::string_view::npos) return refuse();
    TaskCursor after;
    auto [rank_end, rank_ec] = std::from_chars(text.data(), text.data() + first, after.rank);
    auto [id_end, id_ec] = std::from_chars(text.data() + first + 1, text.data() + second, after.id);
    if (rank_ec != std::errc() || rank_end != text.data() + first || id_ec != std::errc() ||
        id_end != text.data() + second || after.rank < 0 || after.rank > 3 || after.id < 1)
      return refuse();
    auto due = parse_timestamp("cursor", std::string(text.substr(second + 1)));
    if (!due) return refuse();
    after.due_at = format_timestamp(*due);
    page.after = std::move(after);
  }
  if (auto limit = request.query_value("limit")) {
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), page.limit);
    if (ec != std::errc() || end != limit->data() + limit->size() || page.limit < 1 || page.limit > 200)
      return invalid("limit", *limit, "use a number from 1 to 200");
  }
  return page;
}

// A worklist row: the task with its Spanish reason (when written) and whether it is overdue now.
json::object worklist_row(const Task& task, Timestamp now) {
  json::object row = to_json(task);
  if (!task.reason_es.empty()) row["reason_es"] = task.reason_es;
  row["overdue"] = task.overdue(now);
  return row;
}

// Who may be given a task: active accounts of people whose role can resolve tasks.
Result<std::vector<User>> assignees(ApiServices& services) {
  ACCOMPANY_TRY(users, services.accounts.list());
  std::erase_if(users,
                [](const User& user) { return user.disabled || user.service || !role_has(user.role, task_resolve); });
  return users;
}

}  // namespace

void add_task_routes(Router& router, ApiServices& services) {
  router.add("GET", "/api/assignees", Policy::needs(task_assign),
             "The people a task can be assigned to (name and role only)",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(people, assignees(services));
               json::array items;
               for (const auto& user : people)
                 items.push_back(json::object{{"name", user.name}, {"role", enum_name(kRoleNames, user.role)}});
               return ok(json::object{{"items", std::move(items)}});
             }));
  router.add("GET", "/api/tasks", Policy::needs(task_read),
             "Tasks, filtered by queue, status and assignee; urgent first, then by due time",
             fallible([&services](RequestContext& context) -> Result<Response> {
               const auto& request = context.request;
               ACCOMPANY_CHECK(only_known_query(request, {"queue", "status", "assignee", "cursor", "limit"}));
               ACCOMPANY_TRY(page, task_page_of(request));
               std::string where;
               std::vector<SqlValue> params;
               for (const char* column : {"queue", "status", "assignee"})
                 if (auto value = request.query_value(column)) {
                   // assignee=me: the signed-in user's own worklist ("my tasks").
                   const bool me = std::string_view(column) == "assignee" && *value == "me";
                   params.emplace_back(me ? context.who().name : std::string(*value));
                   where += fmt::format(" AND {} = ${}", column, params.size());
                 }
               // Caseworkers see the tasks of the children assigned to them (and their own tasks
               // about no child); nothing about any other child.
               if (sees_some_children_only(context)) {
                 const std::string scope =
                     child_scope_condition(context.who(), "child_id", params, services.store.clock().now());
                 params.emplace_back(context.who().name);
                 where += fmt::format(" AND ((child_id IS NOT NULL{}) OR (child_id IS NULL AND assignee = ${}))", scope,
                                      params.size());
               }
               if (page.after) {
                 params.emplace_back(page.after->rank);
                 const auto rank = params.size();
                 params.emplace_back(page.after->due_at);
                 const auto due = params.size();
                 params.emplace_back(page.after->id);
                 where += fmt::format(
                     " AND ({0} > ${1} OR ({0} = ${1} AND due_at > ${2}) OR ({0} = ${1} AND due_at = "
                     "${2} AND id > ${3}))",
                     kTaskRank, rank, due, params.size());
               }
               params.emplace_back(page.limit + 1);
               const auto& table = EntityTable<Task>::spec();
               const std::string query =
                   fmt::format("SELECT {} FROM tasks WHERE 1 = 1{} ORDER BY {}, due_at, id LIMIT ${}",
                               columns_of(table), where, kTaskRank, params.size());
               json::array items;
               std::optional<std::string> next;
               ACCOMPANY_CHECK(audited_read(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(rows, unit.sql().query(query, params));
                 const Timestamp now = unit.now();
                 std::int64_t shown = 0;
                 for (const auto& row : rows) {
                   ACCOMPANY_TRY(task, EntityTable<Task>::from_row(row));
                   if (shown == page.limit) break;
                   if (++shown == page.limit && rows.size() > static_cast<size_t>(page.limit)) next = task_cursor(task);
                   items.push_back(worklist_row(task, now));
                   if (task.child_id)
                     ACCOMPANY_CHECK(unit.record_read("children", *task.child_id, fmt::format("task {}", task.id)));
                 }
                 return {};
               }));
               return ok(json::object{{"items", std::move(items)},
                                      {"next_cursor", next ? json::value(*next) : json::value()}});
             }));
  router.add("POST", "/api/tasks/{id}/assign", Policy::needs(task_assign),
             "Assign or reassign an open task to a person; an empty assignee unassigns it",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"assignee\": \"name\"} (empty to unassign)");
               if (!body.get_object().contains("assignee"))
                 return invalid("assignee", "", "name the person, or send \"\" to unassign");
               ACCOMPANY_TRY(assignee, string_member(body.get_object(), "assignee", false));
               if (!assignee.empty()) {
                 ACCOMPANY_TRY(people, assignees(services));
                 const auto found = std::find_if(people.begin(), people.end(),
                                                 [&](const User& user) { return user.name == assignee; });
                 if (found == people.end())
                   return invalid("assignee", assignee, "name an active account whose role can resolve tasks");
               }
               json::object out;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(task, unit.find<Task>(id));
                 if (!task) return not_found("task", id);
                 ACCOMPANY_TRY(assigned, assign_task(unit, id, assignee));
                 out = worklist_row(assigned, unit.now());
                 return {};
               }));
               return ok(std::move(out));
             }));
  router.add("POST", "/api/tasks/{id}/resolve", Policy::needs(task_resolve),
             "Resolve an open task, recording its outcome",
             fallible([&services](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"outcome\": \"what was done\"}");
               ACCOMPANY_TRY(outcome, string_member(body.get_object(), "outcome", true));
               if (outcome.find_first_not_of(" \t\r\n") == std::string::npos)
                 return invalid("outcome", outcome, "resolving a task records its outcome");
               json::object out;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(task, unit.find<Task>(id));
                 if (sees_some_children_only(context)) {
                   if (task && task->child_id)
                     ACCOMPANY_CHECK(require_child_visible(unit, context, *task->child_id, fmt::format("task {}", id)));
                   else if (!task || task->assignee != context.who().name)
                     return make_error(ErrorCode::permission_denied,
                                       fmt::format("task {} is not assigned to you", id));
                 }
                 if (!task) return not_found("task", id);
                 ACCOMPANY_TRY(resolved, resolve_task(unit, id, outcome));
                 out = worklist_row(resolved, unit.now());
                 return {};
               }));
               return ok(std::move(out));
             }));
}

}  // namespace accompany

// Updates a case needs after it is recorded: a child's languages and interpreter need, and an
// address confirmed, found invalid or undeliverable. Each is an audited write, and the child's
// tasks are re-evaluated in the same transaction (incremental re-triage), so a fixed language
// or a confirmed address opens or closes its tasks at once.
#include <fmt/format.h>

#include <boost/json/value.hpp>
#include <mutex>

#include "http/api_support.h"
#include "http/records_json.h"
#include "security/permissions.h"
#include "triage/triage_store.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

// The built-in rules and the cross-case index (shared sponsors and addresses) incremental
// re-triage needs. The index is loaded from the store on the first update and then kept current
// by each re-triage; a full `accompany triage` run reconciles anything written elsewhere since.
class Retriage {
 public:
  Result<TaskPlan> run(UnitOfWork& unit, Id child_id) {
    std::lock_guard lock(mutex_);
    if (!rules_) {
      ACCOMPANY_TRY(rules, builtin_rule_set());
      ACCOMPANY_TRY(population, load_population(unit.sql()));
      index_ = build_index(population);
      rules_ = std::move(rules);
    }
    return retriage_child(unit, *rules_, index_, child_id);
  }

 private:
  std::mutex mutex_;
  std::optional<RuleSet> rules_;  // guarded by mutex_
  CaseIndex index_;               // guarded by mutex_
};

Status only_members(const json::object& object, std::initializer_list<std::string_view> allowed) {
  for (const auto& member : object) {
    bool known = false;
    for (auto name : allowed) known = known || member.key() == name;
    if (!known) {
      std::string list;
      for (auto name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
      return invalid(std::string(member.key()), "", "cannot be changed here; send only " + list);
    }
  }
  return {};
}

json::object tasks_json(const TaskPlan& plan) {
  json::array opened, closed;
  for (const auto& task : plan.to_open) opened.emplace_back(task.rule);
  for (const auto& task : plan.to_close) closed.emplace_back(task.rule);
  return {{"opened", std::move(opened)}, {"closed", std::move(closed)}};
}

}  // namespace

void add_case_update_routes(Router& router, ApiServices& services) {
  auto retriage = std::make_shared<Retriage>();
  router.add("PATCH", "/api/children/{id}", Policy::needs(child_write, true),
             "Change a child's languages or interpreter need (re-triages the child)",
             fallible([&services, retriage](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object() || body.get_object().empty())
                 return invalid("body", "", "send {\"languages\": [...], \"interpreter_needed\": true|false}");
               ACCOMPANY_CHECK(only_members(body.get_object(), {"languages", "interpreter_needed"}));
               json::object out;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(found, unit.find<Child>(id));
                 if (!found) return not_found("child", id);
                 Child child = std::move(*found);
                 ACCOMPANY_CHECK(read_language_fields(body.get_object(), child));
                 ACCOMPANY_TRY(normalized, Child::create(std::move(child), unit.today()));
                 ACCOMPANY_CHECK(unit.update(normalized));
                 ACCOMPANY_TRY(plan, retriage->run(unit, id));
                 out = to_json(normalized);
                 out["tasks"] = tasks_json(plan);
                 return {};
               }));
               return ok(std::move(out));
             }));
  router.add("PATCH", "/api/addresses/{id}", Policy::needs(address_write),
             "Confirm an address, or mark it invalid, undeliverable or missing its unit (re-triages the child)",
             fallible([&services, retriage](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(id, context.id_param());
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"status\": \"verified\"} or another status");
               ACCOMPANY_CHECK(only_members(body.get_object(), {"status"}));
               ACCOMPANY_TRY(status_text, string_member(body.get_object(), "status", true));
               ACCOMPANY_TRY(status, parse_enum(kAddressStatusNames, "status", status_text));
               json::object out;
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 ACCOMPANY_TRY(found, unit.find<Address>(id));
                 if (sees_some_children_only(context)) {
                   if (!found)
                     return make_error(ErrorCode::permission_denied,
                                       fmt::format("address {} is not the address of a child you can see", id));
                   ACCOMPANY_CHECK(require_child_visible(unit, context, found->child_id, fmt::format("address {}", id)));
                 }
                 if (!found) return not_found("address", id);
                 Address address = std::move(*found);
                 address.status = status;
                 // Confirming is what a caseworker's visit or call does: it dates the confirmation.
                 if (status == AddressStatus::verified) {
                   if (!address.first_confirmed) address.first_confirmed = unit.today();
                   address.last_confirmed = unit.today();
                 }
                 ACCOMPANY_CHECK(unit.update(address));
                 ACCOMPANY_TRY(plan, retriage->run(unit, address.child_id));
                 out = to_json(address);
                 out["tasks"] = tasks_json(plan);
                 return {};
               }));
               return ok(std::move(out));
             }));
}

}  // namespace accompany

// Triage against the store: load every case in bulk, evaluate, and write only the differences
// (task opens and closes) through UnitOfWork so each change is audited. Also the incremental
// path for one child after a write, for the API and the importer to call.
#pragma once

#include <functional>
#include <unordered_map>
#include <vector>

#include "store/store.h"
#include "triage/case_file.h"
#include "triage/rule_set.h"
#include "triage/task_plan.h"

namespace accompany {

// Every case in the store, loaded with one query per table.
struct Population {
  std::vector<CaseFile> cases;              // by child id
  std::unordered_map<Id, size_t> by_child;  // child id -> position in `cases`
  std::vector<Task> closed_tasks;           // only when asked for (the oversight report)
};
Result<Population> load_population(SqlConnection& sql, bool with_closed_tasks = false);

// One child's case, read inside a unit of work (for incremental re-triage).
Result<CaseFile> load_case(UnitOfWork& unit, Id child_id);

// Records the rule set in the audit log when its digest differs from the last one recorded.
// Returns true when it recorded a change.
Result<bool> record_rule_set(UnitOfWork& unit, const RuleSet& rules);

struct TriageSummary {
  std::int64_t cases = 0;
  std::int64_t opened = 0;
  std::int64_t closed = 0;
  std::int64_t unchanged = 0;
  double seconds = 0;
  double load_seconds = 0;      // reading every case
  double evaluate_seconds = 0;  // index, rules and plans
  double write_seconds = 0;     // the audited task changes
  bool rules_changed = false;
};

// cases done, cases in all; called now and then while the run goes.
using Progress = std::function<void(std::int64_t, std::int64_t)>;

// Re-evaluates every case (on every core) and writes the differences, about `batch` task
// changes per transaction (a child's changes are never split across transactions).
Result<TriageSummary> run_triage(Store& store, const RuleSet& rules, const AuditContext& context,
                                 const Progress& progress = {}, size_t batch = 20000);

// Applies one child's task plan in `unit`; returns the plan applied.
Result<TaskPlan> apply_plan(UnitOfWork& unit, const TaskPlan& plan);

// Incremental re-triage of one child after a write, inside the writer's unit of work: reloads
// the child's case, updates `index`, and re-evaluates the child and any other child whose
// shared-sponsor or shared-address count changed. `index` must have been built from the store
// (build_index) and is kept current by this call.
Result<TaskPlan> retriage_child(UnitOfWork& unit, const RuleSet& rules, CaseIndex& index, Id child_id);

CaseIndex build_index(const Population& population);

// Assigns, reassigns (or, with an empty name, unassigns) an open task; audited like any write.
Result<Task> assign_task(UnitOfWork& unit, Id task_id, const std::string& assignee);
// A person resolves an open task, recording the outcome.
Result<Task> resolve_task(UnitOfWork& unit, Id task_id, const std::string& outcome);

}  // namespace accompany

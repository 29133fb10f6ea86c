#include "report/oversight_cache.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "store/audit_batch.h"
#include "triage/triage_store.h"

namespace accompany {
namespace {

// Audit actions that change no record: reads, and events known to touch nothing the report counts.
constexpr std::string_view kNotWrites = "('read', 'report_read', 'sign_in', 'rule_set_loaded')";

// The tables whose rows the report reads, each with a child_id column (children: its own id).
constexpr std::array<std::string_view, 6> kChildTables{"addresses", "custody_events", "notices",
                                                       "hearings",  "welfare_checks", "tasks"};

bool is_child_table(std::string_view entity) {
  return std::find(kChildTables.begin(), kChildTables.end(), entity) != kChildTables.end();
}

}  // namespace

Result<std::int64_t> newest_write_seq(SqlConnection& sql) {
  ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT seq FROM audit_log WHERE action NOT IN {} ORDER BY seq DESC LIMIT 1",
                                            kNotWrites)));
  return rows.empty() ? std::int64_t{0} : rows[0].integer(0);
}

OversightCache::Counters OversightCache::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

Status OversightCache::load_everything(UnitOfWork& unit, std::int64_t seq) {
  ACCOMPANY_TRY(population, load_population(unit.sql(), true));
  cases_.clear();
  tasks_.clear();
  index_ = CaseIndex();
  for (const auto& c : population.cases) {
    index_.update(c);
    cases_[c.child.id] = case_facts(c);
    for (const auto& task : c.open_tasks)
      if (auto facts = task_facts(task)) tasks_[task.child_id.value_or(0)].push_back(*facts);
  }
  for (const auto& task : population.closed_tasks)
    if (auto facts = task_facts(task)) tasks_[task.child_id.value_or(0)].push_back(*facts);
  seq_ = seq;
  counted_.reset();
  ++counters_.full_loads;
  return {};
}

Result<std::optional<std::vector<Id>>> OversightCache::changed_children(UnitOfWork& unit, std::int64_t from,
                                                                        std::int64_t to) {
  // Entries are looked at one by one: past a few per child the log is read for nothing.
  const std::int64_t max_entries = static_cast<std::int64_t>(max_incremental_) * 20;
  const SqlValue range[] = {from, to, max_entries + 1};
  ACCOMPANY_TRY(entries, unit.sql().query(fmt::format("SELECT action, entity, entity_id FROM audit_log WHERE seq > $1 "
                                                      "AND seq <= $2 AND action NOT IN {} ORDER BY seq LIMIT $3",
                                                      kNotWrites),
                                          range));
  if (static_cast<std::int64_t>(entries.size()) > max_entries) return std::optional<std::vector<Id>>();
  std::vector<Id> children;
  for (const auto& entry : entries) {
    const std::string action = entry.text(0), entity = entry.text(1);
    const Id id = entry.integer(2);
    const bool child_record = entity == "children" || is_child_table(entity);
    // Inserts and updates of the report's records name the child; anything else that touches
    // them (a deletion, a bulk insert, a merge or another event) reloads everything. Updates
    // never move a record to another child outside a merge, which is an event.
    if (action != "insert" && action != "update") {
      if (child_record || (action != "delete" && action != kInsertBatchAction)) return std::optional<std::vector<Id>>();
      continue;
    }
    if (!child_record) continue;
    if (entity == "children") {
      children.push_back(id);
      continue;
    }
    const SqlValue param[] = {id};
    ACCOMPANY_TRY(owner, unit.sql().query(fmt::format("SELECT child_id FROM {} WHERE id = $1", entity), param));
    if (owner.empty()) return std::optional<std::vector<Id>>();  // gone since: reload everything
    children.push_back(owner[0].optional_integer(0).value_or(0));
  }
  std::sort(children.begin(), children.end());
  children.erase(std::unique(children.begin(), children.end()), children.end());
  if (children.size() > max_incremental_) return std::optional<std::vector<Id>>();
  return std::optional<std::vector<Id>>(std::move(children));
}

Status OversightCache::reload_child(UnitOfWork& unit, Id child_id) {
  if (child_id == 0) return {};  // a task about no child is a manual one: not counted
  const SqlValue id = child_id;
  ACCOMPANY_TRY(tasks, unit.find_by<Task>("child_id", id));
  auto& facts = tasks_[child_id];
  facts.clear();
  for (const auto& task : tasks)
    if (auto f = task_facts(task)) facts.push_back(*f);
  ACCOMPANY_TRY(file, load_case(unit, child_id));
  index_.update(file);
  cases_[child_id] = case_facts(file);
  ++counters_.children_reloaded;
  return {};
}

Result<std::vector<OversightRow>> OversightCache::rows(UnitOfWork& unit, Timestamp now) {
  std::lock_guard lock(mutex_);
  ACCOMPANY_TRY(seq, newest_write_seq(unit.sql()));
  if (!seq_) {
    ACCOMPANY_CHECK(load_everything(unit, seq));
  } else if (seq <= *seq_) {
    // Nothing written since, or this snapshot began before another request refreshed the
    // cache: the cache is at least as new as the snapshot.
    ++counters_.unchanged;
  } else {
    ACCOMPANY_TRY(changed, changed_children(unit, *seq_, seq));
    if (!changed) {
      ACCOMPANY_CHECK(load_everything(unit, seq));
    } else {
      for (Id child : *changed) ACCOMPANY_CHECK(reload_child(unit, child));
      seq_ = seq;
      counted_.reset();
      ++counters_.incremental_loads;
    }
  }
  if (!counted_) count();
  std::vector<OversightRow> rows = *counted_;
  for (auto& row : rows) {
    auto due = open_due_.find(row.fiscal_year);
    // Task::overdue: open and now > due_at.
    if (due != open_due_.end())
      row.overdue = std::lower_bound(due->second.begin(), due->second.end(), now) - due->second.begin();
  }
  return rows;
}

void OversightCache::count() {
  std::vector<const CaseFacts*> cases;
  cases.reserve(cases_.size());
  for (const auto& [id, facts] : cases_) cases.push_back(&facts);
  std::vector<const TaskFacts*> tasks;
  open_due_.clear();
  for (const auto& [id, list] : tasks_)
    for (const auto& facts : list) {
      tasks.push_back(&facts);
      if (facts.open) open_due_[facts.opened_fiscal_year].push_back(facts.due_at);
    }
  for (auto& [year, due] : open_due_) std::sort(due.begin(), due.end());
  counted_ = oversight_rows(cases, tasks, index_, Timestamp::min());  // overdue is counted per request
}

}  // namespace accompany

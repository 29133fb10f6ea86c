#include "triage/triage_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <unordered_set>

#include "triage/evaluator.h"

namespace accompany {
namespace {

template <class T>
std::string select_all(std::string_view where = {}) {
  const TableSpec& spec = EntityTable<T>::spec();
  std::string sql = "SELECT id";
  for (auto column : spec.columns) fmt::format_to(std::back_inserter(sql), ", {}", column);
  fmt::format_to(std::back_inserter(sql), " FROM {}{}{} ORDER BY id", spec.name, where.empty() ? "" : " WHERE ", where);
  return sql;
}

// Streams every row of T's table (constant memory per row) into `take`.
template <class T, class Take>
Status each(SqlConnection& sql, std::string_view where, Take&& take) {
  return sql.for_each_row(select_all<T>(where), {}, [&](const SqlRow& row) -> Status {
    ACCOMPANY_TRY(record, EntityTable<T>::from_row(row));
    take(std::move(record));
    return {};
  });
}

template <class T>
Result<std::vector<T>> rows_to(const std::vector<SqlRow>& rows) {
  std::vector<T> out;
  for (const auto& row : rows) {
    ACCOMPANY_TRY(record, EntityTable<T>::from_row(row));
    out.push_back(std::move(record));
  }
  return out;
}

void attach_sponsor(CaseFile& file, const std::unordered_map<Id, Sponsor>& sponsors) {
  if (auto id = file.release_sponsor_id()) {
    auto found = sponsors.find(*id);
    if (found != sponsors.end()) file.sponsor = found->second;
  }
}

}  // namespace

Result<Population> load_population(SqlConnection& sql, bool with_closed_tasks) {
  Population population;
  ACCOMPANY_CHECK(each<Child>(sql, {}, [&](Child child) {
    population.by_child.emplace(child.id, population.cases.size());
    population.cases.emplace_back().child = std::move(child);
  }));
  // Rows whose child is unknown cannot happen with foreign keys; they are skipped, not fatal.
  auto case_of = [&](Id child) -> CaseFile* {
    auto found = population.by_child.find(child);
    return found == population.by_child.end() ? nullptr : &population.cases[found->second];
  };
  std::unordered_map<Id, Sponsor> sponsors;
  ACCOMPANY_CHECK(each<Sponsor>(sql, {}, [&](Sponsor s) { sponsors.emplace(s.id, std::move(s)); }));
  ACCOMPANY_CHECK(each<Address>(sql, {}, [&](Address a) {
    if (auto* c = case_of(a.child_id)) c->addresses.push_back(std::move(a));
  }));
  ACCOMPANY_CHECK(each<CustodyEvent>(sql, {}, [&](CustodyEvent e) {
    if (auto* c = case_of(e.child_id)) c->custody_events.push_back(std::move(e));
  }));
  ACCOMPANY_CHECK(each<NoticeToAppear>(sql, {}, [&](NoticeToAppear n) {
    if (auto* c = case_of(n.child_id)) c->notices.push_back(std::move(n));
  }));
  ACCOMPANY_CHECK(each<Hearing>(sql, {}, [&](Hearing h) {
    if (auto* c = case_of(h.child_id)) c->hearings.push_back(std::move(h));
  }));
  ACCOMPANY_CHECK(each<WelfareCheck>(sql, {}, [&](WelfareCheck w) {
    if (auto* c = case_of(w.child_id)) c->welfare_checks.push_back(std::move(w));
  }));
  ACCOMPANY_CHECK(each<Contact>(sql, {}, [&](Contact contact) {
    for (Id child : contact.child_ids)
      if (auto* c = case_of(child)) c->contacts.push_back(contact);
  }));
  ACCOMPANY_CHECK(each<Task>(sql, with_closed_tasks ? "" : "status = 'open'", [&](Task t) {
    if (t.status == TaskStatus::closed) {
      population.closed_tasks.push_back(std::move(t));
      return;
    }
    if (!t.child_id) return;
    if (auto* c = case_of(*t.child_id)) c->open_tasks.push_back(std::move(t));
  }));
  for (auto& file : population.cases) {
    file.sort();
    attach_sponsor(file, sponsors);
  }
  return population;
}

Result<CaseFile> load_case(UnitOfWork& unit, Id child_id) {
  ACCOMPANY_TRY(child, unit.find<Child>(child_id));
  if (!child) return make_error(ErrorCode::not_found, fmt::format("child {} does not exist", child_id));
  CaseFile file;
  file.child = std::move(*child);
  const SqlValue id = child_id;
  ACCOMPANY_TRY(addresses, unit.find_by<Address>("child_id", id));
  ACCOMPANY_TRY(events, unit.find_by<CustodyEvent>("child_id", id));
  ACCOMPANY_TRY(notices, unit.find_by<NoticeToAppear>("child_id", id));
  ACCOMPANY_TRY(hearings, unit.find_by<Hearing>("child_id", id));
  ACCOMPANY_TRY(checks, unit.find_by<WelfareCheck>("child_id", id));
  ACCOMPANY_TRY(tasks, unit.find_by<Task>("child_id", id));
  // child_ids is a comma-separated list; the pattern matches the id as a whole item.
  const SqlValue pattern = fmt::format("%,{},%", child_id);
  ACCOMPANY_TRY(contact_rows, unit.sql().query(select_all<Contact>("',' || child_ids || ',' LIKE $1"),
                                               std::span<const SqlValue>(&pattern, 1)));
  ACCOMPANY_TRY(contacts, rows_to<Contact>(contact_rows));
  file.addresses = std::move(addresses);
  file.custody_events = std::move(events);
  file.notices = std::move(notices);
  file.hearings = std::move(hearings);
  file.welfare_checks = std::move(checks);
  file.contacts = std::move(contacts);
  for (auto& task : tasks)
    if (task.status == TaskStatus::open) file.open_tasks.push_back(std::move(task));
  file.sort();
  if (auto sponsor_id = file.release_sponsor_id()) {
    ACCOMPANY_TRY(sponsor, unit.find<Sponsor>(*sponsor_id));
    file.sponsor = std::move(sponsor);
  }
  return file;
}

Result<bool> record_rule_set(UnitOfWork& unit, const RuleSet& rules) {
  ACCOMPANY_TRY(last, unit.sql().query(
                          "SELECT fields FROM audit_log WHERE action = 'rule_set_loaded' ORDER BY seq DESC LIMIT 1"));
  const std::string detail = fmt::format("version={} digest={} rules={} source={}", rules.version, rules.digest,
                                         rules.rules.size(), rules.source);
  if (!last.empty() && last[0].text(0).find("digest=" + rules.digest) != std::string::npos) return false;
  ACCOMPANY_CHECK(unit.record_event("rule_set_loaded", "rule_sets", rules.version, detail));
  return true;
}

Result<TaskPlan> apply_plan(UnitOfWork& unit, const TaskPlan& plan) {
  for (const auto& task : plan.to_close) ACCOMPANY_CHECK(unit.update(task));
  TaskPlan applied = plan;
  for (auto& task : applied.to_open) {
    ACCOMPANY_TRY(id, unit.insert(task));
    task.id = id;
  }
  return applied;
}

CaseIndex build_index(const Population& population) {
  CaseIndex index;
  for (const auto& file : population.cases) index.update(file);
  return index;
}

namespace {

// Evaluates and plans every case, split over the cores: evaluation is pure (the rules, the index
// and the cases are only read), so the threads share nothing but their output slots.
std::vector<TaskPlan> plan_all(const RuleSet& rules, const Population& population, const CaseIndex& index,
                               Timestamp now) {
  const size_t n = population.cases.size();
  std::vector<TaskPlan> plans(n);
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::atomic<size_t> next{0};
  constexpr size_t kChunk = 4096;
  auto work = [&] {
    for (size_t start; (start = next.fetch_add(kChunk)) < n;) {
      const size_t end = std::min(n, start + kChunk);
      for (size_t i = start; i < end; ++i) {
        const CaseFile& file = population.cases[i];
        plans[i] = plan_tasks(rules, file.child.id, evaluate_case(rules, file, index, now), file.open_tasks, now);
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  return plans;
}

}  // namespace

Result<TriageSummary> run_triage(Store& store, const RuleSet& rules, const AuditContext& context,
                                 const Progress& progress, size_t batch) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  auto seconds_since = [](Clock::time_point from) {
    return std::chrono::duration<double>(Clock::now() - from).count();
  };
  TriageSummary summary;
  ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
    ACCOMPANY_TRY(changed, record_rule_set(unit, rules));
    summary.rules_changed = changed;
    return {};
  }));
  Population population;
  ACCOMPANY_CHECK(store.read([&](SqlConnection& sql) -> Status {
    ACCOMPANY_TRY(loaded, load_population(sql));
    population = std::move(loaded);
    return {};
  }));
  summary.load_seconds = seconds_since(started);
  const auto evaluating = Clock::now();
  const CaseIndex index = build_index(population);
  const Timestamp now = store.clock().now();
  const std::vector<TaskPlan> plans = plan_all(rules, population, index, now);
  summary.evaluate_seconds = seconds_since(evaluating);
  const auto writing = Clock::now();
  summary.cases = static_cast<std::int64_t>(population.cases.size());
  // Only the differences are written, `batch` task changes per transaction: few commits for a
  // first run that opens hundreds of thousands of tasks, and no transaction when nothing changed.
  size_t next = 0;
  while (next < plans.size()) {
    size_t end = next;
    size_t changes = 0;
    for (; end < plans.size() && changes < batch; ++end) {
      summary.unchanged += plans[end].unchanged;
      changes += plans[end].to_open.size() + plans[end].to_close.size();
    }
    if (changes > 0) {
      ACCOMPANY_CHECK(store.transact(context, [&](UnitOfWork& unit) -> Status {
        for (size_t i = next; i < end; ++i)
          if (!plans[i].empty())
            ACCOMPANY_CHECK(within(apply_plan(unit, plans[i]), fmt::format("child {}", population.cases[i].child.id)));
        return {};
      }));
      for (size_t i = next; i < end; ++i) {
        summary.opened += static_cast<std::int64_t>(plans[i].to_open.size());
        summary.closed += static_cast<std::int64_t>(plans[i].to_close.size());
      }
    }
    next = end;
    if (progress) progress(static_cast<std::int64_t>(end), summary.cases);
  }
  summary.write_seconds = seconds_since(writing);
  summary.seconds = seconds_since(started);
  return summary;
}

Result<TaskPlan> retriage_child(UnitOfWork& unit, const RuleSet& rules, CaseIndex& index, Id child_id) {
  ACCOMPANY_TRY(file, load_case(unit, child_id));
  const std::vector<Id> neighbours = index.update(file);
  const Timestamp now = unit.now();
  TaskPlan plan = plan_tasks(rules, child_id, evaluate_case(rules, file, index, now), file.open_tasks, now);
  ACCOMPANY_TRY(applied, apply_plan(unit, plan));
  for (Id other : neighbours) {
    ACCOMPANY_TRY(other_file, load_case(unit, other));
    TaskPlan other_plan =
        plan_tasks(rules, other, evaluate_case(rules, other_file, index, now), other_file.open_tasks, now);
    ACCOMPANY_TRY(other_applied, apply_plan(unit, other_plan));
    applied.unchanged += other_applied.unchanged;
    for (auto& t : other_applied.to_open) applied.to_open.push_back(std::move(t));
    for (auto& t : other_applied.to_close) applied.to_close.push_back(std::move(t));
  }
  return applied;
}

namespace {
Result<Task> open_task(UnitOfWork& unit, Id task_id) {
  ACCOMPANY_TRY(task, unit.find<Task>(task_id));
  if (!task) return make_error(ErrorCode::not_found, fmt::format("task {} does not exist", task_id));
  return *task;
}
}  // namespace

Result<Task> assign_task(UnitOfWork& unit, Id task_id, const std::string& assignee) {
  ACCOMPANY_TRY(task, open_task(unit, task_id));
  ACCOMPANY_TRY(assigned, assign_task(std::move(task), assignee));
  ACCOMPANY_CHECK(unit.update(assigned));
  return assigned;
}

Result<Task> resolve_task(UnitOfWork& unit, Id task_id, const std::string& outcome) {
  ACCOMPANY_TRY(task, open_task(unit, task_id));
  ACCOMPANY_TRY(resolved, resolve_task(std::move(task), outcome, unit.now()));
  ACCOMPANY_CHECK(unit.update(resolved));
  return resolved;
}

}  // namespace accompany

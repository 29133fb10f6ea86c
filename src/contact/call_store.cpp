#include "contact/call_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "store/entity_tables.h"

namespace accompany {

namespace {

std::string day_start(Timestamp at) {
  return format_date(date_of(at)) + "T00:00:00Z";
}

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string call_columns() {
  std::string out = "id";
  for (auto column : EntityTable<Call>::spec().columns) out += fmt::format(", {}", column);
  return out;
}

Result<std::vector<Call>> calls_where(SqlConnection& sql, const std::string& where, std::span<const SqlValue> params) {
  ACCOMPANY_TRY(rows, sql.query(fmt::format("SELECT {} FROM calls WHERE {}", call_columns(), where), params));
  std::vector<Call> calls;
  calls.reserve(rows.size());
  for (const auto& row : rows) {
    ACCOMPANY_TRY(call, EntityTable<Call>::from_row(row));
    calls.push_back(std::move(call));
  }
  return calls;
}

std::int64_t seconds(Timestamp from, Timestamp to) {
  return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

// Adds one finished or answered call to a row's counts.
template <class Row>
void count_call(Row& row, const Call& call, std::int64_t target, double& handle_total, std::int64_t& handled) {
  ++row.offered;
  if (call.answered_at) {
    ++row.answered;
    if (seconds(call.joined_at, *call.answered_at) <= target) ++row.answered_in_target;
    if (call.ended_at) {
      handle_total += static_cast<double>(seconds(*call.answered_at, *call.ended_at));
      ++handled;
    }
  } else if (call.state == CallState::abandoned) {
    ++row.abandoned;
  }
}

}  // namespace

Result<CtiOutcome> record_cti_event(UnitOfWork& unit, const CtiEvent& event, const ContactCenterRules& rules) {
  auto& sql = unit.sql();
  const std::string key = event.key();
  const SqlValue seen_params[] = {event.call_id, key};
  ACCOMPANY_TRY(seen, sql.query("SELECT id FROM cti_events WHERE call_id = $1 AND event_key = $2", seen_params));
  ACCOMPANY_TRY(existing, unit.find_by<Call>("call_id", event.call_id));
  if (!seen.empty()) {
    if (existing.empty())
      return make_error(ErrorCode::internal, fmt::format("event {} of call {} is recorded without its call", key,
                                                         event.call_id));
    return CtiOutcome{existing.front(), true};
  }
  std::optional<Call> before;
  if (!existing.empty()) before = existing.front();
  const std::string queue = event.queue.empty() && before ? before->queue : event.queue;
  ACCOMPANY_TRY(call, apply_cti_event(before, event, rules.queue_priority(queue.empty() ? "general" : queue)));
  if (before) {
    ACCOMPANY_CHECK(unit.update(call));
  } else {
    ACCOMPANY_TRY(id, unit.insert(call));
    call.id = id;
  }
  const SqlValue insert_params[] = {event.call_id, key, format_timestamp(event.at), format_timestamp(unit.now())};
  ACCOMPANY_CHECK(sql.execute(
      "INSERT INTO cti_events (call_id, event_key, occurred_at, received_at) VALUES ($1, $2, $3, $4)", insert_params));
  // The agent's state follows the call: on it once answered, wrapping up once it ends.
  if (!call.agent.empty() && (event.kind == CtiEventKind::answered || event.kind == CtiEventKind::ended)) {
    ACCOMPANY_TRY(status, agent_status(sql, call.agent));
    AgentStatus next = status ? *status : AgentStatus{call.agent, AgentState::away, {}, unit.now(), ""};
    if (event.kind == CtiEventKind::answered) {
      next.state = AgentState::on_contact;
      next.call_id = call.call_id;
      next.since = event.at;
      ACCOMPANY_CHECK(set_agent_status(sql, next));
    } else if (next.call_id == call.call_id && next.state == AgentState::on_contact) {
      next.state = AgentState::wrap_up;
      next.since = event.at;
      ACCOMPANY_CHECK(set_agent_status(sql, next));
    }
  }
  return CtiOutcome{call, false};
}

Result<std::optional<AgentStatus>> agent_status(SqlConnection& sql, const std::string& name) {
  const SqlValue params[] = {name};
  ACCOMPANY_TRY(rows, sql.query("SELECT name, state, languages, since, call_id FROM agent_states WHERE name = $1",
                                params));
  if (rows.empty()) return std::optional<AgentStatus>();
  AgentStatus status;
  status.name = rows[0].text(0);
  ACCOMPANY_TRY(state, parse_enum(kAgentStateNames, "state", rows[0].text(1)));
  status.state = state;
  status.languages = split(rows[0].text(2));
  ACCOMPANY_TRY(since, parse_timestamp("since", rows[0].text(3)));
  status.since = since;
  status.call_id = rows[0].text(4);
  return std::optional<AgentStatus>(std::move(status));
}

Status set_agent_status(SqlConnection& sql, const AgentStatus& status) {
  const SqlValue params[] = {status.name, std::string(enum_name(kAgentStateNames, status.state)),
                             join(status.languages), format_timestamp(status.since), status.call_id};
  ACCOMPANY_CHECK(sql.execute(
      "INSERT INTO agent_states (name, state, languages, since, call_id) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (name) DO UPDATE SET state = excluded.state, languages = excluded.languages, "
      "since = excluded.since, call_id = excluded.call_id",
      params));
  return {};
}

Result<std::vector<AgentStatus>> agent_statuses(SqlConnection& sql) {
  ACCOMPANY_TRY(rows, sql.query("SELECT name FROM agent_states ORDER BY name"));
  std::vector<AgentStatus> out;
  for (const auto& row : rows) {
    ACCOMPANY_TRY(status, agent_status(sql, row.text(0)));
    if (status) out.push_back(std::move(*status));
  }
  return out;
}

Result<CallerHistory> caller_history(UnitOfWork& unit, const std::string& caller_number, std::string_view why,
                                     size_t limit) {
  CallerHistory history;
  if (caller_number.empty()) return history;
  const auto& spec = EntityTable<Contact>::spec();
  std::string columns = "id";
  for (auto column : spec.columns) columns += fmt::format(", {}", column);
  const SqlValue params[] = {caller_number, static_cast<std::int64_t>(limit)};
  ACCOMPANY_TRY(rows, unit.sql().query(
                          fmt::format("SELECT {} FROM contacts WHERE caller_number = $1 ORDER BY id DESC LIMIT $2",
                                      columns),
                          params));
  std::set<Id> children;
  for (const auto& row : rows) {
    ACCOMPANY_TRY(contact, EntityTable<Contact>::from_row(row));
    ACCOMPANY_CHECK(unit.record_read("contacts", contact.id,
                                     fmt::format("occurred_at,category,sub_category,outcome,child_ids ({})", why)));
    for (Id child : contact.child_ids) children.insert(child);
    history.contacts.push_back(std::move(contact));
  }
  for (Id id : children) {
    ACCOMPANY_TRY(child, unit.find<Child>(id));
    if (!child) continue;
    ACCOMPANY_CHECK(unit.record_read("children", id, fmt::format("a_number,name,birth_date ({})", why)));
    history.children.push_back(std::move(*child));
  }
  return history;
}

Result<Intake> record_contact(UnitOfWork& unit, Contact contact, const ContactCenterRules& rules) {
  for (Id child : contact.child_ids) {
    ACCOMPANY_TRY(found, unit.find<Child>(child));
    if (!found) return invalid("child_ids", std::to_string(child), "no child has this id");
  }
  contact.occurred_at = unit.now();
  ACCOMPANY_TRY(id, unit.insert(contact));
  contact.id = id;
  Intake intake;
  for (auto& task : plan_follow_ups(rules, contact)) {
    if (task.child_id) {
      // One open follow-up per child and rule (schema 4's unique index): a repeat report joins it.
      const SqlValue params[] = {*task.child_id, task.rule};
      ACCOMPANY_TRY(open, unit.sql().query(
                              "SELECT id FROM tasks WHERE child_id = $1 AND rule = $2 AND status = 'open'", params));
      if (!open.empty()) {
        ACCOMPANY_TRY(existing, unit.find<Task>(open[0].integer(0)));
        if (existing) intake.follow_ups.push_back(std::move(*existing));
        continue;
      }
    }
    ACCOMPANY_TRY(task_id, unit.insert(task));
    task.id = task_id;
    intake.follow_ups.push_back(std::move(task));
  }
  intake.contact = std::move(contact);
  return intake;
}

Result<std::vector<Call>> waiting_calls(SqlConnection& sql, Timestamp now) {
  // A call the PBX never closed (a lost "ended") stops counting as waiting after a day.
  const SqlValue params[] = {format_timestamp(now - std::chrono::hours(24))};
  return calls_where(sql, "state IN ('queued', 'ringing') AND joined_at >= $1 ORDER BY priority, joined_at, id",
                     params);
}

Result<Wallboard> wallboard(SqlConnection& sql, Timestamp now, const ContactCenterRules& rules) {
  Wallboard board;
  board.at = now;
  ACCOMPANY_TRY(waiting, waiting_calls(sql, now));
  for (const auto& call : waiting)
    board.longest_wait_seconds = std::max(board.longest_wait_seconds, seconds(call.joined_at, now));
  board.waiting = std::move(waiting);
  const SqlValue today[] = {day_start(now)};
  ACCOMPANY_TRY(calls, calls_where(sql, "joined_at >= $1", today));
  double handle_total = 0, answer_total = 0;
  std::int64_t handled = 0;
  for (const auto& call : calls) {
    count_call(board, call, rules.answer_target_seconds, handle_total, handled);
    if (call.answered_at) answer_total += static_cast<double>(seconds(call.joined_at, *call.answered_at));
    const auto hour = std::chrono::floor<std::chrono::hours>(call.joined_at) -
                      std::chrono::floor<std::chrono::days>(call.joined_at);
    board.volume_by_hour.at(static_cast<size_t>(hour.count() % 24))++;
  }
  const auto closed = board.answered + board.abandoned;
  if (closed > 0) {
    board.service_level = static_cast<double>(board.answered_in_target) / static_cast<double>(closed);
    board.abandonment_rate = static_cast<double>(board.abandoned) / static_cast<double>(closed);
  }
  if (handled > 0) board.average_handle_seconds = handle_total / static_cast<double>(handled);
  if (board.answered > 0) board.average_speed_of_answer = answer_total / static_cast<double>(board.answered);
  ACCOMPANY_TRY(states, sql.query("SELECT state, count(*) FROM agent_states GROUP BY state"));
  for (const auto& [state, name] : kAgentStateNames) board.agents_by_state[std::string(name)] = 0;
  for (const auto& row : states) board.agents_by_state[row.text(0)] = row.integer(1);
  ACCOMPANY_TRY(categories,
                sql.query("SELECT category, count(*) FROM contacts WHERE occurred_at >= $1 GROUP BY category", today));
  for (const auto& row : categories) {
    board.contacts_by_category[row.text(0)] = row.integer(1);
    board.contacts_today += row.integer(1);
  }
  return board;
}

Result<std::vector<ReportRow>> call_report(SqlConnection& sql, std::string_view by, Timestamp from, Timestamp to,
                                           const ContactCenterRules& rules) {
  if (by != "hour" && by != "day" && by != "category") return invalid("by", by, "use hour, day or category");
  if (to <= from) return invalid("to", format_timestamp(to), "must be after 'from'");
  if (to - from > std::chrono::days(92)) return invalid("to", format_timestamp(to), "a report covers at most 92 days");
  const SqlValue range[] = {format_timestamp(from), format_timestamp(to)};
  std::map<std::string, ReportRow> rows;
  std::map<std::string, std::pair<double, std::int64_t>> handle;  // total seconds, calls
  if (by == "category") {
    ACCOMPANY_TRY(found, sql.query("SELECT category, sub_category, count(*) FROM contacts WHERE occurred_at >= $1 "
                                   "AND occurred_at < $2 GROUP BY category, sub_category",
                                   range));
    for (const auto& row : found) {
      const std::string key = row.text(0) + "/" + (row.text(1).empty() ? "unspecified" : row.text(1));
      rows[key].key = key;
      rows[key].contacts = row.integer(2);
    }
  } else {
    ACCOMPANY_TRY(calls, calls_where(sql, "joined_at >= $1 AND joined_at < $2", range));
    const size_t length = by == "hour" ? 13 : 10;
    for (const auto& call : calls) {
      const std::string key = format_timestamp(call.joined_at).substr(0, length);
      auto& row = rows[key];
      row.key = key;
      count_call(row, call, rules.answer_target_seconds, handle[key].first, handle[key].second);
    }
    ACCOMPANY_TRY(contacts, sql.query("SELECT occurred_at FROM contacts WHERE occurred_at >= $1 AND occurred_at < $2",
                                      range));
    for (const auto& row : contacts) {
      const std::string key = row.text(0).substr(0, length);
      rows[key].key = key;
      ++rows[key].contacts;
    }
  }
  std::vector<ReportRow> out;
  for (auto& [key, row] : rows) {
    if (auto found = handle.find(key); found != handle.end() && found->second.second > 0)
      row.average_handle_seconds = found->second.first / static_cast<double>(found->second.second);
    out.push_back(row);
  }
  return out;
}

}  // namespace accompany

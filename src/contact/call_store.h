// The contact center against the store: CTI events applied to calls (once per call and event),
// agents' states, the caller's earlier contacts for the screen pop, contact intake with its
// follow-up tasks, the live wallboard and the historical reports. Every write of an audited
// row goes through UnitOfWork; every child or contact shown in a pop is recorded as read.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "contact/contact_rules.h"
#include "contact/cti_event.h"
#include "domain/child.h"
#include "store/unit_of_work.h"

namespace accompany {

enum class AgentState { available, on_contact, wrap_up, away };
inline constexpr EnumTable<AgentState, 4> kAgentStateNames{{
    {AgentState::available, "available"},
    {AgentState::on_contact, "on_contact"},
    {AgentState::wrap_up, "wrap_up"},
    {AgentState::away, "away"},
}};

struct AgentStatus {
  std::string name;
  AgentState state = AgentState::away;
  std::vector<std::string> languages;  // ISO 639-3 skills
  Timestamp since{};
  std::string call_id;  // the call on hand (on_contact, wrap_up)
};

struct CtiOutcome {
  Call call;
  bool duplicate = false;  // this (call, event) was accepted before; nothing changed
};

// Applies one event: a retry of an accepted (call id, event) changes nothing.
Result<CtiOutcome> record_cti_event(UnitOfWork& unit, const CtiEvent& event, const ContactCenterRules& rules);

Result<std::optional<AgentStatus>> agent_status(SqlConnection& sql, const std::string& name);
Status set_agent_status(SqlConnection& sql, const AgentStatus& status);
Result<std::vector<AgentStatus>> agent_statuses(SqlConnection& sql);

// The caller's earlier contacts (newest first) and the children they were about; each one
// shown is recorded as read with `why`.
struct CallerHistory {
  std::vector<Contact> contacts;
  std::vector<Child> children;
};
Result<CallerHistory> caller_history(UnitOfWork& unit, const std::string& caller_number, std::string_view why,
                                     size_t limit = 10);

// Checks the linked children exist, records the contact and opens its follow-ups (one per child;
// a child already holding an open follow-up of the same rule keeps that one).
struct Intake {
  Contact contact;
  std::vector<Task> follow_ups;  // opened now, or already open
};
Result<Intake> record_contact(UnitOfWork& unit, Contact contact, const ContactCenterRules& rules);

// Calls waiting, in routing order: priority first, then longest waiting.
Result<std::vector<Call>> waiting_calls(SqlConnection& sql, Timestamp now);

struct Wallboard {
  Timestamp at{};
  std::vector<Call> waiting;
  std::int64_t longest_wait_seconds = 0;
  std::int64_t offered = 0, answered = 0, abandoned = 0, answered_in_target = 0;
  double service_level = 1;       // answered within target / (answered + abandoned)
  double abandonment_rate = 0;    // abandoned / (answered + abandoned)
  double average_handle_seconds = 0;
  double average_speed_of_answer = 0;
  std::map<std::string, std::int64_t> agents_by_state;
  std::array<std::int64_t, 24> volume_by_hour{};  // calls joined today, by UTC hour
  std::int64_t contacts_today = 0;
  std::map<std::string, std::int64_t> contacts_by_category;  // today
};
Result<Wallboard> wallboard(SqlConnection& sql, Timestamp now, const ContactCenterRules& rules);

// Historical report rows over [from, to): by "hour", "day" or "category".
struct ReportRow {
  std::string key;  // "2024-06-01T13", "2024-06-01", or "exploitation_report/labor"
  std::int64_t offered = 0, answered = 0, abandoned = 0, answered_in_target = 0, contacts = 0;
  double average_handle_seconds = 0;
};
Result<std::vector<ReportRow>> call_report(SqlConnection& sql, std::string_view by, Timestamp from, Timestamp to,
                                           const ContactCenterRules& rules);

}  // namespace accompany

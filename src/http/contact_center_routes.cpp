// The contact center's routes: the PBX's CTI webhook, the agent desktop (state, the screen pop
// over server-sent events, callbacks), the supervisor's wallboard (live), historical reports
// and the Erlang C staffing calculator. docs/contact-center.md describes the event format.
#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <chrono>

#include "contact/call_store.h"
#include "contact/erlang_c.h"
#include "http/api_support.h"
#include "http/records_json.h"
#include "linkage/identifiers.h"
#include "domain/identity.h"
#include "security/permissions.h"

namespace accompany {
namespace json = boost::json;
using namespace permission;

namespace {

bool wants_event_stream(const Request& request) {
  auto accept = request.header("accept");
  return accept && accept->find("text/event-stream") != std::string_view::npos;
}

json::object to_json(const Call& call, Timestamp now) {
  json::object out{{"call_id", call.call_id},
                   {"caller_number", call.caller_number},
                   {"queue", call.queue},
                   {"language", call.language},
                   {"priority", call.priority},
                   {"agent", call.agent},
                   {"state", enum_name(kCallStateNames, call.state)},
                   {"joined_at", format_timestamp(call.joined_at)},
                   {"answered_at", call.answered_at ? json::value(format_timestamp(*call.answered_at)) : nullptr},
                   {"ended_at", call.ended_at ? json::value(format_timestamp(*call.ended_at)) : nullptr},
                   {"transfers", call.transfers}};
  if (auto wait = call.wait_seconds())
    out["wait_seconds"] = *wait;
  else
    out["wait_seconds"] = std::chrono::duration_cast<std::chrono::seconds>(now - call.joined_at).count();
  return out;
}

json::object to_json(const AgentStatus& status) {
  json::array languages;
  for (const auto& language : status.languages) languages.emplace_back(language);
  return {{"name", status.name},
          {"state", enum_name(kAgentStateNames, status.state)},
          {"languages", std::move(languages)},
          {"since", format_timestamp(status.since)},
          {"call_id", status.call_id}};
}

// What the agent's screen shows of the caller: earlier contacts in summary (never a narrative)
// and the children they were about.
json::object pop_json(const Call& call, const CallerHistory& history) {
  json::array contacts;
  for (const auto& contact : history.contacts) {
    json::array children;
    for (Id id : contact.child_ids) children.emplace_back(id);
    contacts.push_back(json::object{{"id", contact.id},
                                    {"occurred_at", format_timestamp(contact.occurred_at)},
                                    {"channel", enum_name(kContactChannelNames, contact.channel)},
                                    {"caller_type", enum_name(kCallerTypeNames, contact.caller_type)},
                                    {"category", enum_name(kContactCategoryNames, contact.category)},
                                    {"sub_category", contact.sub_category},
                                    {"outcome", contact.outcome},
                                    {"child_ids", std::move(children)}});
  }
  json::array children;
  for (const auto& child : history.children) children.push_back(accompany::to_json(child));
  return {{"call_id", call.call_id},
          {"caller_number", call.caller_number},
          {"queue", call.queue},
          {"language", call.language},
          {"priority", call.priority},
          {"state", enum_name(kCallStateNames, call.state)},
          {"previous_contacts", std::move(contacts)},
          {"children", std::move(children)}};
}

json::object wallboard_json(const Wallboard& board, const ContactCenterRules& rules) {
  json::array waiting;
  for (const auto& call : board.waiting) {
    auto item = to_json(call, board.at);
    item.erase("caller_number");  // the wallboard shows queues, not callers
    waiting.push_back(std::move(item));
  }
  json::object agents;
  for (const auto& [state, count] : board.agents_by_state) agents[state] = count;
  json::array hours;
  for (auto count : board.volume_by_hour) hours.emplace_back(count);
  json::object categories;
  for (const auto& [category, count] : board.contacts_by_category) categories[category] = count;
  return {{"at", format_timestamp(board.at)},
          {"calls_waiting", static_cast<std::int64_t>(board.waiting.size())},
          {"waiting", std::move(waiting)},
          {"longest_wait_seconds", board.longest_wait_seconds},
          {"offered", board.offered},
          {"answered", board.answered},
          {"abandoned", board.abandoned},
          {"answered_in_target", board.answered_in_target},
          {"service_level", board.service_level},
          {"service_level_target", rules.service_level_target},
          {"answer_target_seconds", rules.answer_target_seconds},
          {"abandonment_rate", board.abandonment_rate},
          {"average_handle_seconds", board.average_handle_seconds},
          {"average_speed_of_answer", board.average_speed_of_answer},
          {"agents_by_state", std::move(agents)},
          {"volume_by_hour", std::move(hours)},
          {"contacts_today", board.contacts_today},
          {"contacts_by_category", std::move(categories)}};
}

Result<double> number_param(const Request& request, std::string_view name, double fallback) {
  auto text = request.query_value(name);
  if (!text || text->empty()) return fallback;
  double value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return invalid(name, *text, "must be a number");
  return value;
}

Result<Timestamp> time_param(const Request& request, std::string_view name, Timestamp fallback) {
  auto text = request.query_value(name);
  if (!text || text->empty()) return fallback;
  return parse_timestamp(name, *text);
}

// The live channels: one topic per agent for pops, one for the wallboard.
struct Live {
  EventHub hub;
  static std::string agent_topic(std::string_view name) { return fmt::format("agent:{}", name); }
  static constexpr const char* kWallboard = "wallboard";
};

// Subscribes before the first snapshot is read, so nothing published in between is missed.
std::shared_ptr<EventStream> subscribe(Live& hub_owner, const std::string& topic) {
  auto stream = std::make_shared<EventStream>();
  hub_owner.hub.subscribe(topic, stream);
  return stream;
}

Response event_stream_response(std::shared_ptr<EventStream> stream, std::string_view first_name,
                               const std::string& first_data) {
  stream->send(first_name, first_data);
  Response response;
  response.content_type = "text/event-stream";
  response.events = std::move(stream);
  return response;
}

void add_cti_route(Router& router, ApiServices& services, const std::shared_ptr<Live>& live) {
  router.add(
      "POST", "/api/cti/events", Policy::needs(cti_event),
      "A PBX reports a call event (queued, ringing, answered, ended, abandoned, transferred); retries are accepted once",
      fallible([&services, live](RequestContext& context) -> Result<Response> {
        ACCOMPANY_CHECK(only_known_query(context.request, {}));
        ACCOMPANY_TRY(body, json_body(context.request));
        ACCOMPANY_TRY(event, cti_event_from_json(body));
        const auto& rules = contact_center_rules();
        CtiOutcome outcome;
        std::optional<json::object> pop;
        const bool pops = event.kind == CtiEventKind::ringing || event.kind == CtiEventKind::answered;
        const std::string topic = Live::agent_topic(event.agent);
        ACCOMPANY_CHECK(audited(
            services, context,
            [&](UnitOfWork& unit) -> Status {
              ACCOMPANY_TRY(recorded, record_cti_event(unit, event, rules));
              outcome = std::move(recorded);
              // Only an agent whose desk is open gets a pop, so only what is shown is read.
              if (!outcome.duplicate && pops && live->hub.listening(topic)) {
                ACCOMPANY_TRY(history, caller_history(unit, outcome.call.caller_number,
                                                      fmt::format("screen pop for {}", event.agent)));
                pop = pop_json(outcome.call, history);
              }
              return {};
            },
            fmt::format("CTI event {} of call {}", event.key(), event.call_id)));
        if (pop) {
          (*pop)["event"] = enum_name(kCtiEventNames, event.kind);
          (*pop)["timestamp"] = event.timestamp_text;  // as the PBX sent it: latency is measured from here
          live->hub.publish(topic, "pop", json::serialize(*pop));
        }
        if (!outcome.duplicate) live->hub.publish(Live::kWallboard, "changed", "{}");
        json::object out{{"accepted", !outcome.duplicate},
                         {"duplicate", outcome.duplicate},
                         {"call", to_json(outcome.call, services.store.clock().now())},
                         {"popped", pop.has_value()}};
        return ok(std::move(out), outcome.duplicate ? 200 : 201);
      }));
}

void add_desk_routes(Router& router, ApiServices& services, const std::shared_ptr<Live>& live) {
  router.add(
      "GET", "/api/agent/desk", Policy::needs(desk_use),
      "The agent's state, current call with its pop, and calls waiting in the agent's languages; "
      "with Accept: text/event-stream, pops as they happen",
      fallible([&services, live](RequestContext& context) -> Result<Response> {
        ACCOMPANY_CHECK(only_known_query(context.request, {}));
        const auto& who = context.who();
        const auto now = services.store.clock().now();
        std::shared_ptr<EventStream> stream;
        if (wants_event_stream(context.request)) stream = subscribe(*live, Live::agent_topic(who.name));
        json::object out;
        ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
          ACCOMPANY_TRY(status, agent_status(unit.sql(), who.name));
          out["agent"] = to_json(status ? *status : AgentStatus{who.name, AgentState::away, {}, now, ""});
          // The call ringing or answered at this agent now, with its pop (a reload shows it again).
          const SqlValue params[] = {who.name, format_timestamp(now - std::chrono::hours(12))};
          ACCOMPANY_TRY(rows, unit.sql().query("SELECT id FROM calls WHERE agent = $1 AND state IN ('ringing', "
                                               "'answered') AND joined_at >= $2 ORDER BY joined_at DESC LIMIT 1",
                                               params));
          out["call"] = nullptr;
          if (!rows.empty()) {
            ACCOMPANY_TRY(call, unit.find<Call>(rows[0].integer(0)));
            if (call) {
              ACCOMPANY_TRY(history, caller_history(unit, call->caller_number, "agent desk"));
              out["call"] = pop_json(*call, history);
            }
          }
          ACCOMPANY_TRY(waiting, waiting_calls(unit.sql(), now));
          json::array mine;
          for (const auto& call : waiting) {
            const bool speaks = !status || status->languages.empty() || call.language.empty() ||
                                std::find(status->languages.begin(), status->languages.end(), call.language) !=
                                    status->languages.end();
            if (!speaks) continue;
            auto item = to_json(call, now);
            item.erase("caller_number");
            mine.push_back(std::move(item));
          }
          out["waiting"] = std::move(mine);
          return {};
        }));
        if (stream) return event_stream_response(stream, "desk", json::serialize(out));
        return ok(std::move(out));
      }));
  router.add("PUT", "/api/agent/state", Policy::needs(desk_use),
             "Set your own agent state (available, on_contact, wrap_up, away) and language skills",
             fallible([&services, live](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               ACCOMPANY_TRY(body, json_body(context.request));
               if (!body.is_object()) return invalid("body", "", "send {\"state\": ..., \"languages\": [...]}");
               const auto& object = body.get_object();
               ACCOMPANY_TRY(state_text, string_member(object, "state", true));
               ACCOMPANY_TRY(state, parse_enum(kAgentStateNames, "state", state_text));
               AgentStatus status;
               status.name = context.who().name;
               status.state = state;
               status.since = services.store.clock().now();
               // A write, though not to an audited table: one transaction like any other write.
               ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
                 auto& sql = unit.sql();
                 ACCOMPANY_TRY(before, agent_status(sql, status.name));
                 if (before) {
                   status.languages = before->languages;
                   if (state == AgentState::on_contact || state == AgentState::wrap_up) status.call_id = before->call_id;
                 }
                 if (auto languages = object.find("languages"); languages != object.end()) {
                   if (!languages->value().is_array()) return invalid("languages", "", "must be a list of codes");
                   status.languages.clear();
                   for (const auto& code : languages->value().get_array()) {
                     if (!code.is_string()) return invalid("languages", json::serialize(code), "must be a string");
                     ACCOMPANY_CHECK(find_language("languages", code.get_string()));
                     status.languages.emplace_back(code.get_string());
                   }
                 }
                 return set_agent_status(sql, status);
               }));
               live->hub.publish(Live::kWallboard, "changed", "{}");
               return ok(to_json(status));
             }));
  router.add(
      "POST", "/api/callbacks", Policy::needs(desk_use),
      "Promise a caller a callback at a time: a task in the callback queue, due then",
      fallible([&services, live](RequestContext& context) -> Result<Response> {
        ACCOMPANY_CHECK(only_known_query(context.request, {}));
        ACCOMPANY_TRY(body, json_body(context.request));
        if (!body.is_object()) return invalid("body", "", "send {caller_number, promised_at, language?, child_id?}");
        const auto& object = body.get_object();
        ACCOMPANY_TRY(number_text, string_member(object, "caller_number", true));
        const std::string number = linkage::normalize_phone(number_text);
        if (number.empty()) return invalid("caller_number", number_text, "cannot be read as a phone number");
        ACCOMPANY_TRY(promised_text, string_member(object, "promised_at", true));
        ACCOMPANY_TRY(promised, parse_timestamp("promised_at", promised_text));
        ACCOMPANY_TRY(language, string_member(object, "language", false));
        if (!language.empty()) ACCOMPANY_CHECK(find_language("language", language));
        ACCOMPANY_TRY(note, string_member(object, "note", false));
        std::optional<Id> child;
        if (auto id = object.find("child_id"); id != object.end() && !id->value().is_null()) {
          if (!id->value().is_int64() || id->value().get_int64() <= 0)
            return invalid("child_id", json::serialize(id->value()), "not a child id");
          child = id->value().get_int64();
        }
        Task task;
        ACCOMPANY_CHECK(audited(services, context, [&](UnitOfWork& unit) -> Status {
          if (promised < unit.now())
            return invalid("promised_at", promised_text, "a callback is promised for a time still to come");
          if (child) {
            ACCOMPANY_TRY(found, unit.find<Child>(*child));
            if (!found) return invalid("child_id", std::to_string(*child), "no child has this id");
          }
          task.child_id = child;
          task.rule = "manual";
          task.queue = "callback";
          task.priority = TaskPriority::high;
          task.reason = fmt::format("Call back {}{} by {} as promised by {}.{}", number,
                                    language.empty() ? "" : " (" + language + ")", format_timestamp(promised),
                                    context.who().name, note.empty() ? "" : " " + note);
          task.reason_es = fmt::format("Devuelva la llamada a {}{} antes de {}, como prometió {}.{}", number,
                                       language.empty() ? "" : " (" + language + ")", format_timestamp(promised),
                                       context.who().name, note.empty() ? "" : " " + note);
          task.opened_at = unit.now();
          task.due_at = promised;
          ACCOMPANY_TRY(id, unit.insert(task));
          task.id = id;
          return {};
        }));
        live->hub.publish(Live::kWallboard, "changed", "{}");
        return ok(accompany::to_json(task), 201);
      }));
}

void add_wallboard_routes(Router& router, ApiServices& services, const std::shared_ptr<Live>& live) {
  router.add("GET", "/api/wallboard", Policy::needs(wallboard_read),
             "Live contact-center figures for today; with Accept: text/event-stream, a 'changed' event on every "
             "call event",
             fallible([&services, live](RequestContext& context) -> Result<Response> {
               ACCOMPANY_CHECK(only_known_query(context.request, {}));
               const auto& rules = contact_center_rules();
               std::shared_ptr<EventStream> stream;
               if (wants_event_stream(context.request)) stream = subscribe(*live, Live::kWallboard);
               json::object out;
               ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
                 ACCOMPANY_TRY(board, wallboard(sql, services.store.clock().now(), rules));
                 out = wallboard_json(board, rules);
                 return {};
               }));
               if (stream) return event_stream_response(stream, "wallboard", json::serialize(out));
               return ok(std::move(out));
             }));
  router.add("GET", "/api/contact-center/reports", Policy::needs(wallboard_read),
             "Calls and contacts by hour, day or category over a period (default: the last 24 hours by hour)",
             fallible([&services](RequestContext& context) -> Result<Response> {
               const auto& request = context.request;
               ACCOMPANY_CHECK(only_known_query(request, {"by", "from", "to"}));
               const auto now = services.store.clock().now();
               ACCOMPANY_TRY(from, time_param(request, "from", now - std::chrono::hours(24)));
               ACCOMPANY_TRY(to, time_param(request, "to", now + std::chrono::seconds(1)));
               const std::string by = request.query_value("by").value_or("hour");
               json::array items;
               ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
                 ACCOMPANY_TRY(rows, call_report(sql, by, from, to, contact_center_rules()));
                 for (const auto& row : rows) {
                   const auto closed = row.answered + row.abandoned;
                   items.push_back(json::object{
                       {"key", row.key},
                       {"offered", row.offered},
                       {"answered", row.answered},
                       {"abandoned", row.abandoned},
                       {"answered_in_target", row.answered_in_target},
                       {"service_level", closed ? json::value(static_cast<double>(row.answered_in_target) /
                                                              static_cast<double>(closed))
                                                : json::value(nullptr)},
                       {"average_handle_seconds", row.average_handle_seconds},
                       {"contacts", row.contacts}});
                 }
                 return {};
               }));
               return ok(json::object{{"by", by},
                                      {"from", format_timestamp(from)},
                                      {"to", format_timestamp(to)},
                                      {"items", std::move(items)}});
             }));
  router.add(
      "GET", "/api/contact-center/staffing", Policy::needs(wallboard_read),
      "Erlang C: agents needed for a call volume and handle time (default: the last hour's observed figures)",
      fallible([&services](RequestContext& context) -> Result<Response> {
        const auto& request = context.request;
        ACCOMPANY_CHECK(only_known_query(request, {"calls", "interval_seconds", "handle_seconds", "target_service_level",
                                                   "target_answer_seconds", "shrinkage", "max_occupancy"}));
        const auto& rules = contact_center_rules();
        const auto now = services.store.clock().now();
        // Observed over the last hour: calls offered and their average handle time.
        std::vector<ReportRow> observed;
        ACCOMPANY_CHECK(timed_read(services, [&](SqlConnection& sql) -> Status {
          ACCOMPANY_TRY(rows, call_report(sql, "day", now - std::chrono::hours(1), now + std::chrono::seconds(1), rules));
          observed = std::move(rows);
          return {};
        }));
        double observed_calls = 0, handle_total = 0, handled = 0;
        for (const auto& row : observed) {
          observed_calls += static_cast<double>(row.offered);
          handle_total += row.average_handle_seconds * static_cast<double>(row.answered);
          handled += static_cast<double>(row.answered);
        }
        StaffingInput input;
        ACCOMPANY_TRY(calls, number_param(request, "calls", observed_calls));
        ACCOMPANY_TRY(interval, number_param(request, "interval_seconds", 3600));
        ACCOMPANY_TRY(handle, number_param(request, "handle_seconds", handled > 0 ? handle_total / handled : 480));
        ACCOMPANY_TRY(level, number_param(request, "target_service_level", rules.service_level_target));
        ACCOMPANY_TRY(answer, number_param(request, "target_answer_seconds",
                                           static_cast<double>(rules.answer_target_seconds)));
        ACCOMPANY_TRY(shrinkage, number_param(request, "shrinkage", 0.3));
        ACCOMPANY_TRY(occupancy, number_param(request, "max_occupancy", 0.85));
        input = StaffingInput{calls, interval, handle, level, answer, shrinkage, occupancy};
        ACCOMPANY_TRY(result, required_agents(input));
        return ok(json::object{{"calls", input.calls},
                               {"interval_seconds", input.interval_seconds},
                               {"handle_seconds", input.handle_seconds},
                               {"target_service_level", input.target_service_level},
                               {"target_answer_seconds", input.target_answer_seconds},
                               {"shrinkage", input.shrinkage},
                               {"max_occupancy", input.max_occupancy},
                               {"load_erlangs", result.load},
                               {"agents", result.agents},
                               {"scheduled_agents", result.scheduled},
                               {"wait_probability", result.wait_probability},
                               {"service_level", result.service_level},
                               {"average_speed_of_answer", result.average_speed_of_answer},
                               {"occupancy", result.occupancy}});
      }));
}

}  // namespace

void add_contact_center_routes(Router& router, ApiServices& services) {
  // Shared by the handlers that publish and subscribe; it lives as long as the last of them.
  auto live = std::make_shared<Live>();
  add_cti_route(router, services, live);
  add_desk_routes(router, services, live);
  add_wallboard_routes(router, services, live);
}

}  // namespace accompany

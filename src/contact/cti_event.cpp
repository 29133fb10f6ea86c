#include "contact/cti_event.h"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>

#include "domain/identity.h"
#include "linkage/identifiers.h"

namespace accompany {
namespace json = boost::json;

namespace {

Result<std::string> member(const json::object& object, std::string_view name, bool required, size_t max) {
  auto found = object.find(name);
  if (found == object.end() || found->value().is_null()) {
    if (required) return invalid(name, "", "is required");
    return std::string();
  }
  if (!found->value().is_string()) return invalid(name, json::serialize(found->value()), "must be a string");
  return clean_text(name, std::string(found->value().get_string()), max, required);
}

int rank(CallState state) {
  switch (state) {
    case CallState::queued:
      return 0;
    case CallState::ringing:
      return 1;
    case CallState::answered:
      return 2;
    case CallState::ended:
    case CallState::abandoned:
      return 3;
  }
  return 0;
}

}  // namespace

std::string CtiEvent::key() const {
  const std::string name(enum_name(kCtiEventNames, kind));
  return kind == CtiEventKind::transferred ? name + ":" + agent + "@" + queue : name;
}

Result<CtiEvent> cti_event_from_json(const json::value& body) {
  if (!body.is_object())
    return invalid("body", "", "send {\"event\", \"call_id\", \"timestamp\", \"caller_number\", \"queue\", \"agent\"}");
  const auto& object = body.as_object();
  for (const auto& field : object) {
    static constexpr std::string_view known[] = {"event",    "call_id", "caller_number", "queue",
                                                 "agent",    "language", "timestamp",    "linked_id",
                                                 "direction", "dialed_number"};
    if (std::find(std::begin(known), std::end(known), field.key()) == std::end(known))
      return invalid(field.key(), "", "is not a CTI event field (docs/contact-center.md lists them)");
  }
  CtiEvent event;
  ACCOMPANY_TRY(kind, member(object, "event", true, 32));
  ACCOMPANY_TRY(parsed_kind, parse_enum(kCtiEventNames, "event", kind));
  event.kind = parsed_kind;
  ACCOMPANY_TRY(call_id, member(object, "call_id", true, 128));
  event.call_id = call_id;
  ACCOMPANY_TRY(timestamp, member(object, "timestamp", true, 40));
  // Milliseconds (and any finer part) are kept as sent for latency; the store keeps seconds.
  std::string whole = timestamp;
  if (auto dot = whole.find('.'); dot != std::string::npos) {
    auto end = whole.find_first_not_of("0123456789", dot + 1);
    whole.erase(dot, end == std::string::npos ? std::string::npos : end - dot);
  }
  ACCOMPANY_TRY(at, parse_timestamp("timestamp", whole));
  event.at = at;
  event.timestamp_text = timestamp;
  ACCOMPANY_TRY(number, member(object, "caller_number", false, 40));
  if (!number.empty() && number != "anonymous" && number != "unknown") {
    event.caller_number = linkage::normalize_phone(number);
    if (event.caller_number.empty())
      return invalid("caller_number", number, "cannot be read as a phone number; send E.164 or 'anonymous'");
  }
  ACCOMPANY_TRY(queue, member(object, "queue", event.kind == CtiEventKind::queued, 64));
  event.queue = queue;
  const bool needs_agent = event.kind == CtiEventKind::ringing || event.kind == CtiEventKind::answered ||
                           event.kind == CtiEventKind::transferred;
  ACCOMPANY_TRY(agent, member(object, "agent", needs_agent, 64));
  event.agent = agent;
  ACCOMPANY_TRY(language, member(object, "language", false, 3));
  if (!language.empty()) ACCOMPANY_CHECK(find_language("language", language));
  event.language = language;
  return event;
}

Result<Call> apply_cti_event(std::optional<Call> existing, const CtiEvent& event, std::int64_t queue_priority) {
  Call call;
  if (existing) {
    call = *existing;
  } else {
    call.call_id = event.call_id;
    call.joined_at = event.at;
    call.queue = event.queue.empty() ? "general" : event.queue;
    call.priority = queue_priority;
  }
  if (event.at < call.joined_at) call.joined_at = event.at;  // an earlier event arrived late
  if (!event.caller_number.empty()) call.caller_number = event.caller_number;
  if (!event.language.empty()) call.language = event.language;
  if (!event.queue.empty() && event.queue != call.queue && existing) {
    call.queue = event.queue;
    call.priority = queue_priority;
  }
  if (!event.agent.empty()) call.agent = event.agent;
  auto advance = [&](CallState to) {
    if (rank(to) >= rank(call.state)) call.state = to;
  };
  switch (event.kind) {
    case CtiEventKind::queued:
      advance(CallState::queued);
      break;
    case CtiEventKind::ringing:
      advance(CallState::ringing);
      break;
    case CtiEventKind::answered:
      if (call.state == CallState::abandoned)
        return make_error(ErrorCode::conflict,
                          fmt::format("call {} was reported abandoned; it cannot be answered afterwards", call.call_id));
      advance(CallState::answered);
      call.answered_at = event.at;
      break;
    case CtiEventKind::ended:
      if (call.state == CallState::abandoned) break;  // hang-up after abandonment: nothing new
      call.state = call.answered_at ? CallState::ended : CallState::abandoned;
      call.ended_at = event.at;
      break;
    case CtiEventKind::abandoned:
      if (call.answered_at)
        return make_error(ErrorCode::conflict,
                          fmt::format("call {} was answered; send 'ended' when it finishes", call.call_id));
      call.state = CallState::abandoned;
      call.ended_at = event.at;
      break;
    case CtiEventKind::transferred:
      ++call.transfers;
      break;
  }
  if (call.ended_at && call.answered_at && *call.ended_at < *call.answered_at) call.ended_at = call.answered_at;
  ACCOMPANY_CHECK(Call::validate(call));
  return call;
}

}  // namespace accompany

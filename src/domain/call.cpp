#include "domain/call.h"

#include "domain/identity.h"

namespace accompany {

Status Call::validate(const Call& call) {
  ACCOMPANY_CHECK(check_text("call_id", call.call_id, 128, true));
  ACCOMPANY_CHECK(check_text("queue", call.queue, 64, true));
  ACCOMPANY_CHECK(check_text("agent", call.agent, 64, false));
  if (call.priority < 0 || call.priority > 9) return invalid("priority", std::to_string(call.priority), "must be 0..9");
  if (call.answered_at && *call.answered_at < call.joined_at)
    return invalid("answered_at", format_timestamp(*call.answered_at), "is before the caller joined the queue");
  if (call.ended_at && *call.ended_at < call.joined_at)
    return invalid("ended_at", format_timestamp(*call.ended_at), "is before the caller joined the queue");
  return {};
}

std::optional<std::int64_t> Call::wait_seconds() const {
  auto until = answered_at ? answered_at : ended_at;
  if (!until) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(*until - joined_at).count();
}

}  // namespace accompany

#include "domain/outbox_message.h"

#include "domain/identity.h"

namespace accompany {

Status OutboxMessage::validate(const OutboxMessage& message) {
  if (message.child_id <= 0) return invalid("child_id", std::to_string(message.child_id), "a message is about a child");
  ACCOMPANY_CHECK(check_text("kind", message.kind, 100, true));
  ACCOMPANY_CHECK(check_text("language", message.language, 3, true));
  ACCOMPANY_CHECK(check_text("recipient", message.recipient, 300, true));
  ACCOMPANY_CHECK(check_text("subject", message.subject, 300, true));
  ACCOMPANY_CHECK(check_text("body", message.body, 4000, true, true));
  ACCOMPANY_CHECK(check_text("delivered_via", message.delivered_via, 50, false));
  ACCOMPANY_CHECK(check_text("delivery_error", message.delivery_error, 1000, false));
  if (message.delivered_at && message.delivered_via.empty())
    return invalid("delivered_via", "", "a delivered message names the adapter that delivered it");
  return {};
}

}  // namespace accompany

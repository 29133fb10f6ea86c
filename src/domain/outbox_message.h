// A message to a child or sponsor (a hearing reminder), kept in the outbox before and after it
// is handed to a delivery adapter, so every message sent about a child is on the record.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"

namespace accompany {

struct OutboxMessage {
  Id id = 0;
  Id child_id = 0;
  std::optional<Id> hearing_id;  // the hearing a reminder is about
  std::string kind;              // "hearing_reminder_30", "hearing_reminder_7", "hearing_reminder_1"
  std::string language;          // ISO 639-3 code the text is written in ("spa", "eng")
  std::string recipient;         // "sms:+17135550199" or "mail:1200 W Main St Apt 4B, Houston TX 77002"
  std::string subject;
  std::string body;
  Timestamp created_at{};
  std::string delivered_via;  // adapter name ("file", "smtp"); empty until delivered
  std::optional<Timestamp> delivered_at;
  std::string delivery_error;  // the last delivery failure, empty when none

  static Status validate(const OutboxMessage& message);
  bool operator==(const OutboxMessage&) const = default;
};

}  // namespace accompany

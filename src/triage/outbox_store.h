// Sending hearing reminders from the store: every message is recorded in the audited outbox
// before it is handed to the adapter, and marked delivered (or given its error) after.
#pragma once

#include "store/store.h"
#include "triage/outbox.h"

namespace accompany {

struct ReminderSummary {
  std::int64_t created = 0;
  std::int64_t delivered = 0;
  std::int64_t failed = 0;  // left in the outbox with their error, retried next time
};

Result<ReminderSummary> send_hearing_reminders(Store& store, OutboxAdapter& outbox, const AuditContext& context);

}  // namespace accompany

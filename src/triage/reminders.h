// Hearing reminders, pure: which reminder (30, 7 or 1 days before) is due for each upcoming
// hearing of a case, written in the child's language from messages/hearing_reminder.json.
#pragma once

#include <vector>

#include "domain/outbox_message.h"
#include "triage/case_file.h"

namespace accompany {

// The language a message to the child is written in: the first of the child's languages we
// have text for (eng, spa); Spanish otherwise, since the children in care who speak neither
// mostly speak a Mayan language with Spanish as their second (an interpreter follows up).
std::string message_language(const Child& child);

// Where a message goes: the sponsor's phone ("sms:+1...") or else the current address
// ("mail:..."); empty when there is neither (the address rules already ask for one).
std::string message_recipient(const CaseFile& file);

// The reminders due now and not yet in `sent` (matched by hearing and kind): for each
// scheduled hearing ahead, the closest reminder whose day has come.
std::vector<OutboxMessage> hearing_reminders_due(const CaseFile& file, Timestamp now,
                                                 const std::vector<OutboxMessage>& sent);

}  // namespace accompany

// A CTI event as a PBX bridge posts it (docs/contact-center.md), and how each one moves a call
// along: queued -> ringing -> answered -> ended, or abandoned before an answer. Pure: the
// store applies the result (call_store.h). Thread-safe.
#pragma once

#include <optional>
#include <string>

#include <boost/json/value.hpp>

#include "domain/call.h"

namespace accompany {

enum class CtiEventKind { queued, ringing, answered, ended, abandoned, transferred };
inline constexpr EnumTable<CtiEventKind, 6> kCtiEventNames{{
    {CtiEventKind::queued, "queued"},
    {CtiEventKind::ringing, "ringing"},
    {CtiEventKind::answered, "answered"},
    {CtiEventKind::ended, "ended"},
    {CtiEventKind::abandoned, "abandoned"},
    {CtiEventKind::transferred, "transferred"},
}};

struct CtiEvent {
  CtiEventKind kind = CtiEventKind::ringing;
  std::string call_id;
  std::string caller_number;  // E.164 after normalization; empty when withheld
  std::string queue;
  std::string agent;
  std::string language;        // ISO 639-3, optional
  Timestamp at{};              // when it happened at the PBX (to the second, for the store)
  std::string timestamp_text;  // as sent (may carry milliseconds): echoed in the pop for latency
  // What makes a retry the same event: the kind, and for a transfer the agent it went to.
  std::string key() const;
};

// Reads and checks one event; the caller number is normalized to E.164 (a number that cannot
// be read is refused, "anonymous"/"" is accepted as withheld).
Result<CtiEvent> cti_event_from_json(const boost::json::value& body);

// The call after `event`: a new call when there is none yet. Events may arrive out of order
// (an "ended" before its "answered"); a call never moves back to an earlier state.
Result<Call> apply_cti_event(std::optional<Call> call, const CtiEvent& event, std::int64_t queue_priority);

}  // namespace accompany

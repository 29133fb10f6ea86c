// A call on the contact center's phone line as the PBX reported it: when the caller joined a
// queue, rang an agent, was answered, and ended or hung up first. One row per PBX call id;
// the CTI events that built it are kept for idempotency (store/migrations 0007).
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/time.h"
#include "domain/enum_names.h"

namespace accompany {

enum class CallState { queued, ringing, answered, ended, abandoned };
inline constexpr EnumTable<CallState, 5> kCallStateNames{{
    {CallState::queued, "queued"},
    {CallState::ringing, "ringing"},
    {CallState::answered, "answered"},
    {CallState::ended, "ended"},
    {CallState::abandoned, "abandoned"},
}};

struct Call {
  Id id = 0;
  std::string call_id;        // the PBX's id (Asterisk uniqueid/linkedid, FreeSWITCH member UUID)
  std::string caller_number;  // E.164, or empty when withheld or unreadable
  std::string queue;          // the PBX queue ("safety", "general", "spanish" ...)
  std::string language;       // ISO 639-3 from the dialed line or IVR choice; empty if unknown
  std::int64_t priority = 2;  // 0 first: safety (exploitation, runaway) queues
  std::string agent;          // the agent it rings or rang last (user name); empty while queued
  CallState state = CallState::queued;
  Timestamp joined_at{};  // first event for the call: when the caller started waiting
  std::optional<Timestamp> answered_at;
  std::optional<Timestamp> ended_at;  // ended or abandoned
  std::int64_t transfers = 0;

  static Status validate(const Call& call);
  // Seconds from joining to answer (or to hanging up unanswered); nullopt while still waiting.
  std::optional<std::int64_t> wait_seconds() const;
  bool operator==(const Call&) const = default;
};

}  // namespace accompany

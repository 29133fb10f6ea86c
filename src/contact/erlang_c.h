// Erlang C staffing (docs/contact-center.md): from calls in an interval and the average handle
// time, the agents needed to answer a target share of calls within a target time. Computed
// with the Erlang B recursion, so hundreds of agents do not overflow. Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "common/error.h"

namespace accompany {

// Probability that a call waits, with `agents` agents and `load` Erlangs offered (0 when
// agents > load is false: every call waits, returns 1).
double erlang_c_wait_probability(std::int64_t agents, double load);
// Share of calls answered within `answer_seconds`.
double erlang_c_service_level(std::int64_t agents, double load, double handle_seconds, double answer_seconds);
// Average speed of answer in seconds (infinite when agents <= load).
double erlang_c_average_speed_of_answer(std::int64_t agents, double load, double handle_seconds);

struct StaffingInput {
  double calls = 0;                 // calls offered in the interval
  double interval_seconds = 3600;   // the interval's length
  double handle_seconds = 0;        // average handle time: talk + hold + wrap-up
  double target_service_level = 0.8;
  double target_answer_seconds = 20;
  double shrinkage = 0.3;       // share of paid time not on the phones (breaks, training)
  double max_occupancy = 0.85;  // agents busy at most this share of the time
};

struct StaffingResult {
  double load = 0;            // Erlangs
  std::int64_t agents = 0;    // on the phones
  std::int64_t scheduled = 0; // agents / (1 - shrinkage), rounded up
  double wait_probability = 0;
  double service_level = 1;
  double average_speed_of_answer = 0;
  double occupancy = 0;
};

Status validate(const StaffingInput& input);
// The fewest agents meeting both the service level and the occupancy cap.
Result<StaffingResult> required_agents(const StaffingInput& input);

}  // namespace accompany

#include "contact/erlang_c.h"

#include <cmath>
#include <limits>
#include <string>

namespace accompany {

double erlang_c_wait_probability(std::int64_t agents, double load) {
  if (load <= 0) return 0;
  if (agents <= 0 || static_cast<double>(agents) <= load) return 1;
  // Erlang B by recursion: B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)); then C from B.
  double b = 1;
  for (std::int64_t n = 1; n <= agents; ++n) b = load * b / (static_cast<double>(n) + load * b);
  const double n = static_cast<double>(agents);
  return n * b / (n - load * (1 - b));
}

double erlang_c_service_level(std::int64_t agents, double load, double handle_seconds, double answer_seconds) {
  if (load <= 0) return 1;
  if (static_cast<double>(agents) <= load) return 0;
  const double wait = erlang_c_wait_probability(agents, load);
  return 1 - wait * std::exp(-(static_cast<double>(agents) - load) * answer_seconds / handle_seconds);
}

double erlang_c_average_speed_of_answer(std::int64_t agents, double load, double handle_seconds) {
  if (load <= 0) return 0;
  if (static_cast<double>(agents) <= load) return std::numeric_limits<double>::infinity();
  return erlang_c_wait_probability(agents, load) * handle_seconds / (static_cast<double>(agents) - load);
}

Status validate(const StaffingInput& in) {
  if (!(in.calls >= 0) || in.calls > 1e7) return invalid("calls", std::to_string(in.calls), "must be 0 to 10,000,000");
  if (!(in.interval_seconds > 0)) return invalid("interval_seconds", std::to_string(in.interval_seconds), "must be > 0");
  if (!(in.handle_seconds > 0) || in.handle_seconds > 86400)
    return invalid("handle_seconds", std::to_string(in.handle_seconds), "must be more than 0 and at most a day");
  if (!(in.target_service_level > 0) || in.target_service_level >= 1)
    return invalid("target_service_level", std::to_string(in.target_service_level), "must be between 0 and 1");
  if (!(in.target_answer_seconds >= 0))
    return invalid("target_answer_seconds", std::to_string(in.target_answer_seconds), "must be 0 or more");
  if (!(in.shrinkage >= 0) || in.shrinkage >= 1)
    return invalid("shrinkage", std::to_string(in.shrinkage), "must be 0 or more and less than 1");
  if (!(in.max_occupancy > 0) || in.max_occupancy > 1)
    return invalid("max_occupancy", std::to_string(in.max_occupancy), "must be more than 0 and at most 1");
  return {};
}

Result<StaffingResult> required_agents(const StaffingInput& in) {
  ACCOMPANY_CHECK(validate(in));
  StaffingResult result;
  result.load = in.calls * in.handle_seconds / in.interval_seconds;
  if (result.load == 0) return result;
  // Start at the occupancy floor (also > load, so a queue is stable) and add agents until the
  // service level is met; the service level rises with every agent added.
  auto agents = static_cast<std::int64_t>(std::floor(result.load / in.max_occupancy)) + 1;
  agents = std::max<std::int64_t>(agents, static_cast<std::int64_t>(std::floor(result.load)) + 1);
  while (erlang_c_service_level(agents, result.load, in.handle_seconds, in.target_answer_seconds) <
         in.target_service_level)
    ++agents;
  result.agents = agents;
  result.scheduled = static_cast<std::int64_t>(std::ceil(static_cast<double>(agents) / (1 - in.shrinkage) - 1e-9));
  result.wait_probability = erlang_c_wait_probability(agents, result.load);
  result.service_level = erlang_c_service_level(agents, result.load, in.handle_seconds, in.target_answer_seconds);
  result.average_speed_of_answer = erlang_c_average_speed_of_answer(agents, result.load, in.handle_seconds);
  result.occupancy = result.load / static_cast<double>(agents);
  return result;
}

}  // namespace accompany

// A day on a national child-helpline line, as CTI events: arrivals follow a daily curve (quiet
// at night, a peak in the afternoon), a category mix decides the queue (safety reports first),
// callers wait, some abandon, the rest ring an agent, are answered and end after a handle time.
// Pure and deterministic for a seed; `accompany simulate-calls` posts what it plans.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace accompany {

struct SimulationOptions {
  double calls_per_day = 7000;
  double seconds = 3600;  // simulated time to plan, from `start_hour`
  double start_hour = 0;  // UTC hour of the day the plan starts at
  int agents = 60;
  std::uint64_t seed = 1;
};

struct PlannedEvent {
  double at = 0;  // simulated seconds from the start
  std::string call_id;
  std::string kind;  // queued, ringing, answered, ended, abandoned
  std::string caller_number;
  std::string queue;
  std::string agent;
  std::string language;
};

// The share of a day's calls arriving in each UTC hour (sums to 1).
const std::vector<double>& daily_curve();
// Expected calls in the peak hour of a line taking `calls_per_day`.
double peak_hour_calls(double calls_per_day);

// Every event of the calls arriving in the planned window, in time order.
std::vector<PlannedEvent> plan_calls(const SimulationOptions& options);

// The webhook body for one event, with its timestamp.
boost::json::object cti_body(const PlannedEvent& event, const std::string& timestamp);

}  // namespace accompany

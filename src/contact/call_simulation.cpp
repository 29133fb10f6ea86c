#include "contact/call_simulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace accompany {

const std::vector<double>& daily_curve() {
  // Relative volume by hour: helplines are quiet before dawn and busiest after school.
  static const std::vector<double> curve = [] {
    std::vector<double> weights{1.0, 0.7, 0.5, 0.4, 0.4, 0.6, 1.2, 2.5, 4.0, 5.5, 6.3, 6.6,
                                6.5, 6.6, 7.0, 7.4, 7.6, 7.2, 6.4, 5.4, 4.3, 3.2, 2.2, 1.5};
    double total = 0;
    for (double w : weights) total += w;
    for (double& w : weights) w /= total;
    return weights;
  }();
  return curve;
}

double peak_hour_calls(double calls_per_day) {
  const auto& curve = daily_curve();
  return calls_per_day * *std::max_element(curve.begin(), curve.end());
}

std::vector<PlannedEvent> plan_calls(const SimulationOptions& options) {
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> unit(0, 1);
  const auto& curve = daily_curve();
  struct Mix {
    double share;
    const char* queue;
  };
  // Category mix as queues: exploitation (4%) and runaway (6%) reports go to the safety queue.
  const Mix mix[] = {{0.10, "safety"}, {0.15, "legal"}, {0.75, "general"}};
  const struct {
    double share;
    const char* code;
  } languages[] = {{0.68, "spa"}, {0.20, "eng"}, {0.06, "mam"}, {0.04, "quc"}, {0.02, "por"}};
  std::vector<PlannedEvent> events;
  double t = 0;
  std::int64_t n = 0;
  const std::int64_t pool = std::max<std::int64_t>(100, static_cast<std::int64_t>(options.calls_per_day * 3));
  while (true) {
    // Arrivals: a Poisson process whose rate follows the curve of the hour it is in.
    const int hour = static_cast<int>(std::floor(options.start_hour + t / 3600)) % 24;
    const double rate = options.calls_per_day * curve[static_cast<size_t>(hour)] / 3600;
    t += -std::log(1 - unit(random)) / rate;
    if (t >= options.seconds) break;
    ++n;
    PlannedEvent base;
    base.call_id = fmt::format("sim-{}-{}", options.seed, n);
    // Some callers call again: numbers come from a pool three days' calls wide.
    const auto caller = static_cast<std::int64_t>(unit(random) * static_cast<double>(pool));
    base.caller_number = fmt::format("+1202{:07d}", caller % 10000000);
    double pick = unit(random);
    base.queue = "general";
    for (const auto& m : mix) {
      if (pick < m.share) {
        base.queue = m.queue;
        break;
      }
      pick -= m.share;
    }
    pick = unit(random);
    base.language = "spa";
    for (const auto& l : languages) {
      if (pick < l.share) {
        base.language = l.code;
        break;
      }
      pick -= l.share;
    }
    base.agent = fmt::format("sim.agent.{}", 1 + static_cast<int>(unit(random) * options.agents));
    const double wait = -std::log(1 - unit(random)) * (base.queue == "safety" ? 8 : 18);
    const double patience = -std::log(1 - unit(random)) * 180;
    auto add = [&](double at, const char* kind, bool with_agent) {
      PlannedEvent event = base;
      event.at = at;
      event.kind = kind;
      if (!with_agent) event.agent.clear();
      events.push_back(std::move(event));
    };
    add(t, "queued", false);
    if (patience < wait) {
      add(t + patience, "abandoned", false);
      continue;
    }
    add(t + wait, "ringing", true);
    add(t + wait + 3, "answered", true);
    const double handle = 120 + -std::log(1 - unit(random)) * 360;  // about 8 minutes on average
    add(t + wait + 3 + handle, "ended", true);
  }
  std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
  // The window ends where it ends: calls still in progress then simply have no later events.
  std::erase_if(events, [&](const PlannedEvent& event) { return event.at >= options.seconds; });
  return events;
}

boost::json::object cti_body(const PlannedEvent& event, const std::string& timestamp) {
  boost::json::object body{{"event", event.kind}, {"call_id", event.call_id}, {"timestamp", timestamp}};
  if (!event.caller_number.empty()) body["caller_number"] = event.caller_number;
  if (!event.queue.empty()) body["queue"] = event.queue;
  if (!event.agent.empty()) body["agent"] = event.agent;
  if (!event.language.empty()) body["language"] = event.language;
  return body;
}

}  // namespace accompany

#include "http/metrics.h"

#include <fmt/format.h>

namespace accompany {

void Metrics::Histogram::observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++buckets[i];
  ++count;
  sum += seconds;
}

void Metrics::observe_request(const std::string& route, int status, std::chrono::duration<double> elapsed) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  request_latency_[route].observe(elapsed.count());
}

void Metrics::observe_store(std::chrono::duration<double> elapsed) {
  std::lock_guard lock(mutex_);
  store_latency_.observe(elapsed.count());
}

void Metrics::write_histogram(std::string& out, const std::string& name, const std::string& labels,
                              const Histogram& histogram) {
  const std::string prefix = labels.empty() ? "" : labels + ",";
  for (size_t i = 0; i < kBuckets.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"{}\"}} {}\n", name, prefix, kBuckets[i],
                   histogram.buckets[i]);
  fmt::format_to(std::back_inserter(out), "{}_bucket{{{}le=\"+Inf\"}} {}\n", name, prefix, histogram.count);
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  fmt::format_to(std::back_inserter(out), "{}_sum{} {}\n{}_count{} {}\n", name, braces, histogram.sum, name, braces,
                 histogram.count);
}

std::string Metrics::prometheus_text() const {
  std::string out;
  std::lock_guard lock(mutex_);
  // Route labels are route patterns declared in code, never raw paths, so they need no escaping
  // and cannot grow without bound.
  out += "# HELP accompany_http_requests_total HTTP requests answered, by route pattern and status.\n";
  out += "# TYPE accompany_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    fmt::format_to(std::back_inserter(out), "accompany_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                   key.first, key.second, count);
  out += "# HELP accompany_http_request_duration_seconds Time to handle a request, by route pattern.\n";
  out += "# TYPE accompany_http_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : request_latency_)
    write_histogram(out, "accompany_http_request_duration_seconds", fmt::format("route=\"{}\"", route), histogram);
  out += "# HELP accompany_store_duration_seconds Time spent in store transactions and reads.\n";
  out += "# TYPE accompany_store_duration_seconds histogram\n";
  write_histogram(out, "accompany_store_duration_seconds", "", store_latency_);
  out += "# HELP accompany_audit_entries_written_total Audit entries appended by this server.\n";
  out += "# TYPE accompany_audit_entries_written_total counter\n";
  fmt::format_to(std::back_inserter(out), "accompany_audit_entries_written_total {}\n", audit_entries_.load());
  return out;
}

}  // namespace accompany

// Counters and histograms for /metrics, in Prometheus text format: requests by route and
// status, request latency, store latency, audit entries written. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace accompany {

class Metrics {
 public:
  void observe_request(const std::string& route, int status, std::chrono::duration<double> elapsed);
  void observe_store(std::chrono::duration<double> elapsed);
  void add_audit_entries(std::int64_t count) { audit_entries_ += count; }

  // The whole exposition, one metric family after another.
  std::string prometheus_text() const;

 private:
  // Upper bounds in seconds; the last bucket (+Inf) is the count.
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
    void observe(double seconds);
  };
  static void write_histogram(std::string& out, const std::string& name, const std::string& labels,
                              const Histogram& histogram);

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // guarded by mutex_
  std::map<std::string, Histogram> request_latency_;               // guarded by mutex_
  Histogram store_latency_;                                        // guarded by mutex_
  std::atomic<std::int64_t> audit_entries_{0};
};

}  // namespace accompany

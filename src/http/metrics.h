// Metrics: request counters, a latency histogram and the open-connection
// gauge, rendered in the Prometheus text exposition format for GET /metrics,
// followed by the process-wide event counters of common/counters.h.
//
// Contract:
// - record() and the connection gauge are lock-free (relaxed atomics in a
//   fixed table): safe and cheap from every worker thread on the hot path.
// - Requests are counted per operation by the row's metrics_slot in the
//   operation registry (api/operations.h) and labelled with its name; a name
//   in no row is counted in slot 0 and labelled "unknown", so a client cannot
//   grow the label set. Series are rendered in slot order ("unknown" first,
//   then the operations by name).
// - render() reads the counters without stopping writers; a scrape may see a
//   request counted in one series and not yet in another (as usual).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fdyno::http {

class Metrics {
 public:
  Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // `slot`: api::metricsSlot(row), or api::kUnknownMetricsSlot.
  void record(int slot, int http_status, std::chrono::nanoseconds latency);
  void connectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void connectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t openConnections() const { return open_connections_.load(std::memory_order_relaxed); }

  // Total requests recorded for an operation name and status ("unknown" or
  // any name in no row: slot 0).
  uint64_t count(std::string_view op, int http_status) const;

  std::string render() const;

  // Histogram upper bounds in seconds (the +Inf bucket is implicit).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};
  // Statuses with their own series; others are counted under "other".
  static constexpr std::array<int, 6> kStatuses = {200, 400, 404, 413, 500, 503};

 private:
  struct OpStats {
    std::array<std::atomic<uint64_t>, kStatuses.size() + 1> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // non-cumulative
    std::atomic<uint64_t> sum_ns{0};
  };
  static int statusIndex(int status);

  size_t slots_;  // api::metricsSlotCount()
  std::unique_ptr<OpStats[]> ops_;
  std::atomic<int64_t> open_connections_{0};
};

}  // namespace fdyno::http

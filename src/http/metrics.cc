#include "http/metrics.h"

#include <cstdio>
#include <memory>

#include "api/operations.h"
#include "common/counters.h"

namespace fdyno::http {
namespace {

// Slot 0 counts the names in no row of the registry; slot i > 0 is
// api::operations()[i - 1] (api/operations.h).
std::string_view slotLabel(size_t slot) { return slot == 0 ? "unknown" : api::operations()[slot - 1].name; }

void appendDouble(std::string& out, double v) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.9g", v);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace

Metrics::Metrics() : slots_(api::metricsSlotCount()), ops_(std::make_unique<OpStats[]>(slots_)) {}

int Metrics::statusIndex(int status) {
  for (size_t i = 0; i < kStatuses.size(); ++i)
    if (kStatuses[i] == status) return static_cast<int>(i);
  return static_cast<int>(kStatuses.size());
}

void Metrics::record(int slot, int http_status, std::chrono::nanoseconds latency) {
  OpStats& s = ops_[static_cast<size_t>(slot)];
  s.by_status[static_cast<size_t>(statusIndex(http_status))].fetch_add(1, std::memory_order_relaxed);
  const double secs = std::chrono::duration<double>(latency).count();
  size_t b = 0;
  while (b < kBuckets.size() && secs > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<uint64_t>(latency.count()), std::memory_order_relaxed);
}

uint64_t Metrics::count(std::string_view op, int http_status) const {
  const OpStats& s = ops_[static_cast<size_t>(api::metricsSlot(api::findOperation(op)))];
  return s.by_status[static_cast<size_t>(statusIndex(http_status))].load(std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  out +=
      "# HELP fdyno_requests_total DynamoDB API requests by operation and HTTP status.\n"
      "# TYPE fdyno_requests_total counter\n";
  for (size_t i = 0; i < slots_; ++i) {
    const OpStats& s = ops_[i];
    for (size_t j = 0; j <= kStatuses.size(); ++j) {
      uint64_t v = s.by_status[j].load(std::memory_order_relaxed);
      if (v == 0) continue;
      out += "fdyno_requests_total{operation=\"";
      out += slotLabel(i);
      out += "\",status=\"";
      out += j < kStatuses.size() ? std::to_string(kStatuses[j]) : std::string("other");
      out += "\"} ";
      out += std::to_string(v);
      out += '\n';
    }
  }
  out +=
      "# HELP fdyno_request_duration_seconds Time from a request's arrival to its response, by "
      "operation.\n"
      "# TYPE fdyno_request_duration_seconds histogram\n";
  for (size_t i = 0; i < slots_; ++i) {
    const OpStats& s = ops_[i];
    uint64_t total = 0;
    std::array<uint64_t, kBuckets.size() + 1> counts{};
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      counts[b] = s.buckets[b].load(std::memory_order_relaxed);
      total += counts[b];
    }
    if (total == 0) continue;
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += counts[b];
      out += "fdyno_request_duration_seconds_bucket{operation=\"";
      out += slotLabel(i);
      out += "\",le=\"";
      if (b < kBuckets.size()) {
        appendDouble(out, kBuckets[b]);
      } else {
        out += "+Inf";
      }
      out += "\"} ";
      out += std::to_string(cumulative);
      out += '\n';
    }
    out += "fdyno_request_duration_seconds_sum{operation=\"";
    out += slotLabel(i);
    out += "\"} ";
    appendDouble(out, static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += "\nfdyno_request_duration_seconds_count{operation=\"";
    out += slotLabel(i);
    out += "\"} ";
    out += std::to_string(cumulative);
    out += '\n';
  }
  out +=
      "# HELP fdyno_open_connections Client connections currently open.\n"
      "# TYPE fdyno_open_connections gauge\n"
      "fdyno_open_connections ";
  out += std::to_string(openConnections());
  out += '\n';
  for (size_t i = 0; i < counters::kCounterCount; ++i) {
    const auto c = static_cast<counters::Counter>(i);
    const counters::CounterInfo& ci = counters::info(c);
    out += "# HELP ";
    out += ci.name;
    out += ' ';
    out += ci.help;
    out += ".\n# TYPE ";
    out += ci.name;
    out += " counter\n";
    out += ci.name;
    out += ' ';
    out += std::to_string(counters::value(c));
    out += '\n';
  }
  return out;
}

}  // namespace fdyno::http

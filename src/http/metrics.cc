#include "http/metrics.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "common/counters.h"

namespace fdyno::http {
namespace {

// Sorted for binary search. Index 0 is reserved for "unknown" (the table is
// offset by one).
constexpr std::string_view kOperations[] = {
    "BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "CreateBackup", "CreateGlobalTable",
    "CreateTable", "DeleteBackup", "DeleteItem", "DeleteResourcePolicy", "DeleteTable",
    "DescribeBackup", "DescribeContinuousBackups", "DescribeContributorInsights", "DescribeEndpoints",
    "DescribeExport", "DescribeGlobalTable", "DescribeGlobalTableSettings", "DescribeImport",
    "DescribeKinesisStreamingDestination", "DescribeLimits", "DescribeStream", "DescribeTable",
    "DescribeTableReplicaAutoScaling", "DescribeTimeToLive", "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination", "ExecuteStatement", "ExecuteTransaction",
    "ExportTableToPointInTime", "GetItem", "GetRecords", "GetResourcePolicy", "GetShardIterator",
    "ImportTable", "ListBackups", "ListContributorInsights", "ListExports", "ListGlobalTables",
    "ListImports", "ListStreams", "ListTables", "ListTagsOfResource", "PutItem", "PutResourcePolicy",
    "Query", "RestoreTableFromBackup", "RestoreTableToPointInTime", "Scan", "TagResource",
    "TransactGetItems", "TransactWriteItems", "UntagResource", "UpdateContinuousBackups",
    "UpdateContributorInsights", "UpdateGlobalTable", "UpdateGlobalTableSettings", "UpdateItem",
    "UpdateKinesisStreamingDestination", "UpdateTable", "UpdateTableReplicaAutoScaling",
    "UpdateTimeToLive",
};
constexpr size_t kOpCount = std::size(kOperations) + 1;

std::string_view opName(size_t index) { return index == 0 ? "unknown" : kOperations[index - 1]; }

void appendDouble(std::string& out, double v) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%.9g", v);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace

Metrics::Metrics() : ops_(std::make_unique<OpStats[]>(kOpCount)) {
  static_assert(std::is_sorted(std::begin(kOperations), std::end(kOperations)));
}

int Metrics::operationIndex(std::string_view op) {
  auto it = std::lower_bound(std::begin(kOperations), std::end(kOperations), op);
  if (it == std::end(kOperations) || *it != op) return kUnknownOp;
  return static_cast<int>(it - std::begin(kOperations)) + 1;
}

int Metrics::statusIndex(int status) {
  for (size_t i = 0; i < kStatuses.size(); ++i)
    if (kStatuses[i] == status) return static_cast<int>(i);
  return static_cast<int>(kStatuses.size());
}

void Metrics::record(int op_index, int http_status, std::chrono::nanoseconds latency) {
  OpStats& s = ops_[static_cast<size_t>(op_index)];
  s.by_status[static_cast<size_t>(statusIndex(http_status))].fetch_add(1, std::memory_order_relaxed);
  const double secs = std::chrono::duration<double>(latency).count();
  size_t b = 0;
  while (b < kBuckets.size() && secs > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, std::memory_order_relaxed);
  s.sum_ns.fetch_add(static_cast<uint64_t>(latency.count()), std::memory_order_relaxed);
}

uint64_t Metrics::count(std::string_view op, int http_status) const {
  const OpStats& s = ops_[static_cast<size_t>(operationIndex(op))];
  return s.by_status[static_cast<size_t>(statusIndex(http_status))].load(std::memory_order_relaxed);
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(4096);
  out +=
      "# HELP fdyno_requests_total DynamoDB API requests by operation and HTTP status.\n"
      "# TYPE fdyno_requests_total counter\n";
  for (size_t i = 0; i < kOpCount; ++i) {
    const OpStats& s = ops_[i];
    for (size_t j = 0; j <= kStatuses.size(); ++j) {
      uint64_t v = s.by_status[j].load(std::memory_order_relaxed);
      if (v == 0) continue;
      out += "fdyno_requests_total{operation=\"";
      out += opName(i);
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
  for (size_t i = 0; i < kOpCount; ++i) {
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
      out += opName(i);
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
    out += opName(i);
    out += "\"} ";
    appendDouble(out, static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9);
    out += "\nfdyno_request_duration_seconds_count{operation=\"";
    out += opName(i);
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

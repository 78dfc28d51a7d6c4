// Process-wide event counters that layers below src/http report and GET
// /metrics publishes (http/metrics.cc renders them after the request series).
//
// Contract:
// - A fixed set, named here: a new counter is a new enum value plus its row
//   in counters.cc. Values are never written to disk.
// - add() and value() are lock-free (relaxed atomics): safe and cheap from
//   any thread, including the commit leader and background sweepers.
// - Counters only grow; they start at zero with the process.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fdyno::counters {

enum class Counter : uint8_t {
  // Stored items (or index entries) whose bytes did not decode: a read that
  // returns many items skipped them, a single-item read refused them
  // (engine/stored_item.h).
  kUndecodableItems = 0,
  // Writes refused because the storage device was full (StatusCode::kNoSpace).
  kStorageFullWrites,
  // Statements sent to a remote store (PostgreSQL) for the reads of
  // requests' transactions, and for their commits (one per commit group):
  // round trips, the latency a request pays (docs/performance.md). Not the
  // store's background work (heartbeats, collection).
  kStoreReadRoundTrips,
  kStoreCommitRoundTrips,
  // Of those commit groups, the ones committed set-based because their
  // requests were independent (docs/kv.md, "PostgreSQL store").
  kStoreSetBasedCommitGroups,
  kCount  // not a counter: the number of counters
};

struct CounterInfo {
  std::string_view name;  // Prometheus metric name, ends in _total
  std::string_view help;
};

void add(Counter c, uint64_t n = 1);
uint64_t value(Counter c);
const CounterInfo& info(Counter c);

inline constexpr size_t kCounterCount = static_cast<size_t>(Counter::kCount);

}  // namespace fdyno::counters

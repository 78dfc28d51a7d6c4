#include "common/counters.h"

#include <atomic>

namespace fdyno::counters {
namespace {

std::array<std::atomic<uint64_t>, kCounterCount> g_values{};

constexpr std::array<CounterInfo, kCounterCount> kInfo = {{
    {"fdyno_undecodable_items_total",
     "Times a stored item did not decode: skipped by a multi-item read or job, refused by a single-item read"},
    {"fdyno_storage_full_writes_total", "Writes refused because the storage device was full"},
    {"fdyno_store_read_round_trips_total", "Read statements sent to a remote store (PostgreSQL) by requests"},
    {"fdyno_store_commit_round_trips_total",
     "Commit statements sent to a remote store (PostgreSQL), one per commit group"},
    {"fdyno_store_set_based_commit_groups_total",
     "Commit groups of independent requests committed set-based on a remote store (PostgreSQL)"},
}};

}  // namespace

void add(Counter c, uint64_t n) { g_values[static_cast<size_t>(c)].fetch_add(n, std::memory_order_relaxed); }

uint64_t value(Counter c) { return g_values[static_cast<size_t>(c)].load(std::memory_order_relaxed); }

const CounterInfo& info(Counter c) { return kInfo[static_cast<size_t>(c)]; }

}  // namespace fdyno::counters

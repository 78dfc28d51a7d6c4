#include "kv/read_version_registry.h"

#include <atomic>

namespace fdyno::kv {

uint32_t ReadVersionRegistry::threadShard() {
  static std::atomic<uint32_t> next{0};
  thread_local uint32_t shard = next.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

void ReadVersionRegistry::leave(const Ticket& ticket) {
  Shard& shard = shards_[ticket.shard];
  MutexLock lock(shard.mu);
  for (auto it = shard.counts.begin(); it != shard.counts.end(); ++it) {
    if (it->first == ticket.version) {
      if (--it->second == 0) {
        *it = shard.counts.back();
        shard.counts.pop_back();
      }
      return;
    }
  }
}

uint64_t ReadVersionRegistry::oldest(uint64_t latest_published) const {
  uint64_t oldest = latest_published;
  for (const Shard& shard : shards_) {
    MutexLock lock(shard.mu);
    for (const auto& [version, count] : shard.counts) oldest = std::min(oldest, version);
  }
  return oldest;
}

}  // namespace fdyno::kv

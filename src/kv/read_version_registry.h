// read_version_registry.h: which read versions open transactions still use,
// so the commit leader knows how much history (conflict log, MVCC versions)
// it may forget.
//
// Contract:
// - enter() opens a view at the latest published version *and* registers that
//   version under one shard lock; oldest() scans the shards one by one. Because
//   the caller of oldest() reads the published version before scanning, a
//   transaction that slips in after its shard was scanned got a version >= that
//   value, so nothing it needs is ever discarded (see docs/kv.md).
// - Sharded by thread so that concurrent begin() calls rarely contend; no lock
//   is held while reading data.
// - Thread-safe. leave() may run on a different thread than enter().
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <mutex>
#include <utility>
#include <vector>

#include "common/mutex.h"

namespace fdyno::kv {

class ReadVersionRegistry {
 public:
  struct Ticket {
    uint32_t shard = 0;
    uint64_t version = 0;
  };

  // `open()` returns a view pointer (anything with ->version()); it runs
  // under the shard lock so its version is registered atomically.
  template <typename Open>
  auto enter(Open&& open, Ticket* ticket) {
    uint32_t shard_index = threadShard();
    Shard& shard = shards_[shard_index];
    MutexLock lock(shard.mu);
    auto view = open();
    uint64_t version = view->version();
    auto it = std::find_if(shard.counts.begin(), shard.counts.end(),
                           [&](const auto& p) { return p.first == version; });
    if (it != shard.counts.end()) {
      ++it->second;
    } else {
      shard.counts.emplace_back(version, 1);
    }
    *ticket = Ticket{shard_index, version};
    return view;
  }

  void leave(const Ticket& ticket);

  // min(latest_published, every registered version). Pass the published
  // version read *before* this call.
  uint64_t oldest(uint64_t latest_published) const;

 private:
  static constexpr uint32_t kShards = 16;
  struct alignas(64) Shard {
    mutable Mutex mu;
    // (version, open transactions at it); tiny: most readers share the latest version.
    std::vector<std::pair<uint64_t, uint32_t>> counts GUARDED_BY(mu);
  };
  static uint32_t threadShard();

  std::array<Shard, kShards> shards_;
};

}  // namespace fdyno::kv

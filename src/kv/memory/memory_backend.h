// memory_backend.h: a volatile, multi-version in-memory Backend.
//
// Contract:
// - Data: an ordered map from key to a short version chain (ascending commit
//   versions; an entry is a value or a tombstone). A view at version V sees,
//   per key, the newest entry <= V. Chains are trimmed below the oldest open
//   read version whenever the leader applies a group, so a key that is not
//   being rewritten costs one entry.
// - Concurrency: readers take a shared lock (no global exclusive lock on the
//   read path); the single commit leader takes the exclusive lock only while
//   applying a group in memory (there is no I/O). The published version is an
//   atomic stored after the group is fully applied, so no view ever sees part
//   of a group.
// - Durability: none; DurabilityMode and flush() are no-ops. Everything is
//   lost when the store is destroyed.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "kv/backend.h"

namespace fdyno::kv {

class MemoryBackend final : public Backend {
 public:
  MemoryBackend() = default;

  std::unique_ptr<ReadView> openView() override;
  uint64_t publishedVersion() const override { return published_.load(std::memory_order_acquire); }
  Result<std::optional<std::string>> readLatest(std::string_view key) override;
  Status applyGroup(std::span<const Mutation> mutations, uint64_t last_version, bool sync,
                    uint64_t oldest_read_version) override;
  void publishUnchanged(uint64_t last_version) override {
    published_.store(last_version, std::memory_order_release);
  }
  Status flush() override { return Status::OK(); }
  std::string describe() const override { return "memory (volatile; data is lost on exit)"; }

  // Version-chain entry.
  struct Entry {
    uint64_t version;
    bool present;
    std::string value;
  };
  using Chain = std::vector<Entry>;
  using Map = std::map<std::string, Chain, std::less<>>;

  // The entry visible at `version`, or nullptr (absent or tombstone).
  static const Entry* visibleAt(const Chain& chain, uint64_t version) {
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (it->version <= version) return it->present ? &*it : nullptr;
    }
    return nullptr;
  }

  std::shared_mutex& mutex() const { return mu_; }
  const Map& data() const { return data_; }
  // Point lookup through the hash index (caller holds mutex() shared).
  const Chain* findChain(std::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : it->second;
  }

 private:
  Map::iterator findOrInsert(const std::string& key);
  void push(Map::iterator it, uint64_t version, bool present, std::string_view value);
  void collectGarbage(uint64_t oldest_read_version);

  mutable std::shared_mutex mu_;
  Map data_;
  // Hash index over data_ for point reads (the GetItem hot path): a tree walk
  // over a large map is a chain of cache misses. Keys view the map's own key
  // strings and values point at its chains; std::map nodes never move.
  std::unordered_map<std::string_view, Chain*> index_;
  std::atomic<uint64_t> published_{0};
  // Keys that gained history, with the version at which it can be trimmed.
  // Leader-only (touched under the exclusive lock).
  std::deque<std::pair<uint64_t, std::string>> gc_queue_;
};

}  // namespace fdyno::kv

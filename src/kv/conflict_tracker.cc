#include "kv/conflict_tracker.h"

namespace fdyno::kv {

bool ConflictTracker::conflicts(uint64_t read_version, const ReadConflicts& reads) const {
  for (const std::string& key : reads.keys) {
    auto it = last_write_.find(key);
    if (it != last_write_.end() && it->second > read_version) return true;
  }
  for (const auto& [begin, end] : reads.ranges) {
    // Only keys written since the oldest reader are here, so this walk is
    // bounded by recent write traffic into the range, not by its size.
    for (auto it = last_write_.lower_bound(begin); it != last_write_.end() && it->first < end; ++it) {
      if (it->second > read_version) return true;
    }
  }
  // Newest range writes last: stop at the first one this reader already saw.
  for (auto it = range_writes_.rbegin(); it != range_writes_.rend() && it->version > read_version; ++it) {
    for (const std::string& key : reads.keys) {
      if (key >= it->begin && key < it->end) return true;
    }
    for (const auto& [begin, end] : reads.ranges) {
      if (begin < it->end && it->begin < end) return true;
    }
  }
  return false;
}

void ConflictTracker::beginCommit(uint64_t version) {
  commits_.push_back(CommitRecord{version, {}, 0});
}

void ConflictTracker::addWrittenKey(std::string_view key) {
  CommitRecord& rec = commits_.back();
  auto [it, inserted] = last_write_.try_emplace(std::string(key), rec.version);
  if (!inserted) {
    // Same key twice in one commit: keep a single reference so prune never
    // touches an erased node.
    if (it->second == rec.version) return;
    it->second = rec.version;
  }
  rec.keys.push_back(it);
  ++tracked_writes_;
}

void ConflictTracker::addWrittenRange(std::string_view begin, std::string_view end) {
  CommitRecord& rec = commits_.back();
  range_writes_.push_back(RangeWrite{rec.version, std::string(begin), std::string(end)});
  ++rec.ranges;
  ++tracked_writes_;
}

void ConflictTracker::popOldest() {
  CommitRecord& rec = commits_.front();
  for (KeyMap::iterator it : rec.keys) {
    // A newer commit rewrote the key: that commit's record owns the node now.
    if (it->second == rec.version) last_write_.erase(it);
  }
  for (size_t i = 0; i < rec.ranges; ++i) range_writes_.pop_front();
  tracked_writes_ -= rec.keys.size() + rec.ranges;
  horizon_ = rec.version;
  commits_.pop_front();
}

void ConflictTracker::prune(uint64_t oldest_read_version) {
  while (!commits_.empty() && commits_.front().version <= oldest_read_version) popOldest();
  while (!commits_.empty() && tracked_writes_ > max_tracked_writes_) popOldest();
}

}  // namespace fdyno::kv

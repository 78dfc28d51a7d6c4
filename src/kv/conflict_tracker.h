// conflict_tracker.h: the memory of recent commits' write sets, used to
// validate optimistic transactions at commit.
//
// Contract:
// - A transaction with read version R conflicts if any commit with version > R
//   wrote a key inside its read-conflict set (point keys or ranges).
// - History is kept only as far back as needed: prune(oldest) forgets commits
//   at or below the oldest read version still in use. A transaction whose read
//   version is below horizon() may have missed conflicts and must be rejected
//   with kConflict ("too old"); with prune() fed the true oldest read version
//   this only happens after the size cap forced an early prune.
// - Not thread-safe: only the commit leader (one thread at a time) uses it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fdyno::kv {

struct ReadConflicts {
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, std::string>> ranges;  // [begin, end)
  bool empty() const { return keys.empty() && ranges.empty(); }
};

class ConflictTracker {
 public:
  // `max_tracked_writes` caps memory: beyond it the oldest commits are
  // forgotten even if a transaction still reads below them.
  explicit ConflictTracker(size_t max_tracked_writes = size_t{1} << 21)
      : max_tracked_writes_(max_tracked_writes) {}

  uint64_t horizon() const { return horizon_; }

  // True if a commit newer than `read_version` wrote into `reads`.
  bool conflicts(uint64_t read_version, const ReadConflicts& reads) const;

  // Records one commit's writes: call beginCommit(v), then addWrittenKey /
  // addWrittenRange for each write. Versions must increase across commits.
  void beginCommit(uint64_t version);
  void addWrittenKey(std::string_view key);
  void addWrittenRange(std::string_view begin, std::string_view end);

  // Forgets commits with version <= oldest_read_version (and more if over the cap).
  void prune(uint64_t oldest_read_version);

  size_t trackedWrites() const { return tracked_writes_; }

 private:
  using KeyMap = std::map<std::string, uint64_t, std::less<>>;
  struct CommitRecord {
    uint64_t version;
    std::vector<KeyMap::iterator> keys;  // map nodes whose newest write is (or was) this commit
    size_t ranges = 0;
  };
  struct RangeWrite {
    uint64_t version;
    std::string begin;
    std::string end;
  };
  void popOldest();

  KeyMap last_write_;  // key -> newest version that wrote it
  std::deque<CommitRecord> commits_;
  std::deque<RangeWrite> range_writes_;  // ascending by version
  uint64_t horizon_ = 0;
  size_t tracked_writes_ = 0;
  size_t max_tracked_writes_;
};

}  // namespace fdyno::kv

// write_buffer.h: a transaction's uncommitted writes, kept so that its own
// reads see them (read-your-writes) and so commit can apply them at once.
//
// Contract:
// - Owned by one Transaction; not thread-safe.
// - Semantics follow program order: a later set() overrides an earlier
//   clearRange() of the same key; a later clearRange() drops earlier point
//   writes inside it. atomicAdd() folds into an earlier set/clear of the same
//   key (so the result is known locally), otherwise stays a pending add that
//   is resolved against the committed value at commit time.
// - Versionstamped sets are write-only (their key is unknown until commit)
//   and are applied after every other write of the transaction.
// - No validation here: the Transaction rejects empty and reserved keys.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdyno::kv {

// A set of disjoint half-open key ranges [begin, end), merged on insert.
class RangeSet {
 public:
  void add(std::string_view begin, std::string_view end);
  bool contains(std::string_view key) const;
  bool empty() const { return ranges_.empty(); }
  // begin -> end, ascending, non-overlapping, non-adjacent.
  const std::map<std::string, std::string, std::less<>>& ranges() const { return ranges_; }

 private:
  std::map<std::string, std::string, std::less<>> ranges_;
};

struct PointWrite {
  enum class Kind : uint8_t { kSet, kClear, kAdd };
  Kind kind;
  std::string value;  // kSet only
  int64_t delta = 0;  // kAdd only
};

struct VersionstampedSet {
  std::string prefix;
  std::string suffix;
  std::string value;
};

class WriteBuffer {
 public:
  using PointMap = std::map<std::string, PointWrite, std::less<>>;

  void set(std::string_view key, std::string_view value);
  void clear(std::string_view key);
  void clearRange(std::string_view begin, std::string_view end);
  void atomicAdd(std::string_view key, int64_t delta);
  void setVersionstamped(std::string_view prefix, std::string_view suffix, std::string_view value);

  bool empty() const { return points_.empty() && cleared_.empty() && versionstamped_.empty(); }

  // The buffered point write for `key`, or nullptr.
  const PointWrite* findPoint(std::string_view key) const {
    auto it = points_.find(key);
    return it == points_.end() ? nullptr : &it->second;
  }
  // True if a buffered clearRange/clear covers `key` (and no later point write overrides it).
  bool isCleared(std::string_view key) const { return cleared_.contains(key); }

  const PointMap& points() const { return points_; }
  const RangeSet& clearedRanges() const { return cleared_; }
  const std::vector<VersionstampedSet>& versionstamped() const { return versionstamped_; }

 private:
  PointMap points_;
  RangeSet cleared_;
  std::vector<VersionstampedSet> versionstamped_;
};

// Applies a pending add to an optional base value: absent counts as 0.
std::string applyAdd(const std::optional<std::string_view>& base, int64_t delta);

}  // namespace fdyno::kv

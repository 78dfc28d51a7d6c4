// buffered_transaction.h: what every kv Transaction of fdyno's stores does
// the same way: key validation, the write buffer (read-your-writes), the
// read-conflict set and the deferred error of the void writers. Internal to
// src/kv/. OccTransaction (embedded stores) and the PostgreSQL store's
// transaction derive from it and supply the snapshot (view()) and commit().
//
// Contract:
// - get()/getRange() answer from the buffer where it decides, otherwise from
//   view() merged with the buffer (range_read.h); non-snapshot reads enter
//   reads_.
// - The void writers validate keys; the first invalid one is remembered and
//   startCommit() returns it (kv.h: commit writes nothing then).
// - addReadConflictRange() calls pinReadVersion() first, so a store that
//   takes its read version lazily (PostgreSQL) counts the range from now.
// - Not thread-safe: one thread at a time, like every Transaction.
#pragma once

#include <string_view>

#include "common/status.h"
#include "kv/backend.h"
#include "kv/conflict_tracker.h"
#include "kv/kv.h"
#include "kv/write_buffer.h"

namespace fdyno::kv {

// Versionstamps carry a 2-byte order within the transaction.
inline constexpr size_t kMaxVersionstampedPerTxn = 65536;

class BufferedTransaction : public Transaction {
 public:
  Result<std::optional<std::string>> get(std::string_view key, bool snapshot) override;
  // Keys the write buffer decides are answered from it; the others go to
  // view().getMany() together.
  Status getMany(std::span<const PointRead> reads, std::vector<std::optional<std::string>>* out) override;
  Result<RangeResult> getRange(std::string_view begin, std::string_view end, const RangeOptions& opts,
                               bool snapshot) override;
  void set(std::string_view key, std::string_view value) override;
  void clear(std::string_view key) override;
  void clearRange(std::string_view begin, std::string_view end) override;
  void atomicAdd(std::string_view key, int64_t delta) override;
  void setVersionstampedKey(std::string_view prefix, std::string_view suffix, std::string_view value) override;
  void addReadConflictRange(std::string_view begin, std::string_view end) override;

 protected:
  // The snapshot reads go to.
  virtual ReadView& view() = 0;
  // Takes the read version now if the store has not yet (default: it took
  // it at begin()). A failure is remembered for commit().
  virtual void pinReadVersion() {}

  // First step of every commit(): marks the transaction finished and
  // returns kInvalidArgument if it already was, or the deferred error.
  [[nodiscard]] Status startCommit();
  // Remembers `st` for commit() unless an error is remembered already.
  void defer(Status st);

  WriteBuffer writes_;
  ReadConflicts reads_;
  bool finished_ = false;

 private:
  bool acceptWriteKey(std::string_view key);

  Status deferred_error_;
};

}  // namespace fdyno::kv

// backend.h: the seam between the shared OCC core (src/kv/*.cc) and a storage
// backend (src/kv/memory/, src/kv/rocksdb/). Internal to src/kv/.
//
// Contract:
// - A backend stores committed data only; transactions, read-your-writes,
//   conflict detection and version assignment live in the core.
// - ReadView: an immutable snapshot at exactly one commit version. It never
//   shows part of a commit group. Views and cursors are used by one thread at a
//   time; many views may be open concurrently. Every view and cursor must be
//   destroyed before the Backend.
// - Keys reaching a view are always user keys (< 0xFF); the core rejects or
//   clamps reserved keys before calling down.
// - applyGroup(), readLatest() and publishedVersion()'s writer side are called
//   only by the single commit leader (see CommitPipeline), never concurrently
//   with each other. openView() and publishedVersion() may run on any thread.
// - Errors: kIOError / kCorruption carrying the backend's message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fdyno::kv {

// Iterates a snapshot over [begin, end) in one direction.
class ReadCursor {
 public:
  virtual ~ReadCursor() = default;
  virtual bool valid() const = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual void next() = 0;
  // Non-OK if iteration stopped because of an error (then valid() is false).
  [[nodiscard]] virtual Status status() const = 0;
};

class ReadView {
 public:
  virtual ~ReadView() = default;
  virtual uint64_t version() const = 0;
  [[nodiscard]] virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  // get() of each key, into (*out)[i]; a remote store does it in one round
  // trip.
  [[nodiscard]] virtual Status getMany(std::span<const std::string_view> keys,
                                       std::vector<std::optional<std::string>>* out) {
    out->clear();
    out->reserve(keys.size());
    for (std::string_view k : keys) {
      FDYNO_ASSIGN_OR_RETURN(auto v, get(k));
      out->push_back(std::move(v));
    }
    return Status::OK();
  }
  // Cursor over begin <= key < end, ascending or (reverse) descending.
  virtual std::unique_ptr<ReadCursor> scan(std::string_view begin, std::string_view end,
                                           bool reverse) = 0;
  // The same, told that the caller will stop after about `limit_hint` pairs
  // (0 = unknown): a store that fetches in pages (PostgreSQL) sizes its first
  // page by it. The embedded backends iterate lazily and ignore it.
  virtual std::unique_ptr<ReadCursor> scanHinted(std::string_view begin, std::string_view end, bool reverse,
                                                 size_t limit_hint) {
    (void)limit_hint;
    return scan(begin, end, reverse);
  }
};

// One resolved write of a commit group, in apply order.
struct Mutation {
  enum class Kind : uint8_t { kSet, kClear, kClearRange };
  Kind kind;
  uint64_t version;   // commit version of the transaction that wrote it
  std::string key;    // kClearRange: range begin
  std::string value;  // kSet: the value; kClearRange: range end (exclusive)
};

class Backend {
 public:
  virtual ~Backend() = default;
  // A view at the latest published version. Cheap: called by every begin().
  virtual std::unique_ptr<ReadView> openView() = 0;
  // The latest published (fully applied and visible) commit version.
  virtual uint64_t publishedVersion() const = 0;
  // Latest committed value of `key` (leader only; used to resolve atomicAdd).
  [[nodiscard]] virtual Result<std::optional<std::string>> readLatest(std::string_view key) = 0;
  // Applies a whole group atomically (readers see all of it or none), makes it
  // durable per `sync`, then publishes `last_version`. `oldest_read_version`
  // is a lower bound on every open view's version: MVCC history below it may
  // be discarded.
  // On failure nothing of the group is applied.
  [[nodiscard]] virtual Status applyGroup(std::span<const Mutation> mutations, uint64_t last_version,
                                          bool sync, uint64_t oldest_read_version) = 0;
  // After a failed applyGroup: publishes `last_version` with the data as it
  // was, so the failed group's versions read as empty commits. (The conflict
  // log already holds the failed group's writes; until a later version is
  // published, every retry of a transaction that read one of those keys
  // would conflict with a write that never happened.)
  virtual void publishUnchanged(uint64_t last_version) = 0;
  [[nodiscard]] virtual Status flush() = 0;
  virtual std::string describe() const = 0;
};

}  // namespace fdyno::kv

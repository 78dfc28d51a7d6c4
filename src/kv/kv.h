// kv.h: the only view of storage that code above src/kv/ has.
//
// Shaped like FoundationDB: an ordered map of byte-string keys to byte-string
// values, read and written through optimistic, serializable transactions.
//
// Contract:
// - Keys starting with byte 0xFF are reserved for the store's own bookkeeping
//   (e.g. its last commit version); callers use keys below 0xFF.
// - Keys and values are arbitrary bytes. Keys order by unsigned byte
//   comparison (memcmp, shorter prefix first).
// - A Transaction reads a consistent snapshot (its read version) plus its
//   own uncommitted writes (read-your-writes). The snapshot is taken no later
//   than the transaction's first read, readVersion() or
//   addReadConflictRange() call: the embedded stores take it at begin(); the
//   PostgreSQL store, like FoundationDB, at the first of those calls (it
//   costs a round trip to the database, which the first point read shares).
// - Every non-snapshot read (get, getRange with snapshot=false) adds the key or
//   the range actually read to the transaction's read-conflict set. commit()
//   fails with StatusCode::kConflict if any key in that set was written by a
//   transaction that committed after this one's read version. This gives
//   serializability. (A read answered entirely by the transaction's own
//   buffered set/clear/clearRange needs no conflict, so none is added.)
//   A conflicted transaction has no effect; the caller starts
//   over with a new transaction (see runTransaction below).
// - Writes are buffered in the transaction and applied atomically at commit.
// - commit() of a transaction with no writes returns the read version; it
//   writes nothing and never conflicts (all its reads come from one snapshot,
//   so it is serializable at its read version).
// - Validation errors: an empty key, or a key in the reserved 0xFF space, makes
//   get() return kInvalidArgument; the void writers (set, clear, atomicAdd,
//   setVersionstampedKey) remember the first such error and commit() returns it
//   without writing anything. Ranges (getRange, clearRange,
//   addReadConflictRange) are silently cut at 0xFF, so reserved keys are never
//   seen or cleared. An inverted range (begin >= end) is empty, not an error.
// - After commit() (successful or not) the transaction is finished: further
//   reads and commit() return kInvalidArgument "transaction already committed".
// - Every Transaction must be destroyed before its Store.
// - commit() returns the commit version: a number that strictly increases with
//   commit order across the whole store. Versionstamped keys get this number
//   (plus the order within the transaction) substituted at commit.
// - Durability: when commit() returns OK, the write is durable according to
//   the store's DurabilityMode (kSync: survives a machine crash).
// - Thread safety: a Store is safe to use from many threads at once. A
//   Transaction belongs to one thread at a time.
// - Reads may also fail with kConflict on a shared store (PostgreSQL) when
//   the history at the read version has been collected ("transaction too
//   old"); start over as for a failed commit.
// - Errors: kConflict (retry), kIOError (backend failed), kNoSpace (the
//   storage is full: nothing was written; commits succeed again once space is
//   freed, with no restart), kBusy (store closing), kInvalidArgument (e.g.
//   empty key), kCorruption. A failed commit has no effect; reads keep
//   working while commits fail.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fdyno::kv {

struct KeyValue {
  std::string key;
  std::string value;
};

struct RangeOptions {
  // Maximum number of pairs returned; 0 means no limit.
  size_t limit = 0;
  // Return pairs in descending key order (starting just below `end`).
  bool reverse = false;
  // Stop after roughly this many key+value bytes (the pair that crosses the
  // limit is included); 0 means no limit.
  size_t byte_limit = 0;
};

struct RangeResult {
  std::vector<KeyValue> pairs;
  // True if the range holds more pairs beyond those returned (a limit was hit).
  // Exact: false when a limit was reached but nothing is left.
  bool more = false;
};

// Size in bytes of the versionstamp substituted into versionstamped keys:
// 8-byte big-endian commit version followed by a 2-byte big-endian order of
// the write inside the transaction.
inline constexpr size_t kVersionstampSize = 10;

class Transaction {
 public:
  virtual ~Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Point read. nullopt when the key is absent.
  virtual Result<std::optional<std::string>> get(std::string_view key, bool snapshot = false) = 0;

  // Several point reads at once: (*out)[i] is what get(reads[i].key,
  // reads[i].snapshot) would answer, all from this transaction's snapshot.
  // A remote store (PostgreSQL) answers them in one round trip, so a caller
  // that knows several keys up front (the table handle and the item of a
  // GetItem) asks for them together. On an error *out is unspecified.
  struct PointRead {
    std::string_view key;
    bool snapshot = false;
  };
  virtual Status getMany(std::span<const PointRead> reads, std::vector<std::optional<std::string>>* out) {
    out->clear();
    out->reserve(reads.size());
    for (const PointRead& r : reads) {
      FDYNO_ASSIGN_OR_RETURN(auto v, get(r.key, r.snapshot));
      out->push_back(std::move(v));
    }
    return Status::OK();
  }

  // Whether getMany() saves round trips (a remote store): callers that would
  // have to build a second key speculatively only do so when it does.
  virtual bool batchesReads() const { return false; }

  // Pairs with begin <= key < end, honouring opts. When limits stop the read
  // early, only the part actually read enters the read-conflict set.
  virtual Result<RangeResult> getRange(std::string_view begin, std::string_view end,
                                       const RangeOptions& opts = {}, bool snapshot = false) = 0;

  virtual void set(std::string_view key, std::string_view value) = 0;
  virtual void clear(std::string_view key) = 0;
  // Removes every key with begin <= key < end.
  virtual void clearRange(std::string_view begin, std::string_view end) = 0;

  // Adds `delta` to the little-endian signed 64-bit integer stored at `key`
  // (an absent key counts as 0), applied at commit. Like FoundationDB's ADD
  // mutation it adds no read conflict, so concurrent adders never conflict:
  // used for counters such as a table's item count and size. The result is
  // always 8 bytes; a stored value of another length is zero-extended or
  // truncated first. Overflow wraps (two's complement).
  virtual void atomicAdd(std::string_view key, int64_t delta) = 0;

  // Writes key = prefix + versionstamp + suffix at commit (see kVersionstampSize).
  // Such keys are not visible to this transaction's own reads, and are applied
  // after its other writes. At most 65536 per transaction (2-byte order).
  virtual void setVersionstampedKey(std::string_view prefix, std::string_view suffix,
                                    std::string_view value) = 0;

  // Adds [begin, end) to the read-conflict set without reading it.
  virtual void addReadConflictRange(std::string_view begin, std::string_view end) = 0;

  // The version whose snapshot this transaction reads.
  virtual uint64_t readVersion() const = 0;

  // Commits; see the contract above. A transaction can be committed once.
  virtual Result<uint64_t> commit() = 0;

 protected:
  Transaction() = default;
};

enum class DurabilityMode {
  kSync,     // every acknowledged commit is fsynced (group commit shares syncs)
  kRelaxed,  // commits reach the OS but are not fsynced; a machine crash may lose the last ones
};

class Store {
 public:
  virtual ~Store() = default;
  // Starts a transaction at the latest committed version.
  virtual std::unique_ptr<Transaction> begin() = 0;
  // Flushes everything to stable storage; called on clean shutdown.
  virtual Status flush() = 0;
  // Human-readable description for start-up logs ("rocksdb at ./fdyno-data").
  virtual std::string describe() const = 0;
};

struct StoreOptions {
  DurabilityMode durability = DurabilityMode::kSync;
};

// Factories. Each returns a ready store or an error.
Result<std::unique_ptr<Store>> openMemoryStore(const StoreOptions& opts = {});
Result<std::unique_ptr<Store>> openRocksDbStore(const std::string& dir, const StoreOptions& opts = {});

// The shared store: PostgreSQL at `url` (a libpq URI, postgres://user@host:
// port/db, or key=value conninfo; the schema is the connection's current
// one, so `options=-csearch_path=NAME` selects another). Several processes
// may open the same database: the whole contract above holds across them.
// Creates its tables on first open. Layout and rules: docs/kv.md.
struct PostgresOptions {
  size_t pool_size = 16;             // connections per process
  int statement_timeout_ms = 10000;  // no request waits longer on the database
  // Commit groups of independent requests with the set-based function
  // (docs/kv.md); false always uses the per-request one. Both give the same
  // answers; the switch exists so tests can compare them.
  bool set_based_commit = true;
  // Grouped first point reads in flight at once per process (docs/kv.md),
  // at most pool_size - 1 so commits always find a connection. One by
  // default: a read that finds a group in flight rides the next one, and
  // the fewer statements carry the reads, the less the database spends per
  // read (measured on 2 cores: 1 group gave GetItem 31-33k/s and 10
  // PostgreSQL CPU-µs per read; 2 groups 26-28k/s and 16-19 µs).
  size_t read_groups = 1;
};
Result<std::unique_ptr<Store>> openPostgresStore(const std::string& url, const StoreOptions& opts = {},
                                                 const PostgresOptions& pg = {});

// Runs `fn` in a fresh transaction and commits, retrying from the start on
// kConflict (up to max_attempts), whether the commit or `fn` (a read) gave
// it. `fn` returns OK to commit, or another error to abandon the
// transaction (nothing is written) and return that error.
// Returns the commit status of the last attempt.
Status runTransaction(Store& store, const std::function<Status(Transaction&)>& fn,
                      int max_attempts = 100);

}  // namespace fdyno::kv

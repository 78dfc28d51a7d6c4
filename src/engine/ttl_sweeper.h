// TtlSweeper: the background deletion of expired items (Time to Live).
//
// Contract:
// - One worker thread per Database, started by start() when the interval is
//   positive (DatabaseOptions::ttl_interval_ms; 0 = no background sweeping,
//   sweepAll() still works), joined by the destructor. Every interval it
//   makes one pass over every table whose TTL is enabled (engine/ttl.h).
// - A pass over a table reads its items in chunks of kTtlScanChunk with
//   snapshot reads (no read conflicts: a sweep never makes writers retry),
//   picks the expired ones (isExpired) and deletes them in one small kv
//   transaction per chunk. That transaction resolves the table again (so it
//   conflicts with a concurrent DeleteTable/UpdateTimeToLive), re-reads each
//   candidate non-snapshot and deletes it only if it is still expired under
//   the table's current TTL attribute (an item rewritten with a later expiry
//   survives), through applyItemMutation: index entries, item count, table
//   size and index counters stay exact. The deletions are service deletions
//   (WritePlan::ttl_delete): their stream records carry userIdentity
//   {Type: Service, PrincipalId: dynamodb.amazonaws.com}, as DynamoDB's.
// - Deletion is prompt (within about one interval), unlike DynamoDB's "within
//   a few days"; reads never hide expired-but-not-yet-deleted items, like
//   DynamoDB's.
// - A pass reads every item of every TTL table: the cost is proportional to
//   the data, so a large store wants a long interval.
//   TODO(big tables): an expiry index (02 <id> 05 <time> <key>) maintained by
//   writers would make a pass proportional to the expired items instead.
// - Several servers on one store: the background pass sweeps a table only
//   under the lease "ttl/<table id>" (engine/lease.h; held for three
//   intervals, at least the lease duration, renewed by every pass), so one
//   server of a cluster sweeps each table, and another takes over when it
//   dies. A worker that stops (server shutdown) gives its leases up, so a
//   restarted or other server sweeps at once instead of after the expiry.
//   Two sweepers at once (a clock jump, or sweepAll() next to the
//   worker) stay correct: each deletion re-checks its item in a
//   serializable transaction.
// - Errors of a background pass are logged and the pass retried next time.
// - Thread safety: all methods may be called from any thread; sweepAll() may
//   run concurrently with the worker (both only delete what is expired).
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "common/mutex.h"
#include "common/status.h"
#include "engine/catalog.h"
#include "engine/lease.h"
#include "kv/kv.h"

namespace fdyno::engine {

// Items read per scan transaction.
inline constexpr size_t kTtlScanChunk = 256;

class TtlSweeper {
 public:
  TtlSweeper(kv::Store& store, Catalog& catalog, LeaseManager& leases, std::chrono::milliseconds interval);
  ~TtlSweeper();
  TtlSweeper(const TtlSweeper&) = delete;
  TtlSweeper& operator=(const TtlSweeper&) = delete;

  // Starts the worker thread (no-op when the interval is not positive).
  void start();
  // Makes the worker start its next pass now (e.g. after TTL was enabled).
  void wake();

  // One pass over every TTL-enabled table at `now_seconds`, on the calling
  // thread (with `leased`: only over the tables whose lease this server
  // holds or takes, as the worker does). Returns the number of items deleted.
  [[nodiscard]] Result<size_t> sweepAll(int64_t now_seconds, bool leased = false);
  // One pass over one table (nothing if it is gone or has TTL disabled).
  [[nodiscard]] Result<size_t> sweepTable(std::string_view name, int64_t now_seconds);

 private:
  void loop();
  bool stopping() const;
  // Gives up every lease the worker holds (on stop).
  void releaseLeases();

  kv::Store& store_;
  Catalog& catalog_;
  LeaseManager& leases_;
  const std::chrono::milliseconds interval_;
  mutable Mutex mu_;
  CondVar cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  bool woken_ GUARDED_BY(mu_) = false;
  std::thread worker_;  // started under mu_, joined by the destructor
  // Names of the "ttl/<id>" leases taken by leased passes.
  std::set<std::string> held_ GUARDED_BY(mu_);
};

}  // namespace fdyno::engine

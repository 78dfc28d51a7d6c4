// IndexBuilder: background work on secondary indexes: the backfill of a
// GSI added by UpdateTable, and the clearing of a deleted GSI's entries.
//
// Contract:
// - One worker thread per Database, started by resume() (the Database's
//   constructor calls it), joined by the destructor. Jobs run one at a time
//   in order.
// - Several servers on one store: a job is recorded in the store by the
//   transaction that creates it (UpdateTable writes a job marker, key
//   `01 'j' <table id: u64 BE> <index no: u16 BE>`, value a kind byte and
//   the table name, docs/storage-layout.md), and every server's worker polls the markers
//   (every lease duration / 2) and queues what it finds. A job runs only
//   under the lease "index-backfill|index-drop/<table id>/<index no>" (engine/lease.h): the
//   server holding it does the work and renews it between chunks; the
//   others skip the job and try again at their next poll, so when the
//   holder dies another server takes the job over once the lease expires
//   and starts the backfill again from the beginning (idempotent, below).
//   The transaction that ends a job clears its marker and its lease.
// - Backfill (index status CREATING): scans the base table in chunks, each
//   one small kv transaction (kBackfillChunk items) that reads the items
//   (non-snapshot, so a concurrent write of any of them makes the chunk
//   conflict and retry), and for each item with all index key attributes
//   (valid types, non-empty, within key size limits; others are skipped,
//   like DynamoDB's backfill) reads its entry and writes it only if absent,
//   counting it. Writers maintain CREATING indexes themselves from the
//   moment the index exists (engine/index_maintenance.h), so together every
//   item is indexed exactly once. At the end one transaction sets the index
//   ACTIVE (generation + 1). Idempotent: a backfill interrupted by a restart
//   is started again from the beginning by resume() and only adds what is
//   missing.
// - Drop (index status DELETING): one transaction clears the index's entry
//   range and counters and removes the index from the definition.
// - A job whose table was dropped or re-created (other id), or whose index
//   is gone or in another state, ends quietly (and clears its marker).
// - Thread safety: all methods may be called from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <thread>
#include <tuple>

#include "common/mutex.h"
#include "common/status.h"
#include "engine/catalog.h"
#include "engine/lease.h"
#include "kv/kv.h"

namespace fdyno::engine {

// Items per backfill transaction: small, so that chunks rarely conflict with
// live writers and each commit stays cheap.
inline constexpr size_t kBackfillChunk = 128;

class IndexBuilder {
 public:
  IndexBuilder(kv::Store& store, Catalog& catalog, LeaseManager& leases);
  ~IndexBuilder();
  IndexBuilder(const IndexBuilder&) = delete;
  IndexBuilder& operator=(const IndexBuilder&) = delete;

  enum class JobKind { kBackfill, kDrop };
  struct Job {
    JobKind kind = JobKind::kBackfill;
    std::string table;
    uint64_t table_id = 0;
    uint16_t index_number = 0;
  };

  // Records a job in `txn` (the transaction that creates the index work):
  // every server's worker finds it at its next poll.
  static void recordJob(kv::Transaction& txn, const Job& job);

  // Queues a job on this server now (the server that created it), unless
  // it is queued or running already.
  void enqueue(Job job);
  // Starts the worker and queues a job for every index found CREATING or
  // DELETING in the store (after a restart; stores written before job
  // markers existed have only the definitions) and every job marker.
  void resume();
  // Stops the worker for good and joins it (the destructor does the same); a
  // running backfill ends between chunks, later enqueues are ignored.
  void stop();
  // Blocks until the queue is empty and no job runs.
  void waitIdle();

  // One job, on the calling thread (tests; the worker uses it too). A job
  // whose lease another live server holds is skipped (OK).
  [[nodiscard]] Status run(const Job& job);

 private:
  void loop();
  // Queues every job marker of the store (other servers' jobs included).
  void pollMarkers();
  [[nodiscard]] Status finish(const Job& job);
  [[nodiscard]] Status backfill(const Job& job);
  [[nodiscard]] Status drop(const Job& job);

  kv::Store& store_;
  Catalog& catalog_;
  LeaseManager& leases_;
  Mutex mu_;
  CondVar cv_;
  std::deque<Job> queue_ GUARDED_BY(mu_);
  // (table id, index no, kind) of every queued or running job: a poll does
  // not queue a job twice.
  std::set<std::tuple<uint64_t, uint16_t, JobKind>> pending_ GUARDED_BY(mu_);
  bool running_job_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread worker_;  // started under mu_, joined by stop()
};

}  // namespace fdyno::engine

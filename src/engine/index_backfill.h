// IndexBuilder: background work on secondary indexes: the backfill of a
// GSI added by UpdateTable, and the clearing of a deleted GSI's entries.
//
// Contract:
// - One worker thread per Database, started lazily by the first job (and by
//   resume()), joined by the destructor. Jobs run one at a time in order.
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
//   is gone or in another state, ends quietly.
// - Thread safety: all methods may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "common/status.h"
#include "engine/catalog.h"
#include "kv/kv.h"

namespace fdyno::engine {

// Items per backfill transaction: small, so that chunks rarely conflict with
// live writers and each commit stays cheap.
inline constexpr size_t kBackfillChunk = 128;

class IndexBuilder {
 public:
  IndexBuilder(kv::Store& store, Catalog& catalog);
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

  void enqueue(Job job);
  // Queues a job for every index found CREATING or DELETING in the store
  // (after a restart).
  void resume();
  // Blocks until the queue is empty and no job runs.
  void waitIdle();

  // One job, on the calling thread (tests; the worker uses it too).
  [[nodiscard]] Status run(const Job& job);

 private:
  void loop();
  [[nodiscard]] Status backfill(const Job& job);
  [[nodiscard]] Status drop(const Job& job);

  kv::Store& store_;
  Catalog& catalog_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool running_job_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace fdyno::engine

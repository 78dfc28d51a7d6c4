// pg_store: the PostgreSQL kv::Store (kv.h openPostgresStore). Internal to
// src/kv/postgres/; the design is written down in docs/kv.md ("PostgreSQL
// store").
//
// Contract (beyond kv.h's, which holds across every process on the
// database):
// - Reads are single statements on any pooled connection, at the
//   transaction's read version over the multi-version fdyno_kv table: no
//   PostgreSQL transaction stays open between statements. The read version
//   is fetched lazily: the first point read fetches it in the same
//   statement (one round trip); a first range read or readVersion() costs
//   one extra round trip.
// - Commits go through a per-process group commit (common/combiner.h with
//   one leader): one leader at a time sends every queued commit in ONE call
//   of fdyno_commit (pg_schema.cc),
//   which takes the cluster-wide commit lock, validates each request
//   against the rows written after its read version, assigns versions in
//   order and writes. One round trip per group. When it is done the leader
//   hands leadership to the oldest queued request, then wakes only its own
//   group's requests, each through its thread's Parker (common/parker.h):
//   no waiter wakes for nothing or runs into a held mutex.
// - First point reads (those that also take the read version, as every
//   GetItem's and single-item write's) are grouped the same way: up to
//   PgSettings::read_groups statements (one by default) are in flight,
//   each carrying every first read queued meanwhile (all of them get the
//   statement's version, which is at least as new as any commit
//   acknowledged before they began). A read that finds no group in flight
//   goes at once.
// - A background thread reports this process's oldest read version
//   (fdyno_servers, every second) and collects history no live server
//   needs (fdyno_collect). A server silent for kDeadAfterSeconds no longer
//   holds history back; a read below the collected horizon fails with
//   kConflict ("transaction too old") and is retried.
// - A commit whose call fails on the connection (the database went away
//   mid-call) returns kIOError: its outcome is unknown, as with any
//   database; the caller (DynamoDB semantics) reports InternalServerError.
// - Thread safety: as kv.h. The store must outlive its transactions.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/combiner.h"
#include "common/mutex.h"
#include "kv/conflict_tracker.h"
#include "kv/kv.h"
#include "kv/postgres/pg_conn.h"
#include "kv/write_buffer.h"

namespace fdyno::kv::pg {

// A server whose heartbeat is older than this no longer pins history.
inline constexpr int kDeadAfterSeconds = 60;

// Both kinds of request are done in groups (common/combiner.h); the leader
// fills status and results before it marks a request done.
struct PgCommitRequest : CombinedRequest {
  uint64_t read_version = 0;
  const ReadConflicts* reads = nullptr;  // null: nothing to validate
  const WriteBuffer* writes = nullptr;
  Status status;
  uint64_t version = 0;
};

// A transaction's first point read(s), which also take the read version.
struct PgReadRequest : CombinedRequest {
  const std::string_view* keys = nullptr;
  size_t count = 0;
  std::optional<std::string>* out = nullptr;  // `count` values, filled by the leader
  Status status;
  uint64_t version = 0;
};

class PgStore final : public Store {
 public:
  // Use openPostgresStore().
  PgStore(PgSettings settings, std::string server_id);
  ~PgStore() override;

  [[nodiscard]] Status start();

  std::unique_ptr<Transaction> begin() override;
  Status flush() override { return Status::OK(); }
  std::string describe() const override { return describe_; }

  PgPool& pool() { return pool_; }

  // Group commit (see the contract).
  [[nodiscard]] Result<uint64_t> commit(PgCommitRequest& request);

  // First reads, grouped (see the contract): fills request.out and
  // request.version, or request.status.
  void readLatest(PgReadRequest& request);

  // Read versions in use by this process's transactions.
  void enterReader(uint64_t version);
  void leaveReader(uint64_t version);
  // A transaction is about to fetch a read version: until it registers,
  // heartbeats do not move past the last reported one.
  void pendingReader(int delta);

 private:
  void processGroup(const std::vector<PgCommitRequest*>& group);
  void processReadGroup(const std::vector<PgReadRequest*>& group);
  void background();
  Status heartbeat();

  PgPool pool_;
  const std::string server_id_;
  std::string describe_;

  // One commit group in flight at a time: commit versions follow group
  // order. PgSettings::read_groups read groups (at most pool_size - 1: a
  // connection always stays for commits and range reads).
  Combiner<PgCommitRequest> commits_{1};
  Combiner<PgReadRequest> reads_;

  Mutex readers_mu_;
  std::multiset<uint64_t> readers_ GUARDED_BY(readers_mu_);
  int pending_readers_ GUARDED_BY(readers_mu_) = 0;
  int64_t last_reported_ GUARDED_BY(readers_mu_) = -1;

  Mutex bg_mu_;
  CondVar bg_cv_;
  bool stopping_ GUARDED_BY(bg_mu_) = false;
  std::thread bg_;
};

}  // namespace fdyno::kv::pg

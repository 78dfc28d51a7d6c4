// commit_pipeline.h: group commit. Validates, orders and applies the commits
// of all transactions of one store.
//
// Design (docs/kv.md has the long form):
// - Committers enqueue a CommitRequest and wait. Whoever finds no leader
//   active becomes the leader: it takes the whole queue as one group,
//   validates each request in queue order against the conflict log (a
//   request also conflicts with an earlier request of the same group, because
//   accepted writes enter the log immediately), assigns strictly increasing
//   versions, resolves atomicAdds and versionstamps, and hands the group to
//   the backend as ONE atomic batch (one fsync under kSync). Then it hands
//   leadership to the oldest queued request, if any, and wakes only its own
//   group's requests (common/combiner.h: each waits on its own Parker, so
//   none wakes for a group it is not in). On a fiber the batch's write and
//   fsync run on a helper thread (common/fiber.h runBlocking), so the
//   leader's event loop goes on meanwhile.
// - While a leader syncs, new committers queue up and share the next sync:
//   this is what makes kSync throughput scale with concurrency.
// - Readers never touch this class; they read published versions only.
//
// Thread safety: commit() is safe from any number of threads. The tracker and
// version counter are touched only by the current leader.
// Errors: kConflict (validation failed), kIOError/kCorruption/kNoSpace from
// the backend (every request of the failed group gets it; nothing of the
// group is applied and its versions are published as empty commits, see
// Backend::publishUnchanged), kBusy after close(). Writes refused for a full
// disk are counted in counters::kStorageFullWrites.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "common/combiner.h"
#include "common/status.h"
#include "kv/backend.h"
#include "kv/conflict_tracker.h"
#include "kv/kv.h"
#include "kv/read_version_registry.h"
#include "kv/write_buffer.h"

namespace fdyno::kv {

struct CommitRequest : CombinedRequest {
  uint64_t read_version = 0;
  const ReadConflicts* reads = nullptr;
  const WriteBuffer* writes = nullptr;
  // Filled by the leader.
  Status status;
  uint64_t version = 0;
};

class CommitPipeline {
 public:
  // `backend` and `registry` must outlive the pipeline.
  CommitPipeline(Backend& backend, ReadVersionRegistry& registry, DurabilityMode durability);
  CommitPipeline(const CommitPipeline&) = delete;
  CommitPipeline& operator=(const CommitPipeline&) = delete;

  // Blocks until the request's group is applied (or rejected).
  [[nodiscard]] Result<uint64_t> commit(CommitRequest& request);

  // Further commits fail with kBusy; waits for the running group to finish.
  void close();

 private:
  void processGroup(const std::vector<CommitRequest*>& group);

  Backend& backend_;
  ReadVersionRegistry& registry_;
  const bool sync_;

  // One group at a time (versions in group order); the leader hands
  // leadership to the oldest waiter and wakes only its own group.
  Combiner<CommitRequest> groups_{1};
  std::atomic<bool> closed_{false};
  std::atomic<int> active_{0};  // commits between their closed_ check and their return

  // Leader-only state.
  ConflictTracker tracker_;
  uint64_t last_version_;  // last version handed out (never reused, even on failure)
};

}  // namespace fdyno::kv

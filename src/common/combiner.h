// combiner: requests from many threads done in groups by a few leaders
// (flat combining), the pattern of the PostgreSQL store's group commit and
// grouped first reads.
//
// Why: one round trip to the database for a whole group costs little more
// than one for a single request, so requests that arrive while a round trip
// is in flight ride the next one together. A thread that arrives when fewer
// than `max_leaders` groups are in flight leads at once (no added latency
// when the server is idle); otherwise it queues, and the next leader to
// finish either hands leadership to the oldest queued request (which then
// takes everything queued so far) or, with nothing queued, steps down.
//
// Contract:
// - Request is any struct deriving from CombinedRequest; the caller owns it
//   and keeps it alive until run() returns.
// - run(request, process) returns once request's group has been processed:
//   `process(group)` was called exactly once for a group holding `request`,
//   by this thread or by another leader, and whatever it wrote into the
//   requests is visible to this thread (release/acquire on `state`).
// - `process` runs with no lock held, on the leader's thread; it must not
//   throw. The group it gets is oldest first.
// - max_leaders 1 serializes groups (group commit: versions in group order);
//   more lets that many groups be in flight (reads).
// - Thread safety: run() from any number of threads.
#pragma once

#include <atomic>
#include <cstddef>
#include <vector>

#include "common/mutex.h"
#include "common/parker.h"

namespace fdyno {

struct CombinedRequest {
  // kWaiting until a leader finishes this request's group (kDone) or hands
  // leadership to it (kLead). A leader reads `parker` before it stores
  // `state`: after the store the request may be gone.
  enum State : int { kWaiting, kDone, kLead };
  std::atomic<int> state{kWaiting};
  Parker* parker = nullptr;
};

template <typename Request>
class Combiner {
 public:
  explicit Combiner(size_t max_leaders) : max_leaders_(max_leaders < 1 ? 1 : max_leaders) {}

  template <typename Process>
  void run(Request& request, Process&& process) EXCLUDES(mu_) {
    request.parker = Parker::current();
    std::vector<Request*> group;
    bool lead;
    {
      MutexLock lock(mu_);
      queue_.push_back(&request);
      lead = leaders_ < max_leaders_;
      if (lead) {
        ++leaders_;
        group.swap(queue_);
      }
    }
    if (!lead) {
      if (!awaitTurn(request)) return;
      // Handed leadership, and taken off the queue by the leader that
      // handed it: this request (the oldest) plus everything queued since.
      group.push_back(&request);
      MutexLock lock(mu_);
      group.insert(group.end(), queue_.begin(), queue_.end());
      queue_.clear();
    }
    process(group);
    Request* next = nullptr;
    {
      MutexLock lock(mu_);
      if (queue_.empty()) {
        --leaders_;
      } else {
        // Off the queue now, so no other leader hands it leadership too and
        // no new leader takes it into a group.
        next = queue_.front();
        queue_.erase(queue_.begin());
      }
    }
    // Leadership first, so the next group's round trip overlaps the
    // wake-ups of this one.
    if (next != nullptr) wake(next, CombinedRequest::kLead);
    for (Request* r : group) {
      if (r != &request) wake(r, CombinedRequest::kDone);
    }
  }

 private:
  // True when handed leadership, false when the group is done.
  static bool awaitTurn(Request& request) {
    for (;;) {
      const uint32_t token = request.parker->prepare();
      const int s = request.state.load(std::memory_order_acquire);
      if (s == CombinedRequest::kDone) return false;
      if (s == CombinedRequest::kLead) return true;
      request.parker->park(token);
    }
  }

  static void wake(Request* r, int state) {
    Parker* p = r->parker;
    r->state.store(state, std::memory_order_release);
    p->unpark();
  }

  const size_t max_leaders_;
  Mutex mu_;
  std::vector<Request*> queue_ GUARDED_BY(mu_);
  size_t leaders_ GUARDED_BY(mu_) = 0;
};

}  // namespace fdyno

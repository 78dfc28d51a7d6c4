// runTransaction: the retry loop every caller of kv.h should use.
#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "common/fiber.h"
#include "kv/kv.h"

namespace fdyno::kv {

Status runTransaction(Store& store, const std::function<Status(Transaction&)>& fn, int max_attempts) {
  Status last = Status::Conflict("transaction was not attempted (max_attempts < 1)");
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    std::unique_ptr<Transaction> txn = store.begin();
    Status st = fn(*txn);
    if (st.ok()) {
      Result<uint64_t> committed = txn->commit();
      if (committed.ok()) return Status::OK();
      last = committed.status();
    } else {
      // A read may fail with kConflict too (a shared store whose history
      // below the read version is gone): retried like a commit conflict.
      last = st;
    }
    if (!last.isConflict()) return last;
    txn.reset();  // unpin the old read version before sleeping
    // Randomized, exponentially growing backoff (capped at ~5 ms) so that
    // contenders stop colliding in lockstep; the first retry is immediate-ish.
    thread_local std::minstd_rand rng(std::random_device{}());
    int64_t cap_us = std::min<int64_t>(int64_t{50} << std::min(attempt, 7), 5000);
    std::uniform_int_distribution<int64_t> dist(0, cap_us);
    // On a fiber (common/fiber.h) only this request sleeps, not its thread.
    sleepFor(std::chrono::microseconds(dist(rng)));
  }
  return last;
}

}  // namespace fdyno::kv

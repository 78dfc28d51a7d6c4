// fault_injection.h: a Store that fails on command, so that the layers above
// kv.h (engine, api, http) can be tested against storage failures without
// root, a real failing disk or a full volume.
//
// Contract:
// - openFaultInjectingStore() builds the usual OCC store (same conflict
//   detection, group commit and versions as every store) over a memory or
//   RocksDB backend wrapped by a fault layer that obeys a FaultInjector.
// - With no fault armed it behaves exactly like the wrapped store.
// - Armed commit faults make a group commit fail before anything of it is
//   applied, with the chosen code (kIOError, kNoSpace, ...), exactly as a
//   backend reports a failed write; armed read faults make point reads and
//   range reads of the backend fail with kIOError. Reads a transaction
//   answers from its own writes never fail.
// - Thread safety: a FaultInjector may be armed and cleared from any thread
//   while the store is in use (atomics); the store is as thread-safe as any.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "kv/kv.h"

namespace fdyno::kv {

class FaultInjector {
 public:
  // The next `count` group commits fail with `code`; count < 0: every one
  // until clear().
  void failCommits(StatusCode code, int count = -1) {
    commit_code_.store(code, std::memory_order_relaxed);
    commit_faults_.store(count, std::memory_order_release);
  }
  // The next `count` backend reads fail with kIOError (count < 0: all).
  void failReads(int count = -1) { read_faults_.store(count, std::memory_order_release); }
  // Every group commit waits this long before it is applied (a slow fsync).
  void slowCommits(std::chrono::milliseconds delay) { commit_delay_ms_.store(delay.count()); }
  void clear() {
    commit_faults_.store(0);
    read_faults_.store(0);
    commit_delay_ms_.store(0);
  }

  uint64_t failedCommits() const { return failed_commits_.load(); }
  uint64_t failedReads() const { return failed_reads_.load(); }

  // Used by the fault layer: the status the next commit gets (OK: proceed).
  [[nodiscard]] Status takeCommitFault();
  [[nodiscard]] Status takeReadFault();
  std::chrono::milliseconds commitDelay() const { return std::chrono::milliseconds(commit_delay_ms_.load()); }

 private:
  static bool take(std::atomic<int>& counter);

  std::atomic<StatusCode> commit_code_{StatusCode::kIOError};
  std::atomic<int> commit_faults_{0};
  std::atomic<int> read_faults_{0};
  std::atomic<int64_t> commit_delay_ms_{0};
  std::atomic<uint64_t> failed_commits_{0};
  std::atomic<uint64_t> failed_reads_{0};
};

// `rocksdb_dir` empty: over the memory backend; else over RocksDB in that
// directory (created if missing).
Result<std::unique_ptr<Store>> openFaultInjectingStore(std::shared_ptr<FaultInjector> faults,
                                                       const std::string& rocksdb_dir = "",
                                                       const StoreOptions& opts = {});

}  // namespace fdyno::kv

#include "common/parker.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <mutex>
#include <vector>

namespace fdyno {
namespace {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t), "futex word");

long futex(std::atomic<uint32_t>* word, int op, uint32_t val, const timespec* ts) {
  return ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, val, ts, nullptr, 0);
}

// Parkers are never freed: a waker may unpark a slot after its thread has
// gone. Free ones are reused by new threads. The registry itself is leaked
// on purpose (reachable through a static pointer) so that threads exiting
// during static destruction still find it.
struct Registry {
  std::mutex mu;
  std::vector<Parker*> free;
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

struct Slot {
  Parker* p;
  Slot() {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    if (r.free.empty()) {
      p = new Parker;
    } else {
      p = r.free.back();
      r.free.pop_back();
    }
  }
  ~Slot() {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    r.free.push_back(p);
  }
};

}  // namespace

Parker* Parker::current() {
  thread_local Slot slot;
  return slot.p;
}

void Parker::park(uint32_t token) {
  sleeping_.store(1, std::memory_order_seq_cst);
  // Re-check after announcing: an unpark() between prepare() and here
  // changed word_, so the kernel refuses to sleep (EAGAIN).
  if (word_.load(std::memory_order_seq_cst) == token) futex(&word_, FUTEX_WAIT_PRIVATE, token, nullptr);
  sleeping_.store(0, std::memory_order_relaxed);
}

bool Parker::parkUntil(uint32_t token, std::chrono::steady_clock::time_point deadline) {
  auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return word_.load(std::memory_order_acquire) != token;
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
  timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
  sleeping_.store(1, std::memory_order_seq_cst);
  long rc = 0;
  if (word_.load(std::memory_order_seq_cst) == token) rc = futex(&word_, FUTEX_WAIT_PRIVATE, token, &ts);
  sleeping_.store(0, std::memory_order_relaxed);
  return !(rc == -1 && errno == ETIMEDOUT);
}

void Parker::unpark() {
  word_.fetch_add(1, std::memory_order_seq_cst);
  if (sleeping_.load(std::memory_order_seq_cst) != 0) futex(&word_, FUTEX_WAKE_PRIVATE, 1, nullptr);
}

}  // namespace fdyno

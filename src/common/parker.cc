#include "common/parker.h"

#include "common/fiber.h"

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
  std::vector<Parker*> free_fiber;  // kept apart: fiber_ is set on these
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

// A Parker from `free` (one of the registry's lists), or a new one.
Parker* take(std::vector<Parker*> Registry::*free) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<Parker*>& list = r.*free;
  if (list.empty()) return new Parker;
  Parker* p = list.back();
  list.pop_back();
  return p;
}

void giveBack(std::vector<Parker*> Registry::*free, Parker* p) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  (r.*free).push_back(p);
}

struct Slot {
  Parker* p = take(&Registry::free);
  ~Slot() { giveBack(&Registry::free, p); }
};

}  // namespace

Parker* Parker::current() {
  if (Fiber* f = Fiber::current()) return f->parker();
  thread_local Slot slot;
  return slot.p;
}

Parker* Parker::forFiber(Fiber* fiber) {
  Parker* p = take(&Registry::free_fiber);
  p->fiber_.store(fiber, std::memory_order_release);
  return p;
}

void Parker::releaseFiber(Parker* p) { giveBack(&Registry::free_fiber, p); }

void Parker::parkFiber(uint32_t token) {
  sleeping_.store(1, std::memory_order_seq_cst);
  if (word_.load(std::memory_order_seq_cst) != token) {
    // unpark() came meanwhile. If it also saw sleeping_ set, it has posted
    // a resume, which must be taken: suspend to receive it.
    if (sleeping_.exchange(0, std::memory_order_acq_rel) == 1) return;
  }
  Fiber::suspend();
}

void Parker::park(uint32_t token) {
  if (fiber_.load(std::memory_order_relaxed) != nullptr) return parkFiber(token);
  sleeping_.store(1, std::memory_order_seq_cst);
  // Re-check after announcing: an unpark() between prepare() and here
  // changed word_, so the kernel refuses to sleep (EAGAIN).
  if (word_.load(std::memory_order_seq_cst) == token) futex(&word_, FUTEX_WAIT_PRIVATE, token, nullptr);
  sleeping_.store(0, std::memory_order_relaxed);
}

bool Parker::parkUntil(uint32_t token, std::chrono::steady_clock::time_point deadline) {
  auto left = deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero()) return word_.load(std::memory_order_acquire) != token;
  if (Fiber* f = fiber_.load(std::memory_order_relaxed)) {
    // The timer is cancelled once the wait is over, however it ended.
    void* wake = f->scheduler()->wakeAt(deadline, this);
    parkFiber(token);
    f->scheduler()->cancelWake(wake);
    return std::chrono::steady_clock::now() < deadline || word_.load(std::memory_order_acquire) != token;
  }
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
  if (sleeping_.load(std::memory_order_seq_cst) == 0) return;
  if (Fiber* f = fiber_.load(std::memory_order_acquire)) {
    if (sleeping_.exchange(0, std::memory_order_acq_rel) == 1) f->scheduler()->post(f);
    return;
  }
  futex(&word_, FUTEX_WAKE_PRIVATE, 1, nullptr);
}

}  // namespace fdyno

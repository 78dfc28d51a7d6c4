// fiber: stackful coroutines, so that a request waiting for a database
// round trip suspends itself instead of the thread it runs on.
//
// Why: on a store that answers over the network (the PostgreSQL store) a
// request spends most of its time waiting: for the database's answer, for a
// group commit's leader, for a pooled connection. With one thread per
// waiting request, every wait is a futex sleep and every answer a wake-up
// and a context switch: 62% of fdyno's CPU per PutItem was the kernel's
// (docs/performance.md, 2026-12-04). On fibers, the requests of one event
// loop take turns on one thread: a wait switches stacks in user space
// (tens of nanoseconds), and the thread sleeps only in its event loop, once
// for everything that is ready at the same time.
//
// The engine and the store need no change: every wait below the API goes
// through a Parker (common/parker.h) or waitFd() below, and both suspend
// the fiber when called on one and block the thread otherwise.
//
// Contract:
// - A FiberScheduler is one thread's event loop (http implements it over an
//   io_context). A Fiber belongs to one scheduler and only ever runs on its
//   thread, so thread_local state stays valid across a suspension. But two
//   requests may now interleave on one thread at their waits: state kept in
//   a thread_local across a wait must be fiberLocal() instead.
// - FiberPool (one per scheduler thread, not thread-safe) runs tasks on
//   fibers: spawn() starts the task at once, on this thread, and returns
//   when it finished or first suspended. A suspended fiber is resumed by its
//   scheduler (FiberScheduler::post) when its Parker is unparked or the fd it
//   waits for is ready. Tasks must not throw (an exception escaping a task
//   ends the process). Idle fibers are kept for reuse (kKeptIdleFibers).
// - Never hold a lock across a wait on a fiber: another fiber of the same
//   thread that takes it would block the thread with the holder in it.
// - Stacks are kFiberStackBytes of address space (pages are committed as
//   they are touched) with a guard page below, so an overflow faults rather
//   than corrupting memory.
// - Under AddressSanitizer every switch is announced to it
//   (__sanitizer_start_switch_fiber), so it follows the stacks.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace fdyno {

class Fiber;
class Parker;

inline constexpr size_t kFiberStackBytes = 1024 * 1024;
inline constexpr size_t kKeptIdleFibers = 64;

class FiberScheduler {
 public:
  virtual ~FiberScheduler() = default;
  // Resumes `fiber` soon, on the scheduler's thread (never inside the
  // call). From any thread.
  virtual void post(Fiber* fiber) = 0;
  // Once `fd` is readable (or writable), or has an error or hang-up: sets
  // *fired, then calls parker->unpark(). On the scheduler's thread only;
  // the watch cannot be cancelled (the waiter waits for it).
  virtual void watchFd(int fd, bool for_write, Parker* parker, bool* fired) = 0;
  // Calls parker->unpark() at `deadline`, unless cancelled first. Returns
  // the handle that cancelWake() takes exactly once, when the wait ended
  // (by the deadline or not): so no timer outlives its wait. On the
  // scheduler's thread only.
  virtual void* wakeAt(std::chrono::steady_clock::time_point deadline, Parker* parker) = 0;
  virtual void cancelWake(void* handle) = 0;
};

class FiberPool;

class Fiber {
 public:
  // The fiber running on this thread, or null on a thread's own stack.
  static Fiber* current();
  // Suspends the current fiber (which must exist) until its scheduler
  // resumes it. Parker and waitFd() call this; others use those.
  static void suspend();

  // Runs the fiber until it suspends or its task ends. The scheduler's
  // thread only, from its own stack (not from a fiber).
  void resume();

  Parker* parker() const { return parker_; }
  FiberScheduler* scheduler() const { return scheduler_; }

  // Slot `id` of this fiber's fiberLocal() values.
  void*& localSlot(size_t id);
  void addLocalDeleter(void* p, void (*del)(void*)) { deleters_.push_back({p, del}); }

 private:
  friend class FiberPool;
  struct Impl;
  Fiber(FiberPool* pool, FiberScheduler* scheduler);
  ~Fiber();

  FiberPool* pool_;
  FiberScheduler* scheduler_;
  Parker* parker_;
  std::unique_ptr<Impl> impl_;
  std::function<void()> task_;
  std::vector<void*> locals_;
  std::vector<std::pair<void*, void (*)(void*)>> deleters_;
};

class FiberPool {
 public:
  explicit FiberPool(FiberScheduler* scheduler) : scheduler_(scheduler) {}
  // Every fiber must be idle (no task suspended) by then.
  ~FiberPool();
  FiberPool(const FiberPool&) = delete;
  FiberPool& operator=(const FiberPool&) = delete;

  // Runs `task` on a fiber (see the contract). The scheduler's thread only,
  // from its own stack.
  void spawn(std::function<void()> task);
  // Tasks started and not yet finished.
  size_t busy() const { return busy_; }

 private:
  friend class Fiber;
  // Called by a fiber whose task ended: true when it is kept for the next
  // task, false when it should end (enough idle ones).
  bool recycle(Fiber* f);

  FiberScheduler* scheduler_;
  std::vector<Fiber*> idle_;
  size_t busy_ = 0;
};

// Blocks until `fd` is readable (or writable), or has an error or hang-up:
// on a fiber by suspending it (FiberScheduler::watchFd), else with poll().
// Returns at once for a negative fd.
void waitFd(int fd, bool for_write);

// Sleeps: on a fiber by suspending it, else the thread.
void sleepFor(std::chrono::microseconds d);

// Runs `fn`, which blocks its thread (an fsync), without blocking a fiber's
// thread: on a fiber, on one of a few process-wide helper threads (started on
// first use, kBlockingThreads of them) while the fiber is suspended; off
// fibers, inline. `fn` must not throw.
inline constexpr size_t kBlockingThreads = 2;
void runBlocking(const std::function<void()>& fn);

namespace fiber_detail {
size_t newLocalId();
}

// A T per fiber, and one per thread for code off fibers; made on first use
// (default-constructed), destroyed with its fiber or thread.
template <typename T>
T& fiberLocal() {
  static const size_t id = fiber_detail::newLocalId();
  if (Fiber* f = Fiber::current()) {
    void*& slot = f->localSlot(id);
    if (slot == nullptr) {
      T* t = new T();
      slot = t;
      f->addLocalDeleter(t, [](void* p) { delete static_cast<T*>(p); });
    }
    return *static_cast<T*>(slot);
  }
  thread_local T t;
  return t;
}

}  // namespace fdyno

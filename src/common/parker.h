// parker: a wake-up slot per thread, for hand-offs where the waker must not
// touch the waiter's memory after the hand-off.
//
// Why: a condition variable on the waiter's stack cannot be notified after
// the waiter's condition became true (the waiter may return and destroy it
// first), so the usual pattern notifies under a shared mutex; the woken
// thread then runs into that mutex, still held by the waker, and sleeps a
// second time. On the PostgreSQL store's commit path (one leader wakes the
// whole group) that doubled the context switches per request. A Parker
// lives as long as the process (they are recycled, never freed), so a
// waker may publish its result, then unpark() the waiter's Parker with no
// lock held and no lifetime hazard.
//
// Contract:
// - Parker::current() is this thread's Parker (the same one for the
//   thread's life; reused by a later thread once this one exits).
// - The waiter:  for (;;) { uint32_t t = p->prepare();
//                  if (condition) break; p->park(t); }
//   The waker:   make the condition true (release order), then p->unpark().
//   park() returns at once if unpark() came after prepare(); it may also
//   return spuriously (a late unpark() from an earlier hand-off that reused
//   the slot), hence the loop.
// - parkUntil() also returns at the deadline (false).
// - On a fiber (common/fiber.h), current() is the fiber's own Parker, and
//   park() suspends the fiber instead of the thread: unpark() then has the
//   fiber's scheduler resume it (once per suspension: whoever turns
//   `sleeping_` from 1 to 0 owns the resume).
// - Thread safety: unpark() from any thread; prepare/park only by the owner.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace fdyno {

class Fiber;

class Parker {
 public:
  static Parker* current();
  // A Parker for `fiber`, from the same never-freed recycling as threads'.
  static Parker* forFiber(Fiber* fiber);
  static void releaseFiber(Parker* p);

  uint32_t prepare() const { return word_.load(std::memory_order_acquire); }
  void park(uint32_t token);
  // False when the deadline passed first.
  bool parkUntil(uint32_t token, std::chrono::steady_clock::time_point deadline);
  void unpark();

 private:
  std::atomic<uint32_t> word_{0};
  // Set while the owner is (about to be) in the kernel, so unpark() skips
  // the system call when nobody sleeps; for a fiber, while it is (about to
  // be) suspended.
  std::atomic<uint32_t> sleeping_{0};
  // The fiber owning this Parker, or null for a thread's. Set before the
  // Parker is handed out; read by unpark() after it took `sleeping_`.
  std::atomic<Fiber*> fiber_{nullptr};

  void parkFiber(uint32_t token);
};

}  // namespace fdyno

#include "common/parker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace fdyno {
namespace {

TEST(ParkerTest, OneThreadKeepsItsParker) {
  EXPECT_EQ(Parker::current(), Parker::current());
  Parker* other = nullptr;
  std::thread t([&] { other = Parker::current(); });
  t.join();
  EXPECT_NE(other, Parker::current());
}

TEST(ParkerTest, UnparkBeforeParkIsNotLost) {
  Parker* p = Parker::current();
  uint32_t token = p->prepare();
  std::thread t([&] { p->unpark(); });
  t.join();
  // The unpark came after prepare(): park returns at once.
  p->park(token);
  SUCCEED();
}

TEST(ParkerTest, ParkUntilTimesOutWithoutUnpark) {
  Parker* p = Parker::current();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(p->parkUntil(p->prepare(), start + std::chrono::milliseconds(30)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
  // A deadline already past: no sleep, and no unpark seen.
  EXPECT_FALSE(p->parkUntil(p->prepare(), start));
}

TEST(ParkerTest, ParkUntilReturnsTrueWhenUnparked) {
  Parker* p = Parker::current();
  uint32_t token = p->prepare();
  std::thread t([&] { p->unpark(); });
  EXPECT_TRUE(p->parkUntil(token, std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  t.join();
}

// Ping-pong between threads: every hand-off is seen, none is lost (a lost
// wake-up would hang here, and the test's timeout fails it).
TEST(ParkerTest, HandOffsAreNeverLost) {
  constexpr int kRounds = 20000;
  std::atomic<int> turn{0};
  Parker* a = Parker::current();
  std::atomic<Parker*> b{nullptr};
  std::thread t([&] {
    Parker* mine = Parker::current();
    b.store(mine);
    for (int i = 0; i < kRounds; ++i) {
      for (;;) {
        uint32_t token = mine->prepare();
        if (turn.load(std::memory_order_acquire) == 2 * i + 1) break;
        mine->park(token);
      }
      turn.store(2 * i + 2, std::memory_order_release);
      a->unpark();
    }
  });
  while (b.load() == nullptr) std::this_thread::yield();
  for (int i = 0; i < kRounds; ++i) {
    turn.store(2 * i + 1, std::memory_order_release);
    b.load()->unpark();
    for (;;) {
      uint32_t token = a->prepare();
      if (turn.load(std::memory_order_acquire) == 2 * i + 2) break;
      a->park(token);
    }
  }
  t.join();
  EXPECT_EQ(turn.load(), 2 * kRounds);
}

// Parkers of exited threads are reused, never freed: an unpark after the
// owner left is safe (the sanitizer builds would flag a freed one).
TEST(ParkerTest, ParkerOutlivesItsThread) {
  Parker* gone = nullptr;
  std::thread t([&] { gone = Parker::current(); });
  t.join();
  gone->unpark();
  std::vector<Parker*> seen;
  for (int i = 0; i < 4; ++i) {
    std::thread u([&] { seen.push_back(Parker::current()); });
    u.join();
  }
  bool reused = false;
  for (Parker* p : seen) reused = reused || p == gone;
  EXPECT_TRUE(reused);
}

}  // namespace
}  // namespace fdyno

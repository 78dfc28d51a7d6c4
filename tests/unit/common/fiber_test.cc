// common/fiber.h: tasks on fibers that suspend at their waits (Parker,
// waitFd, sleepFor) while their thread goes on with the others. The
// scheduler here is a plain thread with a queue and poll(); the server's
// (http/fiber_loop.h) is tested in tests/unit/http.
#include "common/fiber.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/combiner.h"
#include "common/parker.h"

namespace fdyno {
namespace {

using namespace std::chrono_literals;

class ThreadScheduler final : public FiberScheduler {
 public:
  ThreadScheduler() : thread_([this] { loop(); }) {}
  ~ThreadScheduler() override {
    {
      std::lock_guard<std::mutex> l(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // Runs `fn` on the scheduler's thread (its own stack).
  void run(std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> l(mu_);
      jobs_.push_back(std::move(fn));
    }
    cv_.notify_all();
  }
  // Spawns `task` on a fiber of the scheduler's thread.
  void spawn(std::function<void()> task) {
    run([this, task = std::move(task)] { pool_->spawn(task); });
  }
  // Waits until every spawned task has finished.
  void drain() {
    for (;;) {
      std::promise<size_t> busy;
      auto f = busy.get_future();
      run([&] { busy.set_value(pool_->busy()); });
      if (f.get() == 0) return;
      std::this_thread::sleep_for(1ms);
    }
  }
  std::thread::id id() const { return thread_.get_id(); }
  // pendingWakes(), read on the scheduler's thread.
  int wakesLeft() {
    std::promise<int> n;
    auto f = n.get_future();
    run([&] { n.set_value(pendingWakes()); });
    return f.get();
  }

  void post(Fiber* fiber) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      jobs_.push_back([fiber] { fiber->resume(); });
    }
    cv_.notify_all();
  }
  void watchFd(int fd, bool for_write, Parker* parker, bool* fired) override {
    watches_.push_back({fd, for_write, parker, fired});
  }
  void* wakeAt(std::chrono::steady_clock::time_point deadline, Parker* parker) override {
    timers_.push_back(std::make_unique<Timer>(Timer{deadline, parker}));
    ++wakes_;
    return timers_.back().get();
  }
  void cancelWake(void* handle) override {
    --wakes_;
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->get() == handle) {
        timers_.erase(it);
        return;
      }
    }
    ADD_FAILURE() << "cancelWake of an unknown handle";
  }
  // wakeAt() calls not yet matched by cancelWake() (the scheduler's thread).
  int pendingWakes() const { return wakes_; }

 private:
  struct Watch {
    int fd;
    bool for_write;
    Parker* parker;
    bool* fired;
  };
  struct Timer {
    std::chrono::steady_clock::time_point at;
    Parker* parker;
    bool fired = false;
  };

  void loop() {
    FiberPool pool(this);
    pool_ = &pool;
    for (;;) {
      std::deque<std::function<void()>> jobs;
      {
        std::unique_lock<std::mutex> l(mu_);
        if (jobs_.empty() && watches_.empty() && timers_.empty()) {
          if (stopping_ && pool.busy() == 0) break;
          cv_.wait_for(l, 1ms);
        }
        jobs.swap(jobs_);
      }
      for (auto& j : jobs) j();
      if (!watches_.empty()) {
        std::vector<pollfd> fds;
        for (auto& w : watches_) fds.push_back({w.fd, static_cast<short>(w.for_write ? POLLOUT : POLLIN), 0});
        ::poll(fds.data(), fds.size(), 1);
        std::vector<Watch> left;
        for (size_t i = 0; i < fds.size(); ++i) {
          if (fds[i].revents != 0) {
            *watches_[i].fired = true;
            watches_[i].parker->unpark();
          } else {
            left.push_back(watches_[i]);
          }
        }
        watches_.swap(left);
      }
      // A due timer fires once and stays until its wait cancels it.
      const auto now = std::chrono::steady_clock::now();
      for (auto& t : timers_) {
        if (!t->fired && t->at <= now) {
          t->fired = true;
          t->parker->unpark();
        }
      }
    }
    pool_ = nullptr;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  // The scheduler's thread only:
  FiberPool* pool_ = nullptr;
  std::vector<Watch> watches_;
  std::vector<std::unique_ptr<Timer>> timers_;
  int wakes_ = 0;
  std::thread thread_;
};

// Parks the calling fiber until *flag is set.
void parkUntilSet(const std::atomic<bool>& flag) {
  Parker* p = Parker::current();
  for (;;) {
    const uint32_t t = p->prepare();
    if (flag.load()) return;
    p->park(t);
  }
}

TEST(FiberTest, SpawnRunsUntilTheFirstWaitAndAnUnparkFromAnotherThreadResumes) {
  ThreadScheduler s;
  std::atomic<int> step{0};
  std::atomic<bool> go{false};
  std::atomic<Parker*> parker{nullptr};
  std::promise<void> spawned;
  s.run([&] { EXPECT_EQ(Fiber::current(), nullptr) << "the scheduler's own stack"; });
  s.spawn([&] {
    EXPECT_NE(Fiber::current(), nullptr);
    parker = Parker::current();
    EXPECT_EQ(Parker::current(), Fiber::current()->parker());
    step = 1;
    parkUntilSet(go);
    step = 2;
  });
  s.run([&] {
    EXPECT_EQ(step.load(), 1) << "spawn() returned at the park";
    spawned.set_value();
  });
  spawned.get_future().wait();
  ASSERT_NE(parker.load(), nullptr);
  std::this_thread::sleep_for(5ms);
  EXPECT_EQ(step.load(), 1);
  go = true;
  parker.load()->unpark();
  s.drain();
  EXPECT_EQ(step.load(), 2);
}

TEST(FiberTest, ManyWaitingFibersShareOneThread) {
  ThreadScheduler s;
  constexpr int kFibers = 200;  // more than the pool keeps idle
  std::atomic<bool> go{false};
  std::mutex mu;
  std::vector<Parker*> parkers;
  std::set<std::thread::id> threads;
  std::atomic<int> done{0};
  for (int i = 0; i < kFibers; ++i) {
    s.spawn([&] {
      {
        std::lock_guard<std::mutex> l(mu);
        parkers.push_back(Parker::current());
        threads.insert(std::this_thread::get_id());
      }
      parkUntilSet(go);
      ++done;
    });
  }
  for (;;) {
    std::lock_guard<std::mutex> l(mu);
    if (parkers.size() == kFibers) break;
  }
  EXPECT_EQ(done.load(), 0) << "all of them wait at once, on one thread";
  go = true;
  for (Parker* p : parkers) p->unpark();
  s.drain();
  EXPECT_EQ(done.load(), kFibers);
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(*threads.begin(), s.id());
}

TEST(FiberTest, AFiberIsReusedForTheNextTask) {
  ThreadScheduler s;
  std::mutex mu;
  std::set<Fiber*> fibers;
  for (int i = 0; i < 100; ++i) {
    s.spawn([&] {
      std::lock_guard<std::mutex> l(mu);
      fibers.insert(Fiber::current());
    });
  }
  s.drain();
  // Each task ended before the next began: one fiber served them all.
  EXPECT_EQ(fibers.size(), 1u);
}

TEST(FiberTest, WaitFdSuspendsTheFiberUntilTheDescriptorIsReady) {
  ThreadScheduler s;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::atomic<int> got{-1};
  std::atomic<bool> other_ran{false};
  s.spawn([&] {
    waitFd(fds[0], /*for_write=*/false);
    char c = 0;
    EXPECT_EQ(::read(fds[0], &c, 1), 1);
    got = c;
  });
  // The thread is free while the first fiber waits.
  s.spawn([&] { other_ran = true; });
  while (!other_ran) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(got.load(), -1);
  char c = 'x';
  ASSERT_EQ(::write(fds[1], &c, 1), 1);
  s.drain();
  EXPECT_EQ(got.load(), 'x');
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(FiberTest, WaitFdOffAFiberBlocksInPoll) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::this_thread::sleep_for(10ms);
    char c = 'y';
    EXPECT_EQ(::write(fds[1], &c, 1), 1);
  });
  waitFd(fds[0], false);
  char c = 0;
  EXPECT_EQ(::read(fds[0], &c, 1), 1);
  EXPECT_EQ(c, 'y');
  writer.join();
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(FiberTest, WaitFdOfNoDescriptorReturnsAtOnce) {
  waitFd(-1, false);  // off a fiber: poll() would wait for ever
  ThreadScheduler s;
  std::atomic<bool> done{false};
  s.spawn([&] {
    waitFd(-1, true);
    done = true;
  });
  s.drain();
  EXPECT_TRUE(done.load());
}

TEST(FiberTest, SleepForSuspendsOnlyTheFiber) {
  ThreadScheduler s;
  std::mutex mu;
  std::vector<char> order;
  auto note = [&](char c) {
    std::lock_guard<std::mutex> l(mu);
    order.push_back(c);
  };
  const auto t0 = std::chrono::steady_clock::now();
  s.spawn([&] {
    sleepFor(std::chrono::microseconds(30000));
    note('a');
  });
  s.spawn([&] { note('b'); });
  s.drain();
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 30ms);
  EXPECT_EQ(order, (std::vector<char>{'b', 'a'}));
  EXPECT_EQ(s.wakesLeft(), 0);
}

TEST(FiberTest, ParkUntilOnAFiberReturnsFalseAtTheDeadline) {
  ThreadScheduler s;
  std::atomic<int> result{-1};
  s.spawn([&] {
    Parker* p = Parker::current();
    const auto deadline = std::chrono::steady_clock::now() + 20ms;
    bool woken = true;
    for (;;) {
      const uint32_t t = p->prepare();
      woken = p->parkUntil(t, deadline);
      if (!woken) break;
    }
    EXPECT_GE(std::chrono::steady_clock::now(), deadline);
    result = woken ? 1 : 0;
  });
  s.drain();
  EXPECT_EQ(result.load(), 0);
  EXPECT_EQ(s.wakesLeft(), 0);
}

TEST(FiberTest, AnEarlyUnparkCancelsTheDeadlineTimer) {
  ThreadScheduler s;
  std::atomic<Parker*> parker{nullptr};
  std::atomic<bool> go{false};
  std::atomic<int> result{-1};
  s.spawn([&] {
    Parker* p = Parker::current();
    parker = p;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
      const uint32_t t = p->prepare();
      if (go) break;
      if (!p->parkUntil(t, deadline)) break;
    }
    result = go ? 1 : 0;
  });
  while (parker == nullptr) std::this_thread::sleep_for(1ms);
  go = true;
  parker.load()->unpark();
  s.drain();
  EXPECT_EQ(result.load(), 1);
  // No timer left for 30 s from now: it went with its wait.
  EXPECT_EQ(s.wakesLeft(), 0);
}

struct Local {
  int value = 0;
};

TEST(FiberTest, FiberLocalIsPerFiberAndPerThreadOffFibers) {
  ThreadScheduler s;
  fiberLocal<Local>().value = 7;  // this thread's
  std::atomic<bool> go{false};
  std::atomic<Parker*> first{nullptr};
  std::atomic<int> first_saw{-1}, second_saw{-1};
  s.spawn([&] {
    fiberLocal<Local>().value = 1;
    first = Parker::current();
    parkUntilSet(go);
    first_saw = fiberLocal<Local>().value;
  });
  s.spawn([&] {
    // Runs while the first fiber waits, on the same thread.
    second_saw = fiberLocal<Local>().value;
    fiberLocal<Local>().value = 2;
  });
  while (second_saw.load() < 0) std::this_thread::sleep_for(1ms);
  go = true;
  first.load()->unpark();
  s.drain();
  EXPECT_EQ(second_saw.load(), 0) << "a fresh value, not the first fiber's";
  EXPECT_EQ(first_saw.load(), 1) << "the second fiber did not overwrite it";
  EXPECT_EQ(fiberLocal<Local>().value, 7);
}

// A combiner's group on fibers: requests of one thread join a group while
// its leader waits, so they take fewer round trips than requests.
struct Req : CombinedRequest {
  int processed = 0;
};

TEST(FiberTest, CombinerGroupsTheRequestsOfOneThreadWhileTheLeaderWaits) {
  ThreadScheduler s;
  Combiner<Req> combiner(1);
  constexpr int kRequests = 50;
  std::vector<Req> reqs(kRequests);
  std::atomic<int> groups{0};
  for (int i = 0; i < kRequests; ++i) {
    s.spawn([&, i] {
      combiner.run(reqs[i], [&](std::vector<Req*>& group) {
        ++groups;
        sleepFor(std::chrono::microseconds(2000));  // the round trip
        for (Req* r : group) ++r->processed;
      });
    });
  }
  s.drain();
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(reqs[i].processed, 1) << i;
  // The first leads alone; everything spawned while it waits rides later groups.
  EXPECT_LT(groups.load(), kRequests / 2);
}

// Recursion a quarter of a megabyte deep: fiber stacks are not small.
size_t recurse(size_t depth) {
  volatile char frame[1024];
  frame[0] = static_cast<char>(depth);
  if (depth == 0) return frame[0];
  return recurse(depth - 1) + frame[0];
}

TEST(FiberTest, AFiberHasRoomForDeepRecursion) {
  ThreadScheduler s;
  std::atomic<size_t> r{0};
  s.spawn([&] { r = recurse(256) + 1; });
  s.drain();
  EXPECT_GT(r.load(), 0u);
}

}  // namespace
}  // namespace fdyno

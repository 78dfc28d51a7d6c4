#include "common/combiner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace fdyno {
namespace {

struct Req : CombinedRequest {
  int input = 0;
  int output = -1;
  int group_id = -1;
};

TEST(CombinerTest, AloneALeaderProcessesItsOwnGroupAtOnce) {
  Combiner<Req> c(1);
  Req r;
  r.input = 7;
  size_t seen = 0;
  c.run(r, [&](const std::vector<Req*>& g) {
    seen = g.size();
    for (Req* x : g) x->output = x->input * 2;
  });
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(r.output, 14);
}

// Every request is processed exactly once, by a group that holds it; with
// one leader, no two groups overlap; requests that arrive while a group is
// in flight ride a later group together.
void runMany(size_t max_leaders, int threads, int per_thread) {
  Combiner<Req> c(max_leaders);
  std::atomic<int> in_flight{0}, max_in_flight{0}, groups{0}, processed{0};
  std::atomic<bool> grouped{false};
  std::vector<std::thread> ts;
  std::atomic<int> bad{0};
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        Req r;
        r.input = t * 100000 + i;
        c.run(r, [&](const std::vector<Req*>& g) {
          int now = ++in_flight;
          int m = max_in_flight.load();
          while (now > m && !max_in_flight.compare_exchange_weak(m, now)) {
          }
          const int id = groups++;
          if (g.size() > 1) grouped = true;
          std::this_thread::sleep_for(std::chrono::microseconds(200));  // a round trip
          for (Req* x : g) {
            if (x->output != -1) ++bad;  // processed twice
            x->output = x->input + 1;
            x->group_id = id;
            ++processed;
          }
          --in_flight;
        });
        if (r.output != r.input + 1 || r.group_id < 0) ++bad;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(processed.load(), threads * per_thread);
  EXPECT_LE(static_cast<size_t>(max_in_flight.load()), max_leaders);
  EXPECT_TRUE(grouped.load()) << "no request ever waited for a group";
  EXPECT_LT(groups.load(), threads * per_thread);
}

TEST(CombinerTest, OneLeaderSerializesGroupsAndProcessesEachRequestOnce) { runMany(1, 8, 300); }

TEST(CombinerTest, SeveralLeadersStayWithinTheirLimit) { runMany(3, 8, 300); }

TEST(CombinerTest, GroupsAreOldestFirst) {
  // One leader held in process() while two more requests queue: the handed
  // leader's group starts with itself, then the later arrival.
  Combiner<Req> c(1);
  std::atomic<bool> release{false}, first_in{false};
  std::vector<int> second_group;
  std::thread a([&] {
    Req r;
    r.input = 1;
    c.run(r, [&](const std::vector<Req*>&) {
      first_in = true;
      while (!release) std::this_thread::yield();
    });
  });
  while (!first_in) std::this_thread::yield();
  std::mutex mu;
  auto queued = [&](int input) {
    return std::thread([&, input] {
      Req r;
      r.input = input;
      c.run(r, [&](const std::vector<Req*>& g) {
        std::lock_guard<std::mutex> l(mu);
        for (Req* x : g) second_group.push_back(x->input);
      });
    });
  };
  std::thread b = queued(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::thread d = queued(3);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  a.join();
  b.join();
  d.join();
  EXPECT_EQ(second_group, (std::vector<int>{2, 3}));
}

}  // namespace
}  // namespace fdyno

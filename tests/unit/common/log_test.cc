// log::RateLimit: one line per interval per call site, the rest counted.
#include "common/log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace fdyno::log {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RateLimitTest, OneLinePerIntervalWithSuppressedCount) {
  RateLimit limit(1s);
  const Clock::time_point t0 = Clock::now();
  uint64_t suppressed = 99;
  ASSERT_TRUE(limit.admit(t0, &suppressed));
  EXPECT_EQ(suppressed, 0u);
  for (int i = 1; i <= 5; ++i) EXPECT_FALSE(limit.admit(t0 + i * 100ms, &suppressed)) << i;
  EXPECT_FALSE(limit.admit(t0 + 999ms, &suppressed));
  ASSERT_TRUE(limit.admit(t0 + 1s, &suppressed));
  EXPECT_EQ(suppressed, 6u);  // the six refused since the first line
  ASSERT_TRUE(limit.admit(t0 + 5s, &suppressed));
  EXPECT_EQ(suppressed, 0u);
}

TEST(RateLimitTest, ConcurrentCallersAdmitOneLine) {
  RateLimit limit(1h);
  std::atomic<int> admitted{0};
  std::atomic<uint64_t> reported{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        uint64_t s = 0;
        if (limit.admit(&s)) {
          ++admitted;
          reported += s;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 1);
  EXPECT_EQ(reported.load(), 0u);
  // The next admitted line reports every refusal.
  uint64_t s = 0;
  ASSERT_TRUE(limit.admit(Clock::now() + 2h, &s));
  EXPECT_EQ(s, 39999u);
}

}  // namespace
}  // namespace fdyno::log

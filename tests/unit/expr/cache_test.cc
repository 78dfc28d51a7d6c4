// ExpressionCache: reuse, bounds, concurrency.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "expr/cache.h"

namespace fdyno::expr {
namespace {

TEST(ExpressionCache, ReusesParsedTree) {
  ExpressionCache cache(64);
  auto a = cache.get(Grammar::kCondition, "a = :v");
  auto b = cache.get(Grammar::kCondition, "a = :v");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
  // Same text, other grammar: a different entry.
  auto c = cache.get(Grammar::kProjection, "a");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(ExpressionCache, ErrorsAreNotCached) {
  ExpressionCache cache(64);
  auto r = cache.get(Grammar::kCondition, "a = ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Syntax error; token: \"<EOF>\", near: \"= \"");
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ExpressionCache, Bounded) {
  ExpressionCache cache(32);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(cache.get(Grammar::kProjection, "a" + std::to_string(i)).ok());
  }
  EXPECT_LE(cache.size(), 32u);
}

TEST(ExpressionCache, ConcurrentUse) {
  ExpressionCache cache(128);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        auto r = cache.get(Grammar::kCondition, "a" + std::to_string((i * 7 + t) % 300) + " = :v");
        ASSERT_TRUE(r.ok());
        ASSERT_EQ((*r)->value_refs.size(), 1u);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 128u);
  EXPECT_EQ(cache.hits() + cache.misses(), 8000u);
}

}  // namespace
}  // namespace fdyno::expr

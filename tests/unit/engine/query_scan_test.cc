// Query/Scan engine: key ranges against a brute-force reference, paging,
// limits, reverse order, ExclusiveStartKey and parallel-scan segments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/key_range.h"
#include "engine/query_scan.h"
#include "engine_fixture.h"
#include "model/item_size.h"
#include "model/key_codec.h"

namespace fdyno::engine::testing {
namespace {

using model::AttributeValue;
using model::AttrType;

// ---------- ranges vs brute force ----------

std::vector<std::string> trickyBytes() {
  std::vector<std::string> v = {std::string("\0", 1), std::string("\0\0", 2), std::string("\0\xFF", 2),
                                std::string("\xFF", 1), std::string("\xFF\xFF", 2), std::string("\xFF\0", 2),
                                std::string("\x01", 1), std::string("a", 1), std::string("a\0", 2),
                                std::string("a\0b", 3), std::string("a\xFF", 2), std::string("ab", 2),
                                std::string("b", 1), std::string("\x7F", 1), std::string("\x80", 1),
                                std::string("a\0\0", 3), std::string("a\0\xFF", 3), std::string("\xFE\xFF", 2)};
  std::mt19937 rng(7);
  const char alphabet[] = {'\0', '\x01', 'a', 'b', '\xFE', '\xFF'};
  for (int i = 0; i < 60; ++i) {
    std::string s;
    int n = 1 + rng() % 4;
    for (int j = 0; j < n; ++j) s.push_back(alphabet[rng() % sizeof alphabet]);
    v.push_back(s);
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::string> numbers() {
  return {"-1000", "-12.5", "-1", "-0.5", "-0.001", "0", "0.001", "0.5", "1", "1.5", "2", "10", "12.5", "99", "100", "1000"};
}

AttributeValue val(AttrType t, const std::string& s) {
  AttributeValue v;
  v.type = t;
  v.scalar = s;
  return v;
}

bool less(AttrType t, const std::string& a, const std::string& b) {
  if (t == AttrType::kN) return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
  return a < b;  // char_traits<char> compares as unsigned bytes
}

bool holds(AttrType t, SortKeyOp op, const std::string& x, const std::string& a, const std::string& b) {
  switch (op) {
    case SortKeyOp::kEq: return !less(t, x, a) && !less(t, a, x);
    case SortKeyOp::kLt: return less(t, x, a);
    case SortKeyOp::kLe: return !less(t, a, x);
    case SortKeyOp::kGt: return less(t, a, x);
    case SortKeyOp::kGe: return !less(t, x, a);
    case SortKeyOp::kBetween: return !less(t, x, a) && !less(t, b, x);
    case SortKeyOp::kBeginsWith: return x.compare(0, a.size(), a) == 0;
  }
  return false;
}

void checkAgainstBruteForce(AttrType t, const std::vector<std::string>& values) {
  const std::string pprefix = std::string("\x02\0\0\0\0\0\0\0\x07\0", 10) + "pk" + std::string("\0\0", 2);
  // Keys of other partitions that must never fall inside a range.
  std::vector<std::string> neighbours = {pprefix.substr(0, pprefix.size() - 2) + "a" + std::string("\0\0", 2),
                                         std::string("\x02\0\0\0\0\0\0\0\x07\0", 10) + "pj" + std::string("\0\0", 2),
                                         std::string("\x02\0\0\0\0\0\0\0\x07\0", 10) + "pk" + std::string("\0\xFF\0\0", 4)};
  std::vector<SortKeyOp> ops = {SortKeyOp::kEq, SortKeyOp::kLt, SortKeyOp::kLe, SortKeyOp::kGt,
                                SortKeyOp::kGe, SortKeyOp::kBetween};
  if (t != AttrType::kN) ops.push_back(SortKeyOp::kBeginsWith);
  size_t checked = 0;
  for (SortKeyOp op : ops) {
    for (const std::string& a : values) {
      for (const std::string& b : values) {
        if (op != SortKeyOp::kBetween && b != values.front()) continue;
        if (op == SortKeyOp::kBetween && less(t, b, a)) continue;
        AttributeValue va = val(t, a), vb = val(t, b);
        SortKeyCondition c{op, &va, &vb};
        KeyRange r = sortKeyRange(pprefix, &c);
        for (const std::string& x : values) {
          std::string k = pprefix;
          model::encodeKeyValue(k, val(t, x));
          ASSERT_EQ(r.contains(k), holds(t, op, x, a, b))
              << "type " << int(t) << " op " << int(op) << " x=" << ::testing::PrintToString(x)
              << " a=" << ::testing::PrintToString(a) << " b=" << ::testing::PrintToString(b);
          ++checked;
        }
        for (const std::string& n : neighbours) ASSERT_FALSE(r.contains(n));
      }
    }
  }
  EXPECT_GT(checked, 1000u);
}

TEST(KeyRange, StringRangesMatchBruteForce) { checkAgainstBruteForce(AttrType::kS, trickyBytes()); }
TEST(KeyRange, BinaryRangesMatchBruteForce) { checkAgainstBruteForce(AttrType::kB, trickyBytes()); }
TEST(KeyRange, NumberRangesMatchBruteForce) { checkAgainstBruteForce(AttrType::kN, numbers()); }

TEST(KeyRange, PrefixEndCarriesPastFF) {
  EXPECT_EQ(prefixEnd("ab"), "ac");
  EXPECT_EQ(prefixEnd(std::string("a\xFF\xFF", 3)), "b");
  EXPECT_EQ(prefixEnd(std::string("\x01\xFF", 2)), "\x02");
  EXPECT_EQ(prefixEnd(std::string("\xFF", 1)), "\xFF");
}

TEST(KeyRange, BeginsWithPrefixEndingInZeroOrFF) {
  // "a\0" escapes to 61 00 FF: the end must carry past the FF (to 61 01).
  const std::string p = "P";
  AttributeValue pre = val(AttrType::kS, std::string("a\0", 2));
  SortKeyCondition c{SortKeyOp::kBeginsWith, &pre, nullptr};
  KeyRange r = sortKeyRange(p, &c);
  EXPECT_EQ(r.begin, std::string("Pa\0\xFF", 4));
  EXPECT_EQ(r.end, std::string("Pa\x01", 3));
}

TEST(KeyRange, SegmentsAreDisjointAndCover) {
  const std::string prefix("\x02\0\0\0\0\0\0\0\x09\0", 10);
  for (uint32_t total : {1u, 2u, 3u, 7u, 16u, 1000u, 1000000u}) {
    std::string expect_begin = prefix;
    for (uint32_t s = 0; s < total; ++s) {
      if (total > 100 && s > 3 && s + 3 < total) continue;  // spot-check the big ones
      KeyRange r = segmentRange(prefix, s, total);
      if (s == 0) {
        EXPECT_EQ(r.begin, prefix);
      }
      if (s + 1 == total) {
        EXPECT_EQ(r.end, prefixEnd(prefix));
      }
      EXPECT_LT(r.begin, r.end) << total << " " << s;
      if (total <= 100) {
        EXPECT_EQ(r.begin, expect_begin) << total << " " << s;  // contiguous
        expect_begin = r.end;
      }
    }
  }
}

// ---------- paging through Database::readPage ----------

class ReadPageTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_TRUE(db_->createTable(hashRangeTable("t")).ok());
    ASSERT_TRUE(db_->createTable(hashTable("h")).ok());
    for (int p = 0; p < 3; ++p) {
      for (int c = 0; c < 20; ++c) {
        model::Item it = item({{"p", AttributeValue::S("p" + std::to_string(p))},
                               {"c", AttributeValue::N(std::to_string(c))},
                               {"pad", AttributeValue::S(std::string(100 * (c % 3), 'x'))}});
        ASSERT_TRUE(db_->putItem("t", it, model::itemSize(it), false).ok());
      }
    }
    for (int i = 0; i < 50; ++i) {
      model::Item it = item({{"p", AttributeValue::S(std::string(1, static_cast<char>(i * 5)) + "k")}});
      ASSERT_TRUE(db_->putItem("h", it, model::itemSize(it), false).ok());
    }
  }

  struct Page {
    std::vector<model::Item> items;
    PageResult res;
  };

  Result<Page> read(std::string_view table, const ReadPlan& p) {
    Page page;
    auto r = db_->readPage(table, [&](const TableInfo&, ReadPlan& plan) { plan = p; return Status::OK(); },
                           [&](model::Item& it, size_t) {
                             page.items.push_back(std::move(it));
                             return Status::OK();
                           });
    if (!r.ok()) return r.status();
    page.res = std::move(r).value();
    return page;
  }

  std::vector<int> sortKeys(const std::vector<model::Item>& items) {
    std::vector<int> v;
    for (auto& it : items) v.push_back(std::stoi(it.at("c").scalar));
    return v;
  }
};

TEST_F(ReadPageTest, QueryWholePartitionInOrderAndReverse) {
  AttributeValue pk = AttributeValue::S("p1");
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.partition = &pk;
  auto page = read("t", plan);
  ASSERT_TRUE(page.ok());
  std::vector<int> want(20);
  for (int i = 0; i < 20; ++i) want[i] = i;
  EXPECT_EQ(sortKeys(page->items), want);
  EXPECT_EQ(page->res.scanned, 20u);
  EXPECT_FALSE(page->res.last_evaluated_key);
  plan.forward = false;
  page = read("t", plan);
  std::reverse(want.begin(), want.end());
  EXPECT_EQ(sortKeys(page->items), want);
}

TEST_F(ReadPageTest, LimitPagesFollowLastEvaluatedKeyBothDirections) {
  AttributeValue pk = AttributeValue::S("p2");
  AttributeValue lo = AttributeValue::N("3"), hi = AttributeValue::N("15");
  for (bool forward : {true, false}) {
    for (size_t limit : {1u, 2u, 5u, 13u, 100u}) {
      ReadPlan plan;
      plan.kind = ReadKind::kQuery;
      plan.partition = &pk;
      plan.sort = SortKeyCondition{SortKeyOp::kBetween, &lo, &hi};
      plan.limit = limit;
      plan.forward = forward;
      std::vector<int> got;
      std::optional<model::Item> start;
      for (int guard = 0; guard < 50; ++guard) {
        plan.exclusive_start = start ? &*start : nullptr;
        auto page = read("t", plan);
        ASSERT_TRUE(page.ok()) << page.status().toString();
        EXPECT_LE(page->items.size(), limit);
        for (int c : sortKeys(page->items)) got.push_back(c);
        start = page->res.last_evaluated_key;
        if (!start) break;
        EXPECT_EQ(start->size(), 2u);
      }
      std::vector<int> want;
      for (int i = 3; i <= 15; ++i) want.push_back(i);
      if (!forward) std::reverse(want.begin(), want.end());
      EXPECT_EQ(got, want) << "limit " << limit << " forward " << forward;
    }
  }
}

TEST_F(ReadPageTest, ByteLimitStopsAfterTheItemThatReachesIt) {
  AttributeValue pk = AttributeValue::S("p0");
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.partition = &pk;
  auto all = read("t", plan);
  ASSERT_TRUE(all.ok());
  // Pick a limit strictly inside the third item: the page ends with it.
  size_t s0 = model::itemSize(all->items[0]), s1 = model::itemSize(all->items[1]),
         s2 = model::itemSize(all->items[2]);
  plan.byte_limit = s0 + s1 + s2 - 1;
  auto page = read("t", plan);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->res.bytes_read, s0 + s1 + s2);
  ASSERT_TRUE(page->res.last_evaluated_key);
  EXPECT_EQ(page->res.last_evaluated_key->at("c").scalar, "2");
  // Exactly reaching the limit also ends the page.
  plan.byte_limit = s0 + s1;
  page = read("t", plan);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_TRUE(page->res.last_evaluated_key);
}

TEST_F(ReadPageTest, ExclusiveStartKeyMessages) {
  AttributeValue pk = AttributeValue::S("p0");
  AttributeValue five = AttributeValue::N("5");
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.partition = &pk;
  auto expect = [&](const model::Item& esk, const std::string& msg) {
    plan.exclusive_start = &esk;
    auto page = read("t", plan);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.status().message(), msg);
  };
  expect(item({{"p", AttributeValue::S("p0")}}), "The provided starting key is invalid");
  expect(item({{"p", AttributeValue::S("p0")}, {"x", five}}), "The provided starting key is invalid");
  expect(item({{"p", AttributeValue::S("p0")}, {"c", AttributeValue::S("5")}}),
         "The provided key element does not match the schema");
  expect(item({{"p", AttributeValue::S("p1")}, {"c", five}}),
         "The provided starting key is outside query boundaries based on provided conditions");
  AttributeValue ten = AttributeValue::N("10");
  plan.sort = SortKeyCondition{SortKeyOp::kGt, &ten, nullptr};
  expect(item({{"p", AttributeValue::S("p0")}, {"c", five}}),
         "The provided starting key does not match the range key predicate");
  expect(item({{"p", AttributeValue::S("p1")}, {"c", AttributeValue::N("12")}}),
         "The query can return at most one row and cannot be restarted");

  // Hash-only: any start key is rejected (one item per partition).
  ReadPlan hq;
  hq.kind = ReadKind::kQuery;
  AttributeValue hk = AttributeValue::S("zk");
  hq.partition = &hk;
  model::Item hesk = item({{"p", AttributeValue::S("zk")}});
  hq.exclusive_start = &hesk;
  auto hpage = read("h", hq);
  ASSERT_FALSE(hpage.ok());
  EXPECT_EQ(hpage.status().message(),
            "The provided exclusive start key is invalid: ExclusiveStartKey: {p=AttributeValue: {S:zk}}");

  ReadPlan scan;
  model::Item bad = item({{"p", AttributeValue::S("p0")}});
  scan.exclusive_start = &bad;
  auto page = read("t", scan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().message(),
            "The provided starting key is invalid: The provided key element does not match the schema");
  model::Item empty = item({{"p", AttributeValue::S("")}, {"c", five}});
  scan.exclusive_start = &empty;
  page = read("t", scan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().message(),
            "The provided starting key is invalid: One or more parameter values are not valid. The AttributeValue "
            "for a key attribute cannot contain an empty string value. Key: p");
}

TEST_F(ReadPageTest, ScanSegmentsPartitionTheTableAndPageWithinTheirSegment) {
  for (uint32_t total : {1u, 2u, 3u, 5u, 64u}) {
    std::multiset<std::string> seen;
    for (uint32_t s = 0; s < total; ++s) {
      ReadPlan plan;
      plan.segment = s;
      plan.total_segments = total;
      plan.limit = 4;
      std::optional<model::Item> start;
      for (int guard = 0; guard < 100; ++guard) {
        plan.exclusive_start = start ? &*start : nullptr;
        auto page = read("h", plan);
        ASSERT_TRUE(page.ok()) << page.status().toString();
        for (auto& it : page->items) seen.insert(it.at("p").scalar);
        start = page->res.last_evaluated_key;
        if (!start) break;
      }
    }
    EXPECT_EQ(seen.size(), 50u) << total;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 50u) << total;
  }
  // A start key from another segment is rejected.
  ReadPlan plan;
  plan.segment = 0;
  plan.total_segments = 2;
  model::Item other = item({{"p", AttributeValue::S("\xC8k")}});
  plan.exclusive_start = &other;
  auto page = read("h", plan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().message(),
            "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with "
            "correct Segment. TotalSegments: 2 Segment: 0");
}

TEST_F(ReadPageTest, MissingTable) {
  ReadPlan plan;
  auto page = read("nope", plan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(page.status().message(), "Requested resource not found");
}

}  // namespace
}  // namespace fdyno::engine::testing

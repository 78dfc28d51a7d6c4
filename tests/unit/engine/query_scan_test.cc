// Query/Scan engine: key ranges against a brute-force reference, paging,
// limits, reverse order, ExclusiveStartKey and parallel-scan segments.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
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
#include "status_text.h"

namespace fdyno::engine::testing {
namespace {

using fdyno::testing::dynamoText;

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
  plan.partition = {&pk};
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
      plan.partition = {&pk};
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
  plan.partition = {&pk};
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
  plan.partition = {&pk};
  auto expect = [&](const model::Item& esk, const std::string& msg) {
    plan.exclusive_start = &esk;
    auto page = read("t", plan);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(dynamoText(page.status()), msg);
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
  hq.partition = {&hk};
  model::Item hesk = item({{"p", AttributeValue::S("zk")}});
  hq.exclusive_start = &hesk;
  auto hpage = read("h", hq);
  ASSERT_FALSE(hpage.ok());
  EXPECT_EQ(dynamoText(hpage.status()),
            "The provided exclusive start key is invalid: ExclusiveStartKey: {p=AttributeValue: {S:zk}}");

  ReadPlan scan;
  model::Item bad = item({{"p", AttributeValue::S("p0")}});
  scan.exclusive_start = &bad;
  auto page = read("t", scan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(dynamoText(page.status()),
            "The provided starting key is invalid: The provided key element does not match the schema");
  model::Item empty = item({{"p", AttributeValue::S("")}, {"c", five}});
  scan.exclusive_start = &empty;
  page = read("t", scan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(dynamoText(page.status()),
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
  EXPECT_EQ(dynamoText(page.status()),
            "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with "
            "correct Segment. TotalSegments: 2 Segment: 0");
}

TEST_F(ReadPageTest, MissingTable) {
  ReadPlan plan;
  auto page = read("nope", plan);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(page.status()), "Requested resource not found");
}

// ---------- secondary indexes ----------

// Index entries carry the table key after the sort key, so every entry of
// sort key x starts with P+enc(x) and continues: ties on the sort key must
// all fall in or out of a range together.
void checkIndexRangesAgainstBruteForce(AttrType t, const std::vector<std::string>& values) {
  const std::string pprefix = std::string("\x02\0\0\0\0\0\0\0\x07\x01\0\x01", 12) + "hk" + std::string("\0\0", 2);
  std::vector<std::string> table_keys = {std::string("\0", 1), "a", std::string("\xFF\xFF", 2), "zz"};
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
          for (const std::string& tk : table_keys) {
            std::string k = pprefix;
            model::encodeKeyValue(k, val(t, x));
            model::encodeKeyValue(k, val(AttrType::kS, tk));
            ASSERT_EQ(r.contains(k), holds(t, op, x, a, b))
                << "type " << int(t) << " op " << int(op) << " x=" << ::testing::PrintToString(x)
                << " a=" << ::testing::PrintToString(a) << " tk=" << ::testing::PrintToString(tk);
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_GT(checked, 4000u);
}

TEST(KeyRange, IndexStringRangesWithTiesMatchBruteForce) { checkIndexRangesAgainstBruteForce(AttrType::kS, trickyBytes()); }
TEST(KeyRange, IndexBinaryRangesWithTiesMatchBruteForce) { checkIndexRangesAgainstBruteForce(AttrType::kB, trickyBytes()); }
TEST(KeyRange, IndexNumberRangesWithTiesMatchBruteForce) { checkIndexRangesAgainstBruteForce(AttrType::kN, numbers()); }

IndexDefinition indexDef(std::string name, IndexKind kind, std::vector<KeyAttribute> hash,
                         std::vector<KeyAttribute> range, ProjectionType p, std::vector<std::string> include = {}) {
  IndexDefinition d;
  d.name = std::move(name);
  d.kind = kind;
  d.hash_keys = std::move(hash);
  d.range_keys = std::move(range);
  d.projection = p;
  d.non_key_attributes = std::move(include);
  return d;
}

// Table t (p S, c N) with GSI g (x S; y N; KEYS_ONLY), LSI l (p; y N;
// INCLUDE a), multi-attribute GSI m (h1 S, h2 N; r1 S, r2 N; ALL).
class IndexReadTest : public ReadPageTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    TableDefinition d = hashRangeTable("t");
    for (auto [n, ty] : std::vector<std::pair<std::string, AttrType>>{
             {"x", AttrType::kS}, {"y", AttrType::kN}, {"h1", AttrType::kS}, {"h2", AttrType::kN},
             {"r1", AttrType::kS}, {"r2", AttrType::kN}}) {
      d.attribute_definitions.push_back({n, ty});
    }
    d.global_indexes.push_back(indexDef("g", IndexKind::kGlobal, {{"x", AttrType::kS}}, {{"y", AttrType::kN}},
                                        ProjectionType::kKeysOnly));
    d.global_indexes.push_back(indexDef("m", IndexKind::kGlobal, {{"h1", AttrType::kS}, {"h2", AttrType::kN}},
                                        {{"r1", AttrType::kS}, {"r2", AttrType::kN}}, ProjectionType::kAll));
    d.local_indexes.push_back(indexDef("l", IndexKind::kLocal, {{"p", AttrType::kS}}, {{"y", AttrType::kN}},
                                       ProjectionType::kInclude, {"a"}));
    auto created = db_->createTable(d);
    ASSERT_TRUE(created.ok()) << created.status().toString();
    std::mt19937 rng(11);
    for (int p = 0; p < 4; ++p) {
      for (int c = 0; c < 15; ++c) {
        model::Item it = item({{"p", AttributeValue::S("p" + std::to_string(p))},
                               {"c", AttributeValue::N(std::to_string(c))},
                               {"a", AttributeValue::S("a" + std::to_string(c))},
                               {"b", AttributeValue::S(std::string(50 * (c % 4), 'b'))}});
        if (rng() % 5 != 0) {  // sparse: some items lack x/y
          it["x"] = AttributeValue::S(rng() % 2 ? "X" : "Z");
          it["y"] = AttributeValue::N(std::to_string(rng() % 4));  // many ties
        }
        if (rng() % 4 != 0) {
          it["h1"] = AttributeValue::S(rng() % 2 ? "u" : "v");
          it["h2"] = AttributeValue::N(std::to_string(1 + rng() % 2));
          it["r1"] = AttributeValue::S(std::string(1, static_cast<char>('a' + rng() % 3)));
          it["r2"] = AttributeValue::N(std::to_string(rng() % 4));
        }
        items_.push_back(it);
        ASSERT_TRUE(db_->putItem("t", it, model::itemSize(it), false).ok());
      }
    }
    auto t = db_->describeTable("t");
    ASSERT_TRUE(t.ok());
    table_ = t->table;
  }

  const IndexDefinition* ix(std::string_view name) { return table_->def.findIndex(name); }

  static std::string tableKeyOf(const model::Item& it) { return it.at("p").scalar + "/" + it.at("c").scalar; }

  // Pages through `plan` with Limit `limit`, returning table keys in order.
  std::vector<std::string> pageAll(ReadPlan plan, size_t limit) {
    std::vector<std::string> out;
    plan.limit = limit;
    std::optional<model::Item> start;
    for (int guard = 0; guard < 200; ++guard) {
      plan.exclusive_start = start ? &*start : nullptr;
      auto page = read("t", plan);
      EXPECT_TRUE(page.ok()) << page.status().toString();
      if (!page.ok()) break;
      for (auto& it : page->items) out.push_back(tableKeyOf(it));
      start = page->res.last_evaluated_key;
      if (!start) break;
    }
    return out;
  }

  // Brute force: items satisfying `pred`, ordered by `sort_values` then table key.
  std::vector<std::string> expected(const std::function<bool(const model::Item&)>& pred,
                                    const std::vector<std::string>& sort_attrs, bool forward) {
    std::vector<const model::Item*> v;
    for (const auto& it : items_) {
      if (pred(it)) v.push_back(&it);
    }
    auto num = [](const model::Item& it, const std::string& n) { return std::stod(it.at(n).scalar); };
    std::sort(v.begin(), v.end(), [&](const model::Item* a, const model::Item* b) {
      for (const auto& n : sort_attrs) {
        const auto& va = a->at(n);
        const auto& vb = b->at(n);
        if (va.type == AttrType::kN) {
          if (num(*a, n) != num(*b, n)) return num(*a, n) < num(*b, n);
        } else if (va.scalar != vb.scalar) {
          return va.scalar < vb.scalar;
        }
      }
      if (a->at("p").scalar != b->at("p").scalar) return a->at("p").scalar < b->at("p").scalar;
      return num(*a, "c") < num(*b, "c");
    });
    std::vector<std::string> out;
    for (const auto* it : v) out.push_back(tableKeyOf(*it));
    if (!forward) std::reverse(out.begin(), out.end());
    return out;
  }

  std::vector<model::Item> items_;
  TableRef table_;
};

bool has(const model::Item& it, const char* n) { return it.count(n) > 0; }
double numOf(const model::Item& it, const char* n) { return std::stod(it.at(n).scalar); }

TEST_F(IndexReadTest, GsiQueryMatchesBruteForceWithTiesOrderedByTableKeyAcrossPages) {
  AttributeValue X = AttributeValue::S("X"), one = AttributeValue::N("1"), two = AttributeValue::N("2");
  struct Case {
    std::optional<SortKeyCondition> sort;
    std::function<bool(double)> holds;
  };
  std::vector<Case> cases = {
      {std::nullopt, [](double) { return true; }},
      {SortKeyCondition{SortKeyOp::kEq, &one, nullptr}, [](double y) { return y == 1; }},
      {SortKeyCondition{SortKeyOp::kLe, &one, nullptr}, [](double y) { return y <= 1; }},
      {SortKeyCondition{SortKeyOp::kGt, &one, nullptr}, [](double y) { return y > 1; }},
      {SortKeyCondition{SortKeyOp::kLt, &two, nullptr}, [](double y) { return y < 2; }},
      {SortKeyCondition{SortKeyOp::kBetween, &one, &two}, [](double y) { return y >= 1 && y <= 2; }},
  };
  for (const auto& c : cases) {
    for (bool forward : {true, false}) {
      ReadPlan plan;
      plan.kind = ReadKind::kQuery;
      plan.index = ix("g");
      plan.partition = {&X};
      plan.sort = c.sort;
      plan.forward = forward;
      auto want = expected(
          [&](const model::Item& it) { return has(it, "x") && it.at("x").scalar == "X" && c.holds(numOf(it, "y")); },
          {"y"}, forward);
      ASSERT_FALSE(want.empty() && !c.sort);
      for (size_t limit : {0u, 1u, 2u, 7u}) EXPECT_EQ(pageAll(plan, limit), want) << limit << " " << forward;
    }
  }
}

TEST_F(IndexReadTest, KeysOnlyEntriesHoldTableAndIndexKeysAndLastEvaluatedKeyHasBoth) {
  AttributeValue X = AttributeValue::S("X");
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.index = ix("g");
  plan.partition = {&X};
  plan.limit = 1;
  auto page = read("t", plan);
  ASSERT_TRUE(page.ok()) << page.status().toString();
  ASSERT_EQ(page->items.size(), 1u);
  const model::Item& it = page->items[0];
  EXPECT_EQ(it.size(), 4u);  // p, c, x, y only (KEYS_ONLY)
  EXPECT_TRUE(has(it, "p") && has(it, "c") && has(it, "x") && has(it, "y"));
  ASSERT_TRUE(page->res.last_evaluated_key);
  EXPECT_EQ(*page->res.last_evaluated_key, it);
  EXPECT_EQ(page->res.bytes_read, model::itemSize(it));  // capacity counts projected sizes
}

TEST_F(IndexReadTest, MultiAttributeKeyQueriesMatchBruteForce) {
  AttributeValue u = AttributeValue::S("u"), one = AttributeValue::N("1"), b = AttributeValue::S("b"),
                 r2 = AttributeValue::N("1");
  auto inPartition = [](const model::Item& it) {
    return has(it, "h1") && it.at("h1").scalar == "u" && it.at("h2").scalar == "1";
  };
  // Partition only.
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.index = ix("m");
  plan.partition = {&u, &one};
  EXPECT_EQ(pageAll(plan, 3), expected(inPartition, {"r1", "r2"}, true));
  // r1 > "b" (inequality on the first RANGE attribute).
  plan.sort = SortKeyCondition{SortKeyOp::kGt, &b, nullptr};
  EXPECT_EQ(pageAll(plan, 2), expected([&](const model::Item& it) { return inPartition(it) && it.at("r1").scalar > "b"; },
                                      {"r1", "r2"}, true));
  // r1 = "b" AND r2 <= 1, reverse.
  plan.sort_prefix = {&b};
  plan.sort = SortKeyCondition{SortKeyOp::kLe, &r2, nullptr};
  plan.forward = false;
  EXPECT_EQ(pageAll(plan, 1),
            expected([&](const model::Item& it) {
              return inPartition(it) && it.at("r1").scalar == "b" && numOf(it, "r2") <= 1;
            }, {"r1", "r2"}, false));
}

TEST_F(IndexReadTest, LsiQueryAndFetchFromTable) {
  AttributeValue p1 = AttributeValue::S("p1");
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.index = ix("l");
  plan.partition = {&p1};
  auto want = expected([](const model::Item& it) { return it.at("p").scalar == "p1" && has(it, "y"); }, {"y"}, true);
  EXPECT_EQ(pageAll(plan, 4), want);
  auto page = read("t", plan);
  ASSERT_TRUE(page.ok());
  for (const auto& it : page->items) EXPECT_FALSE(has(it, "b")) << "b is not projected";
  plan.fetch_base = true;
  page = read("t", plan);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), want.size());
  EXPECT_EQ(page->res.fetched, want.size());
  EXPECT_EQ(page->res.fetched_units, want.size());  // each item under 4 KB: one unit each
  for (const auto& it : page->items) EXPECT_TRUE(has(it, "b")) << "fetched items are whole";
}

TEST_F(IndexReadTest, ScanIndexSegmentsCoverEveryEntryOnce) {
  auto want = expected([](const model::Item& it) { return has(it, "x"); }, {}, true);
  std::multiset<std::string> seen;
  for (uint32_t s = 0; s < 3; ++s) {
    ReadPlan plan;
    plan.index = ix("g");
    plan.segment = s;
    plan.total_segments = 3;
    for (auto& k : pageAll(plan, 5)) seen.insert(k);
  }
  EXPECT_EQ(seen, std::multiset<std::string>(want.begin(), want.end()));
}

TEST_F(IndexReadTest, IndexStartKeyMessages) {
  AttributeValue X = AttributeValue::S("X"), one = AttributeValue::N("1");
  ReadPlan plan;
  plan.kind = ReadKind::kQuery;
  plan.index = ix("g");
  plan.partition = {&X};
  auto expect = [&](const ReadPlan& p, model::Item esk, const std::string& msg) {
    ReadPlan q = p;
    q.exclusive_start = &esk;
    auto page = read("t", q);
    ASSERT_FALSE(page.ok()) << msg;
    EXPECT_EQ(dynamoText(page.status()), msg);
  };
  auto key = [](const char* x, const char* y) {
    return item({{"p", AttributeValue::S("p0")}, {"c", AttributeValue::N("1")}, {"x", AttributeValue::S(x)},
                 {"y", AttributeValue::N(y)}});
  };
  // Missing index key / missing table key / extra attribute.
  expect(plan, item({{"p", AttributeValue::S("p0")}, {"c", one}, {"x", X}}), "The provided starting key is invalid");
  expect(plan, item({{"p", AttributeValue::S("p0")}, {"x", X}, {"y", one}}), "The provided starting key is invalid");
  model::Item extra = key("X", "1");
  extra["z"] = one;
  expect(plan, extra, "The provided starting key is invalid");
  model::Item mistyped = key("X", "1");
  mistyped["y"] = AttributeValue::S("1");
  expect(plan, mistyped, "The provided key element does not match the schema");
  expect(plan, key("Z", "1"), "The provided starting key is outside query boundaries based on provided conditions");
  plan.sort = SortKeyCondition{SortKeyOp::kGt, &one, nullptr};
  expect(plan, key("X", "0"), "The provided starting key does not match the range key predicate");
  expect(plan, key("Z", "3"), "The query can return at most one row and cannot be restarted");
  // A start key that is not an entry is fine: the page starts after it.
  model::Item ok = key("X", "2");
  plan.exclusive_start = &ok;
  auto page = read("t", plan);
  ASSERT_TRUE(page.ok()) << page.status().toString();
  for (const auto& it : page->items) {
    EXPECT_TRUE(numOf(it, "y") > 2 || (numOf(it, "y") == 2 && tableKeyOf(it) > "p0/1")) << tableKeyOf(it);
  }
  // Scan of an index: same shape messages.
  ReadPlan scan;
  scan.index = ix("g");
  expect(scan, item({{"p", AttributeValue::S("p0")}, {"c", one}}), "The provided starting key is invalid");
}

}  // namespace
}  // namespace fdyno::engine::testing

// getRange: forward/reverse, limits, byte_limit, `more`, and merging with the
// transaction's own buffered writes; against every backend.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace fdyno::kv::testing {
namespace {

using Keys = std::vector<std::string>;

class StoreRangeTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto txn = store_->begin();
    for (const char* k : {"a", "b", "c", "d", "e"}) txn->set(k, std::string("v") + k);
    txn->set("z", "outside");
    ASSERT_TRUE(txn->commit().ok());
  }

  RangeResult range(Transaction& txn, std::string_view b, std::string_view e, RangeOptions o = {}) {
    Result<RangeResult> r = txn.getRange(b, e, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : RangeResult{};
  }
};

TEST_P(StoreRangeTest, ForwardWholeRange) {
  auto txn = store_->begin();
  RangeResult r = range(*txn, "a", "f");
  EXPECT_EQ(keysOf(r), (Keys{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(r.pairs[2].value, "vc");
  EXPECT_FALSE(r.more);
}

TEST_P(StoreRangeTest, EndIsExclusiveAndEmptyRanges) {
  auto txn = store_->begin();
  EXPECT_EQ(keysOf(range(*txn, "b", "d")), (Keys{"b", "c"}));
  EXPECT_TRUE(range(*txn, "d", "d").pairs.empty());
  EXPECT_TRUE(range(*txn, "e", "b").pairs.empty());  // inverted: empty, not an error
  EXPECT_TRUE(range(*txn, "f", "y").pairs.empty());
}

TEST_P(StoreRangeTest, ReverseWithLimit) {
  auto txn = store_->begin();
  RangeResult r = range(*txn, "a", "e", {.limit = 2, .reverse = true});
  EXPECT_EQ(keysOf(r), (Keys{"d", "c"}));
  EXPECT_TRUE(r.more);
  RangeResult all = range(*txn, "a", "e", {.reverse = true});
  EXPECT_EQ(keysOf(all), (Keys{"d", "c", "b", "a"}));
  EXPECT_FALSE(all.more);
}

TEST_P(StoreRangeTest, LimitSetsMoreOnlyWhenPairsRemain) {
  auto txn = store_->begin();
  RangeResult r = range(*txn, "a", "f", {.limit = 3});
  EXPECT_EQ(keysOf(r), (Keys{"a", "b", "c"}));
  EXPECT_TRUE(r.more);
  RangeResult exact = range(*txn, "a", "f", {.limit = 5});
  EXPECT_EQ(exact.pairs.size(), 5u);
  EXPECT_FALSE(exact.more);  // the limit was reached but nothing is left
  RangeResult rev_exact = range(*txn, "c", "f", {.limit = 3, .reverse = true});
  EXPECT_EQ(keysOf(rev_exact), (Keys{"e", "d", "c"}));
  EXPECT_FALSE(rev_exact.more);
}

TEST_P(StoreRangeTest, ByteLimitIncludesThePairThatCrossesIt) {
  auto txn = store_->begin();
  // Each pair is 1 key byte + 2 value bytes = 3 bytes.
  RangeResult r = range(*txn, "a", "f", {.byte_limit = 4});
  EXPECT_EQ(keysOf(r), (Keys{"a", "b"}));
  EXPECT_TRUE(r.more);
  RangeResult r2 = range(*txn, "a", "f", {.byte_limit = 3});
  EXPECT_EQ(keysOf(r2), (Keys{"a"}));
  RangeResult both = range(*txn, "a", "f", {.limit = 10, .reverse = true, .byte_limit = 7});
  EXPECT_EQ(keysOf(both), (Keys{"e", "d", "c"}));
  EXPECT_TRUE(both.more);
}

TEST_P(StoreRangeTest, MergesBufferedWritesForward) {
  auto txn = store_->begin();
  txn->set("bb", "new");
  txn->set("c", "changed");
  txn->clear("d");
  txn->atomicAdd("a", 1);  // "va" is 2 bytes: zero-extended, then +1
  RangeResult r = range(*txn, "a", "f");
  EXPECT_EQ(keysOf(r), (Keys{"a", "b", "bb", "c", "e"}));
  EXPECT_EQ(r.pairs[0].value, std::string("wa\0\0\0\0\0\0", 8));
  EXPECT_EQ(r.pairs[2].value, "new");
  EXPECT_EQ(r.pairs[3].value, "changed");
}

TEST_P(StoreRangeTest, MergesBufferedClearRangeAndLaterSets) {
  auto txn = store_->begin();
  txn->clearRange("b", "e");
  txn->set("c", "back");
  txn->set("ca", "new");
  EXPECT_EQ(keysOf(range(*txn, "a", "z")), (Keys{"a", "c", "ca", "e"}));
  EXPECT_EQ(keysOf(range(*txn, "a", "z", {.reverse = true})), (Keys{"e", "ca", "c", "a"}));
  RangeResult limited = range(*txn, "a", "z", {.limit = 2, .reverse = true});
  EXPECT_EQ(keysOf(limited), (Keys{"e", "ca"}));
  EXPECT_TRUE(limited.more);
  ASSERT_TRUE(txn->commit().ok());
  auto after = store_->begin();
  EXPECT_EQ(keysOf(range(*after, "a", "z")), (Keys{"a", "c", "ca", "e"}));
}

TEST_P(StoreRangeTest, BufferedKeysOutsideRangeAreIgnored) {
  auto txn = store_->begin();
  txn->set("0", "before");
  txn->set("f", "at-end");
  txn->set("ee", "inside");
  EXPECT_EQ(keysOf(range(*txn, "c", "f")), (Keys{"c", "d", "e", "ee"}));
  EXPECT_EQ(keysOf(range(*txn, "c", "f", {.reverse = true})), (Keys{"ee", "e", "d", "c"}));
}

TEST_P(StoreRangeTest, SnapshotReadsDoNotSeeLaterCommits) {
  auto reader = store_->begin();
  (void)reader->readVersion();  // pins the snapshot (kv.h: no later than the first read)
  put("bb", "late");
  put("a", "late");
  RangeResult r = range(*reader, "a", "c");
  EXPECT_EQ(keysOf(r), (Keys{"a", "b"}));
  EXPECT_EQ(r.pairs[0].value, "va");
  EXPECT_EQ(*reader->get("a"), "va");
  auto fresh = store_->begin();
  EXPECT_EQ(keysOf(range(*fresh, "a", "c")), (Keys{"a", "b", "bb"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRangeTest,
                         FDYNO_ALL_BACKENDS, backendName);

}  // namespace
}  // namespace fdyno::kv::testing

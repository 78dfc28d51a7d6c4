// Point operations, versions, versionstamps, atomicAdd and reserved keys,
// run against every backend.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace fdyno::kv::testing {
namespace {

std::string le64(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  return out;
}

TEST_P(StoreTest, GetMissingKeyIsNullopt) { EXPECT_EQ(read("nope"), std::nullopt); }

TEST_P(StoreTest, SetThenGetInNewTransaction) {
  put("a", "1");
  EXPECT_EQ(read("a"), "1");
  put("a", "2");
  EXPECT_EQ(read("a"), "2");
}

TEST_P(StoreTest, BinaryKeysAndValues) {
  std::string key("k\0\x01\xfe", 4);
  std::string value("\0\0\xff", 3);
  put(key, value);
  EXPECT_EQ(read(key), value);
  EXPECT_EQ(read(std::string("k\0", 2)), std::nullopt);
}

TEST_P(StoreTest, ClearRemovesKey) {
  put("a", "1");
  auto txn = store_->begin();
  txn->clear("a");
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read("a"), std::nullopt);
}

TEST_P(StoreTest, ClearRangeRemovesHalfOpenRange) {
  for (const char* k : {"a", "b", "ba", "c", "d"}) put(k, k);
  auto txn = store_->begin();
  txn->clearRange("b", "d");
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read("a"), "a");
  EXPECT_EQ(read("b"), std::nullopt);
  EXPECT_EQ(read("ba"), std::nullopt);
  EXPECT_EQ(read("c"), std::nullopt);
  EXPECT_EQ(read("d"), "d");
}

TEST_P(StoreTest, ReadYourWritesForPoints) {
  put("a", "old");
  auto txn = store_->begin();
  txn->set("a", "new");
  EXPECT_EQ(*txn->get("a"), "new");
  txn->clear("a");
  EXPECT_EQ(*txn->get("a"), std::nullopt);
  txn->set("b", "x");
  txn->clearRange("a", "c");
  EXPECT_EQ(*txn->get("b"), std::nullopt);
  txn->set("b", "after");  // a set after the range clear wins
  EXPECT_EQ(*txn->get("b"), "after");
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read("a"), std::nullopt);
  EXPECT_EQ(read("b"), "after");
}

// getMany answers as get() on each key would: stored, missing, buffered
// set/clear/clearRange and a pending atomicAdd over a stored value.
TEST_P(StoreTest, GetManyAnswersLikeGetInOrder) {
  put("a", "1");
  put("b", "2");
  put("c", le64(5));
  put("d", "4");
  auto txn = store_->begin();
  txn->set("b", "new");
  txn->atomicAdd("c", 2);
  txn->clearRange("d", "e");
  const Transaction::PointRead reads[] = {{"a", false}, {"zz", false}, {"b", true}, {"c", false}, {"d", true},
                                          {"a", true}};
  std::vector<std::optional<std::string>> got;
  ASSERT_TRUE(txn->getMany(reads, &got).ok());
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], "1");
  EXPECT_EQ(got[1], std::nullopt);
  EXPECT_EQ(got[2], "new");
  EXPECT_EQ(got[3], le64(7));
  EXPECT_EQ(got[4], std::nullopt);
  EXPECT_EQ(got[5], "1");
  ASSERT_TRUE(txn->getMany(std::span<const Transaction::PointRead>(), &got).ok());
  EXPECT_TRUE(got.empty());
}

// Non-snapshot keys of getMany enter the conflict set; snapshot ones do not.
TEST_P(StoreTest, GetManyTracksConflictsOfNonSnapshotKeysOnly) {
  put("x", "0");
  put("y", "0");
  for (bool tracked : {true, false}) {
    auto txn = store_->begin();
    const Transaction::PointRead reads[] = {{"x", !tracked}, {"y", true}};
    std::vector<std::optional<std::string>> got;
    ASSERT_TRUE(txn->getMany(reads, &got).ok());
    put("x", tracked ? "1" : "2");  // a later commit writes the key read
    txn->set("w", "1");
    auto r = txn->commit();
    if (tracked) {
      EXPECT_EQ(r.status().code(), StatusCode::kConflict);
    } else {
      EXPECT_TRUE(r.ok()) << r.status().toString();
    }
  }
  // And a getMany's snapshot is the transaction's one.
  auto txn = store_->begin();
  EXPECT_EQ(*txn->get("x"), "2");
  put("y", "later");
  const Transaction::PointRead reads[] = {{"y", true}, {"x", true}};
  std::vector<std::optional<std::string>> got;
  ASSERT_TRUE(txn->getMany(reads, &got).ok());
  EXPECT_EQ(got[0], "0");
  EXPECT_EQ(got[1], "2");
}

TEST_P(StoreTest, CommitVersionsStrictlyIncrease) {
  uint64_t last = store_->begin()->readVersion();
  for (int i = 0; i < 20; ++i) {
    uint64_t v = put("k" + std::to_string(i % 3), "v");
    EXPECT_GT(v, last);
    last = v;
  }
  // A new transaction reads at the latest commit.
  EXPECT_EQ(store_->begin()->readVersion(), last);
}

TEST_P(StoreTest, ReadOnlyCommitReturnsReadVersionAndWritesNothing) {
  uint64_t v = put("a", "1");
  auto txn = store_->begin();
  EXPECT_EQ(*txn->get("a"), "1");
  Result<uint64_t> r = txn->commit();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, v);
  EXPECT_EQ(store_->begin()->readVersion(), v);
}

TEST_P(StoreTest, SecondCommitIsRejected) {
  auto txn = store_->begin();
  txn->set("a", "1");
  ASSERT_TRUE(txn->commit().ok());
  Result<uint64_t> again = txn->commit();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(again.status().message(), "transaction already committed");
}

TEST_P(StoreTest, AtomicAddOnAbsentKeyStartsAtZero) {
  auto txn = store_->begin();
  txn->atomicAdd("n", 5);
  txn->atomicAdd("n", -2);
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read("n"), le64(3));
  auto t2 = store_->begin();
  t2->atomicAdd("n", 10);
  EXPECT_EQ(*t2->get("n"), le64(13));  // read-your-writes combines with the stored value
  ASSERT_TRUE(t2->commit().ok());
  EXPECT_EQ(read("n"), le64(13));
}

TEST_P(StoreTest, AtomicAddAfterSetAndClearInSameTransaction) {
  put("n", le64(100));
  auto txn = store_->begin();
  txn->set("n", le64(7));
  txn->atomicAdd("n", 1);
  txn->clear("m");
  txn->atomicAdd("m", 4);
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read("n"), le64(8));
  EXPECT_EQ(read("m"), le64(4));
}

TEST_P(StoreTest, VersionstampedKeysEmbedCommitVersionAndOrder) {
  auto txn = store_->begin();
  txn->setVersionstampedKey("log/", "/a", "first");
  txn->setVersionstampedKey("log/", "/b", "second");
  Result<uint64_t> v = txn->commit();
  ASSERT_TRUE(v.ok());
  auto reader = store_->begin();
  Result<RangeResult> r = reader->getRange("log/", "log0");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 2u);
  std::string expected = "log/";
  for (int i = 7; i >= 0; --i) expected.push_back(static_cast<char>((*v >> (8 * i)) & 0xFF));
  EXPECT_EQ(r->pairs[0].key, expected + std::string("\0\0", 2) + "/a");
  EXPECT_EQ(r->pairs[0].value, "first");
  EXPECT_EQ(r->pairs[1].key, expected + std::string("\0\x01", 2) + "/b");
  EXPECT_EQ(r->pairs[1].value, "second");
  EXPECT_EQ(r->pairs[0].key.size(), 4 + kVersionstampSize + 2);
}

TEST_P(StoreTest, VersionstampedKeysOrderByCommitOrder) {
  std::vector<uint64_t> versions;
  for (int i = 0; i < 5; ++i) {
    auto txn = store_->begin();
    txn->setVersionstampedKey("q/", "", std::to_string(i));
    Result<uint64_t> v = txn->commit();
    ASSERT_TRUE(v.ok());
    versions.push_back(*v);
  }
  Result<RangeResult> r = store_->begin()->getRange("q/", "q0");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r->pairs[i].value, std::to_string(i));
}

TEST_P(StoreTest, ReservedKeysAreRejectedForPointOps) {
  auto txn = store_->begin();
  Result<std::optional<std::string>> g = txn->get("\xff" "abc");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(g.status().message(), "key is in the reserved 0xFF key space");

  txn->set("ok", "1");
  txn->set("\xff" "version", "hijack");
  Result<uint64_t> c = txn->commit();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), "key is in the reserved 0xFF key space");
  EXPECT_EQ(read("ok"), std::nullopt);  // nothing of the failed transaction was written
}

TEST_P(StoreTest, EmptyKeyIsRejected) {
  auto txn = store_->begin();
  Result<std::optional<std::string>> g = txn->get("");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), "key must not be empty");
  txn->atomicAdd("", 1);
  Result<uint64_t> c = txn->commit();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), "key must not be empty");
}

TEST_P(StoreTest, ReservedKeysAreHiddenFromRangesAndClears) {
  put("a", "1");
  put("b", "2");  // makes RocksDB write its reserved version key too
  auto txn = store_->begin();
  Result<RangeResult> all = txn->getRange("", "\xff\xff\xff");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(keysOf(*all), (std::vector<std::string>{"a", "b"}));
  Result<RangeResult> rev = txn->getRange("", "\xff\xff", RangeOptions{.limit = 1, .reverse = true});
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(keysOf(*rev), (std::vector<std::string>{"b"}));
  // Clearing "everything" clears user space only; the store keeps working.
  txn->clearRange("", "\xff\xff");
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read("a"), std::nullopt);
  uint64_t v1 = put("c", "3");
  EXPECT_GT(put("d", "4"), v1);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, FDYNO_ALL_BACKENDS,
                         backendName);

}  // namespace
}  // namespace fdyno::kv::testing

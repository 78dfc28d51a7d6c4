// Persistence across close/reopen (RocksDB) and durability-mode plumbing.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace fdyno::kv::testing {
namespace {

class RocksDbDurabilityTest : public StoreTest {};

TEST_P(RocksDbDurabilityTest, DataAndVersionsSurviveReopen) {
  put("a", "1");
  auto txn = store_->begin();
  txn->set("b", "2");
  txn->atomicAdd("n", 7);
  txn->setVersionstampedKey("log/", "", "x");
  Result<uint64_t> last = txn->commit();
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(store_->flush().ok());
  reopen();
  EXPECT_EQ(read("a"), "1");
  EXPECT_EQ(read("b"), "2");
  EXPECT_EQ(decodeCounter(*read("n")), 7);
  EXPECT_EQ(store_->begin()->readVersion(), *last);
  uint64_t next = put("c", "3");
  EXPECT_GT(next, *last);
  // A versionstamp written after restart sorts after the one before it.
  auto t2 = store_->begin();
  t2->setVersionstampedKey("log/", "", "y");
  ASSERT_TRUE(t2->commit().ok());
  Result<RangeResult> log = store_->begin()->getRange("log/", "log0");
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->pairs.size(), 2u);
  EXPECT_EQ(log->pairs[0].value, "x");
  EXPECT_EQ(log->pairs[1].value, "y");
}

TEST_P(RocksDbDurabilityTest, RelaxedCommitsSurviveCleanReopenWithoutFlush) {
  reopen(DurabilityMode::kRelaxed);
  uint64_t v = put("relaxed", "yes");
  reopen(DurabilityMode::kRelaxed);  // closes the DB (no explicit flush)
  EXPECT_EQ(read("relaxed"), "yes");
  EXPECT_EQ(store_->begin()->readVersion(), v);
}

TEST_P(RocksDbDurabilityTest, DescribeNamesTheDirectory) {
  EXPECT_EQ(store_->describe(), "rocksdb at " + dir_.path() + "/db");
}

TEST(RocksDbOpenTest, CreatesMissingNestedDirectory) {
  TempDir dir;
  Result<std::unique_ptr<Store>> r = openRocksDbStore(dir.path() + "/a/b/c");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/a/b/c/CURRENT"));
}

TEST(RocksDbOpenTest, UnusablePathIsAnIOError) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  {
    std::FILE* f = std::fopen((dir.path() + "/file").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  Result<std::unique_ptr<Store>> r = openRocksDbStore(dir.path() + "/file/db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find(dir.path() + "/file/db"), std::string::npos) << r.status().message();
}

TEST(MemoryStoreTest, DescribeAndFlush) {
  Result<std::unique_ptr<Store>> r = openMemoryStore();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->describe(), "memory (volatile; data is lost on exit)");
  EXPECT_TRUE((*r)->flush().ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, RocksDbDurabilityTest, ::testing::Values(BackendKind::kRocksDb), backendName);

}  // namespace
}  // namespace fdyno::kv::testing

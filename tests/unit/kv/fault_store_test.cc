// Storage failures below kv.h (kv/fault_injection.h), on both backends: a
// failed commit has no effect, reads go on while commits fail, commits work
// again once the fault is gone, and a retried transaction does not conflict
// with a write that failed (issue 8, defect 3).
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "common/counters.h"
#include "kv/fault_injection.h"

namespace fdyno::kv {
namespace {

class FaultStoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    faults_ = std::make_shared<FaultInjector>();
    if (GetParam()) {
      dir_ = std::filesystem::temp_directory_path() /
             ("fdyno-fault-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
    }
    auto s = openFaultInjectingStore(faults_, dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().toString();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Result<uint64_t> put(std::string_view k, std::string_view v) {
    auto t = store_->begin();
    t->set(k, v);
    return t->commit();
  }
  std::optional<std::string> read(std::string_view k) {
    auto t = store_->begin();
    auto r = t->get(k);
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? *r : std::nullopt;
  }

  std::shared_ptr<FaultInjector> faults_;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(FaultStoreTest, FailedCommitHasNoEffectAndReadsGoOn) {
  ASSERT_TRUE(put("a", "1").ok());
  const uint64_t full_before = counters::value(counters::Counter::kStorageFullWrites);
  faults_->failCommits(StatusCode::kNoSpace);
  auto r = put("a", "2");
  EXPECT_EQ(r.status().code(), StatusCode::kNoSpace);
  EXPECT_EQ(put("b", "1").status().code(), StatusCode::kNoSpace);
  EXPECT_EQ(read("a"), "1");
  EXPECT_EQ(read("b"), std::nullopt);
  EXPECT_EQ(counters::value(counters::Counter::kStorageFullWrites), full_before + 2);
  faults_->clear();
  ASSERT_TRUE(put("b", "2").ok());
  EXPECT_EQ(read("b"), "2");
}

TEST_P(FaultStoreTest, RetryAfterAFailedCommitDoesNotConflictWithIt) {
  // The failed commit's writes entered the conflict log. Before failed
  // versions were published as empty commits, every retry of a transaction
  // reading "k" began below them and conflicted until some other write
  // succeeded: a retried PutItem of the same item failed forever.
  ASSERT_TRUE(put("k", "0").ok());
  faults_->failCommits(StatusCode::kNoSpace, 1);
  auto first = runTransaction(*store_, [](Transaction& t) -> Status {
    FDYNO_ASSIGN_OR_RETURN(auto v, t.get("k"));
    t.set("k", *v + "1");
    return Status::OK();
  });
  EXPECT_EQ(first.code(), StatusCode::kNoSpace);
  int attempts = 0;
  auto retry = runTransaction(
      *store_,
      [&](Transaction& t) -> Status {
        ++attempts;
        FDYNO_ASSIGN_OR_RETURN(auto v, t.get("k"));
        t.set("k", *v + "1");
        return Status::OK();
      },
      3);
  EXPECT_TRUE(retry.ok()) << retry.toString();
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(read("k"), "01");
}

TEST_P(FaultStoreTest, IoErrorsAndReadFaults) {
  ASSERT_TRUE(put("a", "1").ok());
  faults_->failCommits(StatusCode::kIOError, 1);
  EXPECT_EQ(put("a", "2").status().code(), StatusCode::kIOError);
  ASSERT_TRUE(put("a", "3").ok());  // one failure only
  faults_->failReads(2);
  auto t = store_->begin();
  EXPECT_EQ(t->get("a").status().code(), StatusCode::kIOError);
  EXPECT_EQ(t->getRange("a", "z").status().code(), StatusCode::kIOError);
  EXPECT_EQ(*t->get("a"), "3");
  EXPECT_EQ(faults_->failedReads(), 2u);
}

TEST_P(FaultStoreTest, SlowSyncsStillCommitEverything) {
  faults_->slowCommits(std::chrono::milliseconds(20));
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 5; ++i) {
        std::string k = "w" + std::to_string(w) + "-" + std::to_string(i);
        EXPECT_TRUE(put(k, "v").ok());
      }
    });
  }
  for (auto& t : writers) t.join();
  faults_->clear();
  auto t = store_->begin();
  auto all = t->getRange("w", "x");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->pairs.size(), 40u);
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultStoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "rocksdb" : "memory"; });

}  // namespace
}  // namespace fdyno::kv

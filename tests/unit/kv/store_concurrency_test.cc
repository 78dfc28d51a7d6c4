// Isolation and conflicts: snapshot reads, write-after-read conflicts,
// phantoms, snapshot=true, atomicAdd from many threads, and a multi-threaded
// lost-update check through runTransaction; against every backend.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "store_fixture.h"

namespace fdyno::kv::testing {
namespace {

class StoreConcurrencyTest : public StoreTest {};

void expectConflict(Result<uint64_t> r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConflict);
  EXPECT_EQ(r.status().message(), "transaction conflicts with a concurrent commit; retry");
}

TEST_P(StoreConcurrencyTest, TransactionDoesNotSeeLaterCommits) {
  put("a", "1");
  auto reader = store_->begin();
  (void)reader->readVersion();  // pins the snapshot (kv.h: no later than the first read)
  put("a", "2");
  put("b", "new");
  EXPECT_EQ(*reader->get("a"), "1");
  EXPECT_EQ(*reader->get("b"), std::nullopt);
  EXPECT_EQ(read("a"), "2");
}

TEST_P(StoreConcurrencyTest, WriteAfterReadConflicts) {
  put("x", "0");
  auto t1 = store_->begin();
  auto t2 = store_->begin();
  EXPECT_EQ(*t1->get("x"), "0");
  EXPECT_EQ(*t2->get("x"), "0");
  t1->set("x", "from-t1");
  t2->set("x", "from-t2");
  ASSERT_TRUE(t1->commit().ok());
  expectConflict(t2->commit());
  EXPECT_EQ(read("x"), "from-t1");  // the conflicted transaction had no effect
}

TEST_P(StoreConcurrencyTest, ReadOfKeyWrittenByOtherConflictsEvenIfOwnWriteDiffers) {
  auto t1 = store_->begin();
  EXPECT_EQ(*t1->get("flag"), std::nullopt);
  put("flag", "set");
  t1->set("other", "1");
  expectConflict(t1->commit());
  EXPECT_EQ(read("other"), std::nullopt);
}

TEST_P(StoreConcurrencyTest, DisjointTransactionsBothCommit) {
  auto t1 = store_->begin();
  auto t2 = store_->begin();
  EXPECT_EQ(*t1->get("a"), std::nullopt);
  EXPECT_EQ(*t2->get("b"), std::nullopt);
  t1->set("a", "1");
  t2->set("b", "2");
  ASSERT_TRUE(t1->commit().ok());
  ASSERT_TRUE(t2->commit().ok());
  EXPECT_EQ(read("a"), "1");
  EXPECT_EQ(read("b"), "2");
}

TEST_P(StoreConcurrencyTest, BlindWritesNeverConflict) {
  auto t1 = store_->begin();
  auto t2 = store_->begin();
  t1->set("a", "1");
  t2->set("a", "2");
  ASSERT_TRUE(t1->commit().ok());
  ASSERT_TRUE(t2->commit().ok());
  EXPECT_EQ(read("a"), "2");
}

TEST_P(StoreConcurrencyTest, RangeReadCatchesPhantomInsert) {
  put("item/1", "x");
  auto t1 = store_->begin();
  Result<RangeResult> r = t1->getRange("item/", "item0");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pairs.size(), 1u);
  put("item/2", "phantom");  // a new key inside the range read
  t1->set("count", "1");
  expectConflict(t1->commit());
}

TEST_P(StoreConcurrencyTest, ClearRangeConflictsWithPointReader) {
  put("r/a", "1");
  auto t1 = store_->begin();
  EXPECT_EQ(*t1->get("r/a"), "1");
  auto t2 = store_->begin();
  t2->clearRange("r/", "r0");
  ASSERT_TRUE(t2->commit().ok());
  t1->set("out", "1");
  expectConflict(t1->commit());
}

TEST_P(StoreConcurrencyTest, LimitedRangeReadOnlyConflictsOnThePartRead) {
  for (const char* k : {"p/1", "p/2", "p/3", "p/4"}) put(k, "v");
  auto t1 = store_->begin();
  Result<RangeResult> r = t1->getRange("p/", "p0", RangeOptions{.limit = 1});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(keysOf(*r), (std::vector<std::string>{"p/1"}));
  put("p/4", "changed");  // beyond what t1 read
  t1->set("out", "1");
  EXPECT_TRUE(t1->commit().ok());

  auto t2 = store_->begin();
  r = t2->getRange("p/", "p0", RangeOptions{.limit = 1, .reverse = true});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(keysOf(*r), (std::vector<std::string>{"p/4"}));
  put("p/1", "changed");  // below what the reverse read saw
  t2->set("out", "2");
  EXPECT_TRUE(t2->commit().ok());

  auto t3 = store_->begin();
  r = t3->getRange("p/", "p0", RangeOptions{.limit = 1});
  ASSERT_TRUE(r.ok());
  put("p/0", "inserted-before-first");  // inside the part read
  t3->set("out", "3");
  expectConflict(t3->commit());
}

TEST_P(StoreConcurrencyTest, SnapshotReadsAddNoConflicts) {
  put("a", "1");
  auto t1 = store_->begin();
  EXPECT_EQ(*t1->get("a", /*snapshot=*/true), "1");
  Result<RangeResult> r = t1->getRange("a", "z", {}, /*snapshot=*/true);
  ASSERT_TRUE(r.ok());
  put("a", "2");
  put("b", "new");
  t1->set("c", "1");
  EXPECT_TRUE(t1->commit().ok());
}

TEST_P(StoreConcurrencyTest, AddReadConflictRangeWithoutReading) {
  auto t1 = store_->begin();
  t1->addReadConflictRange("lock/", "lock0");
  put("lock/x", "held");
  t1->set("y", "1");
  expectConflict(t1->commit());
}

TEST_P(StoreConcurrencyTest, ConflictedTransactionSucceedsOnRetry) {
  put("n", "0");
  int attempts = 0;
  Status st = runTransaction(*store_, [&](Transaction& txn) -> Status {
    ++attempts;
    FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> v, txn.get("n"));
    if (attempts == 1) put("n", "interloper");  // forces one conflict
    txn.set("n", *v + "+1");
    return Status::OK();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(read("n"), "interloper+1");
}

TEST_P(StoreConcurrencyTest, RunTransactionReturnsCallbackErrorWithoutCommitting) {
  Status st = runTransaction(*store_, [&](Transaction& txn) -> Status {
    txn.set("a", "1");
    return Status::NotFound("table missing");
  });
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "table missing");
  EXPECT_EQ(read("a"), std::nullopt);
}

TEST_P(StoreConcurrencyTest, AtomicAddFromManyThreadsIsExactWithoutConflicts) {
  constexpr int kThreads = 8;
  constexpr int kAdds = 200;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAdds; ++i) {
        auto txn = store_->begin();
        txn->atomicAdd("counter", t + 1);
        if (!txn->commit().ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::optional<std::string> v = read("counter");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(decodeCounter(*v), int64_t{kAdds} * (kThreads * (kThreads + 1) / 2));
}

TEST_P(StoreConcurrencyTest, NoLostUpdatesUnderContention) {
  constexpr int kThreads = 6;
  constexpr int kIncrements = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status st = runTransaction(*store_, [](Transaction& txn) -> Status {
          FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> v, txn.get("total"));
          int n = v ? std::stoi(*v) : 0;
          txn.set("total", std::to_string(n + 1));
          return Status::OK();
        }, 1000);
        if (!st.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(read("total"), std::to_string(kThreads * kIncrements));
}

TEST_P(StoreConcurrencyTest, ConcurrentCommitVersionsAreUniqueAndReadersSeeWholeGroups) {
  // Each transaction writes two keys with the same value; a reader must never
  // see them differ (a partially applied commit or group).
  constexpr int kWriters = 4;
  constexpr int kCommits = 100;
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop.load()) {
      auto txn = store_->begin();
      auto a = txn->get("pair/a");
      auto b = txn->get("pair/b");
      if (!a.ok() || !b.ok() || *a != *b) torn.fetch_add(1);
    }
  });
  std::vector<std::vector<uint64_t>> versions(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kCommits; ++i) {
        auto txn = store_->begin();
        std::string v = std::to_string(w) + ":" + std::to_string(i);
        txn->set("pair/a", v);
        txn->set("pair/b", v);
        Result<uint64_t> r = txn->commit();
        if (r.ok()) versions[w].push_back(*r);
      }
    });
  }
  for (auto& th : writers) th.join();
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
  std::vector<uint64_t> all;
  for (const auto& v : versions) {
    for (size_t i = 1; i < v.size(); ++i) EXPECT_GT(v[i], v[i - 1]);
    all.insert(all.end(), v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), size_t{kWriters} * kCommits);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
}

// Blind adds, sets, clears and range clears on a few keys from many threads
// (they never conflict, so stores that commit in groups mix them in one
// group): the final values equal a replay of every commit in commit-version
// order, and so does a reader's snapshot at a version it saw.
TEST_P(StoreConcurrencyTest, MixedBlindWritesEqualASerialReplayInVersionOrder) {
  constexpr int kThreads = 8;
  constexpr int kCommits = 150;
  constexpr int kKeys = 4;
  struct Op {
    int kind;  // 0 add, 1 set, 2 clear, 3 clearRange [k, k+2)
    int key;
    int64_t value;
  };
  struct Commit {
    uint64_t version;
    std::vector<Op> ops;
  };
  std::vector<std::vector<Commit>> done(kThreads);
  std::vector<std::thread> threads;
  auto keyName = [](int k) { return "m/" + std::to_string(k); };
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(1234 + t);
      for (int i = 0; i < kCommits; ++i) {
        auto txn = store_->begin();
        std::vector<Op> ops;
        int n = 1 + static_cast<int>(rng() % 2);
        std::set<int> used;
        for (int j = 0; j < n; ++j) {
          // Mostly adds (counters), as in fdyno's writes.
          int r = static_cast<int>(rng() % 10);
          Op op{r < 6 ? 0 : r < 8 ? 1 : r < 9 ? 2 : 3, static_cast<int>(rng() % kKeys),
                static_cast<int64_t>(rng() % 1000) - 300};
          if (!used.insert(op.key).second) continue;  // one write per key per transaction
          if (op.kind == 3) used.insert(op.key + 1);
          switch (op.kind) {
            case 0: txn->atomicAdd(keyName(op.key), op.value); break;
            case 1: txn->set(keyName(op.key), encodeCounter(op.value)); break;
            case 2: txn->clear(keyName(op.key)); break;
            case 3: txn->clearRange(keyName(op.key), keyName(op.key + 2)); break;
          }
          ops.push_back(op);
        }
        Result<uint64_t> v = txn->commit();
        ASSERT_TRUE(v.ok()) << v.status().toString();
        done[t].push_back({*v, std::move(ops)});
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<Commit> all;
  for (auto& d : done) all.insert(all.end(), d.begin(), d.end());
  std::sort(all.begin(), all.end(), [](const Commit& a, const Commit& b) { return a.version < b.version; });
  std::map<int, int64_t> model;  // absent = no key
  for (const Commit& c : all) {
    for (const Op& op : c.ops) {
      switch (op.kind) {
        case 0: model[op.key] += op.value; break;
        case 1: model[op.key] = op.value; break;
        case 2: model.erase(op.key); break;
        case 3: model.erase(op.key); model.erase(op.key + 1); break;
      }
    }
  }
  for (int k = 0; k < kKeys + 1; ++k) {
    std::optional<std::string> v = read(keyName(k));
    if (model.count(k)) {
      ASSERT_TRUE(v.has_value()) << "key " << k;
      EXPECT_EQ(decodeCounter(*v), model[k]) << "key " << k;
    } else {
      EXPECT_FALSE(v.has_value()) << "key " << k << " = " << decodeCounter(*v);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConcurrencyTest,
                         FDYNO_ALL_BACKENDS, backendName);

}  // namespace
}  // namespace fdyno::kv::testing

// The PostgreSQL store across processes: several Store instances on one
// database, each with its own connections, group commit and heartbeat, as
// several fdyno servers would have. (The single-store contract runs in the
// shared suites with BackendKind::kPostgres.)
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <vector>

#include "common/counters.h"
#include "kv/key_encoding.h"
#include "kv/postgres/pg_conn.h"
#include "kv/postgres/pg_schema.h"
#include "store_fixture.h"

namespace fdyno::kv::testing {
namespace {

class PgClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    url_ = freshPostgresUrl(&error);
    ASSERT_FALSE(url_.empty()) << error;
    for (auto& s : stores_) {
      auto r = openPostgresStore(url_);
      ASSERT_TRUE(r.ok()) << r.status().toString();
      s = std::move(r).value();
    }
  }
  Store& a() { return *stores_[0]; }
  Store& b() { return *stores_[1]; }
  Store& c() { return *stores_[2]; }

  std::optional<std::string> read(Store& s, std::string_view key) {
    auto txn = s.begin();
    auto v = txn->get(key);
    EXPECT_TRUE(v.ok()) << v.status().toString();
    return v.ok() ? *v : std::nullopt;
  }
  void put(Store& s, std::string_view key, std::string_view value) {
    auto txn = s.begin();
    txn->set(key, value);
    auto r = txn->commit();
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }

  std::string url_;
  std::unique_ptr<Store> stores_[3];
};

TEST_F(PgClusterTest, DescribeNamesTheStore) {
  EXPECT_EQ(a().describe().rfind("postgres fdyno/kvt_", 0), 0u) << a().describe();
}

TEST_F(PgClusterTest, ACommitIsVisibleAtOnceToEveryOtherStore) {
  put(a(), "k", "from-a");
  EXPECT_EQ(read(b(), "k"), "from-a");
  EXPECT_EQ(read(c(), "k"), "from-a");
  auto txn = c().begin();
  txn->clear("k");
  ASSERT_TRUE(txn->commit().ok());
  EXPECT_EQ(read(a(), "k"), std::nullopt);
}

TEST_F(PgClusterTest, AReadOnOneStoreConflictsWithALaterWriteOnAnother) {
  put(a(), "x", "0");
  auto t1 = a().begin();
  EXPECT_EQ(*t1->get("x"), "0");
  put(b(), "x", "from-b");
  t1->set("x", "from-a");
  auto r = t1->commit();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kConflict);
  EXPECT_EQ(read(c(), "x"), "from-b");
  // A range read catches a phantom inserted through another store.
  auto t2 = a().begin();
  auto range = t2->getRange("p/", "p0");
  ASSERT_TRUE(range.ok());
  EXPECT_TRUE(range->pairs.empty());
  put(c(), "p/new", "1");
  t2->set("out", "1");
  EXPECT_EQ(t2->commit().status().code(), StatusCode::kConflict);
}

TEST_F(PgClusterTest, CommitVersionsIncreaseAcrossStores) {
  uint64_t last = 0;
  for (int i = 0; i < 30; ++i) {
    Store& s = *stores_[i % 3];
    auto txn = s.begin();
    txn->set("v", std::to_string(i));
    auto r = txn->commit();
    ASSERT_TRUE(r.ok());
    EXPECT_GT(*r, last);
    last = *r;
    EXPECT_GE(stores_[(i + 1) % 3]->begin()->readVersion(), last);
  }
}

// 16 writers over three stores add to one hot counter: no add ever
// conflicts and none is lost.
TEST_F(PgClusterTest, HotCounterFromSixteenWritersNeverConflicts) {
  constexpr int kWriters = 16;
  constexpr int kAdds = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Store& s = *stores_[w % 3];
      for (int i = 0; i < kAdds; ++i) {
        auto txn = s.begin();
        txn->atomicAdd("count", 1);
        txn->atomicAdd("bytes", w + 1);
        if (!txn->commit().ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(decodeCounter(*read(a(), "count")), kWriters * kAdds);
  EXPECT_EQ(decodeCounter(*read(b(), "bytes")), kAdds * (kWriters * (kWriters + 1) / 2));
}

// Read-modify-write increments from three stores: serializable, so the total
// is exact.
TEST_F(PgClusterTest, NoLostUpdatesAcrossStores) {
  constexpr int kThreads = 6;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& s = *stores_[t % 3];
      for (int i = 0; i < kIncrements; ++i) {
        Status st = runTransaction(s, [](Transaction& txn) -> Status {
          FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> v, txn.get("total"));
          txn.set("total", std::to_string((v ? std::stoi(*v) : 0) + 1));
          return Status::OK();
        }, 1000);
        if (!st.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(read(c(), "total"), std::to_string(kThreads * kIncrements));
}

// Versionstamped keys written through every store: a reader that has seen
// the log up to some key never later finds a new key below it (no record is
// committed "behind" a reader), and per writer the order is commit order.
TEST_F(PgClusterTest, VersionstampedLogNeverGrowsBehindAReader) {
  constexpr int kWriters = 6;
  constexpr int kRecords = 40;
  std::atomic<bool> stop{false};
  std::atomic<int> behind{0};
  std::thread reader([&] {
    std::string seen_up_to;  // greatest key seen so far
    size_t seen_count = 0;
    while (!stop.load()) {
      auto txn = c().begin();
      auto r = txn->getRange("log/", "log0");
      if (!r.ok()) continue;
      size_t below = 0;
      for (const auto& kv : r->pairs) {
        if (kv.key <= seen_up_to) ++below;
      }
      if (below != seen_count) behind.fetch_add(1);
      if (!r->pairs.empty()) seen_up_to = r->pairs.back().key;
      seen_count = r->pairs.size();
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      Store& s = *stores_[w % 2];
      for (int i = 0; i < kRecords; ++i) {
        auto txn = s.begin();
        txn->setVersionstampedKey("log/", "", std::to_string(w) + ":" + std::to_string(i));
        ASSERT_TRUE(txn->commit().ok());
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(behind.load(), 0);
  auto txn = a().begin();
  auto r = txn->getRange("log/", "log0");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->pairs.size(), size_t{kWriters} * kRecords);
  std::map<int, int> next;
  for (const auto& kv : r->pairs) {
    ASSERT_EQ(kv.key.size(), 4 + kVersionstampSize);
    int w = std::stoi(kv.value.substr(0, kv.value.find(':')));
    int i = std::stoi(kv.value.substr(kv.value.find(':') + 1));
    EXPECT_EQ(i, next[w]) << "writer " << w;
    next[w] = i + 1;
  }
}

// The shape of fdyno's item writes: each transaction reads its own item's
// key, sets it and adds to the table's counters, so commit groups are
// independent and go set-based; some transactions also read-modify-write one
// shared key, which makes their groups dependent (the per-request path).
// Either way every write lands once and the shared total is exact.
TEST_F(PgClusterTest, IndependentGroupsGoSetBasedAndDependentOnesStaySerializable) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  const uint64_t set_before = counters::value(counters::Counter::kStoreSetBasedCommitGroups);
  const uint64_t groups_before = counters::value(counters::Counter::kStoreCommitRoundTrips);
  std::atomic<int> failures{0}, shared_increments{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& s = *stores_[t % 3];
      for (int i = 0; i < kWrites; ++i) {
        const bool touch_shared = i % 5 == 0;
        std::string key = "item/" + std::to_string(t) + "/" + std::to_string(i);
        Status st = runTransaction(s, [&](Transaction& txn) -> Status {
          FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> old, txn.get(key));
          if (old) return Status::Internal("item written twice");
          txn.set(key, "v");
          txn.atomicAdd("count", 1);
          txn.atomicAdd("bytes", 7);
          if (touch_shared) {
            FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> v, txn.get("shared"));
            txn.set("shared", std::to_string((v ? std::stoi(*v) : 0) + 1));
          }
          return Status::OK();
        }, 1000);
        if (!st.ok()) failures.fetch_add(1);
        if (touch_shared) shared_increments.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(decodeCounter(*read(a(), "count")), kThreads * kWrites);
  EXPECT_EQ(decodeCounter(*read(b(), "bytes")), 7 * kThreads * kWrites);
  EXPECT_EQ(read(c(), "shared"), std::to_string(shared_increments.load()));
  auto txn = a().begin();
  auto items = txn->getRange("item/", "item0");
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(items->pairs.size(), size_t{kThreads} * kWrites);
  const uint64_t set_groups = counters::value(counters::Counter::kStoreSetBasedCommitGroups) - set_before;
  const uint64_t groups = counters::value(counters::Counter::kStoreCommitRoundTrips) - groups_before;
  EXPECT_GT(set_groups, 0u);
  EXPECT_LE(set_groups, groups);
}

// A conflict inside a set-based group: a transaction that read a key which
// another store committed after its read version fails, and its writes
// (including its adds) are not applied, while the independent transaction
// committed in the same call succeeds.
TEST_F(PgClusterTest, ASetBasedGroupRefusesAConflictingRequestAndKeepsTheOthers) {
  put(a(), "x", "0");
  auto stale = b().begin();
  ASSERT_TRUE(stale->get("x").ok());
  put(c(), "x", "1");  // after stale's read version
  stale->set("x", "stale");
  stale->atomicAdd("n", 5);
  auto fresh = b().begin();
  ASSERT_TRUE(fresh->get("y").ok());
  fresh->set("y", "fresh");
  fresh->atomicAdd("n", 1);
  Result<uint64_t> r1 = Status::Internal("unset"), r2 = Status::Internal("unset");
  std::thread t1([&] { r1 = stale->commit(); });
  std::thread t2([&] { r2 = fresh->commit(); });
  t1.join();
  t2.join();
  ASSERT_FALSE(r1.ok());
  EXPECT_EQ(r1.status().code(), StatusCode::kConflict);
  ASSERT_TRUE(r2.ok()) << r2.status().toString();
  EXPECT_EQ(read(a(), "x"), "1");
  EXPECT_EQ(read(a(), "y"), "fresh");
  EXPECT_EQ(decodeCounter(*read(a(), "n")), 1);
}

// History a live transaction still reads survives collection (the stores
// collect every second); once it is done, the history goes.
TEST_F(PgClusterTest, CollectionKeepsWhatAnOpenTransactionReads) {
  put(a(), "doc", "old");
  auto reader = b().begin();
  EXPECT_EQ(*reader->get("doc"), "old");
  for (int i = 0; i < 20; ++i) put(a(), "doc", "v" + std::to_string(i));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // two collections and heartbeats
  EXPECT_EQ(*reader->get("doc"), "old");
  auto range = reader->getRange("d", "e");
  ASSERT_TRUE(range.ok());
  ASSERT_EQ(range->pairs.size(), 1u);
  EXPECT_EQ(range->pairs[0].value, "old");
  EXPECT_EQ(read(c(), "doc"), "v19");
}

// A store that reopens the same database keeps every committed write.
TEST_F(PgClusterTest, DataOutlivesTheStoreThatWroteIt) {
  put(a(), "durable", "yes");
  stores_[0].reset();
  auto r = openPostgresStore(url_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(read(**r, "durable"), "yes");
}

// First reads from many transactions at once share statements (read
// groups): each still gets exactly its own keys' values, single and multi-key.
TEST_F(PgClusterTest, GroupedFirstReadsEachGetTheirOwnKeys) {
  for (int i = 0; i < 64; ++i) put(a(), "g" + std::to_string(i), "v" + std::to_string(i));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 200; ++n) {
        int i = (t * 7 + n) % 64;
        auto txn = b().begin();
        if (n % 3 == 0) {
          std::string k1 = "g" + std::to_string(i), k2 = "missing" + std::to_string(i),
                      k3 = "g" + std::to_string((i + 1) % 64);
          Transaction::PointRead keys[] = {{k1}, {k2}, {k3}};
          std::vector<std::optional<std::string>> out;
          Status st = txn->getMany(keys, &out);
          if (!st.ok() || out.size() != 3 || out[0] != "v" + std::to_string(i) || out[1].has_value() ||
              out[2] != "v" + std::to_string((i + 1) % 64)) {
            ++wrong;
          }
        } else {
          auto v = txn->get("g" + std::to_string(i));
          if (!v.ok() || *v != "v" + std::to_string(i)) ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

// The pool hands a released connection straight to the oldest waiter, and a
// waiter that gets none within the statement timeout fails with kIOError.
TEST_F(PgClusterTest, PoolWaitersGetReleasedConnectionsInOrderOrTimeOut) {
  pg::PgSettings settings;
  settings.url = url_;  // the schema exists: SetUp opened stores on it
  settings.pool_size = 2;
  settings.statement_timeout_ms = 300;
  pg::PgPool pool(settings);
  auto l1 = pool.acquire();
  auto l2 = pool.acquire();
  ASSERT_TRUE(l1.ok() && l2.ok());

  auto start = std::chrono::steady_clock::now();
  auto none = pool.acquire();
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kIOError);
  EXPECT_NE(none.status().message().find("no free connection"), std::string::npos) << none.status().message();
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));

  // Two waiters, queued in a known order; each released connection goes to
  // the oldest, and both can run a statement on it.
  settings.statement_timeout_ms = 20000;
  pg::PgPool pool2(settings);
  auto m1 = pool2.acquire();
  auto m2 = pool2.acquire();
  ASSERT_TRUE(m1.ok() && m2.ok());
  std::vector<int> order;
  std::mutex mu;
  auto waiter = [&](int id) {
    auto l = pool2.acquire();
    ASSERT_TRUE(l.ok()) << l.status().toString();
    ASSERT_TRUE((*l)->execPrepared(pg::kStmtVersion, pg::PgParams()).ok());
    std::lock_guard<std::mutex> lock(mu);
    order.push_back(id);
  };
  std::thread w1(waiter, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread w2(waiter, 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  { pg::PgLease gone = std::move(*m1); }
  w1.join();
  { pg::PgLease gone = std::move(*m2); }
  w2.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
}

TEST(PgStoreOpen, AnUnreachableDatabaseIsAnIOErrorNotAHang) {
  auto start = std::chrono::steady_clock::now();
  auto r = openPostgresStore("postgresql://fdyno@127.0.0.1:1/fdyno?connect_timeout=2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find("postgres:"), std::string::npos) << r.status().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace fdyno::kv::testing

// Several servers on one store: leases (engine/lease.h) and the background
// work that runs under them (index jobs, TTL sweeping).
//
// Each test runs on the memory store (two Databases over one Store: two
// servers sharing data) and on the PostgreSQL store (two Stores on one
// schema: two processes' views of one database, each with its own
// connections).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <set>
#include <vector>

#include "engine/database.h"
#include "engine/index_maintenance.h"
#include "engine/lease.h"
#include "engine/storage_keys.h"
#include "engine/ttl.h"
#include "engine_fixture.h"
#include "database_test_peer.h"
#include "model/item_size.h"
#include "unit/kv/pg_test_cluster.h"

namespace fdyno::engine {
namespace {

using model::AttributeValue;
using model::AttrType;
using testing::hashTable;
using testing::item;

enum class Backend { kMemory, kPostgres };

std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kMemory ? "Memory" : "Postgres";
}

class ClusterTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres) {
      std::string error;
      url_ = kv::testing::freshPostgresUrl(&error);
      ASSERT_FALSE(url_.empty()) << error;
    }
    store_a_ = open();
    ASSERT_NE(store_a_, nullptr);
  }

  // A second server's store: the same one (memory) or a new connection pool
  // on the same schema (PostgreSQL).
  kv::Store& storeB() {
    if (GetParam() == Backend::kMemory) return *store_a_;
    if (!store_b_) store_b_ = open();
    return *store_b_;
  }

  std::unique_ptr<kv::Store> open() {
    auto r = GetParam() == Backend::kMemory ? kv::openMemoryStore() : kv::openPostgresStore(url_, {});
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  static DatabaseOptions options(int64_t lease_ms, int64_t ttl_ms = 0) {
    DatabaseOptions o;
    o.lease_ms = lease_ms;
    o.ttl_interval_ms = ttl_ms;
    return o;
  }

  static void put(Database& db, const std::string& table, const model::Item& it) {
    auto r = db.putItem(table, it, model::itemSize(it), false);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }

  // Waits until `pred` holds, up to `limit`.
  template <class Pred>
  static bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (pred()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
  }

  std::string url_;
  std::unique_ptr<kv::Store> store_a_;
  std::unique_ptr<kv::Store> store_b_;
};

IndexDefinition gsiOn(std::string name, std::string attr) {
  IndexDefinition g;
  g.name = std::move(name);
  g.kind = IndexKind::kGlobal;
  g.hash_keys = {{std::move(attr), AttrType::kS}};
  g.projection = ProjectionType::kAll;
  return g;
}

// ---- leases ----

TEST(LeaseFormat, RoundTripsAndRefusesGarbage) {
  LeaseValue v{1234567890123, "host:42:00ff"};
  std::string enc = encodeLease(v);
  LeaseValue back;
  ASSERT_TRUE(decodeLease(enc, &back));
  EXPECT_EQ(back.expiry_ms, v.expiry_ms);
  EXPECT_EQ(back.holder, v.holder);
  EXPECT_FALSE(decodeLease(enc.substr(0, enc.size() - 1), &back));
  EXPECT_FALSE(decodeLease(enc + "x", &back));
  std::string other = enc;
  other[0] = 2;  // unknown format
  EXPECT_FALSE(decodeLease(other, &back));
  // 01 'l' <name>: in the system space, apart from every table's data.
  EXPECT_EQ(leaseKey("ttl/7"), std::string("\x01lttl/7"));
}

TEST_P(ClusterTest, LeaseIsExclusiveRenewableAndExpires) {
  LeaseManager a(*store_a_, std::chrono::milliseconds(300));
  LeaseManager b(storeB(), std::chrono::milliseconds(300));
  ASSERT_NE(a.holder(), b.holder());
  auto r = a.tryAcquire("job");
  ASSERT_TRUE(r.ok() && *r);
  r = b.tryAcquire("job");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r) << "a live lease is exclusive";
  auto h = b.holderOf("job");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, a.holder());
  // Renewals keep it past its first expiry.
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    r = a.tryAcquire("job");
    ASSERT_TRUE(r.ok() && *r);
    r = b.tryAcquire("job");
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(*r);
  }
  // Not renewed: it expires and the other server takes it over.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  h = b.holderOf("job");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, "");
  r = b.tryAcquire("job");
  ASSERT_TRUE(r.ok() && *r);
  r = a.tryAcquire("job");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  // Released in a transaction: free at once.
  ASSERT_TRUE(kv::runTransaction(storeB(), [&](kv::Transaction& txn) { return b.release(txn, "job"); }).ok());
  r = a.tryAcquire("job");
  ASSERT_TRUE(r.ok() && *r);
  // Releasing someone else's lease does nothing.
  ASSERT_TRUE(kv::runTransaction(storeB(), [&](kv::Transaction& txn) { return b.release(txn, "job"); }).ok());
  h = a.holderOf("job");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, a.holder());
}

TEST_P(ClusterTest, RacingServersNeverBothWinAFreeLease) {
  constexpr int kServers = 8;
  for (int round = 0; round < 5; ++round) {
    std::vector<std::unique_ptr<LeaseManager>> managers;
    for (int i = 0; i < kServers; ++i) {
      managers.push_back(
          std::make_unique<LeaseManager>(i % 2 ? storeB() : *store_a_, std::chrono::milliseconds(60000)));
    }
    std::atomic<int> winners{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    const std::string name = "race/" + std::to_string(round);
    for (auto& m : managers) {
      threads.emplace_back([&, mgr = m.get()] {
        auto r = mgr->tryAcquire(name);
        if (!r.ok()) {
          errors++;
        } else if (*r) {
          winners++;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(winners.load(), 1) << "round " << round;
  }
}

// ---- index jobs ----

// A GSI created through server A, whose backfill A never finishes (it dies
// holding the lease): server B waits for the lease to expire, takes the job
// over and makes the index ACTIVE with every item indexed exactly once.
TEST_P(ClusterTest, BackfillOfADeadServerIsTakenOver) {
  constexpr int kItems = 600;
  auto a = std::make_unique<Database>(*store_a_, options(400));
  ASSERT_TRUE(a->createTable(hashTable("t")).ok());
  for (int i = 0; i < kItems; ++i) {
    put(*a, "t", item({{"p", AttributeValue::S("k" + std::to_string(i))}, {"x", AttributeValue::S(std::to_string(i % 7))}}));
  }
  // A dies before its worker starts the job; the job's lease is held by a
  // holder that never renews it (A's last act).
  DatabaseTestPeer::haltIndexBuilder(*a);
  TableUpdate u;
  u.attribute_definitions = {{"x", AttrType::kS}};
  u.create_index = gsiOn("g", "x");
  auto upd = a->updateTable("t", u);
  ASSERT_TRUE(upd.ok()) << upd.status().toString();
  const uint64_t id = upd->table->def.id;
  const uint16_t number = upd->table->def.findIndex("g")->number;
  {
    // The job marker (docs/storage-layout.md, "Index jobs"): 01 'j' <table
    // id: u64 BE> <index no: u16 BE> -> kind 1 (backfill) + table name.
    std::string key("\x01j", 2);
    keys::appendU64BE(key, id);
    key.push_back(static_cast<char>(number >> 8));
    key.push_back(static_cast<char>(number & 0xff));
    auto txn = store_a_->begin();
    auto v = txn->get(key);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->has_value());
    EXPECT_EQ(**v, std::string("\x01t", 2));
  }
  LeaseManager dead(*store_a_, std::chrono::milliseconds(1500));
  const std::string lease = "index-backfill/" + std::to_string(id) + "/" + std::to_string(number);
  auto took = dead.tryAcquire(lease);
  ASSERT_TRUE(took.ok() && *took);
  const auto taken_at = std::chrono::steady_clock::now();

  // Server B starts now: it finds the job marker, but the lease is live.
  auto b = std::make_unique<Database>(storeB(), options(400));
  auto active = [&] {
    auto d = b->describeTable("t");
    return d.ok() && d->table->def.findIndex("g")->status == IndexStatus::kActive;
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_FALSE(active()) << "B must not run a job whose lease is live";
  ASSERT_TRUE(eventually(active)) << "B never took the job over";
  EXPECT_GE(std::chrono::steady_clock::now() - taken_at, std::chrono::milliseconds(1500));

  auto d = b->describeTable("t");
  ASSERT_TRUE(d.ok());
  auto c = d->indexCounters(number);
  EXPECT_EQ(c.item_count, kItems);
  auto txn = storeB().begin();
  auto entries = txn->getRange(indexEntriesPrefix(id, number), indexEntriesEnd(id, number));
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->pairs.size(), static_cast<size_t>(kItems));
  // The job is over: its lease and marker are gone.
  auto h = dead.holderOf(lease);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, "");
  auto marker = txn->getRange(std::string("\x01j", 2), std::string("\x01k", 2));
  ASSERT_TRUE(marker.ok());
  EXPECT_TRUE(marker->pairs.empty());
}

// An index deleted through A is dropped by B when A is gone.
TEST_P(ClusterTest, IndexDropOfADeadServerIsTakenOver) {
  TableDefinition def = hashTable("t");
  def.attribute_definitions.push_back({"x", AttrType::kS});
  def.global_indexes.push_back(gsiOn("g", "x"));
  auto a = std::make_unique<Database>(*store_a_, options(200));
  ASSERT_TRUE(a->createTable(def).ok());
  for (int i = 0; i < 50; ++i) put(*a, "t", item({{"p", AttributeValue::S(std::to_string(i))}, {"x", AttributeValue::S("v")}}));
  DatabaseTestPeer::haltIndexBuilder(*a);
  TableUpdate u;
  u.delete_index = "g";
  auto upd = a->updateTable("t", u);
  ASSERT_TRUE(upd.ok()) << upd.status().toString();
  const uint64_t id = upd->table->def.id;
  auto b = std::make_unique<Database>(storeB(), options(200));
  ASSERT_TRUE(eventually([&] {
    auto d = b->describeTable("t");
    return d.ok() && d->table->def.global_indexes.empty();
  }));
  auto txn = storeB().begin();
  auto entries = txn->getRange(indexEntriesPrefix(id, 1), indexEntriesEnd(id, 1));
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->pairs.empty());
}

// Two live servers both see a new job; exactly one runs it, and the index
// ends exact while both servers write.
TEST_P(ClusterTest, BackfillWhileBothServersWriteEndsExact) {
  auto a = std::make_unique<Database>(*store_a_, options(500));
  auto b = std::make_unique<Database>(storeB(), options(500));
  ASSERT_TRUE(a->createTable(hashTable("t")).ok());
  for (int i = 0; i < 400; ++i) put(*a, "t", item({{"p", AttributeValue::S(std::to_string(i))}, {"x", AttributeValue::S("a")}}));
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      Database& db = w == 0 ? *a : *b;
      for (int n = 0; !stop || n < 300; ++n) {
        std::string k = std::to_string((n * 7 + w) % 500);
        model::Item it = item({{"p", AttributeValue::S(k)}, {"x", AttributeValue::S(std::to_string(n % 5))}});
        auto r = db.putItem("t", it, model::itemSize(it), false);
        if (!r.ok() && r.status().code() != StatusCode::kConflict) ADD_FAILURE() << r.status().toString();
      }
    });
  }
  TableUpdate u;
  u.attribute_definitions = {{"x", AttrType::kS}};
  u.create_index = gsiOn("g", "x");
  auto upd = a->updateTable("t", u);
  ASSERT_TRUE(upd.ok()) << upd.status().toString();
  ASSERT_TRUE(eventually([&] {
    auto d = b->describeTable("t");
    return d.ok() && d->table->def.findIndex("g")->status == IndexStatus::kActive;
  }));
  stop = true;
  for (auto& t : writers) t.join();
  const TableDefinition& def = upd->table->def;
  auto d = a->describeTable("t");
  ASSERT_TRUE(d.ok());
  const IndexDefinition* index = d->table->def.findIndex("g");
  auto txn = store_a_->begin();
  auto base = txn->getRange(keys::itemsBegin(def.id), keys::itemsEnd(def.id));
  auto entries = txn->getRange(indexEntriesPrefix(def.id, index->number), indexEntriesEnd(def.id, index->number));
  ASSERT_TRUE(base.ok() && entries.ok());
  std::set<std::string> want, got;
  for (const auto& kv : base->pairs) {
    auto it = decodeStoredItem(kv.value);
    ASSERT_TRUE(it.ok());
    std::string k;
    if (indexEntryKey(d->table->def, *index, *it, k)) want.insert(k);
  }
  for (const auto& kv : entries->pairs) got.insert(kv.key);
  EXPECT_EQ(got, want);
  EXPECT_EQ(d->indexCounters(index->number).item_count, static_cast<int64_t>(want.size()));
}

// ---- TTL ----

// Two servers sweeping one table: one holds the table's lease, every expired
// item is deleted exactly once (the item count ends at the live items).
TEST_P(ClusterTest, OneServerSweepsATableAndCountsStayExact) {
  auto a = std::make_unique<Database>(*store_a_, options(5000, 50));
  auto b = std::make_unique<Database>(storeB(), options(5000, 50));
  TableDefinition def = hashTable("t");
  def.stream.enabled = true;
  def.stream.view_type = "KEYS_ONLY";
  ASSERT_TRUE(a->createTable(def).ok());
  const int64_t past = ttlNowSeconds() - 100;
  for (int i = 0; i < 300; ++i) {
    model::Item it = item({{"p", AttributeValue::S(std::to_string(i))}});
    if (i % 3 != 0) it.emplace("exp", AttributeValue::N(std::to_string(past)));
    put(i % 2 ? *a : *b, "t", it);
  }
  ASSERT_TRUE(b->updateTimeToLive("t", "exp", true).ok());
  ASSERT_TRUE(eventually([&] {
    auto d = a->describeTable("t");
    return d.ok() && d->item_count == 100;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // any second deletion would show now
  auto d = b->describeTable("t");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->item_count, 100);
  auto h = DatabaseTestPeer::leases(*a).holderOf("ttl/" + std::to_string(d->table->def.id));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(*h == DatabaseTestPeer::leases(*a).holder() || *h == DatabaseTestPeer::leases(*b).holder()) << *h;
  // The stream holds 300 INSERTs and exactly 200 REMOVEs.
  auto txn = store_a_->begin();
  auto recs = txn->getRange(keys::streamPrefix(d->table->def.id),
                            keys::tableBegin(d->table->def.id) + std::string(1, keys::kCounterSpace));
  ASSERT_TRUE(recs.ok());
  // Stream metadata keys share the prefix; count records only (500 + meta).
  EXPECT_GE(recs->pairs.size(), 500u);
  EXPECT_LE(recs->pairs.size(), 500u + 4u);
}

// A server that stops gives its TTL leases up: the other sweeps the table
// at once, not after the lease's expiry (here a minute, longer than the
// test may wait).
TEST_P(ClusterTest, AStoppedServerGivesItsTtlLeaseUp) {
  auto a = std::make_unique<Database>(*store_a_, options(60000, 50));
  TableDefinition def = hashTable("t");
  ASSERT_TRUE(a->createTable(def).ok());
  ASSERT_TRUE(a->updateTimeToLive("t", "exp", true).ok());
  auto d = a->describeTable("t");
  ASSERT_TRUE(d.ok());
  const std::string lease = "ttl/" + std::to_string(d->table->def.id);
  const std::string holder_a = DatabaseTestPeer::leases(*a).holder();
  ASSERT_TRUE(eventually([&] {
    auto h = DatabaseTestPeer::leases(*a).holderOf(lease);
    return h.ok() && *h == holder_a;
  }));
  a.reset();
  auto b = std::make_unique<Database>(storeB(), options(60000, 50));
  auto h = DatabaseTestPeer::leases(*b).holderOf(lease);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, "");
  put(*b, "t", item({{"p", AttributeValue::S("x")}, {"exp", AttributeValue::N(std::to_string(ttlNowSeconds() - 5))}}));
  EXPECT_TRUE(eventually([&] {
    auto d2 = b->describeTable("t");
    return d2.ok() && d2->item_count == 0;
  }, std::chrono::seconds(10)));
}

INSTANTIATE_TEST_SUITE_P(Stores, ClusterTest, ::testing::Values(Backend::kMemory, Backend::kPostgres), backendName);

}  // namespace
}  // namespace fdyno::engine

// What a write reports beyond the base item (engine/item_collection.h):
// per-index write units (ReturnConsumedCapacity=INDEXES), the item collection
// size after the write (ReturnItemCollectionMetrics), and the item collection
// size limit (ItemCollectionSizeLimitExceededException), through every write
// path: writeItem, writeItems (BatchWriteItem), transactWrite.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "engine/capacity.h"
#include "engine/index_maintenance.h"
#include "engine/item_collection.h"
#include "engine/transact.h"
#include "engine_fixture.h"
#include "model/item_size.h"

namespace fdyno::engine {
namespace {

using model::AttributeValue;
using model::AttrType;
using testing::EngineTest;
using testing::hashRangeTable;
using testing::item;

AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }
AttributeValue N(std::string s) { return AttributeValue::N(std::move(s)); }

IndexDefinition index(std::string name, IndexKind kind, std::vector<KeyAttribute> hash,
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

// Units per index number of one write (0 if not listed).
uint32_t unitsOf(const WriteMetrics& m, uint16_t number) {
  for (const auto& u : m.index_units) {
    if (u.index_number == number) return u.units;
  }
  return 0;
}

// ---- pure rules ----

TEST(ItemCollection, SizeEstimateIsTheWholeGigabyteBracket) {
  auto r = sizeEstimateRangeGB(0);
  EXPECT_EQ(r.lower, 0.0);
  EXPECT_EQ(r.upper, 1.0);
  r = sizeEstimateRangeGB(12345);
  EXPECT_EQ(r.lower, 0.0);
  EXPECT_EQ(r.upper, 1.0);
  r = sizeEstimateRangeGB((int64_t{1} << 30) - 1);
  EXPECT_EQ(r.upper, 1.0);
  r = sizeEstimateRangeGB(int64_t{1} << 30);
  EXPECT_EQ(r.lower, 1.0);
  EXPECT_EQ(r.upper, 2.0);
  r = sizeEstimateRangeGB((int64_t{5} << 29));  // 2.5 GB
  EXPECT_EQ(r.lower, 2.0);
  EXPECT_EQ(r.upper, 3.0);
  EXPECT_EQ(sizeEstimateRangeGB(-5).lower, 0.0);
}

TEST(ItemCollection, IndexEntryUnitsPerStartedKilobyte) {
  EXPECT_EQ(indexEntryWriteUnits(0), 1u);
  EXPECT_EQ(indexEntryWriteUnits(1), 1u);
  EXPECT_EQ(indexEntryWriteUnits(1024), 1u);
  EXPECT_EQ(indexEntryWriteUnits(1025), 2u);
  EXPECT_EQ(indexEntryWriteUnits(4096), 4u);
}

TEST(ItemCollection, LimitDefaultsToTenGibibytes) {
  EXPECT_EQ(kItemCollectionLimitBytes, int64_t{10} * 1024 * 1024 * 1024);
  EXPECT_EQ(DatabaseOptions{}.item_collection_limit_bytes, kItemCollectionLimitBytes);
}

// ---- index write units ----

// Table (p, c) with: GSI 1 "ga" on x (ALL), GSI 2 "gi" on x (INCLUDE inc),
// LSI 3 "lk" on x (KEYS_ONLY).
class IndexUnits : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    TableDefinition d = hashRangeTable("t");
    d.global_indexes.push_back(index("ga", IndexKind::kGlobal, {{"x", AttrType::kS}}, {}, ProjectionType::kAll));
    d.global_indexes.push_back(
        index("gi", IndexKind::kGlobal, {{"x", AttrType::kS}}, {}, ProjectionType::kInclude, {"inc"}));
    d.local_indexes.push_back(
        index("lk", IndexKind::kLocal, {{"p", AttrType::kS}}, {{"x", AttrType::kS}}, ProjectionType::kKeysOnly));
    auto r = db_->createTable(d);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }
  WriteMetrics put(const model::Item& it) {
    auto r = db_->putItem("t", it, model::itemSize(it), false);
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? r->metrics : WriteMetrics{};
  }
  WriteMetrics del(const model::Item& key) {
    auto r = db_->deleteItem("t", key, false);
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? r->metrics : WriteMetrics{};
  }
  model::Item base(std::initializer_list<std::pair<const std::string, AttributeValue>> extra) {
    model::Item it = item({{"p", S("a")}, {"c", N("1")}});
    for (const auto& [k, v] : extra) it[k] = v;
    return it;
  }
};

TEST_F(IndexUnits, NewEntryIsOneWritePerIndex) {
  WriteMetrics m = put(base({{"x", S("k")}}));
  EXPECT_EQ(unitsOf(m, 1), 1u);
  EXPECT_EQ(unitsOf(m, 2), 1u);
  EXPECT_EQ(unitsOf(m, 3), 1u);
  EXPECT_EQ(m.index_units.size(), 3u);
}

TEST_F(IndexUnits, ItemWithoutIndexKeyTouchesNoIndex) {
  WriteMetrics m = put(base({{"y", S("k")}}));
  EXPECT_TRUE(m.index_units.empty());
  m = put(base({{"y", S("other")}}));  // still no x before or after
  EXPECT_TRUE(m.index_units.empty());
}

TEST_F(IndexUnits, ProjectionChangeIsOneWriteOnlyWhereProjected) {
  put(base({{"x", S("k")}, {"inc", S("1")}, {"other", S("1")}}));
  // "other" is projected only by ALL.
  WriteMetrics m = put(base({{"x", S("k")}, {"inc", S("1")}, {"other", S("2")}}));
  EXPECT_EQ(unitsOf(m, 1), 1u);
  EXPECT_EQ(unitsOf(m, 2), 0u);
  EXPECT_EQ(unitsOf(m, 3), 0u);
  EXPECT_EQ(m.index_units.size(), 1u);
  // "inc" is projected by ALL and INCLUDE; KEYS_ONLY never changes with the same key.
  m = put(base({{"x", S("k")}, {"inc", S("2")}, {"other", S("2")}}));
  EXPECT_EQ(unitsOf(m, 1), 1u);
  EXPECT_EQ(unitsOf(m, 2), 1u);
  EXPECT_EQ(unitsOf(m, 3), 0u);
  // An identical overwrite changes no index.
  m = put(base({{"x", S("k")}, {"inc", S("2")}, {"other", S("2")}}));
  EXPECT_TRUE(m.index_units.empty());
}

TEST_F(IndexUnits, IndexKeyChangeIsADeleteAndAPut) {
  put(base({{"x", S("k")}}));
  WriteMetrics m = put(base({{"x", S("j")}}));
  EXPECT_EQ(unitsOf(m, 1), 2u);
  EXPECT_EQ(unitsOf(m, 2), 2u);
  EXPECT_EQ(unitsOf(m, 3), 2u);
}

TEST_F(IndexUnits, RemovedEntryIsOneWrite) {
  put(base({{"x", S("k")}}));
  WriteMetrics m = put(base({{"y", S("no x")}}));  // x removed: entries deleted
  EXPECT_EQ(unitsOf(m, 1), 1u);
  EXPECT_EQ(unitsOf(m, 2), 1u);
  EXPECT_EQ(unitsOf(m, 3), 1u);
  put(base({{"x", S("k")}}));
  m = del(item({{"p", S("a")}, {"c", N("1")}}));
  EXPECT_EQ(m.index_units.size(), 3u);
  EXPECT_EQ(unitsOf(m, 1), 1u);
  // Deleting a missing item touches nothing.
  m = del(item({{"p", S("a")}, {"c", N("1")}}));
  EXPECT_TRUE(m.index_units.empty());
}

TEST_F(IndexUnits, LargeEntriesCostPerStartedKilobyteOfTheProjection) {
  std::string big(3000, 'z');  // ~3 KB: 3 units in ALL, 1 in KEYS_ONLY / INCLUDE without it
  model::Item it = base({{"x", S("k")}, {"big", S(big)}});
  WriteMetrics m = put(it);
  EXPECT_EQ(unitsOf(m, 1), indexEntryWriteUnits(model::itemSize(it)));
  EXPECT_EQ(unitsOf(m, 1), 3u);
  EXPECT_EQ(unitsOf(m, 2), 1u);
  EXPECT_EQ(unitsOf(m, 3), 1u);
  // Key change of a big ALL entry: delete (3) + put (3).
  it["x"] = S("j");
  m = put(it);
  EXPECT_EQ(unitsOf(m, 1), 6u);
}

// ---- item collection size and limit ----

class Collections : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_TRUE(db_->createTable(lsiTable()).ok());
  }
  static TableDefinition lsiTable() {
    TableDefinition d = hashRangeTable("t");
    d.local_indexes.push_back(
        index("l", IndexKind::kLocal, {{"p", AttrType::kS}}, {{"x", AttrType::kS}}, ProjectionType::kAll));
    return d;
  }
  // An item of partition `p`, sort key `c`, indexed (x) or not.
  static model::Item row(std::string p, int c, size_t pad, bool indexed = true) {
    model::Item it = item({{"p", S(std::move(p))}, {"c", N(std::to_string(c))}, {"pad", S(std::string(pad, 'a'))}});
    if (indexed) it["x"] = S("k");
    return it;
  }
  // Collection size of an item with an ALL-projected LSI entry: twice the item.
  static int64_t twice(const model::Item& it) { return 2 * static_cast<int64_t>(model::itemSize(it)); }
  std::unique_ptr<Database> withLimit(int64_t limit) {
    DatabaseOptions o;
    o.item_collection_limit_bytes = limit;
    return std::make_unique<Database>(*store_, o);
  }
};

TEST_F(Collections, WriteReportsTheCollectionSizeAfterIt) {
  model::Item a = row("a", 1, 10);
  model::Item b = row("a", 2, 20, /*indexed=*/false);
  auto r = db_->putItem("t", a, model::itemSize(a), false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metrics.collection_size, twice(a));
  r = db_->putItem("t", b, model::itemSize(b), false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metrics.collection_size, twice(a) + static_cast<int64_t>(model::itemSize(b)));
  // Another partition has its own collection.
  model::Item other = row("b", 1, 5);
  r = db_->putItem("t", other, model::itemSize(other), false);
  EXPECT_EQ(r->metrics.collection_size, twice(other));
  // Deleting shrinks it; a missing item's delete still reports the size.
  r = db_->deleteItem("t", item({{"p", S("a")}, {"c", N("1")}}), false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metrics.collection_size, static_cast<int64_t>(model::itemSize(b)));
  r = db_->deleteItem("t", item({{"p", S("a")}, {"c", N("9")}}), false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metrics.collection_size, static_cast<int64_t>(model::itemSize(b)));
}

TEST_F(Collections, TablesWithoutLocalIndexesHaveNoCollectionSize) {
  ASSERT_TRUE(db_->createTable(hashRangeTable("plain")).ok());
  model::Item a = row("a", 1, 10);
  auto r = db_->putItem("plain", a, model::itemSize(a), false);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->metrics.collection_size.has_value());
  EXPECT_TRUE(r->metrics.index_units.empty());
}

TEST_F(Collections, GrowingPastTheLimitFailsAndWritesNothing) {
  model::Item a = row("a", 1, 100);
  const int64_t one = twice(a);
  auto db = withLimit(2 * one + 10);  // room for two such items, not three
  ASSERT_TRUE(db->putItem("t", a, model::itemSize(a), false).ok());
  model::Item b = row("a", 2, 100);
  auto r = db->putItem("t", b, model::itemSize(b), false);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->metrics.collection_size, 2 * one);
  model::Item c = row("a", 3, 100);
  r = db->putItem("t", c, model::itemSize(c), false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), ErrorReason::kItemCollectionTooLarge);
  // Nothing of the failed write: no item, no index entry, counters unchanged.
  EXPECT_FALSE(db->getItem("t", item({{"p", S("a")}, {"c", N("3")}}), true)->item.has_value());
  auto d = db->describeTable("t");
  EXPECT_EQ(d->item_count, 2);
  EXPECT_EQ(d->indexCounters(1).item_count, 2);
  // Growing an existing item fails too; another collection is not affected.
  model::Item bigger = row("a", 1, 150);
  EXPECT_EQ(db->putItem("t", bigger, model::itemSize(bigger), false).status().reason(), ErrorReason::kItemCollectionTooLarge);
  model::Item other = row("b", 1, 100);
  EXPECT_TRUE(db->putItem("t", other, model::itemSize(other), false).ok());
  // Same size (a rewrite) and shrinking writes are allowed.
  model::Item same = row("a", 1, 100);
  same["pad"] = S(std::string(100, 'b'));
  EXPECT_TRUE(db->putItem("t", same, model::itemSize(same), false).ok());
  auto del = db->deleteItem("t", item({{"p", S("a")}, {"c", N("2")}}), false);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->metrics.collection_size, one);
  EXPECT_TRUE(db->putItem("t", c, model::itemSize(c), false).ok());
}

TEST_F(Collections, ShrinkingIsAllowedOverTheLimit) {
  model::Item a = row("a", 1, 300);
  ASSERT_TRUE(db_->putItem("t", a, model::itemSize(a), false).ok());
  auto db = withLimit(10);  // the collection is already far over
  model::Item smaller = row("a", 1, 10);
  auto r = db->putItem("t", smaller, model::itemSize(smaller), false);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->metrics.collection_size, twice(smaller));
  // Removing the index key shrinks it too (the LSI entry goes).
  model::Item unindexed = row("a", 1, 10, /*indexed=*/false);
  EXPECT_TRUE(db->putItem("t", unindexed, model::itemSize(unindexed), false).ok());
  model::Item grow = row("a", 2, 1);
  EXPECT_EQ(db->putItem("t", grow, model::itemSize(grow), false).status().reason(), ErrorReason::kItemCollectionTooLarge);
}

TEST_F(Collections, BatchCountsEarlierWritesOfTheSameBatch) {
  model::Item a = row("a", 1, 100), b = row("a", 2, 100), c = row("b", 1, 100);
  std::vector<BatchWriteTable> batch(1);
  batch[0].table = "t";
  batch[0].writes = {{true, &a, 0}, {true, &b, 0}, {true, &c, 0}};
  auto r = db_->writeItems(batch);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  const auto& w = (*r)[0].writes;
  EXPECT_EQ(w[0].metrics.collection_size, twice(a));
  EXPECT_EQ(w[1].metrics.collection_size, twice(a) + twice(b));
  EXPECT_EQ(w[2].metrics.collection_size, twice(c));
  EXPECT_EQ(w[1].metrics.index_units.size(), 1u);
  EXPECT_EQ(w[1].metrics.index_units[0].units, 1u);

  // A batch whose running total crosses the limit fails whole.
  auto db = withLimit(twice(a) + twice(b) + twice(a) / 2);
  model::Item d = row("c", 1, 100), e = row("a", 3, 100);
  batch[0].writes = {{true, &d, 0}, {true, &e, 0}};
  auto f = db->writeItems(batch);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().reason(), ErrorReason::kItemCollectionTooLarge);
  EXPECT_FALSE(db->getItem("t", item({{"p", S("c")}, {"c", N("1")}}), true)->item.has_value());
}

TEST_F(Collections, TransactionCancelsAtTheActionThatGrowsPastTheLimit) {
  model::Item a = row("a", 1, 100), b = row("b", 1, 100), c = row("a", 2, 100);
  auto db = withLimit(twice(a) + twice(c) / 2);
  auto putAction = [](const model::Item& it) {
    TransactWriteAction act;
    act.table = "t";
    act.key_attrs = &it;
    act.source = KeySource::kItem;
    act.decide = [&it](const TableInfo&, StoredItem&, WritePlan& plan) -> Status {
      plan.op = WriteOp::kPut;
      plan.item = &it;
      return Status::OK();
    };
    return act;
  };
  TransactWriteRequest ok;
  ok.actions = {putAction(a), putAction(b)};
  auto r = db->transactWrite(ok);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_EQ(r->status, TransactWriteStatus::kCommitted);
  EXPECT_EQ(r->results[0].metrics.collection_size, twice(a));
  EXPECT_EQ(r->results[1].metrics.collection_size, twice(b));
  EXPECT_EQ(r->results[0].metrics.index_units.size(), 1u);

  TransactWriteRequest over;
  model::Item b2 = row("b", 2, 1);
  over.actions = {putAction(b2), putAction(c)};
  r = db->transactWrite(over);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_EQ(r->status, TransactWriteStatus::kCanceled);
  EXPECT_TRUE(r->reasons[0].ok());
  EXPECT_EQ(r->reasons[1].reason(), ErrorReason::kItemCollectionTooLarge);
  EXPECT_FALSE(db->getItem("t", item({{"p", S("b")}, {"c", N("2")}}), true)->item.has_value());
}

}  // namespace
}  // namespace fdyno::engine

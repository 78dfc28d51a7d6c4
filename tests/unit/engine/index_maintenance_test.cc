// Secondary index entries: layout rules (docs/storage-layout.md, one test
// per rule), maintenance by writes, backfill and drop of GSIs.
#include "engine/index_maintenance.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "engine/database.h"
#include "database_test_peer.h"
#include "engine/index_backfill.h"
#include "engine/item_mutation.h"
#include "engine/storage_keys.h"
#include "engine/stored_item.h"
#include "engine_fixture.h"
#include "model/item_size.h"
#include "model/key_codec.h"
#include "status_text.h"

namespace fdyno::engine {
namespace {

using fdyno::testing::dynamoText;

using model::AttributeValue;
using model::AttrType;
using testing::EngineTest;
using testing::hashRangeTable;
using testing::hashTable;
using testing::item;

IndexDefinition gsi(std::string name, std::vector<KeyAttribute> hash, std::vector<KeyAttribute> range = {},
                    ProjectionType p = ProjectionType::kAll) {
  IndexDefinition g;
  g.name = std::move(name);
  g.kind = IndexKind::kGlobal;
  g.hash_keys = std::move(hash);
  g.range_keys = std::move(range);
  g.projection = p;
  return g;
}

std::string enc(const AttributeValue& v) {
  std::string out;
  model::encodeKeyValue(out, v);
  return out;
}

// ---- layout rules ----

TEST(IndexLayout, EntryKeyIsIndexPrefixThenIndexKeyThenTableKey) {
  TableDefinition d = hashRangeTable("t");
  d.id = 7;
  IndexDefinition g = gsi("g", {{"x", AttrType::kS}}, {{"y", AttrType::kN}});
  g.number = 3;
  model::Item it = item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("1")},
                         {"x", AttributeValue::S("k")}, {"y", AttributeValue::N("5")}});
  std::string key;
  ASSERT_TRUE(indexEntryKey(d, g, it, key));
  std::string want = keys::tableBegin(7) + std::string{'\x01', '\x00', '\x03'};
  want += enc(AttributeValue::S("k")) + enc(AttributeValue::N("5")) + enc(AttributeValue::S("a")) +
          enc(AttributeValue::N("1"));
  EXPECT_EQ(key, want);
  EXPECT_EQ(key.substr(0, indexEntriesPrefix(7, 3).size()), indexEntriesPrefix(7, 3));
}

TEST(IndexLayout, MultiAttributeKeysAreEncodedInKeySchemaOrder) {
  TableDefinition d = hashTable("t");
  d.id = 1;
  IndexDefinition g = gsi("g", {{"b", AttrType::kS}, {"a", AttrType::kS}}, {{"z", AttrType::kN}, {"y", AttrType::kN}});
  g.number = 1;
  model::Item it = item({{"p", AttributeValue::S("p")},
                         {"a", AttributeValue::S("A")},
                         {"b", AttributeValue::S("B")},
                         {"y", AttributeValue::N("1")},
                         {"z", AttributeValue::N("2")}});
  std::string key;
  ASSERT_TRUE(indexEntryKey(d, g, it, key));
  std::string want = indexEntriesPrefix(1, 1) + enc(AttributeValue::S("B")) + enc(AttributeValue::S("A")) +
                     enc(AttributeValue::N("2")) + enc(AttributeValue::N("1")) + enc(AttributeValue::S("p"));
  EXPECT_EQ(key, want);
  // The read side builds the same partition prefix.
  std::string prefix = indexEntriesPrefix(1, 1);
  AttributeValue b = AttributeValue::S("B"), a = AttributeValue::S("A");
  appendIndexPartition(prefix, {&b, &a});
  EXPECT_EQ(key.compare(0, prefix.size(), prefix), 0);
}

TEST(IndexLayout, EntriesLieBetweenItemsAndStreamsAndIndexesDoNotOverlap) {
  EXPECT_LT(keys::itemsEnd(5), indexEntriesPrefix(5, 1));
  EXPECT_LE(indexEntriesEnd(5, 1), indexEntriesPrefix(5, 2));
  EXPECT_EQ(indexEntriesEnd(5, 0xFFFF), keys::streamPrefix(5));
  EXPECT_LT(indexEntriesEnd(5, 1), keys::streamPrefix(5));
  EXPECT_GE(indexEntriesPrefix(5, 1), keys::tableBegin(5));
}

TEST(IndexLayout, EntriesOrderByIndexKeyThenTableKey) {
  TableDefinition d = hashTable("t");
  d.id = 1;
  IndexDefinition g = gsi("g", {{"x", AttrType::kS}}, {{"y", AttrType::kN}});
  g.number = 1;
  auto keyOf = [&](const char* p, const char* x, const char* y) {
    std::string k;
    EXPECT_TRUE(indexEntryKey(
        d, g, item({{"p", AttributeValue::S(p)}, {"x", AttributeValue::S(x)}, {"y", AttributeValue::N(y)}}), k));
    return k;
  };
  EXPECT_LT(keyOf("z", "a", "10"), keyOf("a", "b", "1"));   // partition key first
  EXPECT_LT(keyOf("z", "a", "-1"), keyOf("a", "a", "2"));   // then the sort key, numerically
  EXPECT_LT(keyOf("a", "a", "2"), keyOf("b", "a", "2"));    // then the table key
}

TEST(IndexLayout, ValueIsStoredItemFormatOfTheProjection) {
  TableDefinition d = hashRangeTable("t");
  d.id = 1;
  model::Item it = item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("1")},
                         {"x", AttributeValue::S("k")}, {"i", AttributeValue::S("inc")},
                         {"o", AttributeValue::S("other")}});
  IndexDefinition keys_only = gsi("k", {{"x", AttrType::kS}}, {}, ProjectionType::kKeysOnly);
  IndexDefinition include = gsi("i", {{"x", AttrType::kS}}, {}, ProjectionType::kInclude);
  include.non_key_attributes = {"i", "missing"};
  IndexDefinition all = gsi("a", {{"x", AttrType::kS}});

  std::string v;
  size_t size = encodeIndexEntryValue(d, keys_only, it, model::itemSize(it), v);
  auto e = decodeIndexEntry(v);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->item, item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("1")},
                           {"x", AttributeValue::S("k")}}));
  EXPECT_EQ(e->size, size);
  EXPECT_EQ(size, model::itemSize(e->item));

  encodeIndexEntryValue(d, include, it, model::itemSize(it), v);
  e = decodeIndexEntry(v);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->item, item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("1")},
                           {"x", AttributeValue::S("k")}, {"i", AttributeValue::S("inc")}}));

  encodeIndexEntryValue(d, all, it, model::itemSize(it), v);
  e = decodeIndexEntry(v);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->item, it);
}

TEST(IndexLayout, SparseItemWithoutEveryKeyAttributeHasNoEntry) {
  TableDefinition d = hashTable("t");
  d.id = 1;
  IndexDefinition g = gsi("g", {{"x", AttrType::kS}}, {{"y", AttrType::kN}});
  g.number = 1;
  std::string k;
  EXPECT_FALSE(indexEntryKey(d, g, item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k")}}), k));
  EXPECT_FALSE(indexEntryKey(d, g, item({{"p", AttributeValue::S("a")}, {"y", AttributeValue::N("1")}}), k));
  // Wrong type or empty value (possible in items written before the index): no entry.
  EXPECT_FALSE(indexEntryKey(
      d, g, item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::N("1")}, {"y", AttributeValue::N("1")}}), k));
  EXPECT_FALSE(indexEntryKey(
      d, g, item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("")}, {"y", AttributeValue::N("1")}}), k));
}

TEST(IndexLayout, CountersLieInTheTableCounterSpace) {
  std::string counters = keys::tableBegin(4) + std::string{keys::kCounterSpace};
  EXPECT_EQ(indexItemCountKey(4, 2), (counters + std::string("\x03\x00\x02", 3)));
  EXPECT_EQ(indexSizeBytesKey(4, 2), (counters + std::string("\x04\x00\x02", 3)));
  EXPECT_EQ(collectionSizeKey(4, AttributeValue::S("a")), counters + '\x05' + enc(AttributeValue::S("a")));
  EXPECT_LT(collectionSizeKey(4, AttributeValue::S("a")), keys::tableEnd(4));
}

// ---- maintenance by writes ----

class IndexMaintenance : public EngineTest {
 protected:
  // Entries of index `number` of table `name`: key -> projected item.
  std::map<std::string, model::Item> entries(const std::string& name, uint16_t number) {
    auto txn = store_->begin();
    auto t = DatabaseTestPeer::catalog(*db_).load(*txn, name);
    EXPECT_TRUE(t.ok() && *t);
    auto r = txn->getRange(indexEntriesPrefix((*t)->def.id, number), indexEntriesEnd((*t)->def.id, number));
    EXPECT_TRUE(r.ok());
    std::map<std::string, model::Item> out;
    for (const auto& kv : r->pairs) {
      auto e = decodeIndexEntry(kv.value);
      EXPECT_TRUE(e.ok());
      out.emplace(kv.key, e->item);
    }
    return out;
  }
  // What the entries of `index` must be, recomputed from the base items.
  std::map<std::string, model::Item> recompute(const std::string& name, const std::string& index_name) {
    auto txn = store_->begin();
    auto t = DatabaseTestPeer::catalog(*db_).load(*txn, name);
    const TableDefinition& def = (*t)->def;
    const IndexDefinition* index = def.findIndex(index_name);
    EXPECT_NE(index, nullptr);
    auto r = txn->getRange(keys::itemsBegin(def.id), keys::itemsEnd(def.id));
    std::map<std::string, model::Item> out;
    for (const auto& kv : r->pairs) {
      auto it = decodeStoredItem(kv.value);
      std::string k;
      if (indexEntryKey(def, *index, *it, k) && indexKeyWithinLimits(*index, *it)) {
        out.emplace(k, projectForIndex(def, *index, *it));
      }
    }
    return out;
  }
  TableDescription::IndexCounters counters(const std::string& name, const std::string& index_name) {
    auto d = db_->describeTable(name);
    EXPECT_TRUE(d.ok());
    return d->indexCounters(d->table->def.findIndex(index_name)->number);
  }
  void put(const std::string& table, const model::Item& it) {
    auto r = db_->putItem(table, it, model::itemSize(it), false);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }
};

TEST_F(IndexMaintenance, PutAddsEntryAndCountsIt) {
  TableDefinition d = hashTable("t");
  d.attribute_definitions.push_back({"x", AttrType::kS});
  d.global_indexes.push_back(gsi("g", {{"x", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  model::Item it = item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k")}});
  put("t", it);
  put("t", item({{"p", AttributeValue::S("b")}}));  // sparse
  auto e = entries("t", 1);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.begin()->second, it);
  auto c = counters("t", "g");
  EXPECT_EQ(c.item_count, 1);
  EXPECT_EQ(c.size_bytes, static_cast<int64_t>(model::itemSize(it)));
}

TEST_F(IndexMaintenance, ChangedIndexKeyMovesTheEntry) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("g", {{"x", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  put("t", item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k1")}}));
  put("t", item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k2")}}));
  EXPECT_EQ(entries("t", 1), recompute("t", "g"));
  ASSERT_EQ(entries("t", 1).size(), 1u);
  EXPECT_EQ(entries("t", 1).begin()->second.at("x").scalar, "k2");
  EXPECT_EQ(counters("t", "g").item_count, 1);
}

TEST_F(IndexMaintenance, UnchangedKeyUpdatesTheProjection) {
  TableDefinition d = hashTable("t");
  IndexDefinition g = gsi("g", {{"x", AttrType::kS}}, {}, ProjectionType::kInclude);
  g.non_key_attributes = {"i"};
  d.global_indexes.push_back(g);
  ASSERT_TRUE(db_->createTable(d).ok());
  put("t", item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k")}, {"i", AttributeValue::S("v1")}}));
  model::Item v2 = item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k")},
                         {"i", AttributeValue::S("v22")}, {"o", AttributeValue::S("not projected")}});
  put("t", v2);
  auto e = entries("t", 1);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e.begin()->second.at("i").scalar, "v22");
  EXPECT_EQ(e.begin()->second.count("o"), 0u);
  auto c = counters("t", "g");
  EXPECT_EQ(c.item_count, 1);
  EXPECT_EQ(c.size_bytes, static_cast<int64_t>(model::itemSize(e.begin()->second)));
}

TEST_F(IndexMaintenance, DeleteAndLosingTheKeyAttributeRemoveTheEntry) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("g", {{"x", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  put("t", item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k")}}));
  put("t", item({{"p", AttributeValue::S("b")}, {"x", AttributeValue::S("k")}}));
  put("t", item({{"p", AttributeValue::S("b")}}));
  ASSERT_TRUE(db_->deleteItem("t", item({{"p", AttributeValue::S("a")}}), false).ok());
  EXPECT_TRUE(entries("t", 1).empty());
  auto c = counters("t", "g");
  EXPECT_EQ(c.item_count, 0);
  EXPECT_EQ(c.size_bytes, 0);
}

TEST_F(IndexMaintenance, WrongIndexKeyTypeIsRejectedAndNothingIsWritten) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("idx", {{"x", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  model::Item bad = item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::N("3")}});
  auto r = db_->putItem("t", bad, model::itemSize(bad), false);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(r.status()),
            "One or more parameter values were invalid: Type mismatch for Index Key x Expected: S Actual: N "
            "IndexName: idx");
  EXPECT_FALSE(db_->getItem("t", item({{"p", AttributeValue::S("a")}}), true)->item.has_value());
  auto desc = db_->describeTable("t");
  EXPECT_EQ(desc->item_count, 0);
}

TEST_F(IndexMaintenance, OversizedIndexKeyIsRejected) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("idx", {{"x", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  model::Item ok = item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S(std::string(2048, 'a'))}});
  put("t", ok);
  model::Item bad = item({{"p", AttributeValue::S("b")}, {"x", AttributeValue::S(std::string(2049, 'a'))}});
  auto r = db_->putItem("t", bad, model::itemSize(bad), false);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dynamoText(r.status()).find("2048"), std::string::npos);
}

TEST_F(IndexMaintenance, LocalIndexEntriesAndItemCollectionSize) {
  TableDefinition d = hashRangeTable("t");
  IndexDefinition l;
  l.name = "l";
  l.kind = IndexKind::kLocal;
  l.hash_keys = {{"p", AttrType::kS}};
  l.range_keys = {{"x", AttrType::kS}};
  l.projection = ProjectionType::kKeysOnly;
  d.local_indexes.push_back(l);
  ASSERT_TRUE(db_->createTable(d).ok());
  model::Item a = item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("1")}, {"x", AttributeValue::S("k")},
                        {"big", AttributeValue::S("0123456789")}});
  model::Item b = item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("2")}});
  put("t", a);
  put("t", b);
  EXPECT_EQ(entries("t", 1), recompute("t", "l"));
  EXPECT_EQ(entries("t", 1).size(), 1u);
  auto txn = store_->begin();
  auto t = DatabaseTestPeer::catalog(*db_).load(*txn, "t");
  auto raw = txn->get(collectionSizeKey((*t)->def.id, AttributeValue::S("a")));
  ASSERT_TRUE(raw.ok() && raw->has_value());
  int64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>((**raw)[i]);
  int64_t lsi_entry = static_cast<int64_t>(model::itemSize(projectForIndex((*t)->def, l, a)));
  EXPECT_EQ(v, static_cast<int64_t>(model::itemSize(a) + model::itemSize(b)) + lsi_entry);
}

// applyItemMutation in a caller's own transaction (batches, transactions).
TEST_F(IndexMaintenance, ApplyItemMutationWorksInAnyTransaction) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("g", {{"x", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  model::Item a = item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("k")}});
  model::Item b = item({{"p", AttributeValue::S("b")}, {"x", AttributeValue::S("j")}});
  Status st = kv::runTransaction(*store_, [&](kv::Transaction& txn) -> Status {
    FDYNO_ASSIGN_OR_RETURN(TableRef t, DatabaseTestPeer::catalog(*db_).resolve(txn, "t"));
    for (const model::Item* it : {&a, &b}) {
      std::string key = t->item_prefix;
      FDYNO_RETURN_IF_ERROR(appendItemKey(t->def, *it, KeySource::kItem, key));
      FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
      StoredItem old(std::move(raw));
      WritePlan plan;
      plan.op = WriteOp::kPut;
      plan.item = it;
      WriteResult r;
      FDYNO_RETURN_IF_ERROR(applyItemMutation(txn, *t, old, plan, &r, kItemCollectionLimitBytes));
      EXPECT_FALSE(r.old_existed);
      EXPECT_EQ(r.new_size, model::itemSize(*it));
    }
    return Status::OK();
  });
  ASSERT_TRUE(st.ok()) << st.toString();
  EXPECT_EQ(entries("t", 1), recompute("t", "g"));
  EXPECT_EQ(entries("t", 1).size(), 2u);
  EXPECT_EQ(db_->describeTable("t")->item_count, 2);
}

// ---- UpdateTable: backfill and drop ----

TEST_F(IndexMaintenance, AddedGsiIsBackfilledThenActive) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  for (int i = 0; i < 1000; ++i) {
    model::Item it = item({{"p", AttributeValue::S("p" + std::to_string(i))}});
    if (i % 3 != 0) it["x"] = AttributeValue::S("x" + std::to_string(i % 17));
    if (i % 10 == 1) it["x"] = AttributeValue::N("5");  // wrong type: legal before the index, not indexed
    put("t", it);
  }
  TableUpdate u;
  u.attribute_definitions = {{"x", AttrType::kS}};
  u.create_index = gsi("g", {{"x", AttrType::kS}});
  auto r = db_->updateTable("t", u);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  const IndexDefinition* created = r->table->def.findIndex("g");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->status, IndexStatus::kCreating);
  EXPECT_EQ(created->number, 1);
  DatabaseTestPeer::waitForIndexJobs(*db_);
  auto d = db_->describeTable("t");
  EXPECT_EQ(d->table->def.findIndex("g")->status, IndexStatus::kActive);
  auto want = recompute("t", "g");
  EXPECT_EQ(entries("t", 1), want);
  EXPECT_EQ(counters("t", "g").item_count, static_cast<int64_t>(want.size()));
  EXPECT_GT(want.size(), 500u);
  // The new key's type is enforced from now on.
  model::Item bad = item({{"p", AttributeValue::S("z")}, {"x", AttributeValue::N("1")}});
  EXPECT_EQ(db_->putItem("t", bad, model::itemSize(bad), false).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(IndexMaintenance, BackfillWithConcurrentWritersEqualsRecomputation) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  constexpr int kItems = 5000;
  for (int i = 0; i < kItems; ++i) {
    put("t", item({{"p", AttributeValue::S("p" + std::to_string(i))}, {"x", AttributeValue::S("a")}}));
  }
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) {
    writers.emplace_back([&, w] {
      uint64_t n = 0;
      while (!stop.load()) {
        int i = static_cast<int>((n * 7919 + static_cast<uint64_t>(w) * 104729) % kItems);
        model::Item it = item({{"p", AttributeValue::S("p" + std::to_string(i))}});
        if (n % 4 == 1) {
          (void)db_->deleteItem("t", it, false);
        } else {
          if (n % 4 != 2) it["x"] = AttributeValue::S("v" + std::to_string(n % 13));
          (void)db_->putItem("t", it, model::itemSize(it), false);
        }
        ++n;
      }
    });
  }
  TableUpdate u;
  u.attribute_definitions = {{"x", AttrType::kS}};
  u.create_index = gsi("g", {{"x", AttrType::kS}}, {}, ProjectionType::kKeysOnly);
  ASSERT_TRUE(db_->updateTable("t", u).ok());
  DatabaseTestPeer::waitForIndexJobs(*db_);
  stop = true;
  for (auto& t : writers) t.join();
  auto want = recompute("t", "g");
  EXPECT_EQ(entries("t", 1), want);
  auto c = counters("t", "g");
  EXPECT_EQ(c.item_count, static_cast<int64_t>(want.size()));
  int64_t size = 0;
  for (const auto& [k, it] : want) size += static_cast<int64_t>(model::itemSize(it));
  EXPECT_EQ(c.size_bytes, size);
}

TEST_F(IndexMaintenance, DeletedGsiIsClearedAndRemoved) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("g", {{"x", AttrType::kS}}));
  d.global_indexes.push_back(gsi("h", {{"y", AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  for (int i = 0; i < 50; ++i) {
    put("t", item({{"p", AttributeValue::S(std::to_string(i))}, {"x", AttributeValue::S("a")},
                   {"y", AttributeValue::S("b")}}));
  }
  TableUpdate u;
  u.delete_index = "g";
  auto r = db_->updateTable("t", u);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->table->def.findIndex("g")->status, IndexStatus::kDeleting);
  DatabaseTestPeer::waitForIndexJobs(*db_);
  auto desc = db_->describeTable("t");
  EXPECT_EQ(desc->table->def.findIndex("g"), nullptr);
  EXPECT_EQ(desc->table->def.last_index_number, 2);
  EXPECT_TRUE(entries("t", 1).empty());
  EXPECT_EQ(entries("t", 2).size(), 50u);
  // Any type is accepted for x now.
  put("t", item({{"p", AttributeValue::S("n")}, {"x", AttributeValue::N("7")}}));
  // A new index gets a new number.
  TableUpdate c;
  c.attribute_definitions = {{"x", AttrType::kN}};
  c.create_index = gsi("g", {{"x", AttrType::kN}});
  auto cr = db_->updateTable("t", c);
  ASSERT_TRUE(cr.ok()) << cr.status().toString();
  EXPECT_EQ(cr->table->def.findIndex("g")->number, 3);
  DatabaseTestPeer::waitForIndexJobs(*db_);
  EXPECT_EQ(entries("t", 3).size(), 1u);
}

TEST_F(IndexMaintenance, UpdateTableIndexErrors) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("g", {{"x", AttrType::kS}}));
  d.attribute_definitions.push_back({"x", AttrType::kS});
  ASSERT_TRUE(db_->createTable(d).ok());
  TableUpdate del;
  del.delete_index = "nope";
  auto r = db_->updateTable("t", del);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(r.status()), "Requested resource not found: Index: nope not found");
  TableUpdate dup;
  dup.attribute_definitions = {{"x", AttrType::kS}};
  dup.create_index = gsi("g", {{"x", AttrType::kS}});
  r = db_->updateTable("t", dup);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(r.status()), "Attempting to create an index which already exists");
  TableUpdate redefine;
  redefine.attribute_definitions = {{"x", AttrType::kN}};
  redefine.create_index = gsi("g2", {{"x", AttrType::kN}});
  r = db_->updateTable("t", redefine);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dynamoText(r.status()).find("Attributes cannot be redefined"), std::string::npos);
}

// A backfill is idempotent: running it again (as after a restart) adds nothing.
TEST_F(IndexMaintenance, BackfillRunTwiceAddsNothing) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  for (int i = 0; i < 300; ++i) {
    put("t", item({{"p", AttributeValue::S(std::to_string(i))}, {"x", AttributeValue::S("a")}}));
  }
  TableUpdate u;
  u.attribute_definitions = {{"x", AttrType::kS}};
  u.create_index = gsi("g", {{"x", AttrType::kS}});
  auto r = db_->updateTable("t", u);
  ASSERT_TRUE(r.ok());
  // Run the job on this thread too, concurrently with the worker (as the
  // same server: a second server would skip a job whose lease is held).
  IndexBuilder builder(*store_, DatabaseTestPeer::catalog(*db_), DatabaseTestPeer::leases(*db_));
  Status st = builder.run({IndexBuilder::JobKind::kBackfill, "t", r->table->def.id, 1});
  EXPECT_TRUE(st.ok()) << st.toString();
  DatabaseTestPeer::waitForIndexJobs(*db_);
  EXPECT_EQ(counters("t", "g").item_count, 300);
  EXPECT_EQ(entries("t", 1).size(), 300u);
}

}  // namespace
}  // namespace fdyno::engine

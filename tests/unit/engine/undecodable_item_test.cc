// Stored items whose bytes do not decode (engine/stored_item.h): reads that
// serve many items skip and report them, reads of one item refuse them, and
// background jobs finish. Also: no write path stores an item deeper than
// DynamoDB's 32-level limit (engine/item_mutation.h), which is how such
// items were once written (issue 8, defect 1).
#include <gtest/gtest.h>

#include "common/counters.h"
#include "engine/database.h"
#include "database_test_peer.h"
#include "engine/item_key.h"
#include "engine/stored_item.h"
#include "engine/transact.h"
#include "engine_fixture.h"
#include "model/item_codec.h"
#include "model/item_size.h"
#include "status_text.h"

namespace fdyno::engine {
namespace {

using fdyno::testing::dynamoText;

using model::AttributeValue;
using model::AttrType;
using testing::EngineTest;
using testing::hashRangeTable;
using testing::item;

// A map nested `levels` deep under one attribute (leaf at level levels + 1).
AttributeValue nested(int levels) {
  AttributeValue v = AttributeValue::S("leaf");
  for (int i = 0; i < levels; ++i) {
    AttributeValue outer;
    outer.type = AttrType::kM;
    outer.map["m"] = std::move(v);
    v = std::move(outer);
  }
  return v;
}

uint64_t undecodable() { return counters::value(counters::Counter::kUndecodableItems); }

class UndecodableItems : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_TRUE(db_->createTable(hashRangeTable("t")).ok());
    for (int i = 0; i < 10; ++i) put(item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N(std::to_string(i))},
                                            {"x", AttributeValue::S("v")}}));
    // Two damaged items among them, as an old version could leave them: one
    // far deeper than the codec decodes, one with a garbage type tag.
    plant(key("a", "4.5"), [] {
      model::Item deep = item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("4.5")}, {"d", nested(100)}});
      std::string v;
      encodeStoredItem(v, deep, model::itemSize(deep));
      return v;
    }());
    plant(key("b", "1"), std::string("\x10\x00\x00\x00\x01\xee", 6));
  }

  void put(const model::Item& it) { ASSERT_TRUE(db_->putItem("t", it, model::itemSize(it), false).ok()); }

  static model::Item key(const std::string& p, const std::string& c) {
    return item({{"p", AttributeValue::S(p)}, {"c", AttributeValue::N(c)}});
  }

  // Writes raw bytes under the item key of `k`, bypassing every check.
  void plant(const model::Item& k, const std::string& value) {
    Status st = kv::runTransaction(*store_, [&](kv::Transaction& txn) -> Status {
      FDYNO_ASSIGN_OR_RETURN(TableRef t, DatabaseTestPeer::catalog(*db_).resolve(txn, "t"));
      std::string kk = t->item_prefix;
      FDYNO_RETURN_IF_ERROR(appendItemKey(t->def, k, KeySource::kKey, kk));
      txn.set(kk, value);
      return Status::OK();
    });
    ASSERT_TRUE(st.ok()) << st.toString();
  }

  Result<std::vector<model::Item>> readAll(ReadKind kind, const char* partition = nullptr) {
    std::vector<model::Item> out;
    AttributeValue pk = AttributeValue::S(partition ? partition : "");
    auto r = db_->readPage(
        "t",
        [&](const TableInfo&, ReadPlan& plan) {
          plan.kind = kind;
          if (kind == ReadKind::kQuery) plan.partition = {&pk};
          return Status::OK();
        },
        [&](model::Item& it, size_t) {
          out.push_back(it);
          return Status::OK();
        });
    if (!r.ok()) return r.status();
    return out;
  }
};

TEST_F(UndecodableItems, ScanAndQuerySkipThemAndCountThem) {
  uint64_t before = undecodable();
  auto scan = readAll(ReadKind::kScan);
  ASSERT_TRUE(scan.ok()) << scan.status().toString();
  EXPECT_EQ(scan->size(), 10u);
  EXPECT_EQ(undecodable(), before + 2);
  auto query = readAll(ReadKind::kQuery, "a");
  ASSERT_TRUE(query.ok()) << query.status().toString();
  ASSERT_EQ(query->size(), 10u);
  EXPECT_EQ(query->at(4).at("c").scalar, "4");
  EXPECT_EQ(query->at(5).at("c").scalar, "5");
  auto only_bad = readAll(ReadKind::kQuery, "b");
  ASSERT_TRUE(only_bad.ok());
  EXPECT_TRUE(only_bad->empty());
  EXPECT_EQ(undecodable(), before + 4);
}

TEST_F(UndecodableItems, LimitCountsOnlyItemsServed) {
  // Limit 5 from the start: items 0..4 (4.5 is skipped, not counted), and
  // the next page starts after 4 and still finds 5..9.
  std::vector<std::string> seen;
  model::Item start;
  for (int page = 0; page < 3; ++page) {
    AttributeValue pk = AttributeValue::S("a");
    auto r = db_->readPage(
        "t",
        [&](const TableInfo&, ReadPlan& plan) {
          plan.kind = ReadKind::kQuery;
          plan.partition = {&pk};
          plan.limit = 5;
          if (!start.empty()) plan.exclusive_start = &start;
          return Status::OK();
        },
        [&](model::Item& it, size_t) {
          seen.push_back(it.at("c").scalar);
          return Status::OK();
        });
    ASSERT_TRUE(r.ok()) << r.status().toString();
    if (!r->last_evaluated_key) break;
    start = *r->last_evaluated_key;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
}

TEST_F(UndecodableItems, GetItemRefusesOneAndServesTheOthers) {
  uint64_t before = undecodable();
  auto bad = db_->getItem("t", key("a", "4.5"), true);
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(undecodable(), before + 1);
  auto good = db_->getItem("t", key("a", "3"), true);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->item.has_value());
}

TEST_F(UndecodableItems, BatchGetAnswersThemAsAbsentAndServesTheRest) {
  std::vector<model::Item> keys = {key("a", "1"), key("b", "1"), key("a", "4.5"), key("a", "2")};
  auto r = db_->getItems({BatchGetTable{"t", &keys}}, 16 << 20);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  const auto& got = r->at(0).keys;
  ASSERT_EQ(got.size(), 4u);
  EXPECT_TRUE(got[0].item.has_value());
  EXPECT_FALSE(got[1].item.has_value());
  EXPECT_FALSE(got[2].item.has_value());
  EXPECT_TRUE(got[3].item.has_value());
  for (const auto& k : got) EXPECT_TRUE(k.read);
}

TEST_F(UndecodableItems, TransactGetFailsWhole) {
  model::Item good = key("a", "1"), bad = key("b", "1");
  auto r = db_->transactGet({TransactGetAction{"t", &good}, TransactGetAction{"t", &bad}});
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST_F(UndecodableItems, AddedIndexBecomesActiveWithoutThem) {
  TableUpdate u;
  u.attribute_definitions = {{"x", AttrType::kS}};
  IndexDefinition g;
  g.name = "g";
  g.kind = IndexKind::kGlobal;
  g.hash_keys = {{"x", AttrType::kS}};
  g.projection = ProjectionType::kAll;
  u.create_index = g;
  ASSERT_TRUE(db_->updateTable("t", u).ok());
  DatabaseTestPeer::waitForIndexJobs(*db_);  // before the fix: never returned (the job retried forever)
  auto d = db_->describeTable("t");
  ASSERT_TRUE(d.ok());
  const IndexDefinition* made = d->table->def.findIndex("g");
  ASSERT_NE(made, nullptr);
  EXPECT_EQ(made->status, IndexStatus::kActive);
  EXPECT_EQ(d->indexCounters(made->number).item_count, 10);
}

TEST_F(UndecodableItems, PlainTablesCanOverwriteAndDeleteThem) {
  // No index, no stream, no condition: the old item is not needed, so an
  // operator can replace or remove a damaged item.
  put(item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("4.5")}, {"fixed", AttributeValue::Bool(true)}}));
  auto r = db_->getItem("t", key("a", "4.5"), true);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_TRUE(r->item->count("fixed"));
  ASSERT_TRUE(db_->deleteItem("t", key("b", "1"), false).ok());
  EXPECT_FALSE(db_->getItem("t", key("b", "1"), true)->item.has_value());
}

TEST_F(UndecodableItems, SweepsAndReadsAfterwardsStillWork) {
  ASSERT_TRUE(db_->updateTimeToLive("t", "x", true).ok());
  auto swept = DatabaseTestPeer::sweepExpiredItems(*db_);
  ASSERT_TRUE(swept.ok()) << swept.status().toString();
  EXPECT_EQ(*swept, 0u);
}

TEST_F(EngineTest, NoWritePathStoresAnItemDeeperThanThirtyTwoLevels) {
  ASSERT_TRUE(db_->createTable(testing::hashTable("t")).ok());
  model::Item ok = item({{"p", AttributeValue::S("ok")}, {"d", nested(31)}});
  ASSERT_TRUE(db_->putItem("t", ok, model::itemSize(ok), false).ok());
  model::Item deep = item({{"p", AttributeValue::S("deep")}, {"d", nested(32)}});
  auto r = db_->putItem("t", deep, model::itemSize(deep), false);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(r.status()), model::kNestingTooDeep);
  EXPECT_FALSE(db_->getItem("t", item({{"p", AttributeValue::S("deep")}}), true)->item.has_value());
  // The read-modify-write path (UpdateItem's) is held to the same rule.
  auto w = db_->writeItem("t", item({{"p", AttributeValue::S("ok")}}), KeySource::kKey,
                          [&](const TableInfo&, StoredItem& old, WritePlan& plan) -> Status {
                            FDYNO_ASSIGN_OR_RETURN(const model::Item* cur, old.item());
                            static model::Item next;
                            next = *cur;
                            AttributeValue* leaf = &next["d"];
                            while (leaf->type == AttrType::kM) leaf = &leaf->map["m"];
                            *leaf = nested(1);  // one level below the deepest allowed
                            plan.op = WriteOp::kPut;
                            plan.item = &next;
                            return Status::OK();
                          });
  EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument);
  auto after = db_->getItem("t", item({{"p", AttributeValue::S("ok")}}), true);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after->item, ok);
}

}  // namespace
}  // namespace fdyno::engine

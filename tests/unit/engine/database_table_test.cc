#include <gtest/gtest.h>

#include "engine/storage_keys.h"
#include "engine_fixture.h"
#include "status_text.h"

namespace fdyno::engine::testing {
namespace {

using fdyno::testing::dynamoText;

using DatabaseTables = EngineTest;

TEST_F(DatabaseTables, CreateThenDescribe) {
  auto c = db_->createTable(hashTable("users"));
  ASSERT_TRUE(c.ok()) << c.status().toString();
  EXPECT_EQ(c->status, TableStatus::kCreating);
  EXPECT_EQ(c->table->def.id, 1u);
  EXPECT_EQ(c->table->def.generation, 1u);
  EXPECT_EQ(c->table->def.table_uuid.size(), 36u);
  EXPECT_GT(c->table->def.creation_time, 1.6e9);

  auto d = db_->describeTable("users");
  ASSERT_TRUE(d.ok()) << d.status().toString();
  EXPECT_EQ(d->status, TableStatus::kActive);
  EXPECT_EQ(d->table->def.table_uuid, c->table->def.table_uuid);
  EXPECT_EQ(d->item_count, 0);
  EXPECT_EQ(d->size_bytes, 0);
}

TEST_F(DatabaseTables, CreateExistingIsAlreadyExists) {
  ASSERT_TRUE(db_->createTable(hashTable("users")).ok());
  auto c = db_->createTable(hashTable("users"));
  EXPECT_EQ(c.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dynamoText(c.status()), "Table already exists: users");
}

TEST_F(DatabaseTables, DescribeMissing) {
  auto d = db_->describeTable("nope");
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(d.status()), "Requested resource not found: Table: nope not found");
}

TEST_F(DatabaseTables, ListInNameOrderWithPaging) {
  for (auto n : {"ccc", "aaa", "bbb", "ddd"}) ASSERT_TRUE(db_->createTable(hashTable(n)).ok());
  auto all = db_->listTables("", 100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->names, (std::vector<std::string>{"aaa", "bbb", "ccc", "ddd"}));
  EXPECT_FALSE(all->last_evaluated.has_value());

  auto p1 = db_->listTables("", 2);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->names, (std::vector<std::string>{"aaa", "bbb"}));
  ASSERT_TRUE(p1->last_evaluated.has_value());
  EXPECT_EQ(*p1->last_evaluated, "bbb");
  auto p2 = db_->listTables(*p1->last_evaluated, 2);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->names, (std::vector<std::string>{"ccc", "ddd"}));
  EXPECT_FALSE(p2->last_evaluated.has_value());
  auto after = db_->listTables("bb", 10);  // a start name that is not a table
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->names.front(), "bbb");
}

TEST_F(DatabaseTables, DeleteRemovesTableAndItsData) {
  ASSERT_TRUE(db_->createTable(hashTable("t1")).ok());
  model::Item it = item({{"p", model::AttributeValue::S("k")}});
  ASSERT_TRUE(db_->putItem("t1", it, 10, false).ok());
  auto del = db_->deleteTable("t1");
  ASSERT_TRUE(del.ok()) << del.status().toString();
  EXPECT_EQ(del->status, TableStatus::kDeleting);
  EXPECT_EQ(del->item_count, 1);
  EXPECT_EQ(db_->describeTable("t1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(db_->getItem("t1", it, true).status()), "Requested resource not found");

  // Nothing of table 1 is left in the store.
  auto txn = store_->begin();
  auto range = txn->getRange(keys::tableBegin(1), keys::tableEnd(1));
  ASSERT_TRUE(range.ok());
  EXPECT_TRUE(range->pairs.empty());

  // Re-created under the same name: a new id, empty.
  auto again = db_->createTable(hashTable("t1"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->table->def.id, 2u);
  auto g = db_->getItem("t1", it, true);
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->item.has_value());
}

TEST_F(DatabaseTables, DeleteMissingAndProtected) {
  EXPECT_EQ(dynamoText(db_->deleteTable("zzz").status()), "Requested resource not found: Table: zzz not found");
  TableDefinition d = hashTable("prot");
  d.deletion_protection = true;
  ASSERT_TRUE(db_->createTable(d).ok());
  auto del = db_->deleteTable("prot");
  EXPECT_EQ(del.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(del.status()),
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
            "protection first.");
  TableUpdate u;
  u.deletion_protection = false;
  ASSERT_TRUE(db_->updateTable("prot", u).ok());
  EXPECT_TRUE(db_->deleteTable("prot").ok());
}

TEST_F(DatabaseTables, UpdateBumpsGenerationAndChangesBilling) {
  TableDefinition d = hashTable("upd");
  d.billing_mode = BillingMode::kProvisioned;
  d.throughput = {5, 5};
  ASSERT_TRUE(db_->createTable(d).ok());

  TableUpdate same;
  same.throughput = Throughput{5, 5};
  auto r = db_->updateTable("upd", same);
  EXPECT_EQ(dynamoText(r.status()),
            "The provisioned throughput for the table will not change. The requested value equals the current "
            "value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. "
            "Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. Refer to "
            "the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");

  TableUpdate more;
  more.throughput = Throughput{10, 20};
  r = db_->updateTable("upd", more);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->status, TableStatus::kUpdating);
  EXPECT_EQ(r->table->def.generation, 2u);
  EXPECT_GT(r->table->def.last_increase_at, 0);

  TableUpdate od;
  od.billing_mode = BillingMode::kPayPerRequest;
  r = db_->updateTable("upd", od);
  ASSERT_TRUE(r.ok());
  auto desc = db_->describeTable("upd");
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ(desc->table->def.billing_mode, BillingMode::kPayPerRequest);
  EXPECT_EQ(desc->table->def.throughput.read, 0);
  EXPECT_EQ(desc->table->def.generation, 3u);

  TableUpdate tp;
  tp.throughput = Throughput{1, 1};
  EXPECT_EQ(dynamoText(db_->updateTable("upd", tp).status()),
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
            "specified when BillingMode is PAY_PER_REQUEST");
  EXPECT_EQ(db_->updateTable("missing", tp).status().code(), StatusCode::kNotFound);
}

TEST_F(DatabaseTables, SecondDatabaseOnSameStoreSeesChanges) {
  // Two Databases over one store stand for two fdyno processes: each caches
  // definitions, and each must notice the other's DeleteTable/CreateTable.
  Database other(*store_, DatabaseOptions{});
  ASSERT_TRUE(db_->createTable(hashTable("shared")).ok());
  model::Item it = item({{"p", model::AttributeValue::S("a")}});
  ASSERT_TRUE(other.putItem("shared", it, 5, false).ok());  // other caches id 1
  ASSERT_TRUE(db_->deleteTable("shared").ok());
  EXPECT_EQ(other.putItem("shared", it, 5, false).status().code(), StatusCode::kNotFound);
  TableDefinition rangeDef = hashRangeTable("shared");
  ASSERT_TRUE(db_->createTable(rangeDef).ok());
  // The other process must now use the new schema (which requires "c").
  auto put = other.putItem("shared", it, 5, false);
  EXPECT_EQ(dynamoText(put.status()), "One or more parameter values were invalid: Missing the key c in the item");
}

}  // namespace
}  // namespace fdyno::engine::testing

// On-demand backups and the PITR flag (engine/backups.h): the copy is one
// snapshot, restore rebuilds index entries and counters, DynamoDB's error
// messages, listing and paging, deletion, layout.
#include "engine/backups.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "engine/index_maintenance.h"
#include "engine/storage_keys.h"
#include "engine_fixture.h"
#include "model/item_size.h"
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

class BackupsTest : public EngineTest {
 protected:
  void put(std::string_view table, const model::Item& it) {
    auto r = db_->putItem(table, it, model::itemSize(it), false);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }
  size_t countRange(const std::string& begin, const std::string& end) {
    auto txn = store_->begin();
    auto r = txn->getRange(begin, end);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->pairs.size() : 0;
  }
  // A hash+range table with GSI "g" on attribute x.
  void makeIndexedTable(const std::string& name) {
    TableDefinition d = hashRangeTable(name);
    IndexDefinition g;
    g.name = "g";
    g.kind = IndexKind::kGlobal;
    g.hash_keys = {{"x", AttrType::kS}};
    g.projection = ProjectionType::kAll;
    d.global_indexes.push_back(g);
    d.attribute_definitions.push_back({"x", AttrType::kS});
    ASSERT_TRUE(db_->createTable(d).ok());
  }
};

TEST_F(BackupsTest, RestoreHasTheBackedUpItemsAndRebuildsIndexesAndCounters) {
  makeIndexedTable("src");
  // More than one copy chunk, and items without the GSI key (not indexed).
  const int n = static_cast<int>(kBackupChunkItems) * 2 + 17;
  for (int i = 0; i < n; ++i) {
    model::Item it = item({{"p", AttributeValue::S("p" + std::to_string(i % 7))},
                           {"c", AttributeValue::N(std::to_string(i))}});
    if (i % 2 == 0) it.emplace("x", AttributeValue::S("x" + std::to_string(i % 3)));
    put("src", it);
  }
  auto before = db_->describeTable("src");
  ASSERT_TRUE(before.ok());
  auto b = db_->createBackup("src", "bk1");
  ASSERT_TRUE(b.ok()) << b.status().toString();
  EXPECT_EQ(b->item_count, n);
  EXPECT_EQ(b->size_bytes, before->size_bytes);
  EXPECT_EQ(b->table_name, "src");
  EXPECT_EQ(b->arn.rfind("arn:aws:dynamodb:us-east-1:000000000000:table/src/backup/", 0), 0u);
  EXPECT_EQ(b->arn.size(), std::string("arn:aws:dynamodb:us-east-1:000000000000:table/src/backup/").size() + 23);

  // Changes after the backup are not in it.
  put("src", item({{"p", AttributeValue::S("new")}, {"c", AttributeValue::N("1")}, {"x", AttributeValue::S("x0")}}));
  ASSERT_TRUE(db_->deleteItem("src", item({{"p", AttributeValue::S("p0")}, {"c", AttributeValue::N("0")}}), false)
                  .ok());

  auto r = db_->restoreTableFromBackup(b->arn, "dst");
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->table->def.name, "dst");
  ASSERT_EQ(r->table->def.global_indexes.size(), 1u);
  auto after = db_->describeTable("dst");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->item_count, n);
  EXPECT_EQ(after->size_bytes, before->size_bytes);
  const auto& g = after->table->def.global_indexes[0];
  EXPECT_EQ(g.status, IndexStatus::kActive);
  EXPECT_EQ(after->indexCounters(g.number).item_count, (n + 1) / 2);
  EXPECT_EQ(after->indexCounters(g.number).item_count,
            before->indexCounters(before->table->def.global_indexes[0].number).item_count);
  uint64_t id = after->table->def.id;
  EXPECT_EQ(countRange(keys::itemsBegin(id), keys::itemsEnd(id)), static_cast<size_t>(n));
  std::string ip = indexEntriesPrefix(id, g.number);
  EXPECT_EQ(countRange(ip, ip + std::string(8, '\xff')), static_cast<size_t>((n + 1) / 2));
  auto old = db_->getItem("dst", item({{"p", AttributeValue::S("p0")}, {"c", AttributeValue::N("0")}}), true);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->item.has_value());
  auto fresh = db_->getItem("dst", item({{"p", AttributeValue::S("new")}, {"c", AttributeValue::N("1")}}), true);
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->item.has_value());
}

TEST_F(BackupsTest, ErrorsUseDynamoDbMessages) {
  auto b = db_->createBackup("missing", "bk1");
  EXPECT_EQ(b.status().code(), StatusCode::kNotFound);
  // Backups word a missing table their own way ("Table not found: missing",
  // api/errors.h throwBackupStatus): the engine reports the reason and name.
  EXPECT_EQ(b.status().reason(), ErrorReason::kTableNotFound);
  EXPECT_EQ(b.status().arg(0), "missing");
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  auto ok = db_->createBackup("t", "bk1");
  ASSERT_TRUE(ok.ok());
  auto again = db_->restoreTableFromBackup(ok->arn, "t");
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dynamoText(again.status()), "Table already exists: t");
  std::string bogus = ok->arn + "0";
  EXPECT_EQ(dynamoText(db_->describeBackup(bogus).status()), "Backup not found: " + bogus);
  EXPECT_EQ(db_->deleteBackup(bogus).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(db_->restoreTableFromBackup(bogus, "u").status()), "Backup not found: " + bogus);
  EXPECT_EQ(db_->describePitr("missing").status().reason(), ErrorReason::kTableNotFound);
  EXPECT_EQ(db_->updatePitr("missing", true).status().args(), std::vector<std::string>{"missing"});
}

TEST_F(BackupsTest, ListFiltersByTableAndPages) {
  ASSERT_TRUE(db_->createTable(hashTable("a")).ok());
  ASSERT_TRUE(db_->createTable(hashTable("b")).ok());
  std::vector<std::string> of_a;
  for (int i = 0; i < 3; ++i) {
    auto x = db_->createBackup("a", "ba" + std::to_string(i));
    ASSERT_TRUE(x.ok());
    of_a.push_back(x->arn);
    ASSERT_TRUE(db_->createBackup("b", "bb" + std::to_string(i)).ok());
  }
  auto all = db_->listBackups(std::nullopt, "", 0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->backups.size(), 6u);
  EXPECT_FALSE(all->last_evaluated_arn);
  std::vector<std::string> seen;
  std::string start;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = db_->listBackups(std::string_view("a"), start, 2);
    ASSERT_TRUE(page.ok());
    for (auto& b : page->backups) seen.push_back(b.arn);
    if (!page->last_evaluated_arn) break;
    start = *page->last_evaluated_arn;
  }
  EXPECT_EQ(seen, of_a);
}

// Backup records are read in pages of 256: more than one page lists them
// all, once each, oldest first.
TEST_F(BackupsTest, ListSeesEveryBackupPastOneScanPage) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  std::vector<std::string> made;
  for (int i = 0; i < 300; ++i) {
    auto x = db_->createBackup("t", "b" + std::to_string(i));
    ASSERT_TRUE(x.ok()) << x.status().toString();
    made.push_back(x->arn);
  }
  auto all = db_->listBackups(std::nullopt, "", 0);
  ASSERT_TRUE(all.ok());
  std::vector<std::string> seen;
  for (auto& b : all->backups) seen.push_back(b.arn);
  EXPECT_EQ(seen, made);
}

TEST_F(BackupsTest, DeleteRemovesRecordAndCopiedItemsAndBackupOutlivesTable) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  put("t", item({{"p", AttributeValue::S("k")}, {"v", AttributeValue::N("1")}}));
  auto b1 = db_->createBackup("t", "one");
  auto b2 = db_->createBackup("t", "two");
  ASSERT_TRUE(b1.ok() && b2.ok());
  ASSERT_TRUE(db_->deleteTable("t").ok());
  // The backup lives outside the table's range.
  auto r = db_->restoreTableFromBackup(b2->arn, "t2");
  ASSERT_TRUE(r.ok()) << r.status().toString();
  auto got = db_->getItem("t2", item({{"p", AttributeValue::S("k")}}), true);
  ASSERT_TRUE(got.ok() && got->item);
  EXPECT_EQ(got->item->at("v"), AttributeValue::N("1"));

  const std::string copied{'\x01', 'c'}, copied_end{'\x01', 'd'};
  EXPECT_EQ(countRange(copied, copied_end), 2u);
  auto d = db_->deleteBackup(b1->arn);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->name, "one");
  EXPECT_EQ(countRange(copied, copied_end), 1u);
  EXPECT_EQ(db_->describeBackup(b1->arn).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(db_->describeBackup(b2->arn).ok());
}

TEST_F(BackupsTest, PitrFlagIsStoredPerTableAndGoesWithTheTable) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  auto s = db_->describePitr("t");
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->enabled);
  auto on = db_->updatePitr("t", true);
  ASSERT_TRUE(on.ok());
  EXPECT_TRUE(on->enabled);
  EXPECT_GT(on->enabled_at, 0);
  auto again = db_->updatePitr("t", true);  // keeps the earliest time
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->enabled_at, on->enabled_at);
  EXPECT_TRUE(db_->describePitr("t")->enabled);
  ASSERT_TRUE(db_->updatePitr("t", false).ok());
  EXPECT_FALSE(db_->describePitr("t")->enabled);
  ASSERT_TRUE(db_->updatePitr("t", true).ok());
  // The flag lives in the table's range: a re-created table starts disabled.
  ASSERT_TRUE(db_->deleteTable("t").ok());
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  EXPECT_FALSE(db_->describePitr("t")->enabled);
}

// The copy reads ONE snapshot: a writer that atomically moves one item
// between a key before and a key after several copy chunks never makes the
// backup hold both or neither.
TEST_F(BackupsTest, CopyIsOneSnapshotUnderConcurrentWrites) {
  ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
  const int filler = static_cast<int>(kBackupChunkItems) * 3;
  char buf[16];
  for (int i = 0; i < filler; ++i) {
    std::snprintf(buf, sizeof buf, "m%05d", i);
    put("t", item({{"p", AttributeValue::S(buf)}}));
  }
  const model::Item a = item({{"p", AttributeValue::S("a")}});
  const model::Item z = item({{"p", AttributeValue::S("z")}});
  put("t", a);
  std::atomic<bool> stop{false};
  std::atomic<int> moves{0};
  std::thread mover([&] {
    bool at_a = true;
    while (!stop.load()) {
      BatchWriteTable w{"t", {{false, at_a ? &a : &z, 0}, {true, at_a ? &z : &a, 0}}};
      auto r = db_->writeItems({w});
      ASSERT_TRUE(r.ok()) << r.status().toString();
      at_a = !at_a;
      moves.fetch_add(1);
    }
  });
  for (int round = 0; round < 20; ++round) {
    auto b = db_->createBackup("t", "snap" + std::to_string(round));
    ASSERT_TRUE(b.ok()) << b.status().toString();
    EXPECT_EQ(b->item_count, filler + 1) << "round " << round;
  }
  stop.store(true);
  mover.join();
  EXPECT_GT(moves.load(), 0);
}

}  // namespace
}  // namespace fdyno::engine

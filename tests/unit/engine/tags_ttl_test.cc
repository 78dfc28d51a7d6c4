// Tags (engine/tags.h) and Time to Live (engine/ttl.h, engine/ttl_sweeper.h):
// the rules with DynamoDB's exact messages, the storage layout, the format-3
// table definition, and the sweeper deleting expired items with their index
// entries and counters.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/database.h"
#include "database_test_peer.h"
#include "engine/index_maintenance.h"
#include "engine/storage_keys.h"
#include "engine/tags.h"
#include "engine/ttl.h"
#include "engine/ttl_sweeper.h"
#include "engine_fixture.h"
#include "model/item_size.h"
#include "status_text.h"

namespace fdyno::engine {
namespace {

using fdyno::testing::dynamoText;

using model::AttributeValue;
using model::AttrType;
using testing::hashTable;
using testing::item;

// A Database with background sweeping off: tests sweep explicitly, so
// counts are deterministic.
class TagsTtlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = kv::openMemoryStore();
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    DatabaseOptions o;
    o.ttl_interval_ms = 0;
    db_ = std::make_unique<Database>(*store_, o);
  }
  void create(TableDefinition d) { ASSERT_TRUE(db_->createTable(std::move(d)).ok()); }
  void put(const std::string& table, const model::Item& it) {
    auto r = db_->putItem(table, it, model::itemSize(it), false);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }
  bool exists(const std::string& table, const std::string& p) {
    auto r = db_->getItem(table, item({{"p", AttributeValue::S(p)}}), true);
    EXPECT_TRUE(r.ok());
    return r.ok() && r->item.has_value();
  }
  size_t rangeSize(const std::string& b, const std::string& e) {
    auto txn = store_->begin();
    auto r = txn->getRange(b, e);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->pairs.size() : 0;
  }
  std::vector<Tag> tags(const std::string& table) {
    auto r = db_->listTags(table);
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? *r : std::vector<Tag>{};
  }
  std::unique_ptr<kv::Store> store_;
  std::unique_ptr<Database> db_;
};

// The request rules of tags (lengths, characters, aws: prefix) are the api
// layer's: tests/unit/api/tag_rules_test.cc.

// ---- tag storage ----

TEST(TagLayout, TagsLieInTheTableRangeAfterTheCounters) {
  std::string k = keys::tagKey(9, "env");
  EXPECT_EQ(k, keys::tableBegin(9) + "\x04" + "env");
  EXPECT_GE(k, keys::tableBegin(9));
  EXPECT_LT(k, keys::tableEnd(9));
  EXPECT_GT(keys::tagsBegin(9), keys::itemCountKey(9));
  EXPECT_GT(keys::tagsBegin(9), indexItemCountKey(9, 0xFFFF));
  EXPECT_LT(keys::tagKey(9, std::string(128, '\xFF')), keys::tagsEnd(9));
}

TEST_F(TagsTtlTest, CreateTableTagsAreStoredTagUntagAndOverwrite) {
  TableDefinition d = hashTable("t1");
  d.tags = {{"env", "test"}, {"team", ""}};
  create(d);
  auto t = tags("t1");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].key, "env");
  EXPECT_EQ(t[1].value, "");
  // Not in the definition: tagging never bumps the generation.
  auto desc = db_->describeTable("t1");
  ASSERT_TRUE(desc.ok());
  EXPECT_TRUE(desc->table->def.tags.empty());
  uint64_t gen = desc->table->def.generation;

  ASSERT_TRUE(db_->tagTable("t1", {{"env", "prod"}, {"x", "y"}}).ok());
  t = tags("t1");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].value, "prod");
  ASSERT_TRUE(db_->untagTable("t1", {"team", "never-there"}).ok());
  t = tags("t1");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].key, "x");
  EXPECT_EQ(db_->describeTable("t1")->table->def.generation, gen);

  EXPECT_EQ(db_->listTags("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(db_->tagTable("nope", {{"a", "b"}}).code(), StatusCode::kNotFound);
  EXPECT_EQ(db_->untagTable("nope", {"a"}).code(), StatusCode::kNotFound);
}

TEST_F(TagsTtlTest, FiftyTagLimitIsCheckedOnTheMergedSet) {
  create(hashTable("t1"));
  std::vector<Tag> fifty;
  for (int i = 0; i < 50; ++i) fifty.push_back({"k" + std::to_string(i), "v"});
  ASSERT_TRUE(db_->tagTable("t1", fifty).ok());
  // Re-tagging existing keys at 50 is fine ...
  ASSERT_TRUE(db_->tagTable("t1", {{"k0", "new"}}).ok());
  // ... a 51st key is not, and nothing of the request is applied.
  Status st = db_->tagTable("t1", {{"k1", "changed"}, {"k50", "v"}});
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(st), "Number of Tags exceed the current limit for the provided ResourceArn");
  auto t = tags("t1");
  EXPECT_EQ(t.size(), 50u);
  for (const auto& tag : t) {
    if (tag.key == "k1") {
      EXPECT_EQ(tag.value, "v");
    }
  }
}

TEST_F(TagsTtlTest, DeleteTableRemovesTagsAndARecreatedTableStartsUntagged) {
  TableDefinition d = hashTable("t1");
  d.tags = {{"a", "1"}};
  create(d);
  uint64_t id = db_->describeTable("t1")->table->def.id;
  ASSERT_EQ(rangeSize(keys::tagsBegin(id), keys::tagsEnd(id)), 1u);
  ASSERT_TRUE(db_->deleteTable("t1").ok());
  EXPECT_EQ(rangeSize(keys::tagsBegin(id), keys::tagsEnd(id)), 0u);
  create(hashTable("t1"));
  EXPECT_TRUE(tags("t1").empty());
}

// Definitions written before tags moved to kv carry them in def.tags.
TEST_F(TagsTtlTest, LegacyDefinitionTagsAreListedAndMovedOnTheNextChange) {
  create(hashTable("t1"));
  {
    TableDefinition def = db_->describeTable("t1")->table->def;
    def.tags = {{"old", "1"}, {"keep", "2"}};
    def.generation += 1;
    auto txn = store_->begin();
    Catalog::store(*txn, def);
    ASSERT_TRUE(txn->commit().ok());
  }
  auto t = tags("t1");
  ASSERT_EQ(t.size(), 2u);
  ASSERT_TRUE(db_->untagTable("t1", {"old"}).ok());
  t = tags("t1");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].key, "keep");
  EXPECT_TRUE(db_->describeTable("t1")->table->def.tags.empty());
}

TEST_F(TagsTtlTest, ConcurrentTaggersNeverLoseATag) {
  create(hashTable("t1"));
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < 25; ++i) {
        std::string k = "t" + std::to_string(th) + "_" + std::to_string(i % 10);
        EXPECT_TRUE(db_->tagTable("t1", {{k, std::to_string(i)}}).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(tags("t1").size(), 40u);
}

// ---- TTL: definition format ----

TEST(TtlFormat, RoundTripsAndOlderFormatsDecodeAsDisabled) {
  TableDefinition d = hashTable("t");
  d.ttl_attribute = "expires";
  d.ttl_updated_at = 1700000000.5;
  std::string enc = encodeTableDefinition(d);
  EXPECT_EQ(enc[0], '\x03');
  auto r = decodeTableDefinition(enc);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ttl_attribute, "expires");
  EXPECT_DOUBLE_EQ(r->ttl_updated_at, 1700000000.5);

  d.ttl_attribute.clear();
  d.ttl_updated_at = 0;
  enc = encodeTableDefinition(d);
  std::string v2 = "\x02" + enc.substr(1, enc.size() - 1 - 12);  // without the TTL section
  r = decodeTableDefinition(v2);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->name, "t");
  EXPECT_TRUE(r->ttl_attribute.empty());
  EXPECT_EQ(decodeTableDefinition(enc.substr(0, enc.size() - 3)).status().code(), StatusCode::kCorruption);
}

// ---- TTL: expiry rule ----

TEST(TtlExpiry, NumbersInThePastExpireUnlessMoreThanFiveYearsOld) {
  const int64_t now = 1700000000;
  EXPECT_TRUE(isExpiredNumber("1699999999", now));
  EXPECT_TRUE(isExpiredNumber("1700000000", now));
  EXPECT_TRUE(isExpiredNumber("1699999999.9", now));
  EXPECT_FALSE(isExpiredNumber("1700000000.5", now));
  EXPECT_FALSE(isExpiredNumber("1700000001", now));
  EXPECT_FALSE(isExpiredNumber("162777600", now));  // 1975: ignored, like DynamoDB
  EXPECT_TRUE(isExpiredNumber(std::to_string(now - kTtlMaxPastSeconds), now));
  EXPECT_FALSE(isExpiredNumber(std::to_string(now - kTtlMaxPastSeconds - 1), now));
  EXPECT_FALSE(isExpiredNumber("0", now));
  EXPECT_FALSE(isExpiredNumber("-5", now));
  EXPECT_FALSE(isExpiredNumber("1" + std::string(40, '0'), now));
  EXPECT_FALSE(isExpiredNumber("0.5", now));

  EXPECT_TRUE(isExpired(item({{"e", AttributeValue::N("1699999000")}}), "e", now));
  EXPECT_FALSE(isExpired(item({{"e", AttributeValue::S("1699999000")}}), "e", now));
  EXPECT_FALSE(isExpired(item({{"x", AttributeValue::N("1699999000")}}), "e", now));
}

// ---- TTL: UpdateTimeToLive rules ----

TEST_F(TagsTtlTest, UpdateTimeToLiveRulesAndMessages) {
  create(hashTable("t1"));
  auto d = db_->describeTimeToLive("t1");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->enabled);
  EXPECT_EQ(dynamoText(db_->updateTimeToLive("t1", "exp", false)), "TimeToLive is already disabled");
  ASSERT_TRUE(db_->updateTimeToLive("t1", "exp", true).ok());
  d = db_->describeTimeToLive("t1");
  EXPECT_TRUE(d->enabled);
  EXPECT_EQ(d->attribute, "exp");
  EXPECT_EQ(dynamoText(db_->updateTimeToLive("t1", "exp", true)), "TimeToLive is already enabled");
  EXPECT_EQ(dynamoText(db_->updateTimeToLive("t1", "other", true)),
            "TimeToLive is active on a different AttributeName: current AttributeName is exp");
  EXPECT_EQ(dynamoText(db_->updateTimeToLive("t1", "other", false)),
            "TimeToLive is active on a different AttributeName: current AttributeName is exp");
  ASSERT_TRUE(db_->updateTimeToLive("t1", "exp", false).ok());
  EXPECT_FALSE(db_->describeTimeToLive("t1")->enabled);
  // Key attributes are accepted, as DynamoDB does.
  EXPECT_TRUE(db_->updateTimeToLive("t1", "p", true).ok());

  Status nf = db_->updateTimeToLive("nope", "exp", true);
  EXPECT_EQ(nf.code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(nf), "Requested resource not found: Table: nope not found");
  EXPECT_EQ(dynamoText(db_->describeTimeToLive("nope").status()), "Requested resource not found: Table: nope not found");
}

// ---- TTL: the sweeper ----

TEST_F(TagsTtlTest, SweepDeletesExpiredItemsWithIndexEntriesAndCounters) {
  TableDefinition d = hashTable("t1");
  d.attribute_definitions.push_back({"g", AttrType::kS});
  IndexDefinition g;
  g.name = "by_g";
  g.kind = IndexKind::kGlobal;
  g.hash_keys = {{"g", AttrType::kS}};
  d.global_indexes.push_back(g);
  create(d);
  int64_t now = ttlNowSeconds();
  auto N = [](int64_t v) { return AttributeValue::N(std::to_string(v)); };
  put("t1", item({{"p", AttributeValue::S("old")}, {"g", AttributeValue::S("G")}, {"exp", N(now - 60)}}));
  put("t1", item({{"p", AttributeValue::S("future")}, {"g", AttributeValue::S("G")}, {"exp", N(now + 3600)}}));
  put("t1", item({{"p", AttributeValue::S("string")}, {"g", AttributeValue::S("G")},
                  {"exp", AttributeValue::S(std::to_string(now - 60))}}));
  put("t1", item({{"p", AttributeValue::S("missing")}, {"g", AttributeValue::S("G")}}));
  put("t1", item({{"p", AttributeValue::S("ancient")}, {"exp", N(162777600)}}));

  // TTL disabled: nothing goes.
  auto r = DatabaseTestPeer::sweepExpiredItems(*db_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 0u);

  ASSERT_TRUE(db_->updateTimeToLive("t1", "exp", true).ok());
  r = DatabaseTestPeer::sweepExpiredItems(*db_);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(*r, 1u);
  EXPECT_FALSE(exists("t1", "old"));
  for (const char* p : {"future", "string", "missing", "ancient"}) EXPECT_TRUE(exists("t1", p)) << p;

  auto desc = db_->describeTable("t1");
  ASSERT_TRUE(desc.ok());
  EXPECT_EQ(desc->item_count, 4);
  uint16_t no = desc->table->def.global_indexes[0].number;
  uint64_t id = desc->table->def.id;
  EXPECT_EQ(desc->indexCounters(no).item_count, 3);
  EXPECT_EQ(rangeSize(keys::indexPrefix(id, no), keys::indexPrefix(id, no + 1)), 3u);
  // A second pass finds nothing more.
  EXPECT_EQ(*DatabaseTestPeer::sweepExpiredItems(*db_), 0u);
}

TEST_F(TagsTtlTest, SweepPagesThroughLargeTables) {
  create(testing::hashRangeTable("t1"));
  ASSERT_TRUE(db_->updateTimeToLive("t1", "exp", true).ok());
  int64_t now = ttlNowSeconds();
  size_t expected = 0;
  for (int i = 0; i < 3 * static_cast<int>(kTtlScanChunk) + 7; ++i) {
    bool expire = i % 5 == 0;
    expected += expire ? 1 : 0;
    put("t1", item({{"p", AttributeValue::S("p" + std::to_string(i % 13))},
                    {"c", AttributeValue::N(std::to_string(i))},
                    {"exp", AttributeValue::N(std::to_string(expire ? now - 1 : now + 3600))}}));
  }
  auto r = DatabaseTestPeer::sweepExpiredItems(*db_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, expected);
  EXPECT_EQ(db_->describeTable("t1")->item_count, static_cast<int64_t>(3 * kTtlScanChunk + 7 - expected));
}

TEST(TtlSweeperThread, BackgroundSweeperDeletesWithinAFewIntervals) {
  auto s = kv::openMemoryStore();
  ASSERT_TRUE(s.ok());
  DatabaseOptions o;
  o.ttl_interval_ms = 50;
  Database db(**s, o);
  ASSERT_TRUE(db.createTable(hashTable("t1")).ok());
  ASSERT_TRUE(db.updateTimeToLive("t1", "exp", true).ok());
  model::Item it = item({{"p", AttributeValue::S("a")}, {"exp", AttributeValue::N(std::to_string(ttlNowSeconds() - 1))}});
  ASSERT_TRUE(db.putItem("t1", it, model::itemSize(it), false).ok());
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto r = db.getItem("t1", item({{"p", AttributeValue::S("a")}}), true);
    ASSERT_TRUE(r.ok());
    gone = !r->item.has_value();
  }
  EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace fdyno::engine

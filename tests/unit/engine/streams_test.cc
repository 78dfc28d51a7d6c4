// DynamoDB Streams in the engine (engine/streams.h, engine/stream_records.h):
// records written with the item change in commit order, images per view
// type, no records for no-op writes or tables without a stream, one record
// per item of a transaction, TTL deletions flagged, disabled streams kept,
// and the sequence number / label / shard id codecs.
#include <chrono>

#include <gtest/gtest.h>

#include "engine/database.h"
#include "database_test_peer.h"
#include "engine/storage_keys.h"
#include "engine/streams.h"
#include "engine/transact.h"
#include "engine/ttl.h"
#include "engine_fixture.h"
#include "model/item_size.h"

namespace fdyno::engine {
namespace {

using model::AttributeValue;
using testing::hashTable;
using testing::item;

AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }
AttributeValue N(std::string s) { return AttributeValue::N(std::move(s)); }

class StreamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = kv::openMemoryStore();
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    DatabaseOptions o;
    o.ttl_interval_ms = 0;
    db_ = std::make_unique<Database>(*store_, o);
  }
  // Creates table `name` with a stream of `view` ("" = no stream); returns its label.
  std::string create(const std::string& name, const std::string& view) {
    TableDefinition d = hashTable(name);
    if (!view.empty()) d.stream = StreamSpec{true, view};
    auto r = db_->createTable(std::move(d));
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? r->table->def.stream_label : std::string();
  }
  void put(const std::string& table, const model::Item& it) {
    auto r = db_->putItem(table, it, model::itemSize(it), false);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }
  void del(const std::string& table, const std::string& p) {
    auto r = db_->deleteItem(table, item({{"p", S(p)}}), false);
    ASSERT_TRUE(r.ok()) << r.status().toString();
  }
  std::vector<StreamRecord> records(const std::string& table, const std::string& label,
                                    std::string_view from = std::string(kStreamPositionBytes, '\0')) {
    auto r = db_->readStream(table, label, from, 1000, 1 << 20);
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? r->records : std::vector<StreamRecord>{};
  }
  size_t streamKeys(const std::string& table) {
    auto d = db_->describeTable(table);
    auto txn = store_->begin();
    std::string b = keys::streamPrefix(d->table->def.id);
    std::string e = b;
    e.back() = static_cast<char>(e.back() + 1);
    auto r = txn->getRange(b, e);
    return r.ok() ? r->pairs.size() : 0;
  }
  std::unique_ptr<kv::Store> store_;
  std::unique_ptr<Database> db_;
};

TEST_F(StreamsTest, RecordsFollowCommitOrderWithIncreasingSequenceNumbers) {
  std::string label = create("t", "NEW_AND_OLD_IMAGES");
  put("t", item({{"p", S("a")}, {"v", N("1")}}));
  put("t", item({{"p", S("b")}}));
  put("t", item({{"p", S("a")}, {"v", N("2")}}));
  del("t", "b");
  auto recs = records("t", label);
  ASSERT_EQ(recs.size(), 4u);
  std::vector<StreamEvent> events;
  for (const auto& r : recs) events.push_back(r.event);
  EXPECT_EQ(events, (std::vector<StreamEvent>{StreamEvent::kInsert, StreamEvent::kInsert, StreamEvent::kModify,
                                               StreamEvent::kRemove}));
  EXPECT_EQ(recs[0].keys, item({{"p", S("a")}}));
  EXPECT_EQ(recs[3].keys, item({{"p", S("b")}}));
  for (size_t i = 1; i < recs.size(); ++i) {
    std::string a = sequenceNumberOf(recs[i - 1].position), b = sequenceNumberOf(recs[i].position);
    EXPECT_EQ(a.size(), 26u);
    EXPECT_LT(a, b);
  }
  // Images: MODIFY has both, REMOVE only the old one.
  EXPECT_EQ(recs[2].old_image->at("v"), N("1"));
  EXPECT_EQ(recs[2].new_image->at("v"), N("2"));
  EXPECT_FALSE(recs[3].new_image.has_value());
  EXPECT_TRUE(recs[3].old_image.has_value());
  EXPECT_FALSE(recs[0].old_image.has_value());
  // SizeBytes counts the keys and the images kept.
  EXPECT_EQ(recs[0].size_bytes, model::itemSize(recs[0].keys) + model::itemSize(*recs[0].new_image));
}

TEST_F(StreamsTest, ImagesFollowTheViewType) {
  struct Case {
    const char* view;
    bool new_image, old_image;
  };
  for (Case c : {Case{"KEYS_ONLY", false, false}, Case{"NEW_IMAGE", true, false}, Case{"OLD_IMAGE", false, true},
                 Case{"NEW_AND_OLD_IMAGES", true, true}}) {
    std::string name = std::string("v_") + c.view;
    std::string label = create(name, c.view);
    put(name, item({{"p", S("k")}, {"x", S("1")}}));
    put(name, item({{"p", S("k")}, {"x", S("2")}}));
    auto recs = records(name, label);
    ASSERT_EQ(recs.size(), 2u) << c.view;
    EXPECT_EQ(recs[1].event, StreamEvent::kModify);
    EXPECT_EQ(recs[1].new_image.has_value(), c.new_image) << c.view;
    EXPECT_EQ(recs[1].old_image.has_value(), c.old_image) << c.view;
    EXPECT_EQ(recs[1].keys, item({{"p", S("k")}}));
  }
}

TEST_F(StreamsTest, NoRecordWithoutStreamOrForNoOpWrites) {
  create("plain", "");
  put("plain", item({{"p", S("a")}}));
  del("plain", "a");
  EXPECT_EQ(streamKeys("plain"), 0u);

  std::string label = create("t", "KEYS_ONLY");
  model::Item it = item({{"p", S("a")}, {"s", AttributeValue()}});
  it["s"].type = model::AttrType::kSS;
  it["s"].set = {"x", "y"};
  put("t", it);
  model::Item same = it;
  same["s"].set = {"y", "x"};  // equal as a set
  put("t", same);
  del("t", "missing");
  EXPECT_EQ(records("t", label).size(), 1u);
}

TEST_F(StreamsTest, TransactionWritesOneRecordPerItemInOneCommit) {
  std::string label = create("t", "NEW_IMAGE");
  put("t", item({{"p", S("c")}}));
  model::Item a = item({{"p", S("t1")}}), b = item({{"p", S("t2")}}), c = item({{"p", S("c")}});
  auto putAction = [](const model::Item& it) {
    TransactWriteAction x;
    x.table = "t";
    x.key_attrs = &it;
    x.source = KeySource::kItem;
    x.decide = [&it](const TableInfo&, StoredItem&, WritePlan& plan) -> Status {
      plan.op = WriteOp::kPut;
      plan.item = &it;
      return Status::OK();
    };
    return x;
  };
  TransactWriteRequest req;
  req.actions.push_back(putAction(a));
  req.actions.push_back(putAction(b));
  TransactWriteAction check;  // ConditionCheck: kKeep, no record
  check.table = "t";
  check.key_attrs = &c;
  check.decide = [](const TableInfo&, StoredItem&, WritePlan&) -> Status { return Status::OK(); };
  req.actions.push_back(check);
  auto r = db_->transactWrite(req);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_EQ(r->status, TransactWriteStatus::kCommitted);
  auto recs = records("t", label);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[1].keys.at("p"), S("t1"));
  EXPECT_EQ(recs[2].keys.at("p"), S("t2"));
  // Same commit version, consecutive order within the transaction.
  EXPECT_EQ(recs[1].position.substr(0, 8), recs[2].position.substr(0, 8));
  EXPECT_EQ(recs[2].position, positionAfter(recs[1].position));
}

TEST_F(StreamsTest, TtlDeletionsAreFlagged) {
  std::string label = create("t", "OLD_IMAGE");
  ASSERT_TRUE(db_->updateTimeToLive("t", "exp", true).ok());
  auto d = db_->describeTable("t");
  label = d->table->def.stream_label;
  put("t", item({{"p", S("old")}, {"exp", N(std::to_string(ttlNowSeconds() - 10))}}));
  del("t", "nobody");
  auto n = DatabaseTestPeer::sweepExpiredItems(*db_);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  put("t", item({{"p", S("x")}}));
  del("t", "x");
  auto recs = records("t", label);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_FALSE(recs[0].ttl_delete);
  EXPECT_EQ(recs[1].event, StreamEvent::kRemove);
  EXPECT_TRUE(recs[1].ttl_delete);
  EXPECT_FALSE(recs[3].ttl_delete);
}

TEST_F(StreamsTest, ReadPagesAndLatestPosition) {
  std::string label = create("t", "KEYS_ONLY");
  for (const char* k : {"a", "b", "c"}) put("t", item({{"p", S(k)}}));
  auto page = db_->readStream("t", label, std::string(kStreamPositionBytes, '\0'), 2, 1 << 20);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->records.size(), 2u);
  EXPECT_FALSE(page->drained);
  auto rest = records("t", label, page->next);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].keys.at("p"), S("c"));
  auto latest = db_->streamLatestPosition("t", label);
  ASSERT_TRUE(latest.ok());
  EXPECT_TRUE(records("t", label, *latest).empty());
  put("t", item({{"p", S("d")}}));
  auto after = records("t", label, *latest);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].keys.at("p"), S("d"));
}

// Lazy retention trims by each record's wall-clock time, which need not
// follow commit order: only the leading run of expired records from where the
// read started goes, never a live record nor anything after one, nor records
// before the read's start (not checked).
TEST_F(StreamsTest, TrimStopsAtTheFirstLiveRecord) {
  std::string label = create("t", "KEYS_ONLY");
  auto d = db_->describeTable("t");
  ASSERT_TRUE(d.ok());
  const std::string prefix = streamRecordPrefix(d->table->def.id, *streamNumberFromLabel(label));
  auto posOf = [](int n) {
    std::string p(kStreamPositionBytes, '\0');
    p.back() = static_cast<char>(n);
    return p;
  };
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int64_t old = now - kStreamRetentionMs - 3600 * 1000;
  // 1 expired, 2 expired, 3 live, 4 expired (clock stepped back for 3).
  const int64_t created[] = {old, old, now, old};
  ASSERT_TRUE(kv::runTransaction(*store_, [&](kv::Transaction& txn) -> Status {
                for (int i = 0; i < 4; ++i) {
                  model::Item keys = item({{"p", S(std::to_string(i + 1))}});
                  std::string v;
                  encodeStreamRecordValue(v, StreamEvent::kInsert, false, created[i], 10, keys, nullptr, nullptr);
                  txn.set(prefix + posOf(i + 1), v);
                }
                return Status::OK();
              }).ok());
  auto present = [&](int n) {
    auto txn = store_->begin();
    auto r = txn->get(prefix + posOf(n));
    EXPECT_TRUE(r.ok());
    return r.ok() && r->has_value();
  };
  // Read from record 2: record 1 is before the start and stays.
  auto from2 = records("t", label, posOf(2));
  ASSERT_EQ(from2.size(), 1u);
  EXPECT_EQ(from2[0].keys.at("p"), S("3"));
  EXPECT_TRUE(present(1));
  EXPECT_FALSE(present(2));
  EXPECT_TRUE(present(3));
  EXPECT_TRUE(present(4));
  // From the start: 1 goes; 3 is live and stops the trim, so 4 stays.
  auto all = records("t", label);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].keys.at("p"), S("3"));
  EXPECT_FALSE(present(1));
  EXPECT_TRUE(present(3));
  EXPECT_TRUE(present(4));
}

TEST_F(StreamsTest, DisabledStreamStaysReadableAndANewOneIsSeparate) {
  std::string first = create("t", "KEYS_ONLY");
  put("t", item({{"p", S("a")}}));
  TableUpdate off;
  off.stream = StreamSpec{false, ""};
  ASSERT_TRUE(db_->updateTable("t", off).ok());
  put("t", item({{"p", S("b")}}));  // no stream: no record
  auto info = db_->describeStream("t", first);
  ASSERT_TRUE(info.ok()) << info.status().toString();
  EXPECT_FALSE(info->enabled);
  EXPECT_EQ(info->view_type, "KEYS_ONLY");
  ASSERT_TRUE(info->ending_sequence.has_value());
  EXPECT_EQ(*info->ending_sequence, info->starting_sequence);
  auto page = db_->readStream("t", first, std::string(kStreamPositionBytes, '\0'), 100, 1 << 20);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->records.size(), 1u);
  EXPECT_TRUE(page->drained);

  // Re-enabled at once (likely within the same millisecond): still a new
  // label, hence a separate stream.
  TableUpdate on;
  on.stream = StreamSpec{true, "NEW_IMAGE"};
  auto r = db_->updateTable("t", on);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  std::string second = r->table->def.stream_label;
  ASSERT_NE(second, first);
  put("t", item({{"p", S("c")}}));
  EXPECT_EQ(records("t", second).size(), 1u);
  EXPECT_EQ(records("t", first).size(), 1u);  // the old stream is unchanged
  auto list = db_->listStreams(std::string_view("t"), "", "", 100);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->streams.size(), 2u);
  EXPECT_EQ(list->streams[0].label, first);
  EXPECT_EQ(list->streams[1].label, second);
  EXPECT_EQ(db_->describeStream("t", "2001-01-01T00:00:00.000").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(db_->describeStream("nope", second).status().code(), StatusCode::kNotFound);
}

TEST(StreamCodecs, SequenceNumbersLabelsAndShardIds) {
  std::string pos = positionOfVersion(42);
  EXPECT_EQ(sequenceNumberOf(pos), "10000000000000000002752512");  // 10^25 + 42 << 16
  EXPECT_EQ(*positionOfSequenceNumber(sequenceNumberOf(pos)), pos);
  EXPECT_EQ(*positionOfSequenceNumber("0"), std::string(kStreamPositionBytes, '\0'));
  EXPECT_EQ(*positionOfSequenceNumber(std::string(40, '9')), std::string(kStreamPositionBytes, '\xff'));
  EXPECT_FALSE(positionOfSequenceNumber("12a").has_value());
  EXPECT_EQ(sequenceNumberOf(positionAfter(pos)), "10000000000000000002752513");
  EXPECT_EQ(streamNumberFromLabel("2023-11-14T22:13:20.123"), 1700000000123u);
  EXPECT_EQ(streamLabelOf(1700000000123u), "2023-11-14T22:13:20.123");
  EXPECT_FALSE(streamNumberFromLabel("2023-11-14 22:13:20.123").has_value());
  std::string shard = streamShardId(7, 1700000000123u);
  EXPECT_EQ(shard.substr(0, 29), "shardId-00000001700000000123-");
  EXPECT_EQ(shard.size(), 37u);
  EXPECT_NE(shard, streamShardId(8, 1700000000123u));
  EXPECT_EQ(streamEventId(1, pos).size(), 32u);
}

}  // namespace
}  // namespace fdyno::engine

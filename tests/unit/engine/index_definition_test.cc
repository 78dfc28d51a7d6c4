// Secondary index definitions in the engine: the on-disk format (format 2,
// docs/storage-layout.md), index numbers, and the table-level rules the
// engine enforces (streams, billing-mode switch with GSIs).
#include <gtest/gtest.h>

#include "engine/index_definition.h"
#include "engine/index_keys.h"
#include "engine/table_definition.h"
#include "engine_fixture.h"
#include "status_text.h"

namespace fdyno::engine::testing {
namespace {

using fdyno::testing::dynamoText;

IndexDefinition gsi(std::string name, std::vector<KeyAttribute> hash, std::vector<KeyAttribute> range = {}) {
  IndexDefinition d;
  d.name = std::move(name);
  d.kind = IndexKind::kGlobal;
  d.hash_keys = std::move(hash);
  d.range_keys = std::move(range);
  return d;
}

TableDefinition tableWithIndexes() {
  TableDefinition d = hashRangeTable("orders");
  d.id = 9;
  d.generation = 2;
  IndexDefinition g = gsi("by_status", {{"status", model::AttrType::kS}, {"region", model::AttrType::kS}},
                          {{"at", model::AttrType::kN}});
  g.number = 1;
  g.projection = ProjectionType::kInclude;
  g.non_key_attributes = {"total", "items"};
  g.throughput = {5, 6};
  g.status = IndexStatus::kCreating;
  d.global_indexes.push_back(g);
  IndexDefinition l;
  l.name = "by_at";
  l.kind = IndexKind::kLocal;
  l.number = 2;
  l.hash_keys = {{"p", model::AttrType::kS}};
  l.range_keys = {{"at", model::AttrType::kN}};
  l.projection = ProjectionType::kKeysOnly;
  d.local_indexes.push_back(l);
  d.last_index_number = 2;
  return d;
}

TEST(IndexDefinitionFormat, RoundTripsEveryIndexField) {
  auto r = decodeTableDefinition(encodeTableDefinition(tableWithIndexes()));
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->last_index_number, 2);
  ASSERT_EQ(r->global_indexes.size(), 1u);
  const IndexDefinition& g = r->global_indexes[0];
  EXPECT_EQ(g.name, "by_status");
  EXPECT_EQ(g.kind, IndexKind::kGlobal);
  EXPECT_EQ(g.number, 1);
  ASSERT_EQ(g.hash_keys.size(), 2u);
  EXPECT_EQ(g.hash_keys[1].name, "region");
  ASSERT_EQ(g.range_keys.size(), 1u);
  EXPECT_EQ(g.range_keys[0].type, model::AttrType::kN);
  EXPECT_EQ(g.projection, ProjectionType::kInclude);
  EXPECT_EQ(g.non_key_attributes, (std::vector<std::string>{"total", "items"}));
  EXPECT_EQ(g.throughput.read, 5);
  EXPECT_EQ(g.throughput.write, 6);
  EXPECT_EQ(g.status, IndexStatus::kCreating);
  ASSERT_EQ(r->local_indexes.size(), 1u);
  EXPECT_EQ(r->local_indexes[0].kind, IndexKind::kLocal);
  EXPECT_EQ(r->local_indexes[0].projection, ProjectionType::kKeysOnly);
  EXPECT_EQ(r->findIndex("by_at"), &r->local_indexes[0]);
  EXPECT_EQ(r->findIndex("by_status"), &r->global_indexes[0]);
  EXPECT_EQ(r->findIndex("nope"), nullptr);
}

// Format 3 (Time to Live, engine/ttl.h) keeps the index section of format 2.
TEST(IndexDefinitionFormat, WritesFormatThree) {
  EXPECT_EQ(encodeTableDefinition(tableWithIndexes())[0], '\x03');
}

// A record written before indexes existed (format 1: no index section)
// still decodes, as a table without indexes.
TEST(IndexDefinitionFormat, DecodesFormatOne) {
  TableDefinition d = hashTable("legacy");
  std::string enc = encodeTableDefinition(d);
  // Format 3 with no indexes and TTL disabled ends with u16 last number +
  // two u32 counts (format 2's section) + an empty string and an f64 (TTL).
  std::string v1 = "\x01" + enc.substr(1, enc.size() - 1 - 10 - 12);
  auto r = decodeTableDefinition(v1);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->name, "legacy");
  EXPECT_TRUE(r->global_indexes.empty());
  EXPECT_TRUE(r->local_indexes.empty());
}

TEST(IndexDefinitionFormat, RejectsUnknownVersionAndTruncation) {
  std::string enc = encodeTableDefinition(tableWithIndexes());
  std::string v4 = enc;
  v4[0] = '\x04';
  EXPECT_EQ(decodeTableDefinition(v4).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(decodeTableDefinition(enc.substr(0, enc.size() - 5)).status().code(), StatusCode::kCorruption);
}

// Each index is a length-prefixed record: fields a later format appends to
// it are skipped by this reader.
TEST(IndexDefinitionFormat, SkipsFieldsAppendedToAnIndexRecord) {
  IndexDefinition g = gsi("future", {{"k", model::AttrType::kB}});
  std::string bytes;
  ByteWriter w(bytes);
  encodeIndexDefinition(w, g);
  std::string extended = bytes + "\x7f\x7f";
  uint32_t len = static_cast<uint32_t>(extended.size() - 4);
  for (int i = 0; i < 4; ++i) extended[i] = static_cast<char>((len >> (8 * i)) & 0xff);
  extended += "next";
  ByteReader r(extended);
  auto d = decodeIndexDefinition(r);
  ASSERT_TRUE(d.ok()) << d.status().toString();
  EXPECT_EQ(d->name, "future");
  EXPECT_EQ(d->hash_keys[0].type, model::AttrType::kB);
  // The reader stands right after the record.
  uint32_t next = 'n' | ('e' << 8) | ('x' << 16) | (static_cast<uint32_t>('t') << 24);
  EXPECT_EQ(r.u32(), next);
  EXPECT_TRUE(r.atEnd());
}

TEST(IndexDefinitionFormat, NamesAndArn) {
  EXPECT_EQ(projectionTypeName(ProjectionType::kKeysOnly), "KEYS_ONLY");
  EXPECT_EQ(projectionTypeName(ProjectionType::kInclude), "INCLUDE");
  EXPECT_EQ(indexStatusName(IndexStatus::kActive), "ACTIVE");
  EXPECT_EQ(indexArn("arn:aws:dynamodb:us-east-1:1:table/t", "i1"), "arn:aws:dynamodb:us-east-1:1:table/t/index/i1");
}

TEST(IndexKeyAttributes, AbsentIsFineWrongTypeAndEmptyAreRejected) {
  TableDefinition d = hashTable("t");
  d.global_indexes.push_back(gsi("by_x", {{"x", model::AttrType::kS}}, {{"y", model::AttrType::kB}}));
  model::Item ok_item{{"p", model::AttributeValue::S("1")}};
  EXPECT_TRUE(checkIndexKeyAttributes(d, ok_item).ok());
  ok_item["x"] = model::AttributeValue::S("v");
  EXPECT_TRUE(checkIndexKeyAttributes(d, ok_item).ok());

  model::Item wrong{{"p", model::AttributeValue::S("1")}, {"x", model::AttributeValue::N("3")}};
  Status st = checkIndexKeyAttributes(d, wrong);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(st),
            "One or more parameter values were invalid: Type mismatch for Index Key x Expected: S Actual: N IndexName: by_x");
  wrong["x"] = model::AttributeValue::Null();
  EXPECT_EQ(dynamoText(checkIndexKeyAttributes(d, wrong)),
            "One or more parameter values were invalid: Type mismatch for Index Key x Expected: S Actual: NULL IndexName: "
            "by_x");

  model::Item empty{{"p", model::AttributeValue::S("1")}, {"x", model::AttributeValue::S("")}};
  EXPECT_EQ(dynamoText(checkIndexKeyAttributes(d, empty)),
            "One or more parameter values are not valid. A value specified for a secondary index key is not "
            "supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: "
            "by_x, IndexKey: x");
  empty["x"] = model::AttributeValue::S("v");
  empty["y"] = model::AttributeValue::B("");
  EXPECT_EQ(dynamoText(checkIndexKeyAttributes(d, empty)),
            "One or more parameter values are not valid. A value specified for a secondary index key is not "
            "supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: "
            "by_x, IndexKey: y");
}

using DatabaseIndexes = EngineTest;

TEST_F(DatabaseIndexes, CreateAssignsIndexNumbersGlobalFirstAndStoresThem) {
  TableDefinition d = hashRangeTable("orders");
  IndexDefinition l;
  l.name = "local1";
  l.kind = IndexKind::kLocal;
  l.hash_keys = {{"p", model::AttrType::kS}};
  l.range_keys = {{"x", model::AttrType::kS}};
  d.local_indexes.push_back(l);
  IndexDefinition g1 = gsi("global1", {{"x", model::AttrType::kS}});
  g1.throughput = {3, 3};  // cleared: the table is on-demand
  d.global_indexes.push_back(g1);
  d.global_indexes.push_back(gsi("global2", {{"y", model::AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());

  auto r = db_->describeTable("orders");
  ASSERT_TRUE(r.ok()) << r.status().toString();
  const TableDefinition& def = r->table->def;
  ASSERT_EQ(def.global_indexes.size(), 2u);
  EXPECT_EQ(def.global_indexes[0].number, 1);
  EXPECT_EQ(def.global_indexes[1].number, 2);
  EXPECT_EQ(def.local_indexes[0].number, 3);
  EXPECT_EQ(def.last_index_number, 3);
  EXPECT_EQ(def.global_indexes[0].throughput.read, 0);
  EXPECT_EQ(def.global_indexes[0].status, IndexStatus::kActive);
}

TEST_F(DatabaseIndexes, UpdateKeepsIndexesAndClearsGsiThroughputWhenGoingOnDemand) {
  TableDefinition d = hashTable("prov");
  d.billing_mode = BillingMode::kProvisioned;
  d.throughput = {1, 1};
  IndexDefinition g = gsi("global1", {{"x", model::AttrType::kS}});
  g.throughput = {4, 4};
  d.global_indexes.push_back(g);
  ASSERT_TRUE(db_->createTable(d).ok());
  TableUpdate u;
  u.billing_mode = BillingMode::kPayPerRequest;
  auto r = db_->updateTable("prov", u);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_EQ(r->table->def.global_indexes.size(), 1u);
  EXPECT_EQ(r->table->def.global_indexes[0].throughput.read, 0);
  EXPECT_EQ(r->table->def.global_indexes[0].name, "global1");
}

TEST_F(DatabaseIndexes, SwitchingToProvisionedNeedsGsiThroughput) {
  TableDefinition d = hashTable("ondemand");
  d.global_indexes.push_back(gsi("global1", {{"x", model::AttrType::kS}}));
  ASSERT_TRUE(db_->createTable(d).ok());
  TableUpdate u;
  u.billing_mode = BillingMode::kProvisioned;
  u.throughput = Throughput{1, 1};
  auto r = db_->updateTable("ondemand", u);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(r.status()),
            "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: global1");
}

TEST_F(DatabaseIndexes, StreamEnableTwiceAndDisableTwiceAreRefused) {
  ASSERT_TRUE(db_->createTable(hashTable("streamy")).ok());
  TableUpdate off;
  off.stream = StreamSpec{false, ""};
  auto r = db_->updateTable("streamy", off);
  EXPECT_EQ(dynamoText(r.status()), "Table has no stream to disable: TableName: streamy");

  TableUpdate on;
  on.stream = StreamSpec{true, "KEYS_ONLY"};
  r = db_->updateTable("streamy", on);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->status, TableStatus::kUpdating);
  std::string label = r->table->def.stream_label;
  EXPECT_FALSE(label.empty());

  on.stream = StreamSpec{true, "NEW_IMAGE"};
  r = db_->updateTable("streamy", on);
  EXPECT_EQ(dynamoText(r.status()), "Table already has an enabled stream: TableName: streamy");

  r = db_->updateTable("streamy", off);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_FALSE(r->table->def.stream.enabled);
  EXPECT_EQ(r->table->def.stream_label, label);  // still the latest stream
}

}  // namespace
}  // namespace fdyno::engine::testing

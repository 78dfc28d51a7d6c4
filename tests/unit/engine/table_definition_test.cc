#include "engine/table_definition.h"

#include <gtest/gtest.h>

namespace fdyno::engine {
namespace {

TEST(TableDefinition, RoundTripsEveryField) {
  TableDefinition d;
  d.name = "orders";
  d.id = 77;
  d.generation = 3;
  d.table_uuid = "0e5c3c3a-1111-4222-8333-444455556666";
  d.hash_key = {"pk", model::AttrType::kS};
  d.range_key = KeyAttribute{"sk", model::AttrType::kN};
  d.attribute_definitions = {{"pk", model::AttrType::kS}, {"sk", model::AttrType::kN}};
  d.billing_mode = BillingMode::kProvisioned;
  d.billing_mode_explicit = true;
  d.billing_mode_updated_at = 1.5;
  d.throughput = {5, 7};
  d.last_increase_at = 10.25;
  d.last_decrease_at = 11.5;
  d.decreases_today = 2;
  d.creation_time = 1700000000.123;
  d.deletion_protection = true;
  d.table_class = TableClass::kStandardInfrequentAccess;
  d.table_class_explicit = true;
  d.tags = {{"k", "v"}, {"env", ""}};
  d.stream = {true, "NEW_IMAGE"};
  d.stream_label = "2024-01-01T00:00:00.000";
  d.sse = {true, true, "KMS", "alias/x"};

  auto r = decodeTableDefinition(encodeTableDefinition(d));
  ASSERT_TRUE(r.ok()) << r.status().toString();
  const TableDefinition& e = *r;
  EXPECT_EQ(e.name, "orders");
  EXPECT_EQ(e.id, 77u);
  EXPECT_EQ(e.generation, 3u);
  EXPECT_EQ(e.table_uuid, d.table_uuid);
  EXPECT_EQ(e.hash_key.name, "pk");
  ASSERT_TRUE(e.range_key.has_value());
  EXPECT_EQ(e.range_key->type, model::AttrType::kN);
  ASSERT_EQ(e.attribute_definitions.size(), 2u);
  EXPECT_EQ(e.attribute_definitions[1].name, "sk");
  EXPECT_TRUE(e.billing_mode_explicit);
  EXPECT_EQ(e.throughput.read, 5);
  EXPECT_EQ(e.throughput.write, 7);
  EXPECT_DOUBLE_EQ(e.creation_time, 1700000000.123);
  EXPECT_EQ(e.decreases_today, 2);
  EXPECT_TRUE(e.deletion_protection);
  EXPECT_EQ(e.table_class, TableClass::kStandardInfrequentAccess);
  ASSERT_EQ(e.tags.size(), 2u);
  EXPECT_EQ(e.tags[1].key, "env");
  EXPECT_TRUE(e.stream.enabled);
  EXPECT_EQ(e.stream.view_type, "NEW_IMAGE");
  EXPECT_EQ(e.sse.kms_key, "alias/x");
}

TEST(TableDefinition, RejectsGarbage) {
  EXPECT_EQ(decodeTableDefinition("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(decodeTableDefinition("\x09junk").status().code(), StatusCode::kCorruption);
  TableDefinition d;
  d.name = "abc";
  std::string enc = encodeTableDefinition(d);
  EXPECT_EQ(decodeTableDefinition(enc.substr(0, enc.size() - 3)).status().code(), StatusCode::kCorruption);
}

TEST(TableDefinition, ArnAndNames) {
  EXPECT_EQ(tableArn("eu-west-1", "123456789012", "t1"), "arn:aws:dynamodb:eu-west-1:123456789012:table/t1");
  EXPECT_EQ(billingModeName(BillingMode::kPayPerRequest), "PAY_PER_REQUEST");
  EXPECT_EQ(tableClassName(TableClass::kStandard), "STANDARD");
}

}  // namespace
}  // namespace fdyno::engine

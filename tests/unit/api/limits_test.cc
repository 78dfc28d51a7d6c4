// Attribute name limits, end to end through the Dispatcher.
//
// Non-key names: 1..65535 bytes (65536 is refused: "1 validation error
// detected: Attribute name is too large, must be less than 65536 bytes",
// captured from DynamoDB); empty names: "Empty attribute name" (bare for
// items and legacy parameters; "ExpressionAttributeNames contains invalid
// value: Empty attribute name for key #n" for ExpressionAttributeNames).
// Key names (KeySchema, AttributeDefinitions, index key schemas, UpdateTable
// GSI creation, projected NonKeyAttributes): Coral's 1..255 length
// constraints, reported in phase 2, i.e. before any KeySchema /
// AttributeDefinitions consistency check. Alternator's test_limits.py pins
// the numbers and the order ("incoherent names" tests).
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

const std::string kTooLarge =
    "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
const std::string kEmptyName = "Empty attribute name";

std::string name(size_t n, char c = 'n') { return std::string(n, c); }

std::string tooLongKey(const std::string& value, const std::string& path) {
  return "Value '" + value + "' at '" + path + "' failed to satisfy constraint: Member must have length less than or "
         "equal to 255";
}

class LimitsTest : public ApiTest {
 protected:
  // {"TableName":"tbl", <rest>, "BillingMode":"PAY_PER_REQUEST"}
  std::string createBody(const std::string& rest) {
    return R"({"TableName":"tbl",)" + rest + R"(,"BillingMode":"PAY_PER_REQUEST"})";
  }
  static std::string def(const std::string& n) { return R"({"AttributeName":")" + n + R"(","AttributeType":"S"})"; }
  static std::string key(const std::string& n, const char* type) {
    return R"({"AttributeName":")" + n + R"(","KeyType":")" + type + R"("})";
  }
};

// ---- key attribute names: CreateTable ----

TEST_F(LimitsTest, KeyNamesOf255AreAccepted) {
  std::string a = name(255, 'a'), b = name(255, 'b'), c = name(255, 'c'), d = name(255, 'd');
  ok("CreateTable",
     createBody(R"("AttributeDefinitions":[)" + def(a) + "," + def(b) + "," + def(c) + "," + def(d) +
                R"(],"KeySchema":[)" + key(a, "HASH") + "," + key(b, "RANGE") +
                R"(],"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[)" + key(c, "HASH") + "," +
                key(d, "RANGE") + R"(],"Projection":{"ProjectionType":"ALL"}}],)" +
                R"("LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[)" + key(a, "HASH") + "," +
                key(d, "RANGE") + R"(],"Projection":{"ProjectionType":"ALL"}}])"));
  std::string item = R"({"TableName":"tbl","Item":{")" + a + R"(":{"S":"hi"},")" + b + R"(":{"S":"ho"}}})";
  ok("PutItem", item);
}

TEST_F(LimitsTest, HashKeyNameOver255) {
  std::string n = name(256);
  // The name is too long both in AttributeDefinitions and in KeySchema:
  // two constraint errors, in DynamoDB's member order.
  expectValidation("CreateTable", createBody(R"("AttributeDefinitions":[)" + def(n) + R"(],"KeySchema":[)" +
                                             key(n, "HASH") + "]"),
                   "2 validation errors detected: " + tooLongKey(n, "attributeDefinitions.1.member.attributeName") +
                       "; " + tooLongKey(n, "keySchema.1.member.attributeName"));
}

TEST_F(LimitsTest, RangeKeyNameOver255) {
  std::string n = name(256);
  expectValidation("CreateTable",
                   createBody(R"("AttributeDefinitions":[)" + def(n) + "," + def("x") + R"(],"KeySchema":[)" +
                              key("x", "HASH") + "," + key(n, "RANGE") + "]"),
                   "2 validation errors detected: " + tooLongKey(n, "attributeDefinitions.1.member.attributeName") +
                       "; " + tooLongKey(n, "keySchema.2.member.attributeName"));
}

TEST_F(LimitsTest, KeyNameLengthComesBeforeIncoherentDefinitions) {
  std::string n = name(256);
  // Long key name, definitions name something else.
  expectValidation("CreateTable",
                   createBody(R"("AttributeDefinitions":[)" + def("incoherent-short-name") + R"(],"KeySchema":[)" +
                              key(n, "HASH") + "]"),
                   "1 validation error detected: " + tooLongKey(n, "keySchema.1.member.attributeName"));
  // Long definition, key schema names something else.
  expectValidation("CreateTable",
                   createBody(R"("AttributeDefinitions":[)" + def(n) + R"(],"KeySchema":[)" +
                              key("incoherent-short-name", "HASH") + "]"),
                   "1 validation error detected: " + tooLongKey(n, "attributeDefinitions.1.member.attributeName"));
  // Same for the range key.
  expectValidation("CreateTable",
                   createBody(R"("AttributeDefinitions":[)" + def("incoherent-short-name") + "," + def("x") +
                              R"(],"KeySchema":[)" + key("x", "HASH") + "," + key(n, "RANGE") + "]"),
                   "1 validation error detected: " + tooLongKey(n, "keySchema.2.member.attributeName"));
}

TEST_F(LimitsTest, EmptyKeyName) {
  expectValidation("CreateTable",
                   createBody(R"("AttributeDefinitions":[)" + def("") + R"(],"KeySchema":[)" + key("", "HASH") + "]"),
                   "2 validation errors detected: Value '' at 'attributeDefinitions.1.member.attributeName' failed to "
                   "satisfy constraint: Member must have length greater than or equal to 1; Value '' at "
                   "'keySchema.1.member.attributeName' failed to satisfy constraint: Member must have length greater "
                   "than or equal to 1");
}

TEST_F(LimitsTest, KeyNameLengthCountsUtf16Units) {
  // 255 two-byte characters (510 bytes) are 255 units: accepted.
  std::string n;
  for (int i = 0; i < 255; ++i) n += "\xc3\xa9";
  ok("CreateTable", createBody(R"("AttributeDefinitions":[)" + def(n) + R"(],"KeySchema":[)" + key(n, "HASH") + "]"));
}

TEST_F(LimitsTest, IndexKeyNamesOver255) {
  std::string n = name(256);
  std::string base = R"("AttributeDefinitions":[)" + def("a") + "," + def("b") + ",";
  std::string table_keys = R"(],"KeySchema":[)" + key("a", "HASH") + "," + key("b", "RANGE") + "],";
  // GSI: the definition and the index key are both too long.
  expectValidation(
      "CreateTable",
      createBody(base + def(n) + table_keys + R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[)" +
                 key(n, "HASH") + R"(],"Projection":{"ProjectionType":"ALL"}}])"),
      "2 validation errors detected: " + tooLongKey(n, "attributeDefinitions.3.member.attributeName") + "; " +
          tooLongKey(n, "globalSecondaryIndexes.1.member.keySchema.1.member.attributeName"));
  // LSI, incoherent: only the index key is long.
  expectValidation(
      "CreateTable",
      createBody(base + def("incoherent-short-name") + table_keys +
                 R"("LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[)" + key("a", "HASH") + "," +
                 key(n, "RANGE") + R"(],"Projection":{"ProjectionType":"ALL"}}])"),
      "1 validation error detected: " + tooLongKey(n, "localSecondaryIndexes.1.member.keySchema.2.member.attributeName"));
  // GSI, incoherent: only the definition is long.
  expectValidation(
      "CreateTable",
      createBody(base + def(n) + table_keys + R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[)" +
                 key("incoherent-short-name", "HASH") + R"(],"Projection":{"ProjectionType":"ALL"}}])"),
      "1 validation error detected: " + tooLongKey(n, "attributeDefinitions.3.member.attributeName"));
}

TEST_F(LimitsTest, ProjectedNonKeyAttributeNamesOver255) {
  std::string n = name(256);
  expectValidation(
      "CreateTable",
      createBody(R"("AttributeDefinitions":[)" + def("a") + "," + def("c") + R"(],"KeySchema":[)" + key("a", "HASH") +
                 R"(],"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[)" + key("c", "HASH") +
                 R"(],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x",")" + n + R"("]}}])"),
      "1 validation error detected: Value '[x, " + n +
          "]' at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member "
          "must satisfy constraint: [Member must have length less than or equal to 255, Member must have length "
          "greater than or equal to 1]");
  // 255 is fine; and ALL projects longer names (test_limits.py projection_all).
  ok("CreateTable",
     createBody(R"("AttributeDefinitions":[)" + def("a") + "," + def("c") + R"(],"KeySchema":[)" + key("a", "HASH") +
                R"(],"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[)" + key("c", "HASH") +
                R"(],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":[")" + name(255) + R"("]}}])"));
}

// ---- key attribute names: UpdateTable GlobalSecondaryIndexUpdates ----

TEST_F(LimitsTest, UpdateTableIndexKeyNamesOver255) {
  createHashTable("tbl");
  std::string n = name(256);
  auto body = [&](const std::string& def_name, const std::string& key_name) {
    return R"({"TableName":"tbl","AttributeDefinitions":[)" + def(def_name) +
           R"(],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"hello","KeySchema":[)" + key(key_name, "HASH") +
           R"(],"Projection":{"ProjectionType":"ALL"}}}]})";
  };
  expectValidation("UpdateTable", body(n, n),
                   "2 validation errors detected: " + tooLongKey(n, "attributeDefinitions.1.member.attributeName") +
                       "; " +
                       tooLongKey(n, "globalSecondaryIndexUpdates.1.member.create.keySchema.1.member.attributeName"));
  expectValidation("UpdateTable", body(n, "incoherent-short-name"),
                   "1 validation error detected: " + tooLongKey(n, "attributeDefinitions.1.member.attributeName"));
  expectValidation(
      "UpdateTable", body("incoherent-short-name", n),
      "1 validation error detected: " +
          tooLongKey(n, "globalSecondaryIndexUpdates.1.member.create.keySchema.1.member.attributeName"));
}

// ---- non-key attribute names ----

TEST_F(LimitsTest, NonKeyNamesOf65535AreUsableEverywhere) {
  createHashTable("tbl");
  std::string n = name(65535);
  ok("PutItem", R"({"TableName":"tbl","Item":{"p":{"S":"k"},")" + n + R"(":{"N":"1"}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributesToGet":[")" + n + R"("]})"),
            R"({"Item":{")" + n + R"(":{"N":"1"}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"ProjectionExpression":"#n",)"
                          R"("ExpressionAttributeNames":{"#n":")" + n + R"("}})"),
            R"({"Item":{")" + n + R"(":{"N":"1"}}})");
  ok("UpdateItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributeUpdates":{")" + n +
                       R"(":{"Value":{"N":"2"},"Action":"PUT"}}})");
  ok("UpdateItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"UpdateExpression":"SET #n = #n + :v",)"
                   R"("ConditionExpression":"#n = :old","ExpressionAttributeNames":{"#n":")" + n +
                       R"("},"ExpressionAttributeValues":{":v":{"N":"1"},":old":{"N":"2"}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributesToGet":[")" + n + R"("]})"),
            R"({"Item":{")" + n + R"(":{"N":"3"}}})");
}

TEST_F(LimitsTest, NonKeyNamesOf65536AreTooLarge) {
  createHashTable("tbl");
  std::string n = name(65536);
  expectValidation("PutItem", R"({"TableName":"tbl","Item":{"p":{"S":"k"},")" + n + R"(":{"N":"1"}}})", kTooLarge);
  expectValidation("PutItem",
                   R"({"TableName":"tbl","Item":{"p":{"S":"k"},"m":{"M":{")" + n + R"(":{"N":"1"}}}}})", kTooLarge);
  expectValidation("GetItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"ProjectionExpression":"#n",)"
                   R"("ExpressionAttributeNames":{"#n":")" + n + R"("}})",
                   kTooLarge);
  expectValidation("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributesToGet":[")" + n + R"("]})",
                   kTooLarge);
  expectValidation("UpdateItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributeUpdates":{")" + n +
                       R"(":{"Value":{"N":"2"},"Action":"PUT"}}})",
                   kTooLarge);
  expectValidation("UpdateItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"UpdateExpression":"SET #n = :v",)"
                   R"("ExpressionAttributeNames":{"#n":")" + n + R"("},"ExpressionAttributeValues":{":v":{"N":"3"}}})",
                   kTooLarge);
  expectValidation("UpdateItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"UpdateExpression":"SET a = :v",)"
                   R"("ConditionExpression":"#n = :v","ExpressionAttributeNames":{"#n":")" + n +
                       R"("},"ExpressionAttributeValues":{":v":{"N":"1"}}})",
                   kTooLarge);
  // Nothing was written.
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}}})"), "{}");
}

TEST_F(LimitsTest, EmptyNonKeyNames) {
  createHashTable("tbl");
  const std::string ean = "ExpressionAttributeNames contains invalid value: Empty attribute name for key #name";
  expectValidation("PutItem", R"({"TableName":"tbl","Item":{"p":{"S":"k"},"":{"N":"1"}}})", kEmptyName);
  expectValidation("GetItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"ProjectionExpression":"#name",)"
                   R"("ExpressionAttributeNames":{"#name":""}})",
                   ean);
  expectValidation("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributesToGet":[""]})", kEmptyName);
  expectValidation("UpdateItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"AttributeUpdates":{"":{"Value":{"N":"2"},"Action":"PUT"}}})",
                   kEmptyName);
  expectValidation("UpdateItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"UpdateExpression":"SET #name = :val",)"
                   R"("ExpressionAttributeNames":{"#name":""},"ExpressionAttributeValues":{":val":{"N":"3"}}})",
                   ean);
  expectValidation("UpdateItem",
                   R"({"TableName":"tbl","Key":{"p":{"S":"k"}},"UpdateExpression":"SET a = :val",)"
                   R"("ConditionExpression":"#name = :val","ExpressionAttributeNames":{"#name":""},)"
                   R"("ExpressionAttributeValues":{":val":{"N":"1"}}})",
                   ean);
  // Legacy conditions name attributes too.
  expectValidation("PutItem",
                   R"({"TableName":"tbl","Item":{"p":{"S":"k"}},"Expected":{"":{"Exists":false}}})", kEmptyName);
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"k"}}})"), "{}");
}

}  // namespace
}  // namespace fdyno::api::testing

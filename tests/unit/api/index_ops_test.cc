// CreateTable with LocalSecondaryIndexes / GlobalSecondaryIndexes: every
// validation rule with DynamoDB's exact text, and how DescribeTable,
// CreateTable and DeleteTable show indexes. Messages come from dynalite's
// tests (recorded against DynamoDB), nubo-db/dynamodb-conformance tier3 and
// ScyllaDB's test_table.py.
#include "api/table_request.h"
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

constexpr const char* kInvalid = "One or more parameter values were invalid: ";

// A CreateTable body for table "tbl": p (S) HASH, c (S) RANGE unless
// hash_only, plus `defs` extra attribute definitions (JSON fragments
// without the surrounding list) and `rest` extra members.
std::string create(const std::string& extra_defs, const std::string& rest, bool hash_only = false,
                   const std::string& billing = R"("BillingMode":"PAY_PER_REQUEST")") {
  std::string defs = R"({"AttributeName":"p","AttributeType":"S"})";
  if (!hash_only) defs += R"(,{"AttributeName":"c","AttributeType":"S"})";
  if (!extra_defs.empty()) defs += "," + extra_defs;
  std::string ks = R"({"AttributeName":"p","KeyType":"HASH"})";
  if (!hash_only) ks += R"(,{"AttributeName":"c","KeyType":"RANGE"})";
  std::string body = R"({"TableName":"tbl","AttributeDefinitions":[)" + defs + R"(],"KeySchema":[)" + ks + "]," +
                     billing;
  if (!rest.empty()) body += "," + rest;
  return body + "}";
}

std::string def(const std::string& name, const std::string& type = "S") {
  return R"({"AttributeName":")" + name + R"(","AttributeType":")" + type + R"("})";
}
std::string key(const std::string& name, const std::string& type) {
  return R"({"AttributeName":")" + name + R"(","KeyType":")" + type + R"("})";
}
std::string index(const std::string& name, const std::string& keys, const std::string& projection = R"({"ProjectionType":"ALL"})",
                  const std::string& extra = "") {
  std::string s = R"({"IndexName":")" + name + R"(","KeySchema":[)" + keys + R"(],"Projection":)" + projection;
  if (!extra.empty()) s += "," + extra;
  return s + "}";
}
std::string gsis(const std::string& list) { return R"("GlobalSecondaryIndexes":[)" + list + "]"; }
std::string lsis(const std::string& list) { return R"("LocalSecondaryIndexes":[)" + list + "]"; }

using IndexOps = ApiTest;

// ---- accepted definitions and how they are shown ----

TEST_F(IndexOps, CreateTableShowsIndexesAsDynamoDbDoes) {
  std::string body = create(def("x", "N"), gsis(index("byx", key("x", "HASH"), R"({"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]})")) +
                                               "," + lsis(index("byc", key("p", "HASH") + "," + key("x", "RANGE"), R"({"ProjectionType":"KEYS_ONLY"})")));
  std::string r = ok("CreateTable", body);
  EXPECT_THAT(r, ::testing::HasSubstr(
                     R"("LocalSecondaryIndexes":[{"IndexName":"byc","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},)"
                     R"({"AttributeName":"x","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"},)"
                     R"("IndexSizeBytes":0,"ItemCount":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl/index/byc"}])"));
  // In CreateTable's answer the GSI is CREATING like its table.
  EXPECT_THAT(r, ::testing::HasSubstr(
                     R"("GlobalSecondaryIndexes":[{"IndexName":"byx","KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],)"
                     R"("Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]},"IndexStatus":"CREATING",)"
                     R"("ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},)"
                     R"("IndexSizeBytes":0,"ItemCount":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl/index/byx"}])"));

  std::string d = ok("DescribeTable", R"({"TableName":"tbl"})");
  EXPECT_THAT(d, ::testing::HasSubstr(R"("IndexStatus":"ACTIVE")"));
  EXPECT_THAT(d, ::testing::HasSubstr(R"("LocalSecondaryIndexes":[)"));
}

TEST_F(IndexOps, ProvisionedGsiShowsItsThroughput) {
  std::string body = create(def("x"), gsis(index("byx", key("x", "HASH"), R"({"ProjectionType":"ALL"})",
                                                 R"("ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4})")),
                            false, R"("ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1})");
  ok("CreateTable", body);
  EXPECT_THAT(ok("DescribeTable", R"({"TableName":"tbl"})"),
              ::testing::HasSubstr(R"("IndexStatus":"ACTIVE","ProvisionedThroughput":{"NumberOfDecreasesToday":0,)"
                                   R"("ReadCapacityUnits":3,"WriteCapacityUnits":4})"));
}

TEST_F(IndexOps, MultiAttributeGsiKeysAreAccepted) {
  std::string keys = key("a", "HASH") + "," + key("b", "HASH") + "," + key("x", "RANGE") + "," + key("y", "RANGE");
  ok("CreateTable", create(def("a") + "," + def("b") + "," + def("x", "N") + "," + def("y", "B"),
                           gsis(index("multi", keys))));
  EXPECT_THAT(ok("DescribeTable", R"({"TableName":"tbl"})"),
              ::testing::HasSubstr(R"("KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"HASH"},)"
                                   R"({"AttributeName":"x","KeyType":"RANGE"},{"AttributeName":"y","KeyType":"RANGE"}])"));
}

TEST_F(IndexOps, DeleteTableDescriptionLeavesOutSchemaAndIndexes) {
  ok("CreateTable", create(def("x"), gsis(index("byx", key("x", "HASH"))) + "," +
                                         lsis(index("lsx", key("p", "HASH") + "," + key("x", "RANGE")))));
  std::string r = ok("DeleteTable", R"({"TableName":"tbl"})");
  for (const char* absent : {"AttributeDefinitions", "KeySchema", "CreationDateTime", "GlobalSecondaryIndexes",
                             "LocalSecondaryIndexes"}) {
    EXPECT_THAT(r, ::testing::Not(::testing::HasSubstr(absent))) << absent;
  }
  EXPECT_THAT(r, ::testing::HasSubstr(R"({"TableDescription":{"TableName":"tbl","TableStatus":"DELETING",)"
                                      R"("ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,)"
                                      R"("WriteCapacityUnits":0},"TableSizeBytes":0,"ItemCount":0,)"));
  EXPECT_THAT(r, ::testing::HasSubstr(R"("BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":)"));
  EXPECT_THAT(r, ::testing::HasSubstr(R"("TableId":")"));
}

// ---- table-level rules around indexes ----

TEST_F(IndexOps, DuplicateAttributeDefinition) {
  expectValidation("CreateTable",
                   R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"xyz","KeyType":"HASH"}],)"
                   R"("AttributeDefinitions":[{"AttributeName":"xyz","AttributeType":"S"},{"AttributeName":"xyz","AttributeType":"N"}]})",
                   "Attribute Name is duplicated: xyz");
}

TEST_F(IndexOps, UnusedAttributeDefinitionWithIndexesListsKeysInJavaHashSetOrder) {
  // keys used {id, user} print as [id, user] (DynamoDB via moto's record).
  expectValidation("CreateTable",
                   R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],)"
                   R"("AttributeDefinitions":[{"AttributeName":"created_at","AttributeType":"S"},{"AttributeName":"id","AttributeType":"S"},)"
                   R"({"AttributeName":"user","AttributeType":"S"}],)" +
                       gsis(index("byuser", key("user", "HASH"))) + "}",
                   std::string(kInvalid) +
                       "Some AttributeDefinitions are not used. AttributeDefinitions: [created_at, id, user], keys used: [id, user]");
  // Sort key c, hash p and GSI key x, plus the unused "zz".
  expectValidation("CreateTable", create(def("x") + "," + def("zz"), gsis(index("byx", key("x", "HASH")))),
                   std::string(kInvalid) +
                       "Some AttributeDefinitions are not used. AttributeDefinitions: [p, c, x, zz], keys used: [p, c, x]");
}

TEST(JavaHashSetOrder, MatchesOrdersRecordedFromDynamoDb) {
  // cfn-lint#1037 and a CloudFormation error (DynamoDB's own output).
  EXPECT_EQ(javaHashSetOrder({"ProductId", "CreatedTime", "ProductName"}),
            (std::vector<std::string>{"CreatedTime", "ProductName", "ProductId"}));
  EXPECT_EQ(javaHashSetOrder({"my-string", "my-hash"}), (std::vector<std::string>{"my-hash", "my-string"}));
  EXPECT_EQ(javaHashSetOrder({"ProductId", "ProductName", "ProductId", "CreatedTime"}),
            (std::vector<std::string>{"CreatedTime", "ProductName", "ProductId"}));
  // Past 12 names the set has 32 buckets: "a".."m" hash to 97..109.
  std::vector<std::string> letters;
  for (char c = 'm'; c >= 'a'; --c) letters.emplace_back(1, c);
  auto ordered = javaHashSetOrder(letters);
  EXPECT_EQ(ordered.front(), "a");  // 97 & 31 = 1
  EXPECT_EQ(ordered.back(), "m");   // 109 & 31 = 13
}

// ---- LocalSecondaryIndexes ----

TEST_F(IndexOps, LsiRules) {
  std::string lsk = key("p", "HASH") + "," + key("x", "RANGE");
  expectValidation("CreateTable", create(def("x"), lsis("")), std::string(kInvalid) + "List of LocalSecondaryIndexes is empty");
  expectValidation("CreateTable", create(def("x"), lsis(index("lsx", lsk)), true),
                   std::string(kInvalid) +
                       "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
  expectValidation("CreateTable", create("", lsis(index("lsx", lsk))),
                   std::string(kInvalid) +
                       "Some index key attributes are not defined in AttributeDefinitions. Keys: [p, x], AttributeDefinitions: [p, c]");
  expectValidation("CreateTable", create(def("x"), lsis(index("lsx", key("p", "HASH") + "," + key("p", "RANGE")))),
                   "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  expectValidation("CreateTable", create(def("x"), lsis(index("lsx", key("p", "RANGE")))),
                   "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  expectValidation("CreateTable", create(def("x"), lsis(index("lsx", key("p", "HASH") + "," + key("x", "HASH")))),
                   "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  expectValidation("CreateTable", create(def("x"), lsis(index("lsx", key("p", "HASH")))),
                   std::string(kInvalid) + "Index KeySchema does not have a range key for index: lsx");
  expectValidation("CreateTable", create(def("x"), lsis(index("lsx", key("x", "HASH") + "," + key("p", "RANGE")))),
                   std::string(kInvalid) +
                       "Index KeySchema does not have the same leading hash key as table KeySchema for index: lsx. index "
                       "hash key: x, table hash key: p");
}

TEST_F(IndexOps, LsiLimitOfFiveAndDuplicateNames) {
  std::string lsk = key("p", "HASH") + "," + key("x", "RANGE");
  std::string six;
  for (int i = 0; i < 6; ++i) six += (i ? "," : "") + index("lsi" + std::to_string(i), lsk);
  expectValidation("CreateTable", create(def("x"), lsis(six)),
                   std::string(kInvalid) + "Number of LocalSecondaryIndexes exceeds per-table limit of 5");
  expectValidation("CreateTable", create(def("x"), lsis(index("same", lsk) + "," + index("same", lsk))),
                   std::string(kInvalid) + "Duplicate index name: same");
  // Names are unique across LSIs and GSIs.
  expectValidation("CreateTable", create(def("x"), lsis(index("same", lsk)) + "," + gsis(index("same", key("x", "HASH")))),
                   std::string(kInvalid) + "Duplicate index name: same");
}

// ---- Projection ----

TEST_F(IndexOps, ProjectionRules) {
  auto withProjection = [](const std::string& projection) {
    return create(def("x"), gsis(index("byx", key("x", "HASH"), projection)));
  };
  expectValidation("CreateTable", withProjection(R"({"NonKeyAttributes":["a"]})"),
                   std::string(kInvalid) + "Unknown ProjectionType: null");
  expectValidation("CreateTable", withProjection(R"({"ProjectionType":"ALL","NonKeyAttributes":["a"]})"),
                   std::string(kInvalid) + "ProjectionType is ALL, but NonKeyAttributes is specified");
  expectValidation("CreateTable", withProjection(R"({"ProjectionType":"KEYS_ONLY","NonKeyAttributes":["a"]})"),
                   std::string(kInvalid) + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified");
  expectValidation("CreateTable", withProjection(R"({"ProjectionType":"INCLUDE"})"),
                   std::string(kInvalid) + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  expectValidation("CreateTable", withProjection(R"({"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b","a"]})"),
                   std::string(kInvalid) + "Duplicate element in NonKeyAttributes: a");
  expectValidation("CreateTable", withProjection(R"({"ProjectionType":"abc","NonKeyAttributes":[]})"),
                   "2 validation errors detected: Value 'abc' at 'globalSecondaryIndexes.1.member.projection.projectionType' "
                   "failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]; Value '[]' at "
                   "'globalSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must "
                   "have length greater than or equal to 1");
}

TEST_F(IndexOps, AtMostOneHundredProjectedAttributesAcrossIndexes) {
  auto include20 = [](int base) {
    std::string list;
    for (int i = 0; i < 20; ++i) list += (i ? "," : "") + std::string("\"a") + std::to_string(base + i) + "\"";
    return R"({"ProjectionType":"INCLUDE","NonKeyAttributes":[)" + list + "]}";
  };
  std::string five, six;
  for (int i = 0; i < 6; ++i) {
    std::string g = index("gsi" + std::to_string(i), key("x", "HASH"), include20(i * 20));
    if (i < 5) five += (i ? "," : "") + g;
    six += (i ? "," : "") + g;
  }
  ok("CreateTable", create(def("x"), gsis(five)));
  expectValidation("CreateTable", create(def("x"), gsis(six)),
                   std::string(kInvalid) +
                       "The number of NonKeyAttributes summed across all secondary indexes (120) exceeds the limit of 100");
}

// ---- GlobalSecondaryIndexes ----

TEST_F(IndexOps, GsiKeySchemaRules) {
  auto withKeys = [](const std::string& keys) {
    return create(def("a") + "," + def("b") + "," + def("d") + "," + def("e") + "," + def("f"), gsis(index("gsi", keys)));
  };
  expectValidation("CreateTable", create(def("x"), gsis("")), std::string(kInvalid) + "List of GlobalSecondaryIndexes is empty");
  expectValidation("CreateTable", create(def("x"), gsis(index("gsi", key("zz", "HASH")))),
                   std::string(kInvalid) +
                       "Some index key attributes are not defined in AttributeDefinitions. Keys: [zz], AttributeDefinitions: [p, c, x]");
  expectValidation("CreateTable", withKeys(key("a", "RANGE")), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  expectValidation("CreateTable", withKeys(key("a", "HASH") + "," + key("a", "RANGE")),
                   "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  expectValidation("CreateTable", withKeys(key("a", "HASH") + "," + key("b", "RANGE") + "," + key("a", "RANGE")),
                   "The KeySchema contains multiple key attributes with the same name");
  expectValidation("CreateTable", withKeys(key("a", "HASH") + "," + key("b", "RANGE") + "," + key("d", "HASH")),
                   std::string(kInvalid) + "All HASH key attributes must precede RANGE key attributes in the KeySchema");
  std::string five_hash = key("a", "HASH") + "," + key("b", "HASH") + "," + key("d", "HASH") + "," + key("e", "HASH") + "," +
                          key("f", "HASH");
  expectValidation("CreateTable", withKeys(five_hash),
                   std::string(kInvalid) + "The KeySchema exceeds the maximum allowed number of HASH key attributes");
  std::string five_range = key("p", "HASH") + "," + key("a", "RANGE") + "," + key("b", "RANGE") + "," + key("d", "RANGE") +
                           "," + key("e", "RANGE") + "," + key("f", "RANGE");
  expectValidation("CreateTable", withKeys(five_range),
                   std::string(kInvalid) + "The KeySchema exceeds the maximum allowed number of RANGE key attributes");
}

TEST_F(IndexOps, GsiThroughputFollowsBillingMode) {
  std::string pt = R"("ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1})";
  expectValidation("CreateTable", create(def("x"), gsis(index("byx", key("x", "HASH"), R"({"ProjectionType":"ALL"})", pt))),
                   std::string(kInvalid) + "ProvisionedThroughput should not be specified for index: byx when BillingMode is PAY_PER_REQUEST");
  expectValidation("CreateTable", create(def("x"), gsis(index("byx", key("x", "HASH"))), false, pt),
                   std::string(kInvalid) + "ProvisionedThroughput is not specified for index: byx");
  expectValidation("CreateTable",
                   create(def("x"), gsis(index("byx", key("x", "HASH"), R"({"ProjectionType":"ALL"})",
                                               R"("ProvisionedThroughput":{"ReadCapacityUnits":0})")),
                          false, pt),
                   "2 validation errors detected: Value null at 'globalSecondaryIndexes.1.member.provisionedThroughput."
                   "writeCapacityUnits' failed to satisfy constraint: Member must not be null; Value '0' at "
                   "'globalSecondaryIndexes.1.member.provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
                   "Member must have value greater than or equal to 1");
}

TEST_F(IndexOps, GsiLimitOfTwenty) {
  std::string list;
  for (int i = 0; i < 21; ++i) list += (i ? "," : "") + index("gsi" + std::to_string(i), key("x", "HASH"));
  expectValidation("CreateTable", create(def("x"), gsis(list)),
                   std::string(kInvalid) + "GlobalSecondaryIndex count exceeds the per-table limit of 20");
}

TEST_F(IndexOps, IndexMemberConstraints) {
  expectValidation("CreateTable", create(def("x"), gsis("{}")),
                   "3 validation errors detected: Value null at 'globalSecondaryIndexes.1.member.indexName' failed to "
                   "satisfy constraint: Member must not be null; Value null at 'globalSecondaryIndexes.1.member.keySchema' "
                   "failed to satisfy constraint: Member must not be null; Value null at "
                   "'globalSecondaryIndexes.1.member.projection' failed to satisfy constraint: Member must not be null");
  expectValidation("CreateTable", create(def("x"), lsis(R"({"IndexName":"h;","KeySchema":[],"Projection":{}})")),
                   "3 validation errors detected: Value 'h;' at 'localSecondaryIndexes.1.member.indexName' failed to "
                   "satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'h;' at "
                   "'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length "
                   "greater than or equal to 3; Value '[]' at 'localSecondaryIndexes.1.member.keySchema' failed to "
                   "satisfy constraint: Member must have length greater than or equal to 1");
  std::string long_name(256, 'n');
  expectValidation("CreateTable", create(def("x"), gsis(index(long_name, key("x", "HASH")))),
                   "1 validation error detected: Value '" + long_name +
                       "' at 'globalSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have "
                       "length less than or equal to 255");
}

TEST_F(IndexOps, IndexShapeErrorsAreSerializationExceptions) {
  expectError("CreateTable", create(def("x"), R"("GlobalSecondaryIndexes":{"a":1})"), kSerialization,
              "Start of structure or map found where not expected");
  expectError("CreateTable", create(def("x"), R"("LocalSecondaryIndexes":[[]])"), kSerialization,
              "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.LocalSecondaryIndex");
}

// ---- StreamSpecification ----

TEST_F(IndexOps, CreateTableStreamRules) {
  expectValidation("CreateTable", create("", R"("StreamSpecification":{"StreamEnabled":true})", true),
                   std::string(kInvalid) + "Table is being created with a stream enabled, UpdateViewType is required");
  expectValidation("CreateTable",
                   create("", R"("StreamSpecification":{"StreamEnabled":false,"StreamViewType":"NEW_IMAGE"})", true),
                   std::string(kInvalid) + "Table is being created with a stream disabled, UpdateViewType should not be specified");
  std::string r = ok("CreateTable", create("", R"("StreamSpecification":{"StreamEnabled":false})", true));
  EXPECT_THAT(r, ::testing::Not(::testing::HasSubstr("Stream")));
}

TEST_F(IndexOps, UpdateTableStreamRulesAndLatestStreamAfterDisable) {
  createHashTable("tbl");
  expectValidation("UpdateTable", R"({"TableName":"tbl","StreamSpecification":{"StreamEnabled":true}})",
                   std::string(kInvalid) + "If stream is being enabled then UpdateViewType is required");
  expectValidation("UpdateTable",
                   R"({"TableName":"tbl","StreamSpecification":{"StreamEnabled":false,"StreamViewType":"KEYS_ONLY"}})",
                   std::string(kInvalid) + "If stream is being disabled, then UpdateViewType must not be specified");
  expectValidation("UpdateTable", R"({"TableName":"tbl","StreamSpecification":{"StreamEnabled":false}})",
                   "Table has no stream to disable: TableName: tbl");
  std::string on = ok("UpdateTable", R"({"TableName":"tbl","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}})");
  EXPECT_THAT(on, ::testing::HasSubstr(R"("TableStatus":"UPDATING")"));
  EXPECT_THAT(on, ::testing::HasSubstr(R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"})"));
  expectValidation("UpdateTable", R"({"TableName":"tbl","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})",
                   "Table already has an enabled stream: TableName: tbl");
  ok("UpdateTable", R"({"TableName":"tbl","StreamSpecification":{"StreamEnabled":false}})");
  std::string d = ok("DescribeTable", R"({"TableName":"tbl"})");
  EXPECT_THAT(d, ::testing::Not(::testing::HasSubstr("StreamSpecification")));
  EXPECT_THAT(d, ::testing::HasSubstr(R"("LatestStreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl/stream/)"));
}

}  // namespace
}  // namespace fdyno::api::testing

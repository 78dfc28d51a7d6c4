#include <simdjson.h>

#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

using TableOps = ApiTest;

constexpr const char* kDefs = R"("AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}])";
constexpr const char* kKeys = R"("KeySchema":[{"AttributeName":"p","KeyType":"HASH"}])";
constexpr const char* kPt = R"("ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5})";

std::string createBody(const std::string& name, const std::string& extra = kPt) {
  return "{\"TableName\":\"" + name + "\"," + kDefs + "," + kKeys + (extra.empty() ? "" : "," + extra) + "}";
}

TEST_F(TableOps, CreateTableResponse) {
  std::string body = ok("CreateTable", createBody("tbl1"));
  simdjson::dom::parser p;
  simdjson::dom::element doc = p.parse(body);
  simdjson::dom::element d = doc["TableDescription"];
  EXPECT_EQ(std::string_view(d["TableName"]), "tbl1");
  EXPECT_EQ(std::string_view(d["TableStatus"]), "CREATING");
  EXPECT_EQ(std::string_view(d["TableArn"]), "arn:aws:dynamodb:us-east-1:000000000000:table/tbl1");
  EXPECT_EQ(std::string_view(d["TableId"]).size(), 36u);
  EXPECT_GT(double(d["CreationDateTime"]), 1.6e9);
  EXPECT_EQ(int64_t(d["ItemCount"]), 0);
  EXPECT_EQ(int64_t(d["TableSizeBytes"]), 0);
  EXPECT_EQ(int64_t(d["ProvisionedThroughput"]["ReadCapacityUnits"]), 5);
  EXPECT_EQ(int64_t(d["ProvisionedThroughput"]["NumberOfDecreasesToday"]), 0);
  EXPECT_FALSE(bool(d["DeletionProtectionEnabled"]));
  EXPECT_EQ(d["BillingModeSummary"].error(), simdjson::NO_SUCH_FIELD);  // provisioned by default
  EXPECT_EQ(simdjson::to_string(d["KeySchema"]), R"([{"AttributeName":"p","KeyType":"HASH"}])");
  EXPECT_EQ(simdjson::to_string(d["AttributeDefinitions"]),
            R"([{"AttributeName":"p","AttributeType":"S"}])");

  std::string desc = ok("DescribeTable", R"({"TableName":"tbl1"})");
  simdjson::dom::element t = p.parse(desc)["Table"];
  EXPECT_EQ(std::string_view(t["TableStatus"]), "ACTIVE");
}

TEST_F(TableOps, CreateOnDemandWithOptions) {
  std::string body = ok("CreateTable", createBody("od1", R"("BillingMode":"PAY_PER_REQUEST","DeletionProtectionEnabled":true,"TableClass":"STANDARD_INFREQUENT_ACCESS","Tags":[{"Key":"a","Value":"b"}])"));
  simdjson::dom::parser p;
  simdjson::dom::element d = p.parse(body)["TableDescription"];
  EXPECT_EQ(std::string_view(d["BillingModeSummary"]["BillingMode"]), "PAY_PER_REQUEST");
  EXPECT_GT(double(d["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"]), 1.6e9);
  EXPECT_EQ(simdjson::to_string(d["ProvisionedThroughput"]),
            R"({"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0})");
  EXPECT_TRUE(bool(d["DeletionProtectionEnabled"]));
  EXPECT_EQ(std::string_view(d["TableClassSummary"]["TableClass"]), "STANDARD_INFREQUENT_ACCESS");
}

TEST_F(TableOps, CreateWithStreamEchoesIt) {
  std::string body = ok("CreateTable", createBody("st1", R"("BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"})"));
  simdjson::dom::parser p;
  simdjson::dom::element d = p.parse(body)["TableDescription"];
  EXPECT_EQ(simdjson::to_string(d["StreamSpecification"]),
            R"({"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"})");
  std::string_view arn = d["LatestStreamArn"];
  EXPECT_EQ(arn.rfind("arn:aws:dynamodb:us-east-1:000000000000:table/st1/stream/", 0), 0u);
}

TEST_F(TableOps, CreateExistingTable) {
  ok("CreateTable", createBody("dup"));
  expectError("CreateTable", createBody("dup"), kInUse, "Table already exists: dup");
}

TEST_F(TableOps, CreateTableNameValidation) {
  expectValidation("CreateTable", std::string("{") + kDefs + "," + kKeys + "," + kPt + "}",
                   "The parameter 'TableName' is required but was not present in the request");
  expectValidation("CreateTable", createBody("ab"),
                   "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member "
                   "must have length greater than or equal to 3");
  expectValidation("CreateTable", createBody(std::string(256, 'a')),
                   "1 validation error detected: Value '" + std::string(256, 'a') +
                       "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal "
                       "to 255");
  expectValidation("CreateTable", createBody("invalid;name"),
                   "1 validation error detected: Value 'invalid;name' at 'tableName' failed to satisfy "
                   "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  expectValidation("CreateTable", createBody("a;"),
                   "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member "
                   "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to "
                   "satisfy constraint: Member must have length greater than or equal to 3");
}

TEST_F(TableOps, CreateSchemaConstraints) {
  expectValidation("CreateTable", R"({"TableName":"abc"})",
                   "2 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy "
                   "constraint: Member must not be null; Value null at 'keySchema' failed to satisfy constraint: "
                   "Member must not be null");
  expectValidation("CreateTable",
                   R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"INVALID"}],)" +
                       std::string(kKeys) + "," + kPt + "}",
                   "1 validation error detected: Value 'INVALID' at 'attributeDefinitions.1.member.attributeType' "
                   "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
  expectValidation("CreateTable",
                   std::string(R"({"TableName":"abc",)") + kDefs +
                       R"(,"KeySchema":[{"AttributeName":"p","KeyType":"INVALID"}],)" + kPt + "}",
                   "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [HASH, RANGE]");
  expectValidation("CreateTable", std::string(R"({"TableName":"abc",)") + kDefs + R"(,"KeySchema":[],)" + kPt + "}",
                   "1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member "
                   "must have length greater than or equal to 1");
  expectValidation(
      "CreateTable",
      std::string(R"({"TableName":"abc",)") + kDefs +
          R"(,"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"RANGE"},{"AttributeName":"c","KeyType":"RANGE"}],)" +
          kPt + "}",
      "1 validation error detected: Value '[KeySchemaElement(attributeName=a, keyType=HASH), "
      "KeySchemaElement(attributeName=b, keyType=RANGE), KeySchemaElement(attributeName=c, keyType=RANGE)]' at "
      "'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
  expectValidation("CreateTable", createBody("abc", R"("BillingMode":"A","ProvisionedThroughput":{"ReadCapacityUnits":-1,"WriteCapacityUnits":-1})"),
                   "3 validation errors detected: Value 'A' at 'billingMode' failed to satisfy constraint: Member "
                   "must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; Value '-1' at "
                   "'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value "
                   "greater than or equal to 1; Value '-1' at 'provisionedThroughput.readCapacityUnits' failed to "
                   "satisfy constraint: Member must have value greater than or equal to 1");
  expectValidation("CreateTable", createBody("abc", R"("ProvisionedThroughput":{})"),
                   "2 validation errors detected: Value null at 'provisionedThroughput.writeCapacityUnits' failed "
                   "to satisfy constraint: Member must not be null; Value null at "
                   "'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must not be null");
}

TEST_F(TableOps, CreateSemanticChecks) {
  expectValidation("CreateTable", createBody("abc", ""),
                   "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both "
                   "be specified when BillingMode is PROVISIONED");
  expectValidation("CreateTable", createBody("abc", std::string(R"("BillingMode":"PAY_PER_REQUEST",)") + kPt),
                   "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can "
                   "be specified when BillingMode is PAY_PER_REQUEST");
  expectValidation("CreateTable", createBody("abc", R"("ProvisionedThroughput":{"ReadCapacityUnits":1000000000001,"WriteCapacityUnits":5})"),
                   "Given value 1000000000001 for ReadCapacityUnits is out of bounds");
  const std::string pt = std::string(",") + kPt + "}";
  expectValidation("CreateTable",
                   std::string(R"({"TableName":"abc",)") + kDefs +
                       R"(,"KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"p","KeyType":"RANGE"}])" + pt,
                   "Invalid KeySchema: Some index key attribute have no definition");
  expectValidation("CreateTable",
                   R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"b","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}])" + pt,
                   "One or more parameter values were invalid: Some index key attributes are not defined in "
                   "AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]");
  expectValidation("CreateTable",
                   R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"a","KeyType":"RANGE"}])" + pt,
                   "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  expectValidation("CreateTable",
                   R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"RANGE"},{"AttributeName":"b","KeyType":"HASH"}])" + pt,
                   "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  expectValidation("CreateTable",
                   R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"HASH"}])" + pt,
                   "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  expectValidation("CreateTable",
                   R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"extra","AttributeType":"N"}],"KeySchema":[{"AttributeName":"p","KeyType":"HASH"}])" + pt,
                   "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                   "match number of attributes defined in AttributeDefinitions");
}

TEST_F(TableOps, DescribeAndDeleteValidation) {
  for (const char* op : {"DescribeTable", "DeleteTable"}) {
    expectValidation(op, "{}", "The parameter 'TableName' is required but was not present in the request");
    expectValidation(op, R"({"TableName":"abc;"})",
                     "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member "
                     "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    expectError(op, R"({"TableName":"nothere"})", kNotFound, "Requested resource not found: Table: nothere not found");
  }
}

TEST_F(TableOps, DeleteTable) {
  ok("CreateTable", createBody("gone"));
  std::string body = ok("DeleteTable", R"({"TableName":"gone"})");
  simdjson::dom::parser p;
  simdjson::dom::element d = p.parse(body)["TableDescription"];
  EXPECT_EQ(std::string_view(d["TableStatus"]), "DELETING");
  EXPECT_EQ(std::string_view(d["TableName"]), "gone");
  expectError("DescribeTable", R"({"TableName":"gone"})", kNotFound,
              "Requested resource not found: Table: gone not found");

  ok("CreateTable", createBody("prot", std::string(kPt) + R"(,"DeletionProtectionEnabled":true)"));
  expectValidation("DeleteTable", R"({"TableName":"prot"})",
                   "Resource cannot be deleted as it is currently protected against deletion. Disable "
                   "deletion protection first.");
  ok("UpdateTable", R"({"TableName":"prot","DeletionProtectionEnabled":false})");
  ok("DeleteTable", R"({"TableName":"prot"})");
}

TEST_F(TableOps, ListTables) {
  EXPECT_EQ(ok("ListTables", "{}"), R"({"TableNames":[]})");
  for (auto n : {"t-c", "t-a", "t-b"}) ok("CreateTable", createBody(n));
  EXPECT_EQ(ok("ListTables", "{}"), R"({"TableNames":["t-a","t-b","t-c"]})");
  EXPECT_EQ(ok("ListTables", R"({"Limit":2})"), R"({"LastEvaluatedTableName":"t-b","TableNames":["t-a","t-b"]})");
  EXPECT_EQ(ok("ListTables", R"({"Limit":2,"ExclusiveStartTableName":"t-b"})"), R"({"TableNames":["t-c"]})");
  expectValidation("ListTables", R"({"Limit":0})",
                   "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                   "have value greater than or equal to 1");
  expectValidation("ListTables", R"({"Limit":101})",
                   "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must "
                   "have value less than or equal to 100");
  expectValidation("ListTables", R"({"ExclusiveStartTableName":"a;","Limit":500})",
                   "3 validation errors detected: Value 'a;' at 'exclusiveStartTableName' failed to satisfy "
                   "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at "
                   "'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or "
                   "equal to 3; Value '500' at 'limit' failed to satisfy constraint: Member must have value less "
                   "than or equal to 100");
}

TEST_F(TableOps, UpdateTable) {
  ok("CreateTable", createBody("up1"));
  expectValidation("UpdateTable", R"({"TableName":"up1"})",
                   "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                   "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  expectValidation("UpdateTable", R"({"TableName":"up1","BillingMode":"PROVISIONED"})",
                   "One or more parameter values were invalid: ProvisionedThroughput must be specified when "
                   "BillingMode is PROVISIONED");
  expectValidation("UpdateTable", R"({"TableName":"up1","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})",
                   "The provisioned throughput for the table will not change. The requested value equals the "
                   "current value. Current ReadCapacityUnits provisioned for the table: 5. Requested "
                   "ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. Requested "
                   "WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current limits and how "
                   "to request higher limits.");
  expectValidation("UpdateTable", R"({"TableName":"up1","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":5}})",
                   "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to "
                   "satisfy constraint: Member must have value greater than or equal to 1");
  expectError("UpdateTable", R"({"TableName":"nope","BillingMode":"PAY_PER_REQUEST"})", kNotFound,
              "Requested resource not found: Table: nope not found");

  std::string body = ok("UpdateTable", R"({"TableName":"up1","ProvisionedThroughput":{"ReadCapacityUnits":20,"WriteCapacityUnits":15}})");
  simdjson::dom::parser p;
  simdjson::dom::element d = p.parse(body)["TableDescription"];
  EXPECT_EQ(std::string_view(d["TableStatus"]), "UPDATING");
  EXPECT_EQ(int64_t(d["ProvisionedThroughput"]["ReadCapacityUnits"]), 20);
  EXPECT_EQ(int64_t(d["ProvisionedThroughput"]["WriteCapacityUnits"]), 15);

  ok("UpdateTable", R"({"TableName":"up1","BillingMode":"PAY_PER_REQUEST"})");
  std::string desc = ok("DescribeTable", R"({"TableName":"up1"})");
  simdjson::dom::element t = p.parse(desc)["Table"];
  EXPECT_EQ(std::string_view(t["BillingModeSummary"]["BillingMode"]), "PAY_PER_REQUEST");
  EXPECT_EQ(std::string_view(t["TableStatus"]), "ACTIVE");
  EXPECT_EQ(int64_t(t["ProvisionedThroughput"]["ReadCapacityUnits"]), 0);
  // PAY_PER_REQUEST -> PAY_PER_REQUEST is accepted (a no-op).
  ok("UpdateTable", R"({"TableName":"up1","BillingMode":"PAY_PER_REQUEST"})");
  expectValidation("UpdateTable", R"({"TableName":"up1","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":3}})",
                   "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                   "can be specified when BillingMode is PAY_PER_REQUEST");
}

// Secondary index definitions are covered in index_ops_test.cc.

}  // namespace
}  // namespace fdyno::api::testing

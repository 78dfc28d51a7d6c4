#include "api/operations.h"
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

using Dispatch = ApiTest;

TEST_F(Dispatch, UnknownOperationHasNoMessage) {
  ApiResponse r = call("FlyToTheMoon", "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
  EXPECT_EQ(findOperation("FlyToTheMoon"), nullptr);
}

TEST_F(Dispatch, KnownButUnimplementedOperationSaysSo) {
  expectValidation("ImportTable", "{}", "fdyno does not support ImportTable yet");
  expectValidation("CreateGlobalTable", "{}", "fdyno does not support CreateGlobalTable yet");
  EXPECT_NE(findOperation("Scan"), nullptr);
  EXPECT_NE(findOperation("PutItem"), nullptr);
}

TEST_F(Dispatch, MalformedJsonIsSerializationException) {
  // Not JSON at all: DynamoDB's bare SerializationException, no message key.
  for (std::string_view body : {"{not json", "", "{broken json"}) {
    ApiResponse r = call("ListTables", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.body, R"({"__type":"com.amazon.coral.service#SerializationException"})") << body;
  }
  expectError("ListTables", "[1,2]", kSerialization, "Start of structure or map found where not expected");
  expectError("GetItem", "\"str\"", kSerialization, "Start of structure or map found where not expected");
}

TEST_F(Dispatch, WrongFieldTypesAreSerializationExceptions) {
  expectError("DescribeTable", R"({"TableName":5})", kSerialization, "NUMBER_VALUE cannot be converted to String");
  expectError("DescribeTable", R"({"TableName":1.5})", kSerialization, "DECIMAL_VALUE cannot be converted to String");
  expectError("DescribeTable", R"({"TableName":true})", kSerialization, "TRUE_VALUE cannot be converted to String");
  expectError("DescribeTable", R"({"TableName":{}})", kSerialization,
              "Start of structure or map found where not expected");
  expectError("DescribeTable", R"({"TableName":[]})", kSerialization,
              "Unrecognized collection type class java.lang.String");
  expectError("ListTables", R"({"Limit":"5"})", kSerialization, "STRING_VALUE cannot be converted to Long");
  expectError("ListTables", R"({"Limit":false})", kSerialization, "FALSE_VALUE cannot be converted to Long");
  expectError("GetItem", R"({"TableName":"abc","Key":[]})", kSerialization,
              "Unrecognized collection type java.util.Map<java.lang.String, "
              "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  expectError("GetItem", R"({"TableName":"abc","Key":"x"})", kSerialization, "Unexpected field type");
  expectError("GetItem", R"({"TableName":"abc","Key":{"p":{"S":"a"}},"ConsistentRead":5})", kSerialization,
              "NUMBER_VALUE cannot be converted to Boolean");
  expectError("CreateTable", R"({"TableName":"abc","KeySchema":{}})", kSerialization,
              "Start of structure or map found where not expected");
  expectError("CreateTable", R"({"TableName":"abc","KeySchema":[5]})", kSerialization,
              "Unexpected value type in payload");
  expectError("CreateTable", R"({"TableName":"abc","ProvisionedThroughput":[]})", kSerialization,
              "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput");
}

TEST_F(Dispatch, NullFieldsCountAsAbsent) {
  std::string body = ok("ListTables", R"({"Limit":null,"ExclusiveStartTableName":null})");
  EXPECT_EQ(body, R"({"TableNames":[]})");
}

}  // namespace
}  // namespace fdyno::api::testing

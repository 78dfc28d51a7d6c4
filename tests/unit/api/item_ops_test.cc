#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

class ItemOps : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashTable("tbh");
    createHashRangeTable("tbr");
  }
};

TEST_F(ItemOps, PutGetDeleteRoundTrip) {
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"k1"},"v":{"N":"42"},"b":{"BOOL":true}}})"), "{}");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"k1"}}})"),
            R"({"Item":{"b":{"BOOL":true},"p":{"S":"k1"},"v":{"N":"42"}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"other"}}})"), "{}");
  EXPECT_EQ(ok("DeleteItem", R"({"TableName":"tbh","Key":{"p":{"S":"k1"}},"ReturnValues":"ALL_OLD"})"),
            R"({"Attributes":{"b":{"BOOL":true},"p":{"S":"k1"},"v":{"N":"42"}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"k1"}},"ConsistentRead":true})"), "{}");
  EXPECT_EQ(ok("DeleteItem", R"({"TableName":"tbh","Key":{"p":{"S":"k1"}},"ReturnValues":"ALL_OLD"})"), "{}");
}

TEST_F(ItemOps, PutReturnValues) {
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{"S":"1"}},"ReturnValues":"ALL_OLD"})"), "{}");
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{"S":"2"}},"ReturnValues":"ALL_OLD"})"),
            R"({"Attributes":{"p":{"S":"a"},"x":{"S":"1"}}})");
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnValues":"NONE"})"), "{}");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnValues":"ALL_NEW"})",
                   "ReturnValues can only be ALL_OLD or NONE");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnValues":"UPDATED_OLD"})",
                   "ReturnValues can only be ALL_OLD or NONE");
  expectValidation("DeleteItem", R"({"TableName":"tbh","Key":{"p":{"S":"a"}},"ReturnValues":"UPDATED_NEW"})",
                   "ReturnValues can only be ALL_OLD or NONE");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnValues":"DOG"})",
                   "1 validation error detected: Value 'DOG' at 'returnValues' failed to satisfy constraint: Member "
                   "must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
}

TEST_F(ItemOps, ConsumedCapacity) {
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL"})"),
            R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0}})");
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnConsumedCapacity":"INDEXES"})"),
            R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}}})");
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnConsumedCapacity":"NONE"})"), "{}");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL"})"),
            R"({"Item":{"p":{"S":"a"}},"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":0.5}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"zz"}},"ConsistentRead":true,"ReturnConsumedCapacity":"TOTAL"})"),
            R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0}})");
  EXPECT_EQ(ok("DeleteItem", R"({"TableName":"tbh","Key":{"p":{"S":"zz"}},"ReturnConsumedCapacity":"TOTAL"})"),
            R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0}})");

  // Item of exactly 1 KB: "p" + "a" (2 bytes) + "another" + value.
  std::string val(1024 - 2 - 7, 'x');
  std::string put = R"({"TableName":"tbh","Item":{"p":{"S":"a"},"another":{"S":")" + val +
                    R"("}},"ReturnConsumedCapacity":"TOTAL"})";
  EXPECT_EQ(ok("PutItem", put), R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0}})");
  std::string put2 = R"({"TableName":"tbh","Item":{"p":{"S":"a"},"another":{"S":")" + val +
                     R"(x"}},"ReturnConsumedCapacity":"TOTAL"})";
  EXPECT_EQ(ok("PutItem", put2), R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":2.0}})");
  // Overwriting a 1025-byte item with a small one still costs 2 (the larger).
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnConsumedCapacity":"TOTAL"})"),
            R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":2.0}})");

  std::string big(5000, 'y');  // 4 KB < size: 2 read units strong, 1 eventual
  ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"b"},"v":{"S":")" + big + R"("}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"b"}},"ConsistentRead":true,"ReturnConsumedCapacity":"TOTAL","ProjectionExpression":null})")
                .substr(0, 8),
            R"({"Item":)");
  std::string r = ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"b"}},"ConsistentRead":true,"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_NE(r.find(R"("ConsumedCapacity":{"TableName":"tbh","CapacityUnits":2.0})"), std::string::npos);
  r = ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"b"}},"ReturnConsumedCapacity":"TOTAL"})");
  EXPECT_NE(r.find(R"("ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0})"), std::string::npos);
  EXPECT_EQ(ok("DeleteItem", R"({"TableName":"tbh","Key":{"p":{"S":"b"}},"ReturnConsumedCapacity":"TOTAL"})"),
            R"({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":5.0}})");

  expectValidation("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"a"}},"ReturnConsumedCapacity":"DUMMY"})",
                   "1 validation error detected: Value 'DUMMY' at 'returnConsumedCapacity' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
}

TEST_F(ItemOps, MissingTable) {
  expectError("PutItem", R"({"TableName":"nope","Item":{"p":{"S":"a"}}})", kNotFound, "Requested resource not found");
  expectError("GetItem", R"({"TableName":"nope","Key":{"p":{"S":"a"}}})", kNotFound, "Requested resource not found");
  expectError("DeleteItem", R"({"TableName":"nope","Key":{}})", kNotFound, "Requested resource not found");
}

TEST_F(ItemOps, TableNameAndRequiredMembers) {
  expectValidation("PutItem", R"({"Item":{"p":{"S":"a"}}})",
                   "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member "
                   "must not be null");
  expectValidation("PutItem", R"({"TableName":"","Item":{"p":{"S":"a"}}})",
                   "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must "
                   "have length greater than or equal to 1");
  expectValidation("PutItem", R"({"TableName":"bad table!@#","Item":{"p":{"S":"a"}}})",
                   "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: "
                   "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  // A too-short name is a ValidationException, not ResourceNotFoundException
  // (ScyllaDB test_item_operations_improper_named_table).
  for (const char* op : {"PutItem", "GetItem", "DeleteItem", "UpdateItem"}) {
    expectValidation(op, R"({"TableName":"xx","Item":{"p":{"S":"a"}},"Key":{"p":{"S":"a"}}})",
                     "1 validation error detected: Value 'xx' at 'tableName' failed to satisfy constraint: Member "
                     "must have length greater than or equal to 3");
  }
  expectValidation("PutItem", R"({"TableName":"a;","Item":{"p":{"S":"a"}}})",
                   "2 validation errors detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member "
                   "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to "
                   "satisfy constraint: Member must have length greater than or equal to 3");
  expectValidation("PutItem", "{\"TableName\":\"" + std::string(256, 'a') + "\",\"Item\":{\"p\":{\"S\":\"a\"}}}",
                   "1 validation error detected: Value '" + std::string(256, 'a') +
                       "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal "
                       "to 255");
  expectValidation("PutItem", "{}",
                   "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member "
                   "must not be null; Value null at 'item' failed to satisfy constraint: Member must not be null");
  expectValidation("GetItem", R"({"TableName":"tbh"})",
                   "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not "
                   "be null");
  expectValidation("DeleteItem", R"({"TableName":"tbh","ReturnValues":"hi","ReturnConsumedCapacity":"hi","ReturnItemCollectionMetrics":"hi"})",
                   "4 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value 'hi' at "
                   "'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, "
                   "UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; Value 'hi' at 'returnItemCollectionMetrics' failed "
                   "to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; Value null at 'key' "
                   "failed to satisfy constraint: Member must not be null");
}

TEST_F(ItemOps, KeyValidationOnPut) {
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"x":{"S":"a"}}})",
                   "One or more parameter values were invalid: Missing the key p in the item");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"N":"1"}}})",
                   "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N");
  expectValidation("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"a"}}})",
                   "One or more parameter values were invalid: Missing the key c in the item");
  expectValidation("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"a"},"c":{"B":"AAE="}}})",
                   "One or more parameter values were invalid: Type mismatch for key c expected: N actual: B");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":""}}})",
                   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                   "contain an empty string value. Key: p");
  EXPECT_EQ(ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"empty":{"S":""}}})"), "{}");
}

TEST_F(ItemOps, KeyValidationOnGetAndDelete) {
  const std::string kMismatch = "The provided key element does not match the schema";
  expectValidation("GetItem", R"({"TableName":"tbh","Key":{"q":{"S":"a"}}})", kMismatch);
  expectValidation("GetItem", R"({"TableName":"tbh","Key":{"p":{"N":"1"}}})", kMismatch);
  expectValidation("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"a"},"x":{"S":"b"}}})", kMismatch);
  expectValidation("GetItem", R"({"TableName":"tbr","Key":{"p":{"S":"a"}}})", kMismatch);
  expectValidation("DeleteItem", R"({"TableName":"tbr","Key":{"p":{"S":"a"}}})", kMismatch);
  expectValidation("DeleteItem", R"({"TableName":"tbh","Key":{}})", kMismatch);
  expectValidation("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":""}}})",
                   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                   "contain an empty string value. Key: p");
}

TEST_F(ItemOps, AttributeValueErrorsComeFromTheModel) {
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{}}})",
                   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{"SS":[]}}})",
                   "One or more parameter values were invalid: An string set  may not be empty");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{"SS":["a","a"]}}})",
                   "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  expectValidation("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{"S":"a","N":"1"}}})",
                   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                   "supported datatypes");
  ApiResponse r = call("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":5}}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("SerializationException"), std::string::npos) << r.body;
}

// The 400 KB item size limit: tests/api_cases/items.txt.

TEST_F(ItemOps, CountsShowInDescribeTable) {
  ok("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"a"},"c":{"N":"1"}}})");
  ok("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"a"},"c":{"N":"2"}}})");
  ok("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"a"},"c":{"N":"2.0"}}})");  // same key as 2
  std::string d = ok("DescribeTable", R"({"TableName":"tbr"})");
  EXPECT_NE(d.find(R"("ItemCount":2)"), std::string::npos) << d;
  EXPECT_NE(d.find(R"("TableSizeBytes":10)"), std::string::npos) << d;  // 2 x ("p"+"a" + "c" + 2-byte number)
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbr","Key":{"p":{"S":"a"},"c":{"N":"2"}}})"),
            R"({"Item":{"c":{"N":"2"},"p":{"S":"a"}}})");
}

// Conditions, projections and legacy parameters are implemented now; their
// tests live in conditions_test.cc, update_item_test.cc and legacy_items_test.cc.
TEST_F(ItemOps, ConditionAndProjectionMembersAreAccepted) {
  EXPECT_EQ(ok("PutItem", R"x({"TableName":"tbh","Item":{"p":{"S":"a"}},"ConditionExpression":"attribute_not_exists(p)"})x"), "{}");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbh","Key":{"p":{"S":"a"}},"ProjectionExpression":"p"})"), R"({"Item":{"p":{"S":"a"}}})");
  EXPECT_EQ(ok("DeleteItem", R"({"TableName":"tbh","Key":{"p":{"S":"a"}},"Expected":{"p":{"Exists":true,"Value":{"S":"a"}}}})"), "{}");
}

}  // namespace
}  // namespace fdyno::api::testing

// BatchGetItem and BatchWriteItem through the Dispatcher. Expected texts are
// DynamoDB's (dynalite's batch tests, recorded against DynamoDB, and
// nubo-db/dynamodb-conformance tier1/tier3 batch tests).
#include <string>

#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

class BatchOps : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashTable("tbh");
    createHashRangeTable("tbr");
  }

  // {"RequestItems":{"tbh":[<n> puts of p=<prefix><i>]}}
  static std::string puts(const std::string& table, int n, const std::string& prefix = "k") {
    std::string b = R"({"RequestItems":{")" + table + R"(":[)";
    for (int i = 0; i < n; ++i) {
      if (i) b += ',';
      b += R"({"PutRequest":{"Item":{"p":{"S":")" + prefix + std::to_string(i) + R"("}}}})";
    }
    return b + "]}}";
  }
};

constexpr const char* kDup = "Provided list of item keys contains duplicates";
constexpr const char* kUnion =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";

TEST_F(BatchOps, WriteThenGetAcrossTables) {
  EXPECT_EQ(ok("BatchWriteItem", R"({"RequestItems":{
      "tbh":[{"PutRequest":{"Item":{"p":{"S":"a"},"v":{"N":"1"}}}},{"PutRequest":{"Item":{"p":{"S":"b"}}}}],
      "tbr":[{"PutRequest":{"Item":{"p":{"S":"a"},"c":{"N":"1"},"x":{"S":"y"}}}}]}})"),
            R"({"UnprocessedItems":{}})");
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{
      "tbh":{"Keys":[{"p":{"S":"a"}},{"p":{"S":"missing"}},{"p":{"S":"b"}}],"ConsistentRead":true},
      "tbr":{"Keys":[{"p":{"S":"a"},"c":{"N":"1"}}]}}})"),
            R"({"Responses":{"tbh":[{"p":{"S":"a"},"v":{"N":"1"}},{"p":{"S":"b"}}],)"
            R"("tbr":[{"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"y"}}]},"UnprocessedKeys":{}})");
  // A table none of whose keys exist still gets its (empty) list.
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"nope"}}]}}})"),
            R"({"Responses":{"tbh":[]},"UnprocessedKeys":{}})");
  // Deletes, and a put replacing a whole item.
  EXPECT_EQ(ok("BatchWriteItem", R"({"RequestItems":{"tbh":[{"DeleteRequest":{"Key":{"p":{"S":"a"}}}},
      {"PutRequest":{"Item":{"p":{"S":"b"},"w":{"BOOL":true}}}}]}})"),
            R"({"UnprocessedItems":{}})");
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}},{"p":{"S":"b"}}]}}})"),
            R"({"Responses":{"tbh":[{"p":{"S":"b"},"w":{"BOOL":true}}]},"UnprocessedKeys":{}})");
}

TEST_F(BatchOps, GetProjection) {
  ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"a"},"x":{"S":"1"},"y":{"S":"2"},"z":{"S":"3"}}})");
  // Key attributes are not added to a projection.
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}],"ProjectionExpression":"x, #z",
      "ExpressionAttributeNames":{"#z":"z"}}}})"),
            R"({"Responses":{"tbh":[{"x":{"S":"1"},"z":{"S":"3"}}]},"UnprocessedKeys":{}})");
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}],"AttributesToGet":["p","y"]}}})"),
            R"({"Responses":{"tbh":[{"p":{"S":"a"},"y":{"S":"2"}}]},"UnprocessedKeys":{}})");
  expectValidation("BatchGetItem",
                   R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}],"AttributesToGet":["p"],"ProjectionExpression":"p"}}})",
                   "Can not use both expression and non-expression parameters in the same request: "
                   "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
  expectValidation("BatchGetItem",
                   R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}],"ProjectionExpression":"#a",
                      "ExpressionAttributeNames":{"#a":"a","#b":"b"}}}})",
                   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}],"AttributesToGet":["a","a"]}}})",
                   "One or more parameter values were invalid: Duplicate value in attribute name: a");
}

TEST_F(BatchOps, GetValidation) {
  expectValidation("BatchGetItem", R"({})", "The requestItems parameter is required for BatchGetItem");
  expectValidation("BatchGetItem", R"({"RequestItems":{}})", "The requestItems parameter is required for BatchGetItem");
  std::string keys;
  for (int i = 0; i < 101; ++i) keys += std::string(i ? "," : "") + R"({"p":{"S":"k)" + std::to_string(i) + R"("}})";
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[)" + keys + "]}}}",
                   "1 validation error detected: Value at 'RequestItems.tbh.member.Keys' failed to satisfy "
                   "constraint: Member must have length less than or equal to 100");
  std::string keys100 = keys.substr(0, keys.rfind(",{"));
  expectValidation("BatchGetItem",
                   R"({"RequestItems":{"tbh":{"Keys":[)" + keys100 + R"(]},"tbr":{"Keys":[{"p":{"S":"x"},"c":{"N":"1"}}]}}})",
                   "Too many items requested for the BatchGetItem call");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[]}}})",
                   "1 validation error detected: Value '[]' at 'requestItems.tbh.member.keys' failed to satisfy "
                   "constraint: Member must have length greater than or equal to 1");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{}},"ReturnConsumedCapacity":"hi"})",
                   "2 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value null at "
                   "'requestItems.tbh.member.keys' failed to satisfy constraint: Member must not be null");
  ApiResponse r = call("BatchGetItem", R"({"RequestItems":{"a":{"Keys":[{"p":{"S":"a"}}]}}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("1 validation error detected: Value '{a=com.amazonaws.dynamodb.v20120810.KeysAndAttributes@"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("' at 'requestItems' failed to satisfy constraint: Map keys must satisfy constraint: "
                        "[Member must have length less than or equal to 255, Member must have length greater than "
                        "or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"),
            std::string::npos)
      << r.body;

  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}},{"p":{"S":"b"}},{"p":{"S":"a"}}]}}})",
                   kDup);
  // Numbers compare by value.
  createHashTable("tbn", "N");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbn":{"Keys":[{"p":{"N":"1000"}},{"p":{"N":"1e3"}}]}}})", kDup);
  // Duplicates are found before the table is looked up.
  expectValidation("BatchGetItem", R"({"RequestItems":{"nosuch":{"Keys":[{"p":{"S":"a"}},{"p":{"S":"a"}}]}}})", kDup);
  expectError("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}]},"nosuch":{"Keys":[{"p":{"S":"a"}}]}}})",
              kNotFound, "Requested resource not found");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"N":"1"}}]}}})",
                   "The provided key element does not match the schema");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"},"q":{"S":"b"}}]}}})",
                   "The provided key element does not match the schema");
  expectValidation("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":""}}]}}})",
                   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                   "contain an empty string value. Key: p");
  expectError("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}],"ConsistentRead":[]}}})",
              kSerialization, "Unrecognized collection type class java.lang.Boolean");
  expectError("BatchGetItem", R"({"RequestItems":[]})", kSerialization,
              "Unrecognized collection type java.util.Map<java.lang.String, "
              "com.amazonaws.dynamodb.v20120810.KeysAndAttributes>");
}

TEST_F(BatchOps, GetConsumedCapacityPerTable) {
  ok("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"a"}}}},{"PutRequest":{"Item":{"p":{"S":"b"},"v":{"S":")" +
                           std::string(5000, 'v') + R"("}}}}]}})");
  // Per item: a = 1 unit (strong), b = 2 units, missing = 1.
  EXPECT_EQ(ok("BatchGetItem", R"({"ReturnConsumedCapacity":"TOTAL","RequestItems":{
      "tbh":{"Keys":[{"p":{"S":"a"}},{"p":{"S":"b"}},{"p":{"S":"c"}}],"ConsistentRead":true,"ProjectionExpression":"p"},
      "tbr":{"Keys":[{"p":{"S":"a"},"c":{"N":"1"}}]}}})"),
            R"({"Responses":{"tbh":[{"p":{"S":"a"}},{"p":{"S":"b"}}],"tbr":[]},"UnprocessedKeys":{},)"
            R"("ConsumedCapacity":[{"TableName":"tbh","CapacityUnits":4.0},{"TableName":"tbr","CapacityUnits":0.5}]})");
  EXPECT_EQ(ok("BatchGetItem", R"({"ReturnConsumedCapacity":"INDEXES","RequestItems":{"tbh":{"Keys":[{"p":{"S":"a"}}]}}})"),
            R"({"Responses":{"tbh":[{"p":{"S":"a"}}]},"UnprocessedKeys":{},)"
            R"("ConsumedCapacity":[{"TableName":"tbh","CapacityUnits":0.5,"Table":{"CapacityUnits":0.5}}]})");
}

TEST_F(BatchOps, GetResponseLimitLeavesUnprocessedKeys) {
  // 50 items of ~390 KB: about 19 MB, beyond the 16 MB response limit.
  std::string big(390 * 1024, 'x');
  for (int i = 0; i < 50; ++i) {
    ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"k)" + std::to_string(i) + R"("},"v":{"S":")" + big + R"("}}})");
  }
  std::string keys;
  for (int i = 0; i < 50; ++i) keys += std::string(i ? "," : "") + R"({"p":{"S":"k)" + std::to_string(i) + R"("}})";
  std::string r = ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[)" + keys +
                                         R"(],"ConsistentRead":true,"ProjectionExpression":"p"}}})");
  // 16 MB / ~390 KB = 42 items fit; the other 8 come back with the table's
  // other parameters.
  size_t returned = 0;
  for (size_t at = r.find(R"({"p":{"S":"k)"); at != std::string::npos; at = r.find(R"({"p":{"S":"k)", at + 1)) ++returned;
  EXPECT_EQ(returned, 50u);  // 42 in Responses + 8 in UnprocessedKeys
  EXPECT_NE(r.find(R"("UnprocessedKeys":{"tbh":{"Keys":[{"p":{"S":"k42"}},)"), std::string::npos) << r.substr(0, 300);
  EXPECT_NE(r.find(R"({"p":{"S":"k49"}}],"ConsistentRead":true,"ProjectionExpression":"p"}})"), std::string::npos);
  EXPECT_LT(r.find(R"({"p":{"S":"k41"}})"), r.find(R"("UnprocessedKeys")"));
  EXPECT_GT(r.find(R"({"p":{"S":"k42"}})"), r.find(R"("UnprocessedKeys")"));
}

TEST_F(BatchOps, WriteValidation) {
  expectValidation("BatchWriteItem", R"({"RequestItems":{}})", "The requestItems parameter is required for BatchWriteItem");
  expectValidation("BatchWriteItem", R"({})", "The requestItems parameter is required for BatchWriteItem");
  ApiResponse r = call("BatchWriteItem", puts("tbh", 26));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find(R"("message":"1 validation error detected: Value '{tbh=[com.amazonaws.dynamodb.v20120810.WriteRequest@)"),
            r.body.find(R"("message")"))
      << r.body;
  EXPECT_NE(r.body.find("]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                        "[Member must have length less than or equal to 25, Member must have length greater than "
                        "or equal to 1]\"}"),
            std::string::npos)
      << r.body;
  // 25 per table but 26 in all.
  std::string both = puts("tbh", 13);
  both = both.substr(0, both.size() - 2) + R"(,"tbr":[)";
  for (int i = 0; i < 13; ++i) both += std::string(i ? "," : "") + R"({"DeleteRequest":{"Key":{"p":{"S":"x"},"c":{"N":")" + std::to_string(i) + R"("}}}})";
  both += "]}}";
  expectValidation("BatchWriteItem", both, "Too many items requested for the BatchWriteItem call");

  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{}]}})", kUnion);
  expectValidation("BatchWriteItem",
                   R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"a"}}},"DeleteRequest":{"Key":{"p":{"S":"a"}}}}]}})",
                   kUnion);
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{},"DeleteRequest":{}}]},"ReturnItemCollectionMetrics":"hi"})",
                   "3 validation errors detected: Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [SIZE, NONE]; Value null at "
                   "'requestItems.tbh.member.1.member.deleteRequest.key' failed to satisfy constraint: Member must "
                   "not be null; Value null at 'requestItems.tbh.member.1.member.putRequest.item' failed to satisfy "
                   "constraint: Member must not be null");
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":""}}}}]}})",
                   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                   "contain an empty string value. Key: p");
  // Checked before the table: value errors and item size.
  expectValidation("BatchWriteItem", R"({"RequestItems":{"nosuch":[{"PutRequest":{"Item":{"p":{"NULL":false}}}}]}})",
                   "One or more parameter values were invalid: Null attribute value types must have the value of true");
  expectValidation("BatchWriteItem", R"({"RequestItems":{"nosuch":[{"PutRequest":{"Item":{"p":{"S":"a"},"v":{"S":")" +
                                         std::string(400 * 1024, 'x') + R"("}}}}]}})",
                   "Item size has exceeded the maximum allowed size");
  expectError("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"a"}}}}],"nosuch":[{"PutRequest":{"Item":{"p":{"S":"a"}}}}]}})",
              kNotFound, "Requested resource not found");
  // A batch put words key errors like a Key, unlike PutItem.
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"q":{"S":"a"}}}}]}})",
                   "The provided key element does not match the schema");
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"N":"1"}}}}]}})",
                   "The provided key element does not match the schema");
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbr":[{"DeleteRequest":{"Key":{"p":{"S":"a"}}}}]}})",
                   "The provided key element does not match the schema");
  expectError("BatchWriteItem", R"({"RequestItems":{"tbh":{}}})", kSerialization,
              "Start of structure or map found where not expected");
}

TEST_F(BatchOps, WriteDuplicatesAndAtomicValidation) {
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"d"}}}},{"DeleteRequest":{"Key":{"p":{"S":"d"}}}}]}})",
                   kDup);
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbr":[{"PutRequest":{"Item":{"p":{"S":"d"},"c":{"N":"1000"}}}},
      {"PutRequest":{"Item":{"p":{"S":"d"},"c":{"N":"1e3"}}}}]}})",
                   kDup);
  // Same key in two tables is fine; same hash key with another sort key too.
  ok("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"d"}}}}],
      "tbr":[{"PutRequest":{"Item":{"p":{"S":"d"},"c":{"N":"1"}}}},{"PutRequest":{"Item":{"p":{"S":"d"},"c":{"N":"2"}}}}]}})");
  // One bad item rejects the whole batch: nothing is written.
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"w1"}}}},
      {"PutRequest":{"Item":{"p":{"N":"3"}}}},{"PutRequest":{"Item":{"p":{"S":"w2"}}}}]}})",
                   "The provided key element does not match the schema");
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"w1"}},{"p":{"S":"w2"}}]}}})"),
            R"({"Responses":{"tbh":[]},"UnprocessedKeys":{}})");
}

TEST_F(BatchOps, WriteConsumedCapacityAndMetrics) {
  std::string kb(1024, 'a');
  EXPECT_EQ(ok("BatchWriteItem", R"({"ReturnConsumedCapacity":"TOTAL","RequestItems":{
      "tbh":[{"PutRequest":{"Item":{"p":{"S":"a"}}}},{"PutRequest":{"Item":{"p":{"S":"b"},"v":{"S":")" + kb + R"("}}}}],
      "tbr":[{"DeleteRequest":{"Key":{"p":{"S":"a"},"c":{"N":"1"}}}}]}})"),
            R"({"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"tbh","CapacityUnits":3.0},)"
            R"({"TableName":"tbr","CapacityUnits":1.0}]})");
  // Deleting the 1 KB+ item costs its size.
  EXPECT_EQ(ok("BatchWriteItem", R"({"ReturnConsumedCapacity":"INDEXES","RequestItems":{"tbh":[{"DeleteRequest":{"Key":{"p":{"S":"b"}}}}]}})"),
            R"({"UnprocessedItems":{},"ConsumedCapacity":[{"TableName":"tbh","CapacityUnits":2.0,"Table":{"CapacityUnits":2.0}}]})");
  // No local index: no ItemCollectionMetrics.
  EXPECT_EQ(ok("BatchWriteItem", R"({"ReturnItemCollectionMetrics":"SIZE","RequestItems":{"tbh":[{"PutRequest":{"Item":{"p":{"S":"a"}}}}]}})"),
            R"({"UnprocessedItems":{}})");
  ok("CreateTable", R"({"TableName":"tbl","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},
      {"AttributeName":"c","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],
      "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},
        {"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(ok("BatchWriteItem", R"({"ReturnItemCollectionMetrics":"SIZE","RequestItems":{"tbl":[
      {"PutRequest":{"Item":{"p":{"S":"x"},"c":{"S":"1"}}}},{"PutRequest":{"Item":{"p":{"S":"x"},"c":{"S":"2"}}}},
      {"DeleteRequest":{"Key":{"p":{"S":"y"},"c":{"S":"1"}}}}]}})"),
            R"({"UnprocessedItems":{},"ItemCollectionMetrics":{"tbl":[)"
            R"({"ItemCollectionKey":{"p":{"S":"x"}},"SizeEstimateRangeGB":[0.0,1.0]},)"
            R"({"ItemCollectionKey":{"p":{"S":"y"}},"SizeEstimateRangeGB":[0.0,1.0]}]}})");
  // Index key attributes must have their declared type.
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbl":[{"PutRequest":{"Item":{"p":{"S":"x"},"c":{"S":"3"},"l":{"N":"1"}}}}]}})",
                   "One or more parameter values were invalid: Type mismatch for Index Key l Expected: S Actual: N "
                   "IndexName: lsi");
}

// The whole batch commits in one kv transaction; a GSI key of the wrong type
// anywhere rejects it before anything is written, in every table.
TEST_F(BatchOps, WriteWithGsiAcrossTablesIsAllOrNothing) {
  ok("CreateTable", R"({"TableName":"tbg","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},
      {"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],
      "GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
        "Projection":{"ProjectionType":"ALL"}}],"BillingMode":"PAY_PER_REQUEST"})");
  ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"keep"}}})");
  expectValidation("BatchWriteItem", R"({"RequestItems":{"tbh":[{"DeleteRequest":{"Key":{"p":{"S":"keep"}}}}],
      "tbg":[{"PutRequest":{"Item":{"p":{"S":"a"},"g":{"S":"x"}}}},{"PutRequest":{"Item":{"p":{"S":"b"},"g":{"N":"1"}}}}]}})",
                   "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N "
                   "IndexName: byg");
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"keep"}}]},"tbg":{"Keys":[{"p":{"S":"a"}}]}}})"),
            R"({"Responses":{"tbh":[{"p":{"S":"keep"}}],"tbg":[]},"UnprocessedKeys":{}})");
  // A good batch: puts, a replacing put moving the index key, deletes.
  ok("BatchWriteItem", R"({"RequestItems":{"tbg":[{"PutRequest":{"Item":{"p":{"S":"a"},"g":{"S":"x"}}}},
      {"PutRequest":{"Item":{"p":{"S":"b"},"g":{"S":"x"}}}},{"PutRequest":{"Item":{"p":{"S":"c"},"g":{"S":"y"}}}}]}})");
  EXPECT_EQ(ok("BatchWriteItem", R"({"RequestItems":{"tbh":[{"DeleteRequest":{"Key":{"p":{"S":"keep"}}}}],
      "tbg":[{"PutRequest":{"Item":{"p":{"S":"a"},"g":{"S":"y"}}}},{"DeleteRequest":{"Key":{"p":{"S":"b"}}}},
             {"DeleteRequest":{"Key":{"p":{"S":"zz"}}}}]}})"),
            R"({"UnprocessedItems":{}})");
  EXPECT_EQ(ok("BatchGetItem", R"({"RequestItems":{"tbh":{"Keys":[{"p":{"S":"keep"}}]}}})"),
            R"({"Responses":{"tbh":[]},"UnprocessedKeys":{}})");
  EXPECT_EQ(ok("Query", R"({"TableName":"tbg","IndexName":"byg","KeyConditionExpression":"g = :g",
      "ExpressionAttributeValues":{":g":{"S":"y"}},"Select":"COUNT"})"),
            R"({"Count":2,"ScannedCount":2})");
  EXPECT_EQ(ok("Query", R"({"TableName":"tbg","IndexName":"byg","KeyConditionExpression":"g = :g",
      "ExpressionAttributeValues":{":g":{"S":"x"}},"Select":"COUNT"})"),
            R"({"Count":0,"ScannedCount":0})");
}

}  // namespace
}  // namespace fdyno::api::testing

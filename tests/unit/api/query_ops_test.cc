// Query and Scan through the dispatcher: results, paging and DynamoDB's
// exact messages.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

class QueryOps : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashRangeTable("tbr");  // p S, c N
    createHashTable("tbh");
    for (int c = 0; c < 5; ++c) {
      ok("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"a"},"c":{"N":")" + std::to_string(c) +
                        R"("},"x":{"N":")" + std::to_string(c % 2) + R"("}}})");
    }
    ok("PutItem", R"({"TableName":"tbr","Item":{"p":{"S":"b"},"c":{"N":"1"}}})");
    ok("PutItem", R"({"TableName":"tbh","Item":{"p":{"S":"k1"},"v":{"S":"one"}}})");
  }
};

TEST_F(QueryOps, QueryWithSortConditionAndReverse) {
  EXPECT_EQ(ok("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p AND c BETWEEN :a AND :b",)"
                        R"("ExpressionAttributeValues":{":p":{"S":"a"},":a":{"N":"1"},":b":{"N":"2"}}})"),
            R"({"Items":[{"c":{"N":"1"},"p":{"S":"a"},"x":{"N":"1"}},{"c":{"N":"2"},"p":{"S":"a"},"x":{"N":"0"}}],)"
            R"("Count":2,"ScannedCount":2})");
  EXPECT_EQ(ok("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p AND c > :a","ScanIndexForward":false,)"
                        R"("ProjectionExpression":"c","ExpressionAttributeValues":{":p":{"S":"a"},":a":{"N":"2"}}})"),
            R"({"Items":[{"c":{"N":"4"}},{"c":{"N":"3"}}],"Count":2,"ScannedCount":2})");
}

TEST_F(QueryOps, LimitCountsItemsBeforeTheFilter) {
  EXPECT_EQ(ok("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","FilterExpression":"x = :one",)"
                        R"("Limit":3,"ExpressionAttributeValues":{":p":{"S":"a"},":one":{"N":"1"}}})"),
            R"({"Items":[{"c":{"N":"1"},"p":{"S":"a"},"x":{"N":"1"}}],"Count":1,"ScannedCount":3,)"
            R"("LastEvaluatedKey":{"c":{"N":"2"},"p":{"S":"a"}}})");
  EXPECT_EQ(ok("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","FilterExpression":"x = :one",)"
                        R"("Limit":3,"ExclusiveStartKey":{"c":{"N":"2"},"p":{"S":"a"}},)"
                        R"("ExpressionAttributeValues":{":p":{"S":"a"},":one":{"N":"1"}}})"),
            R"({"Items":[{"c":{"N":"3"},"p":{"S":"a"},"x":{"N":"1"}}],"Count":1,"ScannedCount":2})");
}

TEST_F(QueryOps, SelectCountAndCapacity) {
  EXPECT_EQ(ok("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","Select":"COUNT",)"
                        R"("ReturnConsumedCapacity":"TOTAL","ExpressionAttributeValues":{":p":{"S":"a"}}})"),
            R"({"Count":5,"ScannedCount":5,"ConsumedCapacity":{"TableName":"tbr","CapacityUnits":0.5}})");
  EXPECT_EQ(ok("Scan", R"({"TableName":"tbh","ConsistentRead":true,"ReturnConsumedCapacity":"INDEXES"})"),
            R"({"Items":[{"p":{"S":"k1"},"v":{"S":"one"}}],"Count":1,"ScannedCount":1,)"
            R"("ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}}})");
}

TEST_F(QueryOps, ScanSegmentsAndFilter) {
  EXPECT_EQ(ok("Scan", R"({"TableName":"tbr","FilterExpression":"c = :c","ExpressionAttributeValues":{":c":{"N":"1"}},)"
                       R"("Select":"COUNT"})"),
            R"({"Count":2,"ScannedCount":6})");
  EXPECT_EQ(ok("Scan", R"({"TableName":"tbh","Segment":0,"TotalSegments":1})"),
            R"({"Items":[{"p":{"S":"k1"},"v":{"S":"one"}}],"Count":1,"ScannedCount":1})");
}

TEST_F(QueryOps, QueryValidationMessages) {
  expectValidation("Query", R"({"TableName":"tbr"})",
                   "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"c = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})",
                   "Query condition missed key schema element: p");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :v","ExpressionAttributeValues":{":v":{"S":"a"}},)"
                            R"("ExpressionAttributeNames":{"#u":"x"}})",
                   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :v","ExpressionAttributeValues":{":v":{"S":"a"}},"Select":"BAD"})",
                   "1 validation error detected: Value 'BAD' at 'select' failed to satisfy constraint: Member must "
                   "satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :v","ExpressionAttributeValues":{":v":{"S":"a"}},"Limit":0})",
                   "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have "
                   "value greater than or equal to 1");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"","ExpressionAttributeValues":{":v":{"S":"a"}}})",
                   "Invalid KeyConditionExpression: The expression can not be empty;");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","FilterExpression":"#m = :f",)"
                            R"("ExpressionAttributeValues":{":p":{"S":"a"},":f":{"S":"x"}}})",
                   "Invalid FilterExpression: An expression attribute name used in the document path is not defined; "
                   "attribute name: #m");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","FilterExpression":"c = :p",)"
                            R"("ExpressionAttributeValues":{":p":{"S":"a"}}})",
                   "Filter Expression can only contain non-primary key attributes: Primary key attribute: c");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","ExclusiveStartKey":{"p":{"S":"b"},"c":{"N":"1"}},)"
                            R"("ExpressionAttributeValues":{":p":{"S":"a"}}})",
                   "The provided starting key is outside query boundaries based on provided conditions");
  expectValidation("Query", R"({"TableName":"tbr","KeyConditionExpression":"p = :p","ProjectionExpression":"x","Select":"COUNT",)"
                            R"("ExpressionAttributeValues":{":p":{"S":"a"}}})",
                   "Cannot specify the ProjectionExpression when choosing to get only the Count");
  expectError("Query", R"({"TableName":"nope","KeyConditionExpression":"p = :p","ExpressionAttributeValues":{":p":{"S":"a"}}})",
              kNotFound, "Requested resource not found");
}

TEST_F(QueryOps, ScanValidationMessages) {
  expectValidation("Scan", R"({"TableName":"tbh","Segment":0})",
                   "The TotalSegments parameter is required but was not present in the request when Segment "
                   "parameter is present");
  expectValidation("Scan", R"({"TableName":"tbh","TotalSegments":4})",
                   "The Segment parameter is required but was not present in the request when parameter "
                   "TotalSegments is present");
  expectValidation("Scan", R"({"TableName":"tbh","Segment":5,"TotalSegments":5})",
                   "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 "
                   "is not less than TotalSegments: 5");
  expectValidation("Scan", R"({"TableName":"tbh","Limit":0})",
                   "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must "
                   "have value greater than or equal to 1");
  expectValidation("Scan", R"({"TableName":"tbh","Segment":0,"TotalSegments":1000001})",
                   "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: "
                   "Member must have value less than or equal to 1000000");
  expectValidation("Scan", R"({"TableName":"tbh","Select":"ALL_ATTRIBUTES","ProjectionExpression":"p"})",
                   "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES");
  expectValidation("Scan", R"({"TableName":"tbh","Select":"ALL_PROJECTED_ATTRIBUTES"})",
                   "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  expectValidation("Scan", R"({"TableName":"tbh","Select":"SPECIFIC_ATTRIBUTES"})",
                   "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  expectValidation("Scan", R"({"TableName":"tbh","ExclusiveStartKey":{"q":{"S":"x"}}})",
                   "The provided starting key is invalid: The provided key element does not match the schema");
  expectValidation("Scan", R"({"TableName":"tbh","ExpressionAttributeValues":{":a":{"S":"x"}}})",
                   "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null");
  expectError("Scan", R"({"TableName":"_missing_table"})", kNotFound, "Requested resource not found");
}

}  // namespace
}  // namespace fdyno::api::testing

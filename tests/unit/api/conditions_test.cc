// ConditionExpression on PutItem/UpdateItem/DeleteItem, expression
// parameter validation order, ProjectionExpression on GetItem.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

constexpr const char* kCcf = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";

class Conditions : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashTable("tbh");
    ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"},"n":{"N":"1"}}})J");
  }
  std::string get(const std::string& p) {
    return ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":")J" + p + R"J("}}})J");
  }
  void expectFailed(std::string_view op, std::string_view body) {
    ApiResponse r = call(op, body);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, errorBody(kCcf, "The conditional request failed")) << body;
  }
};

TEST_F(Conditions, PutItem) {
  expectFailed("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"ConditionExpression":"attribute_not_exists(p)"})J");
  EXPECT_EQ(get("a"), R"J({"Item":{"n":{"N":"1"},"p":{"S":"a"}}})J");
  EXPECT_EQ(ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"b"}},"ConditionExpression":"attribute_not_exists(p)"})J"), "{}");
  EXPECT_EQ(ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"},"n":{"N":"2"}},"ConditionExpression":"n = :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"ALL_OLD"})J"),
            R"J({"Attributes":{"n":{"N":"1"},"p":{"S":"a"}}})J");
}

TEST_F(Conditions, ReturnOldItemOnFailure) {
  ApiResponse r = call("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"ConditionExpression":"attribute_not_exists(p)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})J");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"J({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"n":{"N":"1"},"p":{"S":"a"}}})J");
  // Missing item: no Item member.
  r = call("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"zz"}},"ConditionExpression":"attribute_exists(p)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})J");
  EXPECT_EQ(r.body, errorBody(kCcf, "The conditional request failed"));
  r = call("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET n = :v","ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"9"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"})J");
  EXPECT_EQ(r.body, R"J({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"n":{"N":"1"},"p":{"S":"a"}}})J");
  expectValidation("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"ReturnValuesOnConditionCheckFailure":"ALL_NEW"})J",
                   "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to "
                   "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]");
}

TEST_F(Conditions, UpdateAndDelete) {
  expectFailed("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET n = n + :one","ConditionExpression":"n = :two","ExpressionAttributeValues":{":one":{"N":"1"},":two":{"N":"2"}}})J");
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET n = n + :one","ConditionExpression":"n = :one","ExpressionAttributeValues":{":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"})J"),
            R"J({"Attributes":{"n":{"N":"2"}}})J");
  // A condition on a missing item sees no attributes.
  expectFailed("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"new"}},"UpdateExpression":"SET n = :one","ConditionExpression":"attribute_exists(p)","ExpressionAttributeValues":{":one":{"N":"1"}}})J");
  EXPECT_EQ(get("new"), "{}");
  expectFailed("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"7"}}})J");
  EXPECT_EQ(ok("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ConditionExpression":"n = :v","ExpressionAttributeValues":{":v":{"N":"2"}},"ReturnValues":"ALL_OLD"})J"),
            R"J({"Attributes":{"n":{"N":"2"},"p":{"S":"a"}}})J");
  EXPECT_EQ(get("a"), "{}");
}

TEST_F(Conditions, ParameterValidationOrder) {
  expectValidation("UpdateItem",
                   R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"Expected":{"a":{}},"AttributeUpdates":{},"ExpressionAttributeNames":{},"ExpressionAttributeValues":{},"ConditionExpression":"","UpdateExpression":""})J",
                   "Can not use both expression and non-expression parameters in the same request: Non-expression "
                   "parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}");
  expectValidation("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}})J",
                   "ExpressionAttributeNames can only be specified when using expressions");
  expectValidation("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"ExpressionAttributeValues":{":a":{"S":"a"}}})J",
                   "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeValues":{":a":{"S":"a"}}})J",
                   "ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and "
                   "ConditionExpression are null");
  expectValidation("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeNames":{"#a":"a"}})J",
                   "ExpressionAttributeNames can only be specified when using expressions");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeNames":{},"ExpressionAttributeValues":{},"ConditionExpression":""})J",
                   "ExpressionAttributeNames must not be empty");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeNames":{"a":"a"},"ExpressionAttributeValues":{},"ConditionExpression":""})J",
                   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeValues":{},"ConditionExpression":""})J",
                   "ExpressionAttributeValues must not be empty");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeValues":{":b":{"a":""},"b":{"S":"a"}},"ConditionExpression":""})J",
                   "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeValues":{":b":{}},"ConditionExpression":""})J",
                   "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain "
                   "exactly one of the supported datatypes for key :b");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ExpressionAttributeValues":{":b":{"SS":["a","a"]}},"ConditionExpression":""})J",
                   "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: Input "
                   "collection [a, a] contains duplicates. for key :b");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ConditionExpression":""})J",
                   "Invalid ConditionExpression: The expression can not be empty;");
  // ReturnValues before expressions (PutItem/DeleteItem).
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ConditionExpression":"","ReturnValues":"ALL_NEW"})J",
                   "ReturnValues can only be ALL_OLD or NONE");
  // Update before condition, then unused names before unused values.
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET a = :a","ConditionExpression":"","ExpressionAttributeValues":{":a":{"S":"x"}}})J",
                   "Invalid ConditionExpression: The expression can not be empty;");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET a = :a","ExpressionAttributeNames":{"#u":"u"},"ExpressionAttributeValues":{":a":{"S":"x"},":u":{"S":"x"}}})J",
                   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET a = :a","ConditionExpression":"attribute_exists(#n)","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":a":{"S":"x"},":u":{"S":"x"}}})J",
                   "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}");
  // Names used by the condition count for the update's request.
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET #n = :a","ConditionExpression":"attribute_exists(#n)","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":a":{"N":"5"}}})J"),
            "{}");
}

TEST_F(Conditions, GetItemProjection) {
  ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"g"},"a":{"N":"1"},"m":{"M":{"x":{"S":"y"},"z":{"S":"w"}}},"l":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}}})J");
  EXPECT_EQ(ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"g"}},"ProjectionExpression":"a, m.x, l[2], #p","ExpressionAttributeNames":{"#p":"p"}})J"),
            R"J({"Item":{"a":{"N":"1"},"l":{"L":[{"N":"3"}]},"m":{"M":{"x":{"S":"y"}}},"p":{"S":"g"}}})J");
  EXPECT_EQ(ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"g"}},"ProjectionExpression":"nothing"})J"), R"J({"Item":{}})J");
  EXPECT_EQ(ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"missing"}},"ProjectionExpression":"a"})J"), "{}");
  expectValidation("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"g"}},"ProjectionExpression":"a, a"})J",
                   "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite "
                   "one of these paths; path one: [a], path two: [a]");
  expectValidation("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"g"}},"ProjectionExpression":"a","ExpressionAttributeNames":{"#p":"p"}})J",
                   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#p}");
  expectValidation("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"g"}},"ProjectionExpression":"a","AttributesToGet":["a"]})J",
                   "Can not use both expression and non-expression parameters in the same request: Non-expression "
                   "parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
}

}  // namespace
}  // namespace fdyno::api::testing

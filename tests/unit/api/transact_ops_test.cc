// TransactGetItems / TransactWriteItems through the Dispatcher: DynamoDB's
// response and error shapes, exact messages, idempotency, capacity.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

constexpr const char* kCanceledType = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException";

class TransactOpsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashTable("ttt");
    createHashTable("uuu");
  }
  void put(const std::string& item) { ok("PutItem", R"J({"TableName":"ttt","Item":)J" + item + "}"); }
  std::string get(const std::string& p) {
    return ok("GetItem", R"J({"TableName":"ttt","Key":{"p":{"S":")J" + p + R"J("}}})J");
  }
  static std::string canceled(const std::string& codes, const std::string& reasons) {
    return std::string(R"J({"__type":")J") + kCanceledType +
           R"J(","Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [)J" + codes +
           R"J(]","CancellationReasons":[)J" + reasons + "]}";
  }
  void write(const std::string& items, const std::string& extra = "") {
    ok("TransactWriteItems", R"J({"TransactItems":[)J" + items + "]" + extra + "}");
  }
  ApiResponse callWrite(const std::string& items, const std::string& extra = "") {
    return call("TransactWriteItems", R"J({"TransactItems":[)J" + items + "]" + extra + "}");
  }
};

TEST_F(TransactOpsTest, WriteAppliesPutUpdateDeleteAndCheck) {
  put(R"J({"p":{"S":"upd"},"n":{"N":"1"}})J");
  put(R"J({"p":{"S":"del"}})J");
  put(R"J({"p":{"S":"chk"},"s":{"S":"on"}})J");
  std::string body = ok("TransactWriteItems", R"J({"TransactItems":[
    {"Put":{"TableName":"ttt","Item":{"p":{"S":"new"},"v":{"S":"x"}},"ConditionExpression":"attribute_not_exists(p)"}},
    {"Update":{"TableName":"ttt","Key":{"p":{"S":"upd"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}},
    {"Delete":{"TableName":"ttt","Key":{"p":{"S":"del"}}}},
    {"ConditionCheck":{"TableName":"ttt","Key":{"p":{"S":"chk"}},"ConditionExpression":"#s = :on","ExpressionAttributeNames":{"#s":"s"},"ExpressionAttributeValues":{":on":{"S":"on"}}}}]})J");
  EXPECT_EQ(body, "{}");
  EXPECT_EQ(get("new"), R"J({"Item":{"p":{"S":"new"},"v":{"S":"x"}}})J");
  EXPECT_EQ(get("upd"), R"J({"Item":{"n":{"N":"2"},"p":{"S":"upd"}}})J");
  EXPECT_EQ(get("del"), "{}");
  EXPECT_EQ(get("chk"), R"J({"Item":{"p":{"S":"chk"},"s":{"S":"on"}}})J");
}

TEST_F(TransactOpsTest, FailedConditionCancelsWithPositionalReasons) {
  put(R"J({"p":{"S":"a"},"x":{"S":"old"}})J");
  ApiResponse r = callWrite(R"J(
    {"Put":{"TableName":"ttt","Item":{"p":{"S":"fresh"}},"ConditionExpression":"attribute_not_exists(p)"}},
    {"Put":{"TableName":"ttt","Item":{"p":{"S":"a"}},"ConditionExpression":"attribute_not_exists(p)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"}},
    {"ConditionCheck":{"TableName":"uuu","Key":{"p":{"S":"zz"}},"ConditionExpression":"attribute_exists(p)"}})J");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, canceled("None, ConditionalCheckFailed, ConditionalCheckFailed",
                             R"J({"Code":"None"},)J"
                             R"J({"Item":{"p":{"S":"a"},"x":{"S":"old"}},"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},)J"
                             R"J({"Code":"ConditionalCheckFailed","Message":"The conditional request failed"})J"));
  EXPECT_EQ(get("fresh"), "{}");
  EXPECT_EQ(get("a"), R"J({"Item":{"p":{"S":"a"},"x":{"S":"old"}}})J");
}

TEST_F(TransactOpsTest, KeyValidationErrorIsACancellationReasonAndStopsThere) {
  ApiResponse r = callWrite(R"J(
    {"Put":{"TableName":"ttt","Item":{"p":{"N":"7"}}}},
    {"Put":{"TableName":"ttt","Item":{"p":{"N":"8"}}}},
    {"Put":{"TableName":"ttt","Item":{"p":{"S":"q"}},"ConditionExpression":"attribute_exists(p)"}})J");
  EXPECT_EQ(r.body, canceled("ValidationError, None, None",
                             R"J({"Code":"ValidationError","Message":"One or more parameter values were invalid: Type mismatch for key p expected: S actual: N"},)J"
                             R"J({"Code":"None"},{"Code":"None"})J"));
  // An update error that depends on the item is a ValidationError too.
  put(R"J({"p":{"S":"u1"}})J");
  ApiResponse u = callWrite(
      R"J({"Update":{"TableName":"ttt","Key":{"p":{"S":"u1"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}})J");
  EXPECT_EQ(u.body, canceled("ValidationError",
                             R"J({"Code":"ValidationError","Message":"The provided expression refers to an attribute that does not exist in the item"})J"));
}

TEST_F(TransactOpsTest, IndexKeyTypeMismatchIsAValidationErrorReason) {
  ok("CreateTable", R"J({"TableName":"gsi","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],)J"
                    R"J("KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)J"
                    R"J("GlobalSecondaryIndexes":[{"IndexName":"byg","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]})J");
  ApiResponse r = callWrite(R"J({"Put":{"TableName":"ttt","Item":{"p":{"S":"ok"}}}},{"Put":{"TableName":"gsi","Item":{"p":{"S":"x"},"g":{"N":"1"}}}})J");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find(R"J("Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]")J"),
            std::string::npos) << r.body;
  EXPECT_EQ(get("ok"), "{}");
}

TEST_F(TransactOpsTest, RequestLevelValidation) {
  expectValidation("TransactWriteItems", R"J({"TransactItems":[]})J",
                   "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member "
                   "must have length greater than or equal to 1");
  expectValidation("TransactGetItems", R"J({"TransactItems":[]})J",
                   "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member "
                   "must have length greater than or equal to 1");
  std::string many;
  for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + R"J({"Put":{"TableName":"ttt","Item":{"p":{"S":"k)J" + std::to_string(i) + R"J("}}}})J";
  ApiResponse big = callWrite(many);
  EXPECT_NE(big.body.find("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100"),
            std::string::npos);
  EXPECT_NE(big.body.find("Value '[com.amazonaws.dynamodb.v20120810.TransactWriteItem@"), std::string::npos);

  expectValidation("TransactWriteItems",
                   R"J({"TransactItems":[{"Put":{"TableName":"ttt","Item":{"p":{"S":"d"}}}},{"ConditionCheck":{"TableName":"ttt","Key":{"p":{"S":"d"}},"ConditionExpression":"attribute_exists(p)"}}]})J",
                   "Transaction request cannot include multiple operations on one item");
  expectValidation("TransactWriteItems", R"J({"TransactItems":[{"ConditionCheck":{"TableName":"ttt","Key":{"p":{"S":"d"}}}}]})J",
                   "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' "
                   "failed to satisfy constraint: Member must not be null");
  expectValidation("TransactWriteItems",
                   R"J({"TransactItems":[{"Put":{"TableName":"ttt","Item":{"p":{"S":"d"}}},"Delete":{"TableName":"ttt","Key":{"p":{"S":"d"}}}}]})J",
                   "TransactItems can only contain one of Check, Put, Update or Delete");
  expectValidation("TransactWriteItems",
                   R"J({"TransactItems":[{"Put":{"TableName":"ttt","Item":{"p":{"S":"d"}},"ConditionExpression":"attribute_exists(p)","ExpressionAttributeNames":{"#xyz":"x"}}}]})J",
                   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#xyz}");
  expectValidation("TransactWriteItems",
                   R"J({"TransactItems":[{"Update":{"TableName":"ttt","Key":{"p":{"S":"d"}},"UpdateExpression":"SET a=:a","ExpressionAttributeValues":{":a":{"S":"x"}},"ReturnValuesOnConditionCheckFailure":"dog"}}]})J",
                   "1 validation error detected: Value 'dog' at "
                   "'transactItems.1.member.update.returnValuesOnConditionCheckFailure' failed to satisfy constraint: "
                   "Member must satisfy enum value set: [ALL_OLD, NONE]");
  expectValidation("TransactWriteItems",
                   R"J({"ClientRequestToken":"0123456789012345678901234567890123456","TransactItems":[{"Put":{"TableName":"ttt","Item":{"p":{"S":"d"}}}}]})J",
                   "1 validation error detected: Value '0123456789012345678901234567890123456' at 'clientRequestToken' "
                   "failed to satisfy constraint: Member must have length less than or equal to 36");
  expectError("TransactWriteItems", R"J({"TransactItems":[{"Put":{"TableName":"nope","Item":{"p":{"S":"d"}}}}]})J",
              kNotFound, "Requested resource not found");
}

TEST_F(TransactOpsTest, PayloadOver4MBIsRejected) {
  std::string big(350000, 'x');
  std::string items;
  for (int i = 0; i < 12; ++i) {
    items += std::string(i ? "," : "") + R"J({"Put":{"TableName":"ttt","Item":{"p":{"S":"b)J" + std::to_string(i) +
             R"J("},"x":{"S":")J" + big + R"J("}}}})J";
  }
  expectValidation("TransactWriteItems", R"J({"TransactItems":[)J" + items + "]}",
                   "Transaction payload size cannot exceed 4 MB");
}

TEST_F(TransactOpsTest, ClientRequestTokenReplaysAndMismatches) {
  put(R"J({"p":{"S":"c"},"n":{"N":"0"}})J");
  const std::string inc =
      R"J({"Update":{"TableName":"ttt","Key":{"p":{"S":"c"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}})J";
  write(inc, R"J(,"ClientRequestToken":"tok-1")J");
  write(inc, R"J(,"ClientRequestToken":"tok-1")J");
  EXPECT_EQ(get("c"), R"J({"Item":{"n":{"N":"1"},"p":{"S":"c"}}})J");
  write(inc);  // no token: not idempotent
  EXPECT_EQ(get("c"), R"J({"Item":{"n":{"N":"2"},"p":{"S":"c"}}})J");
  // A replay is billed as a transactional read.
  EXPECT_EQ(ok("TransactWriteItems", R"J({"TransactItems":[)J" + inc + R"J(],"ClientRequestToken":"tok-1","ReturnConsumedCapacity":"TOTAL"})J"),
            R"J({"ConsumedCapacity":[{"TableName":"ttt","CapacityUnits":2.0,"ReadCapacityUnits":2.0}]})J");
  expectError("TransactWriteItems",
              R"J({"ClientRequestToken":"tok-1","TransactItems":[{"Put":{"TableName":"ttt","Item":{"p":{"S":"other"}}}}]})J",
              "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
              "The request uses the same client token as a previous, but non-identical request.");
}

TEST_F(TransactOpsTest, WriteCapacityIsTwiceAndPerTable) {
  EXPECT_EQ(ok("TransactWriteItems", R"J({"ReturnConsumedCapacity":"TOTAL","TransactItems":[
      {"Put":{"TableName":"ttt","Item":{"p":{"S":"a"}}}},{"Put":{"TableName":"uuu","Item":{"p":{"S":"a"}}}},
      {"Put":{"TableName":"ttt","Item":{"p":{"S":"b"}}}}]})J"),
            R"J({"ConsumedCapacity":[{"TableName":"ttt","CapacityUnits":4.0,"WriteCapacityUnits":4.0},)J"
            R"J({"TableName":"uuu","CapacityUnits":2.0,"WriteCapacityUnits":2.0}]})J");
  EXPECT_EQ(ok("TransactWriteItems", R"J({"ReturnConsumedCapacity":"INDEXES","TransactItems":[
      {"Delete":{"TableName":"ttt","Key":{"p":{"S":"a"}}}}]})J"),
            R"J({"ConsumedCapacity":[{"TableName":"ttt","CapacityUnits":2.0,"WriteCapacityUnits":2.0,)J"
            R"J("Table":{"CapacityUnits":2.0,"WriteCapacityUnits":2.0}}]})J");
}

TEST_F(TransactOpsTest, GetReturnsResponsesInOrder) {
  put(R"J({"p":{"S":"a"},"x":{"N":"1"},"y":{"N":"2"}})J");
  ApiResponse r = call("TransactGetItems", R"J({"ReturnConsumedCapacity":"TOTAL","TransactItems":[
      {"Get":{"TableName":"ttt","Key":{"p":{"S":"a"}}}},
      {"Get":{"TableName":"ttt","Key":{"p":{"S":"missing"}}}},
      {"Get":{"TableName":"uuu","Key":{"p":{"S":"a"}},"ProjectionExpression":"#y","ExpressionAttributeNames":{"#y":"y"}}}]})J");
  EXPECT_EQ(r.body, R"J({"Responses":[{"Item":{"p":{"S":"a"},"x":{"N":"1"},"y":{"N":"2"}}},{},{}],)J"
                    R"J("ConsumedCapacity":[{"TableName":"ttt","CapacityUnits":4.0,"ReadCapacityUnits":4.0},)J"
                    R"J({"TableName":"uuu","CapacityUnits":2.0,"ReadCapacityUnits":2.0}]})J");
  EXPECT_EQ(ok("TransactGetItems", R"J({"TransactItems":[{"Get":{"TableName":"ttt","Key":{"p":{"S":"a"}},"ProjectionExpression":"x"}}]})J"),
            R"J({"Responses":[{"Item":{"x":{"N":"1"}}}]})J");
}

TEST_F(TransactOpsTest, GetErrors) {
  expectValidation("TransactGetItems",
                   R"J({"TransactItems":[{"Get":{"TableName":"ttt","Key":{"p":{"S":"a"}}}},{"Get":{"TableName":"ttt","Key":{"p":{"S":"a"}}}}]})J",
                   "Transaction request cannot include multiple operations on one item");
  expectValidation("TransactGetItems",
                   R"J({"TransactItems":[{"Get":{"TableName":"ttt","Key":{"p":{"S":"a"}},"ProjectionExpression":"!!!"}}]})J",
                   "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"");
  expectError("TransactGetItems", R"J({"TransactItems":[{"Get":{"TableName":"nope","Key":{"p":{"S":"a"}}}}]})J",
              kNotFound, "Requested resource not found");
  ApiResponse r = call("TransactGetItems", R"J({"TransactItems":[{"Get":{"TableName":"ttt","Key":{}}}]})J");
  EXPECT_EQ(r.body, canceled("ValidationError",
                             R"J({"Code":"ValidationError","Message":"The provided key element does not match the schema"})J"));
}

}  // namespace
}  // namespace fdyno::api::testing

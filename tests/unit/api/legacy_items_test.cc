// Legacy parameters on single-item operations: Expected, ConditionalOperator,
// AttributeUpdates, AttributesToGet (converted by expr/legacy.h and run
// through the same expression path).
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

constexpr const char* kCcf = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";

class LegacyItems : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashTable("tbh");
    ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"},"n":{"N":"1"},"s":{"S":"x"}}})J");
  }
  std::string get(const std::string& p) {
    return ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":")J" + p + R"J("}}})J");
  }
};

TEST_F(LegacyItems, AttributeUpdates) {
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributeUpdates":{"n":{"Action":"ADD","Value":{"N":"4"}},"t":{"Value":{"S":"y"}},"s":{"Action":"DELETE"}},"ReturnValues":"UPDATED_NEW"})J"),
            R"J({"Attributes":{"n":{"N":"5"},"t":{"S":"y"}}})J");
  EXPECT_EQ(get("a"), R"J({"Item":{"n":{"N":"5"},"p":{"S":"a"},"t":{"S":"y"}}})J");
  // Empty AttributeUpdates creates the item; DELETE-only does not.
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"e"}},"AttributeUpdates":{}})J"), "{}");
  EXPECT_EQ(get("e"), R"J({"Item":{"p":{"S":"e"}}})J");
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"d"}},"AttributeUpdates":{"x":{"Action":"DELETE"}}})J"), "{}");
  EXPECT_EQ(get("d"), "{}");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributeUpdates":{"t":{"Action":"ADD","Value":{"N":"1"}}}})J",
                   "Type mismatch for attribute to update");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributeUpdates":{"p":{"Value":{"S":"b"}}}})J",
                   "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributeUpdates":{"x":{"Action":"PUT"}}})J",
                   "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified");
}

TEST_F(LegacyItems, Expected) {
  ApiResponse r = call("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"Expected":{"p":{"Exists":false}}})J");
  EXPECT_EQ(r.body, errorBody(kCcf, "The conditional request failed"));
  EXPECT_EQ(ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"},"n":{"N":"2"}},"Expected":{"n":{"Value":{"N":"1"}}},"ReturnValues":"ALL_OLD"})J"),
            R"J({"Attributes":{"n":{"N":"1"},"p":{"S":"a"},"s":{"S":"x"}}})J");
  r = call("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributeUpdates":{"n":{"Value":{"N":"3"}}},"Expected":{"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"5"}]},"q":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"AND"})J");
  EXPECT_EQ(r.body, errorBody(kCcf, "The conditional request failed"));
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributeUpdates":{"n":{"Value":{"N":"3"}}},"Expected":{"n":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"5"}]},"q":{"ComparisonOperator":"NULL"}},"ConditionalOperator":"OR","ReturnValues":"UPDATED_OLD"})J"),
            R"J({"Attributes":{"n":{"N":"2"}}})J");
  EXPECT_EQ(ok("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"Expected":{"n":{"Value":{"N":"3"}}}})J"), "{}");
  EXPECT_EQ(get("a"), "{}");
  expectValidation("DeleteItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"ConditionalOperator":"AND"})J",
                   "ConditionalOperator cannot be used without Filter or Expected");
  expectValidation("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"Expected":{"a":{}}})J",
                   "One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: a");
  expectValidation("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"Expected":{"a":{"Exists":false}},"ConditionExpression":"attribute_exists(a)"})J",
                   "Can not use both expression and non-expression parameters in the same request: Non-expression "
                   "parameters: {Expected} Expression parameters: {ConditionExpression}");
  expectValidation("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"a"}},"Expected":{"a":{"Exists":false}},"ExpressionAttributeNames":{"#a":"a"}})J",
                   "ExpressionAttributeNames can only be specified when using expressions");
}

TEST_F(LegacyItems, AttributesToGet) {
  EXPECT_EQ(ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributesToGet":["n","zz"]})J"), R"J({"Item":{"n":{"N":"1"}}})J");
  EXPECT_EQ(ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributesToGet":["a.b"]})J"), R"J({"Item":{}})J");
  expectValidation("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"AttributesToGet":["n","n"]})J",
                   "One or more parameter values were invalid: Duplicate value in attribute name: n");
}

}  // namespace
}  // namespace fdyno::api::testing

// UpdateItem through Dispatcher::handle: exact bodies and messages.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

class UpdateItem : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    createHashTable("tbh");
    createHashRangeTable("tbr");
  }
  std::string get(const std::string& p) {
    return ok("GetItem", R"J({"TableName":"tbh","Key":{"p":{"S":")J" + p + R"J("}}})J");
  }
  std::string update(const std::string& p, const std::string& rest) {
    return ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":")J" + p + R"J("}},)J" + rest + "}");
  }
};

TEST_F(UpdateItem, CreatesMissingItemAndMerges) {
  EXPECT_EQ(update("a", R"J("UpdateExpression":"SET x = :v","ExpressionAttributeValues":{":v":{"N":"1"}})J"), "{}");
  EXPECT_EQ(get("a"), R"J({"Item":{"p":{"S":"a"},"x":{"N":"1"}}})J");
  EXPECT_EQ(update("a", R"J("UpdateExpression":"SET y = x + :v","ExpressionAttributeValues":{":v":{"N":"2"}})J"), "{}");
  EXPECT_EQ(get("a"), R"J({"Item":{"p":{"S":"a"},"x":{"N":"1"},"y":{"N":"3"}}})J");
  EXPECT_EQ(update("a", R"J("UpdateExpression":"REMOVE x")J"), "{}");
  EXPECT_EQ(get("a"), R"J({"Item":{"p":{"S":"a"},"y":{"N":"3"}}})J");
}

TEST_F(UpdateItem, EmptyUpdateCreatesKeyOnlyItem) {
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"k"}}})J"), "{}");
  EXPECT_EQ(get("k"), R"J({"Item":{"p":{"S":"k"}}})J");
}

TEST_F(UpdateItem, RemoveOnlyDoesNotCreate) {
  EXPECT_EQ(update("r", R"J("UpdateExpression":"REMOVE a")J"), "{}");
  EXPECT_EQ(get("r"), "{}");
  EXPECT_EQ(update("r", R"J("UpdateExpression":"DELETE s :v","ExpressionAttributeValues":{":v":{"SS":["x"]}},"ReturnValues":"ALL_NEW")J"),
            "{}");
  EXPECT_EQ(get("r"), "{}");
  // Nested paths of a missing item are not checked either.
  EXPECT_EQ(update("r", R"J("UpdateExpression":"REMOVE x.y, z[0]")J"), "{}");
  EXPECT_EQ(get("r"), "{}");
  // On an existing item the same path is invalid.
  update("r2", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"}})J");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"r2"}},"UpdateExpression":"REMOVE x.y"})J",
                   "The document path provided in the update expression is invalid for update");
}

TEST_F(UpdateItem, KeyAttributesCannotBeUpdated) {
  expectValidation("UpdateItem",
                   R"J({"TableName":"tbh","Key":{"p":{"S":"a"}},"UpdateExpression":"SET p = :v","ExpressionAttributeValues":{":v":{"S":"b"}}})J",
                   "One or more parameter values were invalid: Cannot update attribute p. This attribute is part of the key");
  expectValidation("UpdateItem",
                   R"J({"TableName":"tbr","Key":{"p":{"S":"a"},"c":{"N":"1"}},"UpdateExpression":"REMOVE c"})J",
                   "One or more parameter values were invalid: Cannot update attribute c. This attribute is part of the key");
  EXPECT_EQ(get("a"), "{}");
}

TEST_F(UpdateItem, ReturnValues) {
  update("rv", R"J("UpdateExpression":"SET a = :one, b = :two","ExpressionAttributeValues":{":one":{"N":"1"},":two":{"N":"2"}})J");
  EXPECT_EQ(update("rv", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"5"}},"ReturnValues":"ALL_OLD")J"),
            R"J({"Attributes":{"a":{"N":"1"},"b":{"N":"2"},"p":{"S":"rv"}}})J");
  EXPECT_EQ(update("rv", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"6"}},"ReturnValues":"UPDATED_OLD")J"),
            R"J({"Attributes":{"a":{"N":"5"}}})J");
  EXPECT_EQ(update("rv", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"7"}},"ReturnValues":"ALL_NEW")J"),
            R"J({"Attributes":{"a":{"N":"7"},"b":{"N":"2"},"p":{"S":"rv"}}})J");
  EXPECT_EQ(update("rv", R"J("UpdateExpression":"SET c = :v","ExpressionAttributeValues":{":v":{"N":"8"}},"ReturnValues":"UPDATED_NEW")J"),
            R"J({"Attributes":{"c":{"N":"8"}}})J");
  // UPDATED_OLD of an attribute that did not exist: no Attributes member.
  EXPECT_EQ(update("rv", R"J("UpdateExpression":"SET d = :v","ExpressionAttributeValues":{":v":{"N":"9"}},"ReturnValues":"UPDATED_OLD")J"),
            "{}");
  // UPDATED_NEW after a REMOVE: nothing left to show.
  EXPECT_EQ(update("rv", R"J("UpdateExpression":"REMOVE d","ReturnValues":"UPDATED_NEW")J"), "{}");
  // ALL_OLD / UPDATED_OLD on a new item: no Attributes.
  EXPECT_EQ(update("new1", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValues":"ALL_OLD")J"),
            "{}");
  EXPECT_EQ(update("new2", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnValues":"ALL_NEW")J"),
            R"J({"Attributes":{"a":{"N":"1"},"p":{"S":"new2"}}})J");
}

TEST_F(UpdateItem, NestedUpdatedNewProjection) {
  update("n", R"J("UpdateExpression":"SET m = :m","ExpressionAttributeValues":{":m":{"M":{"x":{"N":"1"},"y":{"L":[{"S":"a"},{"S":"b"}]}}}})J");
  EXPECT_EQ(update("n", R"J("UpdateExpression":"SET m.y[1] = :v","ExpressionAttributeValues":{":v":{"S":"c"}},"ReturnValues":"UPDATED_NEW")J"),
            R"J({"Attributes":{"m":{"M":{"y":{"L":[{"S":"c"}]}}}}})J");
  EXPECT_EQ(update("n", R"J("UpdateExpression":"SET m.x = :v","ExpressionAttributeValues":{":v":{"N":"2"}},"ReturnValues":"UPDATED_OLD")J"),
            R"J({"Attributes":{"m":{"M":{"x":{"N":"1"}}}}})J");
}

TEST_F(UpdateItem, ItemSizeAfterUpdate) {
  std::string big(300 * 1024, 'x');
  update("big", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"S":")J" + big + R"J("}})J");
  expectValidation("UpdateItem",
                   R"J({"TableName":"tbh","Key":{"p":{"S":"big"}},"UpdateExpression":"SET b = :v","ExpressionAttributeValues":{":v":{"S":")J" +
                       big + R"J("}}})J",
                   "Item size to update has exceeded the maximum allowed size");
}

TEST_F(UpdateItem, UpdateErrors) {
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"e"}},"UpdateExpression":"SET a = b"})J",
                   "The provided expression refers to an attribute that does not exist in the item");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"e"}},"UpdateExpression":""})J",
                   "Invalid UpdateExpression: The expression can not be empty;");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"e"}},"UpdateExpression":"SET attr1 = :v"})J",
                   "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"e"}},"UpdateExpression":"INVALID SYNTAX HERE"})J",
                   "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
  expectError("UpdateItem", R"J({"TableName":"nosuch","Key":{"p":{"S":"e"}},"UpdateExpression":"REMOVE a"})J", kNotFound,
              "Requested resource not found");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"N":"1"}},"UpdateExpression":"REMOVE a"})J",
                   "The provided key element does not match the schema");
  expectValidation("UpdateItem", R"J({"TableName":"tbh","Key":{"p":{"S":"e"}},"ReturnValues":"BAD"})J",
                   "1 validation error detected: Value 'BAD' at 'returnValues' failed to satisfy constraint: Member "
                   "must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
}

TEST_F(UpdateItem, ConsumedCapacity) {
  EXPECT_EQ(update("cc", R"J("UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ReturnConsumedCapacity":"TOTAL")J"),
            R"J({"ConsumedCapacity":{"TableName":"tbh","CapacityUnits":1.0}})J");
}

TEST_F(UpdateItem, ItemCollectionMetricsOnlyWithLocalIndexes) {
  ok("CreateTable", R"J({"TableName":"lsi","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],)J"
                    R"J("KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],)J"
                    R"J("LocalSecondaryIndexes":[{"IndexName":"byl","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],)J"
                    R"J("BillingMode":"PAY_PER_REQUEST"})J");
  const std::string metrics = R"J("ItemCollectionMetrics":{"ItemCollectionKey":{"p":{"S":"x"}},"SizeEstimateRangeGB":[0.0,1.0]})J";
  EXPECT_EQ(ok("PutItem", R"J({"TableName":"lsi","Item":{"p":{"S":"x"},"c":{"S":"1"}},"ReturnItemCollectionMetrics":"SIZE"})J"), "{" + metrics + "}");
  EXPECT_EQ(ok("UpdateItem", R"J({"TableName":"lsi","Key":{"p":{"S":"x"},"c":{"S":"1"}},"ReturnItemCollectionMetrics":"SIZE"})J"), "{" + metrics + "}");
  EXPECT_EQ(ok("DeleteItem", R"J({"TableName":"lsi","Key":{"p":{"S":"x"},"c":{"S":"1"}},"ReturnItemCollectionMetrics":"SIZE"})J"), "{" + metrics + "}");
  EXPECT_EQ(ok("PutItem", R"J({"TableName":"lsi","Item":{"p":{"S":"x"},"c":{"S":"1"}},"ReturnItemCollectionMetrics":"NONE"})J"), "{}");
  EXPECT_EQ(ok("PutItem", R"J({"TableName":"tbh","Item":{"p":{"S":"x"}},"ReturnItemCollectionMetrics":"SIZE"})J"), "{}");
}

}  // namespace
}  // namespace fdyno::api::testing

// TagResource / UntagResource / ListTagsOfResource, UpdateTimeToLive /
// DescribeTimeToLive, DescribeLimits and DescribeEndpoints through the
// dispatcher: exact bodies, error types and messages.
#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

constexpr const char* kAccessDenied = "com.amazon.coral.service#AccessDeniedException";
constexpr const char* kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/tags1";

class ExtrasTest : public ApiTest {
 protected:
  void SetUp() override {
    auto s = kv::openMemoryStore();
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    engine::DatabaseOptions o;
    o.ttl_interval_ms = 0;  // no background expiry in these tests
    db_ = std::make_unique<engine::Database>(*store_, o);
    dispatcher_ = std::make_unique<Dispatcher>(*db_);
  }
  std::string tag(const std::string& tags_json, const std::string& arn = kArn) {
    return R"({"ResourceArn":")" + arn + R"(","Tags":)" + tags_json + "}";
  }
  std::string list(const std::string& arn = kArn) { return R"({"ResourceArn":")" + arn + R"("})"; }
  // Coral's AccessDeniedException spells its message key "Message".
  void expectAccessDenied(std::string_view op, const std::string& body) {
    ApiResponse r = call(op, body);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, errorBody(kAccessDenied, "Access is denied", "Message")) << op << " " << body;
  }
};

// ---- tags ----

TEST_F(ExtrasTest, TagRoundTripWithEmptyBodies) {
  createHashTable("tags1");
  EXPECT_EQ(ok("ListTagsOfResource", list()), R"({"Tags":[]})");
  ApiResponse r = call("TagResource", tag(R"([{"Key":"env","Value":"test"},{"Key":"b","Value":""}])"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");  // DynamoDB's TagResource answer has no body at all
  EXPECT_EQ(ok("ListTagsOfResource", list()), R"({"Tags":[{"Key":"b","Value":""},{"Key":"env","Value":"test"}]})");
  ok("TagResource", tag(R"([{"Key":"env","Value":"prod"}])"));
  r = call("UntagResource", R"({"ResourceArn":")" + std::string(kArn) + R"(","TagKeys":["b","not-there"]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(ok("ListTagsOfResource", list()), R"({"Tags":[{"Key":"env","Value":"prod"}]})");
  // NextToken is accepted; everything fits in one page.
  EXPECT_EQ(ok("ListTagsOfResource", R"({"ResourceArn":")" + std::string(kArn) + R"(","NextToken":"x"})"),
            R"({"Tags":[{"Key":"env","Value":"prod"}]})");
}

TEST_F(ExtrasTest, CreateTableTagsAreListed) {
  ok("CreateTable",
     R"({"TableName":"tags1","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}],)"
     R"("KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",)"
     R"("Tags":[{"Key":"k","Value":"v"}]})");
  EXPECT_EQ(ok("ListTagsOfResource", list()), R"({"Tags":[{"Key":"k","Value":"v"}]})");
  ok("DeleteTable", R"({"TableName":"tags1"})");
  createHashTable("tags1");
  EXPECT_EQ(ok("ListTagsOfResource", list()), R"({"Tags":[]})");
}

TEST_F(ExtrasTest, ArnForms) {
  createHashTable("tags1");
  expectValidation("ListTagsOfResource", "{}", "Invalid TableArn");
  expectValidation("TagResource", tag(R"([{"Key":"k","Value":"v"}])", "not-a-valid-arn"),
                   "One or more parameter values were invalid: ARNs must start with 'arn:': not-a-valid-arn");
  expectAccessDenied("TagResource", tag(R"([{"Key":"k","Value":"v"}])", "arn:not/a/good/format"));
  expectAccessDenied("ListTagsOfResource", list("arn:aws:dynamodb:us-east-1:123456789012:table/tags1"));
  expectAccessDenied("ListTagsOfResource", list("arn:aws:s3:us-east-1:000000000000:table/tags1"));
  for (std::string arn : {"arn:aws:dynamodb:eu-west-1:000000000000:table/tags1",
                          "arn:aws:dynamodb:us-east-1:000000000000:table/tags1/index/gsi",
                          "arn:aws:dynamodb:us-east-1:000000000000:table/ab",
                          "arn:aws:dynamodb:us-east-1:000000000000:backup/x"}) {
    expectValidation("ListTagsOfResource", list(arn), "Invalid TableArn: Invalid ResourceArn provided as input " + arn);
  }
  std::string missing = std::string(kArn) + "x";
  expectError("TagResource", tag(R"([{"Key":"k","Value":"v"}])", missing), kNotFound,
              "Requested resource not found: ResourceArn: " + missing + " not found");
  expectError("ListTagsOfResource", list(missing), kNotFound,
              "Requested resource not found: ResourceArn: " + missing + " not found");
  expectError("UntagResource", R"({"ResourceArn":")" + missing + R"(","TagKeys":["k"]})", kNotFound,
              "Requested resource not found: ResourceArn: " + missing + " not found");
}

TEST_F(ExtrasTest, TagValidation) {
  createHashTable("tags1");
  expectValidation("TagResource", R"({"ResourceArn":")" + std::string(kArn) + R"("})",
                   "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not "
                   "be null");
  expectValidation("UntagResource", R"({"ResourceArn":")" + std::string(kArn) + R"("})",
                   "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must "
                   "not be null");
  expectValidation("TagResource", tag("[]"), "Atleast one Tag needs to be provided as Input.");
  expectValidation("UntagResource", R"({"ResourceArn":")" + std::string(kArn) + R"(","TagKeys":[]})",
                   "Atleast one Tag Key needs to be provided as Input.");
  expectValidation("TagResource", tag(R"([{"Key":"dog"}])"), "The Tag Value provided is invalid, Value: null");
  expectValidation("TagResource", tag(R"([{"Value":"dog"}])"), "The Tag Key provided is invalid, Key: null");
  expectValidation("TagResource", tag(R"([{"Key":"","Value":"dog"}])"), "The Tag Key provided is invalid, Key: ");
  expectValidation("TagResource", tag(R"([{"Key":"ok","Value":"ok"},{"Key":"d%g","Value":"v"}])"),
                   "The Tag Key provided is invalid, Key: d%g");
  expectValidation("TagResource", tag(R"([{"Key":"aws:x","Value":"v"}])"),
                   "Tag Key cannot be prefixed with aws:, Key: aws:x");
  expectValidation("TagResource", tag(R"([{"Key":"dup","Value":"1"},{"Key":"dup","Value":"2"}])"),
                   "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup");
  // Nothing of a rejected request was applied.
  EXPECT_EQ(ok("ListTagsOfResource", list()), R"({"Tags":[]})");
  expectError("TagResource", R"({"ResourceArn":")" + std::string(kArn) + R"(","Tags":{}})", kSerialization,
              "Start of structure or map found where not expected");
}

TEST_F(ExtrasTest, FiftyTagLimit) {
  createHashTable("tags1");
  std::string first = "[", second = "[";
  for (int i = 0; i < 30; ++i) first += (i ? "," : "") + std::string(R"({"Key":"k)") + std::to_string(i) + R"(","Value":"v"})";
  for (int i = 20; i < 50; ++i) second += (i > 20 ? "," : "") + std::string(R"({"Key":"k)") + std::to_string(i) + R"(","Value":"v"})";
  ok("TagResource", tag(first + "]"));
  ok("TagResource", tag(second + "]"));
  expectValidation("TagResource", tag(R"([{"Key":"k50","Value":"v"}])"),
                   "Number of Tags exceed the current limit for the provided ResourceArn");
  ok("TagResource", tag(R"([{"Key":"k0","Value":"again"}])"));
}

// ---- TTL ----

TEST_F(ExtrasTest, TimeToLiveRoundTrip) {
  createHashTable("ttl1");
  EXPECT_EQ(ok("DescribeTimeToLive", R"({"TableName":"ttl1"})"),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}})");
  EXPECT_EQ(ok("UpdateTimeToLive",
               R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"expiration","Enabled":true}})"),
            R"({"TimeToLiveSpecification":{"AttributeName":"expiration","Enabled":true}})");
  EXPECT_EQ(ok("DescribeTimeToLive", R"({"TableName":"ttl1"})"),
            R"({"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":"expiration"}})");
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"expiration","Enabled":true}})",
                   "TimeToLive is already enabled");
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"new","Enabled":true}})",
                   "TimeToLive is active on a different AttributeName: current AttributeName is expiration");
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"dog","Enabled":false}})",
                   "TimeToLive is active on a different AttributeName: current AttributeName is expiration");
  EXPECT_EQ(ok("UpdateTimeToLive",
               R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"expiration","Enabled":false}})"),
            R"({"TimeToLiveSpecification":{"AttributeName":"expiration","Enabled":false}})");
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"expiration","Enabled":false}})",
                   "TimeToLive is already disabled");
}

TEST_F(ExtrasTest, TimeToLiveValidation) {
  createHashTable("ttl1");
  expectError("UpdateTimeToLive", R"({"TableName":"nope1","TimeToLiveSpecification":{"AttributeName":"e","Enabled":true}})",
              kNotFound, "Requested resource not found: Table: nope1 not found");
  expectError("DescribeTimeToLive", R"({"TableName":"nope1"})", kNotFound,
              "Requested resource not found: Table: nope1 not found");
  expectValidation("UpdateTimeToLive", R"({"TableName":"ttl1"})",
                   "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy "
                   "constraint: Member must not be null");
  expectValidation("UpdateTimeToLive", R"({"TableName":"ttl1","TimeToLiveSpecification":{}})",
                   "2 validation errors detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy "
                   "constraint: Member must not be null; Value null at 'timeToLiveSpecification.attributeName' "
                   "failed to satisfy constraint: Member must not be null");
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":null,"Enabled":null}})",
                   "2 validation errors detected: Value null at 'timeToLiveSpecification.attributeName' failed to "
                   "satisfy constraint: Member must not be null; Value null at 'timeToLiveSpecification.enabled' "
                   "failed to satisfy constraint: Member must not be null");
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":"","Enabled":true}})",
                   "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to "
                   "satisfy constraint: Member must have length greater than or equal to 1");
  std::string long_name(256, 'x');
  expectValidation("UpdateTimeToLive",
                   R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":")" + long_name +
                       R"(","Enabled":true}})",
                   "1 validation error detected: Value '" + long_name +
                       "' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have "
                       "length less than or equal to 255");
  expectError("UpdateTimeToLive", R"({"TableName":"ttl1","TimeToLiveSpecification":{"AttributeName":3,"Enabled":true}})",
              kSerialization, "NUMBER_VALUE cannot be converted to String");
}

// ---- service ----

TEST_F(ExtrasTest, DescribeLimitsAndEndpoints) {
  EXPECT_EQ(ok("DescribeLimits", "{}"),
            R"({"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,)"
            R"("TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000})");
  EXPECT_EQ(ok("DescribeEndpoints", "{}"),
            R"({"Endpoints":[{"Address":"dynamodb.us-east-1.amazonaws.com","CachePeriodInMinutes":1440}]})");
  engine::DatabaseOptions o;
  o.ttl_interval_ms = 0;
  o.endpoint_address = "127.0.0.1:4567";
  engine::Database db(*store_, o);
  Dispatcher d(db);
  EXPECT_EQ(d.handle("DescribeEndpoints", "{}").body,
            R"({"Endpoints":[{"Address":"127.0.0.1:4567","CachePeriodInMinutes":1440}]})");
}

}  // namespace
}  // namespace fdyno::api::testing

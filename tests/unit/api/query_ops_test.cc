// Query and Scan through the dispatcher: results, paging and DynamoDB's
// exact messages.
#include "api_fixture.h"
#include "api/read_request.h"
#include "engine/catalog.h"

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

// ---------- secondary indexes ----------

class IndexQueryOps : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ok("CreateTable", R"({"TableName":"tix","BillingMode":"PAY_PER_REQUEST",)"
                      R"("KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],)"
                      R"("AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"N"},)"
                      R"({"AttributeName":"x","AttributeType":"S"},{"AttributeName":"y","AttributeType":"N"},)"
                      R"({"AttributeName":"h1","AttributeType":"S"},{"AttributeName":"h2","AttributeType":"S"},)"
                      R"({"AttributeName":"r1","AttributeType":"S"},{"AttributeName":"r2","AttributeType":"S"}],)"
                      R"("GlobalSecondaryIndexes":[)"
                      R"({"IndexName":"gkeys","KeySchema":[{"AttributeName":"x","KeyType":"HASH"},{"AttributeName":"y","KeyType":"RANGE"}],)"
                      R"("Projection":{"ProjectionType":"KEYS_ONLY"}},)"
                      R"({"IndexName":"ginc","KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],)"
                      R"("Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]}},)"
                      R"({"IndexName":"gmulti","KeySchema":[{"AttributeName":"h1","KeyType":"HASH"},{"AttributeName":"h2","KeyType":"HASH"},)"
                      R"({"AttributeName":"r1","KeyType":"RANGE"},{"AttributeName":"r2","KeyType":"RANGE"}],)"
                      R"("Projection":{"ProjectionType":"ALL"}}],)"
                      R"("LocalSecondaryIndexes":[)"
                      R"({"IndexName":"lkeys","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"y","KeyType":"RANGE"}],)"
                      R"("Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
    ok("PutItem", R"({"TableName":"tix","Item":{"p":{"S":"a"},"c":{"N":"1"},"x":{"S":"X"},"y":{"N":"5"},"a":{"S":"A1"},"b":{"S":"B1"},)"
                  R"("h1":{"S":"u"},"h2":{"S":"v"},"r1":{"S":"k"},"r2":{"S":"m"}}})");
    ok("PutItem", R"({"TableName":"tix","Item":{"p":{"S":"b"},"c":{"N":"2"},"x":{"S":"X"},"y":{"N":"5"},"a":{"S":"A2"},"b":{"S":"B2"}}})");
    ok("PutItem", R"({"TableName":"tix","Item":{"p":{"S":"a"},"c":{"N":"3"},"b":{"S":"B3"}}})");  // sparse
  }
  static std::string q(const std::string& index, const std::string& cond, const std::string& values,
                       const std::string& extra = "") {
    return R"({"TableName":"tix","IndexName":")" + index + R"(","KeyConditionExpression":")" + cond +
           R"(","ExpressionAttributeValues":)" + values + extra + "}";
  }
};

TEST_F(IndexQueryOps, GsiReturnsProjectedAttributesTiesByTableKeyAndIndexLastEvaluatedKey) {
  EXPECT_EQ(ok("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})", R"(,"Limit":1)")),
            R"({"Items":[{"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"X"},"y":{"N":"5"}}],"Count":1,"ScannedCount":1,)"
            R"("LastEvaluatedKey":{"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"X"},"y":{"N":"5"}}})");
  EXPECT_EQ(ok("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})",
                          R"(,"ExclusiveStartKey":{"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"X"},"y":{"N":"5"}})")),
            R"({"Items":[{"c":{"N":"2"},"p":{"S":"b"},"x":{"S":"X"},"y":{"N":"5"}}],"Count":1,"ScannedCount":1})");
  EXPECT_EQ(ok("Query", q("ginc", "x = :x", R"({":x":{"S":"X"}})", R"(,"Select":"ALL_PROJECTED_ATTRIBUTES")")),
            R"({"Items":[{"a":{"S":"A1"},"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"X"}},)"
            R"({"a":{"S":"A2"},"c":{"N":"2"},"p":{"S":"b"},"x":{"S":"X"}}],"Count":2,"ScannedCount":2})");
  EXPECT_EQ(ok("Scan", R"({"TableName":"tix","IndexName":"gkeys","Select":"COUNT"})"), R"({"Count":2,"ScannedCount":2})");
}

TEST_F(IndexQueryOps, IndexMessages) {
  expectValidation("Query", q("nope", "x = :x", R"({":x":{"S":"X"}})"), "The table does not have the specified index: nope");
  expectValidation("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})", R"(,"ConsistentRead":true)"),
                   "Consistent reads are not supported on global secondary indexes");
  expectValidation("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})", R"(,"Select":"ALL_ATTRIBUTES")"),
                   "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                   "global secondary index gkeys because its projection type is not ALL");
  expectValidation("Scan", R"({"TableName":"tix","IndexName":"ginc","Select":"ALL_ATTRIBUTES"})",
                   "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                   "global secondary index ginc because its projection type is not ALL");
  expectValidation("Query", q("ginc", "x = :x", R"({":x":{"S":"X"}})", R"(,"ProjectionExpression":"b")"),
                   "One or more parameter values were invalid: Global secondary index ginc does not project attribute b");
  expectValidation("Query", q("gkeys", "x = :x AND p = :p", R"({":x":{"S":"X"},":p":{"S":"a"}})"),
                   "Query condition missed key schema element: y");
  expectValidation("Query", q("ginc", "x = :x AND p = :p", R"({":x":{"S":"X"},":p":{"S":"a"}})"),
                   "Query key condition not supported");
  expectValidation("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"},":y":{"N":"1"}})", R"(,"FilterExpression":"y = :y")"),
                   "Filter Expression can only contain non-primary key attributes: Primary key attribute: y");
  expectValidation("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})", R"(,"ExclusiveStartKey":{"p":{"S":"a"},"c":{"N":"1"}})"),
                   "The provided starting key is invalid");
  expectValidation("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})",
                              R"(,"ExclusiveStartKey":{"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"X"},"y":{"S":"5"}})"),
                   "The provided key element does not match the schema");
  expectValidation("Query", q("gkeys", "x = :x", R"({":x":{"N":"1"}})"),
                   "One or more parameter values were invalid: Condition parameter type does not match schema type");
  // Multi-attribute keys.
  expectValidation("Query", q("gmulti", "h1 = :v", R"({":v":{"S":"u"}})"),
                   "Query key condition not supported: every HASH key attribute of a multi-attribute key must have "
                   "an equality condition; attribute: h2");
  expectValidation("Query", q("gmulti", "h1 = :v AND h2 = :v AND r2 = :v", R"({":v":{"S":"u"}})"),
                   "Query key condition not supported: RANGE key attributes must be used left to right, each before "
                   "the last with an equality condition; attribute r2 follows r1, which has no condition");
  expectValidation("Query", q("gmulti", "h1 = :v AND h2 = :v AND r1 > :v AND r2 = :v", R"({":v":{"S":"u"}})"),
                   "Query key condition not supported: RANGE key attributes must be used left to right, each before "
                   "the last with an equality condition; attribute r1 is followed by r2");
}

TEST_F(IndexQueryOps, MultiAttributeKeyQuery) {
  EXPECT_EQ(ok("Query", q("gmulti", "r1 = :k AND h2 = :v AND h1 = :u AND begins_with(r2, :m)",
                          R"({":u":{"S":"u"},":v":{"S":"v"},":k":{"S":"k"},":m":{"S":"m"}})", R"(,"ProjectionExpression":"c")")),
            R"({"Items":[{"c":{"N":"1"}}],"Count":1,"ScannedCount":1})");
}

TEST_F(IndexQueryOps, LsiFetchesFromTheTableAndChargesIt) {
  // KEYS_ONLY LSI: the default returns keys only; ALL_ATTRIBUTES fetches.
  EXPECT_EQ(ok("Query", q("lkeys", "p = :p", R"({":p":{"S":"a"}})", R"(,"ReturnConsumedCapacity":"INDEXES")")),
            R"({"Items":[{"c":{"N":"1"},"p":{"S":"a"},"y":{"N":"5"}}],"Count":1,"ScannedCount":1,)"
            R"("ConsumedCapacity":{"TableName":"tix","CapacityUnits":0.5,)"
            R"("LocalSecondaryIndexes":{"lkeys":{"CapacityUnits":0.5}}}})");
  std::string all = ok("Query", q("lkeys", "p = :p", R"({":p":{"S":"a"}})",
                                  R"(,"Select":"ALL_ATTRIBUTES","ConsistentRead":true,"ReturnConsumedCapacity":"INDEXES")"));
  EXPECT_NE(all.find(R"("b":{"S":"B1"})"), std::string::npos) << all;
  EXPECT_NE(all.find(R"("ConsumedCapacity":{"TableName":"tix","CapacityUnits":2.0,"Table":{"CapacityUnits":1.0},)"
                     R"("LocalSecondaryIndexes":{"lkeys":{"CapacityUnits":1.0}}})"),
            std::string::npos)
      << all;
  // A projection naming a non-projected attribute fetches too.
  EXPECT_EQ(ok("Query", q("lkeys", "p = :p", R"({":p":{"S":"a"}})", R"(,"ProjectionExpression":"b")")),
            R"({"Items":[{"b":{"S":"B1"}}],"Count":1,"ScannedCount":1})");
  EXPECT_EQ(ok("Query", q("gkeys", "x = :x", R"({":x":{"S":"X"}})", R"(,"ReturnConsumedCapacity":"TOTAL")")),
            R"({"Items":[{"c":{"N":"1"},"p":{"S":"a"},"x":{"S":"X"},"y":{"N":"5"}},)"
            R"({"c":{"N":"2"},"p":{"S":"b"},"x":{"S":"X"},"y":{"N":"5"}}],"Count":2,"ScannedCount":2,)"
            R"("ConsumedCapacity":{"TableName":"tix","CapacityUnits":0.5}})");
}

// A GSI being backfilled (UpdateTable added it) cannot be read yet: the
// planner is given such a definition directly (a real backfill finishes too
// fast to catch reliably).
TEST(IndexPlan, BackfillingGsiCannotBeRead) {
  engine::TableDefinition def;
  def.name = "tbl";
  def.hash_key = {"p", model::AttrType::kS};
  engine::IndexDefinition g;
  g.name = "newidx";
  g.kind = engine::IndexKind::kGlobal;
  g.hash_keys = {{"x", model::AttrType::kS}};
  g.status = engine::IndexStatus::kCreating;
  def.global_indexes.push_back(g);
  engine::TableInfo info(def);
  simdjson::dom::parser parser;
  for (std::string_view op : {"Query", "Scan"}) {
    std::string body = op == "Query" ? R"({"TableName":"tbl","IndexName":"newidx","KeyConditionExpression":"x = :x",)"
                                       R"("ExpressionAttributeValues":{":x":{"S":"a"}}})"
                                     : R"({"TableName":"tbl","IndexName":"newidx"})";
    simdjson::dom::object obj = parser.parse(body).get_object().value();
    ReadRequest rq(obj, op == "Query" ? ReadOp::kQuery : ReadOp::kScan);
    rq.validate();
    engine::ReadPlan plan;
    Status st = rq.plan(info, plan);
    EXPECT_EQ(st.message(), "Cannot read from backfilling global secondary index: newidx") << op;
  }
}

}  // namespace
}  // namespace fdyno::api::testing

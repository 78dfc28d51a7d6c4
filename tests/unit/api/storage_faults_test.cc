// How the api answers storage failures (kv/fault_injection.h): a full disk
// makes writes InternalServerError with a message that says so while reads
// keep working, and writes work again once space is back (issue 8, defect
// 3); other I/O errors never leak the store's own words to the client.
#include <gtest/gtest.h>

#include "api/request.h"
#include "api_fixture.h"
#include "common/counters.h"
#include "kv/fault_injection.h"

namespace fdyno::api {
namespace {

using testing::ApiTest;
using testing::errorBody;

constexpr const char* kInternal = "com.amazonaws.dynamodb.v20120810#InternalServerError";

class StorageFaultsTest : public ApiTest {
 protected:
  void SetUp() override {
    faults_ = std::make_shared<kv::FaultInjector>();
    auto s = kv::openFaultInjectingStore(faults_);
    ASSERT_TRUE(s.ok()) << s.status().toString();
    store_ = std::move(s).value();
    db_ = std::make_unique<engine::Database>(*store_, engine::DatabaseOptions{});
    dispatcher_ = std::make_unique<Dispatcher>(*db_);
    createHashTable("tbl");
    ok("PutItem", R"({"TableName":"tbl","Item":{"p":{"S":"a"},"v":{"N":"1"}}})");
  }
  std::shared_ptr<kv::FaultInjector> faults_;
};

TEST_F(StorageFaultsTest, FullDiskRefusesWritesAndServesReads) {
  faults_->failCommits(StatusCode::kNoSpace);
  const std::string full = errorBody(kInternal, std::string(kStorageFullMessage));
  for (auto [op, body] : std::initializer_list<std::pair<const char*, const char*>>{
           {"PutItem", R"({"TableName":"tbl","Item":{"p":{"S":"b"}}})"},
           {"UpdateItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}},"UpdateExpression":"SET v = v + :one",)"
                          R"("ExpressionAttributeValues":{":one":{"N":"1"}}})"},
           {"DeleteItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}}})"},
           {"BatchWriteItem", R"({"RequestItems":{"tbl":[{"PutRequest":{"Item":{"p":{"S":"c"}}}}]}})"},
           {"TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"tbl","Item":{"p":{"S":"d"}}}}]})"},
           {"ExecuteStatement", R"({"Statement":"INSERT INTO tbl VALUE {'p':'e'}"})"},
       }) {
    ApiResponse r = call(op, body);
    EXPECT_EQ(r.status, 500) << op << " " << r.body;
    EXPECT_EQ(r.body, full) << op;
  }
  // Reads are untouched.
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}}})"),
            R"({"Item":{"p":{"S":"a"},"v":{"N":"1"}}})");
  EXPECT_NE(ok("Scan", R"({"TableName":"tbl"})").find(R"("Count":1)"), std::string::npos);
  // Space is back: the same writes succeed, with nothing of the refused ones
  // applied before.
  faults_->clear();
  ok("UpdateItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}},"UpdateExpression":"SET v = v + :one",)"
                   R"("ExpressionAttributeValues":{":one":{"N":"1"}}})");
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}}})"),
            R"({"Item":{"p":{"S":"a"},"v":{"N":"2"}}})");
  ok("PutItem", R"({"TableName":"tbl","Item":{"p":{"S":"b"}}})");
}

TEST_F(StorageFaultsTest, TableChangesAreRefusedToo) {
  faults_->failCommits(StatusCode::kNoSpace);
  ApiResponse r = call("CreateTable",
                       R"({"TableName":"other","AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"}],)"
                       R"("KeySchema":[{"AttributeName":"p","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  EXPECT_EQ(r.status, 500);
  faults_->clear();
  EXPECT_EQ(ok("ListTables", "{}"), R"({"TableNames":["tbl"]})");
}

TEST_F(StorageFaultsTest, ReadFailuresAreInternalErrorsAndPass) {
  faults_->failReads(1);
  ApiResponse r = call("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}}})");
  EXPECT_EQ(r.status, 500) << r.body;
  EXPECT_EQ(ok("GetItem", R"({"TableName":"tbl","Key":{"p":{"S":"a"}}})"),
            R"({"Item":{"p":{"S":"a"},"v":{"N":"1"}}})");
}

}  // namespace
}  // namespace fdyno::api

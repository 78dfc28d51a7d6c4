// The operation registry (api/operations.h): its invariants, and that the
// dispatcher answers every row as the row says.
#include "api/operations.h"

#include <set>
#include <string>

#include "api_fixture.h"

namespace fdyno::api::testing {
namespace {

constexpr std::string_view kUnknownOperationBody = R"({"__type":"com.amazon.coral.service#UnknownOperationException"})";

TEST(Operations, NamesAreSortedAndUnique) {
  auto ops = operations();
  ASSERT_FALSE(ops.empty());
  std::set<std::string_view> names;
  for (size_t i = 0; i < ops.size(); ++i) {
    EXPECT_FALSE(ops[i].name.empty()) << i;
    EXPECT_TRUE(names.insert(ops[i].name).second) << ops[i].name;
    if (i > 0) {
      EXPECT_LT(ops[i - 1].name, ops[i].name);
    }
  }
}

TEST(Operations, MetricsSlotsAreDenseAndUnique) {
  auto ops = operations();
  EXPECT_EQ(kUnknownMetricsSlot, 0);
  EXPECT_EQ(metricsSlotCount(), ops.size() + 1);
  std::set<int> slots;
  for (size_t i = 0; i < ops.size(); ++i) {
    EXPECT_EQ(ops[i].metrics_slot, static_cast<int>(i) + 1) << ops[i].name;
    EXPECT_TRUE(slots.insert(ops[i].metrics_slot).second) << ops[i].name;
    EXPECT_EQ(metricsSlot(&ops[i]), ops[i].metrics_slot);
  }
  EXPECT_EQ(slots.count(kUnknownMetricsSlot), 0u);
  EXPECT_EQ(*slots.begin(), 1);
  EXPECT_EQ(*slots.rbegin(), static_cast<int>(ops.size()));
  EXPECT_EQ(metricsSlot(nullptr), kUnknownMetricsSlot);
}

TEST(Operations, LookupByExactName) {
  for (const Operation& op : operations()) EXPECT_EQ(findOperation(op.name), &op) << op.name;
  for (std::string_view name : {"", "putitem", "PUTITEM", "PutItemX", "PutIte", " PutItem", "FlyToTheMoon",
                                "DynamoDB_20120810.PutItem", "unknown", "A", "Zzz"}) {
    EXPECT_EQ(findOperation(name), nullptr) << name;
  }
}

TEST(Operations, EachHandlerInOneRow) {
  std::set<Handler> handlers;
  for (const Operation& op : operations()) {
    if (op.implemented()) {
      EXPECT_TRUE(handlers.insert(op.handler).second) << op.name;
    }
  }
}

TEST(Operations, StreamsOperationsAreKnown) {
  for (std::string_view name : {"ListStreams", "DescribeStream", "GetShardIterator", "GetRecords"}) {
    const Operation* op = findOperation(name);
    ASSERT_NE(op, nullptr) << name;
    EXPECT_TRUE(op->implemented()) << name;
    EXPECT_FALSE(op->note.empty()) << name;
  }
  // Reads to the client that trim the stream as they read it.
  EXPECT_TRUE(findOperation("GetRecords")->write_pool);
  EXPECT_TRUE(findOperation("ListStreams")->write_pool);
  EXPECT_FALSE(findOperation("DescribeStream")->write_pool);
  EXPECT_FALSE(findOperation("GetShardIterator")->write_pool);
}

using OperationsDispatch = ApiTest;

// Every row with a handler reaches it: "{}" is answered by the handler
// itself (200, or its own complaint about the request), never by the
// dispatcher's unknown/not-implemented answers, and the same by row and by
// name.
TEST_F(OperationsDispatch, EveryRowWithAHandlerDispatches) {
  for (const Operation& op : operations()) {
    if (!op.implemented()) continue;
    ApiResponse by_row = dispatcher_->handle(&op, "{}");
    EXPECT_TRUE(by_row.status == 200 || by_row.status == 400) << op.name << " -> " << by_row.body;
    EXPECT_NE(by_row.body, kUnknownOperationBody) << op.name;
    EXPECT_EQ(by_row.body.find("does not support"), std::string::npos) << op.name << " -> " << by_row.body;
    ApiResponse by_name = dispatcher_->handle(op.name, "{}");
    EXPECT_EQ(by_name.status, by_row.status) << op.name;
    EXPECT_EQ(by_name.body, by_row.body) << op.name;
  }
  // A few rows whose answer to "{}" names their handler.
  EXPECT_EQ(ok("ListTables", "{}"), R"({"TableNames":[]})");
  EXPECT_NE(ok("ListStreams", "{}").find("\"Streams\""), std::string::npos);
  EXPECT_NE(ok("ListBackups", "{}").find("\"BackupSummaries\""), std::string::npos);
  EXPECT_NE(ok("DescribeLimits", "{}").find("\"AccountMaxReadCapacityUnits\""), std::string::npos);
}

TEST_F(OperationsDispatch, RowsWithoutAHandlerAnswerNotSupportedYet) {
  size_t not_yet = 0;
  for (const Operation& op : operations()) {
    if (op.implemented()) continue;
    ++not_yet;
    const std::string message = "fdyno does not support " + std::string(op.name) + " yet";
    expectValidation(op.name, "{}", message);
    ApiResponse r = dispatcher_->handle(&op, "{}");
    EXPECT_EQ(r.status, 400) << op.name;
    EXPECT_EQ(r.body, errorBody(kValidation, message)) << op.name;
    // Said before the body is even parsed.
    expectValidation(op.name, "{not json", message);
  }
  EXPECT_GT(not_yet, 0u);
  EXPECT_FALSE(findOperation("ImportTable")->implemented());
  EXPECT_FALSE(findOperation("DescribeExport")->implemented());
}

TEST_F(OperationsDispatch, NoRowIsUnknownOperation) {
  ApiResponse r = dispatcher_->handle(static_cast<const Operation*>(nullptr), "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, kUnknownOperationBody);
  r = dispatcher_->handle("FlyToTheMoon", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, kUnknownOperationBody);
}

}  // namespace
}  // namespace fdyno::api::testing

// The write pool (ServerOptions::write_threads): handlers of writing
// operations run on a separate blocking pool, reads stay on the I/O threads,
// answers keep their order on a connection, and stop() waits for them.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "api/operations.h"
#include "http/request_router.h"
#include "test_server.h"

namespace fdyno::http {
namespace {

using namespace fdyno::http::testing;  // NOLINT: test helpers
using namespace std::chrono_literals;

ServerOptions poolOptions(int io_threads, int write_threads) {
  ServerOptions o;
  o.threads = io_threads;
  o.write_threads = write_threads;
  return o;
}

// Records which thread ran each operation's handler.
class ThreadRecorder {
 public:
  RequestHandler handler() {
    return [this](std::string_view op, std::string_view) {
      std::lock_guard<std::mutex> lock(mu_);
      ids_[std::string(op)] = std::this_thread::get_id();
      return api::ApiResponse{200, std::string(op)};
    };
  }
  std::thread::id of(const std::string& op) {
    std::lock_guard<std::mutex> lock(mu_);
    return ids_.at(op);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::thread::id> ids_;
};

// The registry's write_pool column, as HandlerCall::mayBlock reads it.
bool mayBlockOnCommit(std::string_view op) {
  HandlerCall call;
  call.op = api::findOperation(op);
  return call.mayBlock();
}

TEST(WritePoolTest, WhichOperationsMayBlockOnCommit) {
  for (std::string_view op : {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
                              "CreateTable", "DeleteTable", "UpdateTable", "ExecuteStatement",
                              "BatchExecuteStatement", "ExecuteTransaction", "TagResource", "UntagResource",
                              "UpdateTimeToLive", "UpdateContinuousBackups", "RestoreTableFromBackup",
                              // Reads that lazily trim expired stream data in a write transaction.
                              "GetRecords", "ListStreams"}) {
    EXPECT_TRUE(mayBlockOnCommit(op)) << op;
  }
  for (std::string_view op : {"GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan", "DescribeTable",
                              "ListTables", "ListTagsOfResource", "DescribeTimeToLive", "DescribeStream", "GetShardIterator",
                              "", "putitem",
                              "PutItemX", "FlyToTheMoon"}) {
    EXPECT_FALSE(mayBlockOnCommit(op)) << op;
  }
}

TEST(WritePoolTest, WritesRunOnThePoolReadsOnTheIoThread) {
  ThreadRecorder rec;
  TestServer s(rec.handler(), poolOptions(/*io=*/1, /*write=*/4));
  Client c(s.port());
  for (std::string_view op : {"GetItem", "PutItem", "DescribeTable", "DeleteItem", "Query"}) {
    Res r = c.send(apiRequest(op, "{}"));
    ASSERT_EQ(r.result_int(), 200) << op;
    EXPECT_EQ(r.body(), op);
    EXPECT_EQ(field(r, "x-amz-crc32"), std::to_string(crc(r.body())));
    EXPECT_TRUE(r.keep_alive());
  }
  // One I/O thread: every read ran on it, no write did.
  EXPECT_EQ(rec.of("DescribeTable"), rec.of("GetItem"));
  EXPECT_EQ(rec.of("Query"), rec.of("GetItem"));
  EXPECT_NE(rec.of("PutItem"), rec.of("GetItem"));
  EXPECT_NE(rec.of("DeleteItem"), rec.of("GetItem"));
}

TEST(WritePoolTest, ZeroWriteThreadsRunsEverythingInline) {
  ThreadRecorder rec;
  TestServer s(rec.handler(), poolOptions(/*io=*/1, /*write=*/0));
  Client c(s.port());
  EXPECT_EQ(c.send(apiRequest("GetItem", "{}")).body(), "GetItem");
  EXPECT_EQ(c.send(apiRequest("PutItem", "{}")).body(), "PutItem");
  EXPECT_EQ(rec.of("PutItem"), rec.of("GetItem"));
}

// The point of the pool: writes waiting for a commit must neither hold the
// I/O thread nor wait for each other. With one I/O thread and the writes run
// inline, the GetItem below could not be answered until a write returned.
TEST(WritePoolTest, BlockedWritesRunTogetherAndDoNotDelayReads) {
  std::mutex mu;
  std::condition_variable cv;
  int waiting = 0, max_waiting = 0;
  bool release = false;
  TestServer s(
      [&](std::string_view op, std::string_view body) {
        if (op == "PutItem") {
          std::unique_lock<std::mutex> lock(mu);
          ++waiting;
          max_waiting = std::max(max_waiting, waiting);
          cv.notify_all();
          // Bounded, so that a broken server fails the test instead of hanging it.
          cv.wait_for(lock, 10s, [&] { return release; });
          --waiting;
        }
        return api::ApiResponse{200, std::string(op) + ":" + std::string(body)};
      },
      poolOptions(/*io=*/1, /*write=*/8));
  std::vector<std::unique_ptr<Client>> writers;
  for (int i = 0; i < 4; ++i) {
    writers.push_back(std::make_unique<Client>(s.port()));
    Req req = apiRequest("PutItem", "{\"n\":" + std::to_string(i) + "}");
    req.prepare_payload();
    bhttp::write(writers.back()->socket(), req);
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 5s, [&] { return waiting == 4; })) << "writes did not run concurrently";
  }
  Client reader(s.port());
  const auto t0 = std::chrono::steady_clock::now();
  Res r = reader.send(apiRequest("GetItem", "{}"));
  const auto read_time = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "GetItem:{}");
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(waiting, 4) << "the read was answered while all writes were still blocked";
    release = true;
  }
  cv.notify_all();
  EXPECT_LT(read_time, 2s);
  for (int i = 0; i < 4; ++i) {
    Res w = writers[i]->read();
    EXPECT_EQ(w.result_int(), 200);
    EXPECT_EQ(w.body(), "PutItem:{\"n\":" + std::to_string(i) + "}");
  }
  EXPECT_EQ(max_waiting, 4);
}

TEST(WritePoolTest, PipelinedReadsAndWritesAnsweredInOrder) {
  TestServer s(
      [](std::string_view op, std::string_view) {
        // The writes are slower than the reads behind them: order must hold.
        if (op == "PutItem") std::this_thread::sleep_for(50ms);
        if (op == "DeleteItem") std::this_thread::sleep_for(20ms);
        return api::ApiResponse{200, std::string(op)};
      },
      poolOptions(/*io=*/2, /*write=*/4));
  Client c(s.port());
  std::string raw;
  const std::vector<std::string_view> ops = {"PutItem", "GetItem", "DeleteItem", "Query", "PutItem", "Scan"};
  for (std::string_view op : ops) {
    raw += "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.";
    raw += op;
    raw += "\r\nContent-Length: 2\r\n\r\n{}";
  }
  c.writeRaw(raw);  // one write, six requests
  for (std::string_view op : ops) EXPECT_EQ(c.read().body(), op);
  EXPECT_EQ(s.server().port(), s.port());
}

TEST(WritePoolTest, OffloadedHandlerExceptionBecomes500) {
  TestServer s([](std::string_view, std::string_view) -> api::ApiResponse { throw std::runtime_error("boom"); },
               poolOptions(/*io=*/1, /*write=*/2));
  Client c(s.port());
  Res r = c.send(apiRequest("PutItem", "{}"));
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(r.body(),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"})");
  EXPECT_EQ(field(r, "x-amz-crc32"), std::to_string(crc(r.body())));
  // The connection is still usable.
  r = c.send(apiRequest("PutItem", "{}"));
  EXPECT_EQ(r.result_int(), 500);
}

TEST(WritePoolTest, GracefulStopWaitsForOffloadedWrite) {
  std::atomic<bool> started{false};
  TestServer s(
      [&started](std::string_view, std::string_view) {
        started = true;
        std::this_thread::sleep_for(300ms);
        return api::ApiResponse{200, "done"};
      },
      poolOptions(/*io=*/1, /*write=*/2));
  Client busy(s.port());
  Client idle(s.port());
  Req req = apiRequest("PutItem", "{}");
  req.prepare_payload();
  bhttp::write(busy.socket(), req);
  while (!started) std::this_thread::sleep_for(1ms);
  s.server().stop();
  Res r = busy.read();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "done");
  EXPECT_FALSE(r.keep_alive());  // "Connection: close" after a stop
  s.stopAndJoin();
  EXPECT_TRUE(s.finished());
}

TEST(WritePoolTest, OffloadedRequestsAreCountedInMetrics) {
  TestServer s(echoHandler(), poolOptions(/*io=*/1, /*write=*/2));
  Client c(s.port());
  for (int i = 0; i < 3; ++i) ASSERT_EQ(c.send(apiRequest("PutItem", "{}")).result_int(), 200);
  Req get{bhttp::verb::get, "/metrics", 11};
  get.set(bhttp::field::host, "x");
  std::string m = c.send(get).body();
  EXPECT_NE(m.find("fdyno_requests_total{operation=\"PutItem\",status=\"200\"} 3\n"), std::string::npos) << m;
  EXPECT_NE(m.find("fdyno_request_duration_seconds_count{operation=\"PutItem\"} 3\n"), std::string::npos) << m;
}

}  // namespace
}  // namespace fdyno::http

// Connection lifecycle against a real Server on 127.0.0.1: timeouts, the
// connection limit, and what stop() answers (issue 8, defects 4 and 7).
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "http/connection.h"

#include "common/descriptors.h"
#include "http/server.h"
#include "test_server.h"

namespace fdyno::http {
namespace {

using namespace fdyno::http::testing;  // NOLINT: test helpers
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string rawRequest(std::string_view op, std::string_view body = "{}") {
  std::string raw =
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.";
  raw += op;
  raw += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  raw += body;
  return raw;
}

// Blocks until the server closes the socket; returns how long that took
// (or a huge value if it did not within `limit`).
Clock::duration timeUntilClosed(tcp::socket& s, Clock::duration limit) {
  const auto t0 = Clock::now();
  // SO_RCVTIMEO bounds each read, so a broken server fails instead of hanging.
  timeval tv{1, 0};
  setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char buf[4096];
  while (Clock::now() - t0 < limit) {
    beast::error_code ec;
    s.read_some(net::buffer(buf), ec);
    if (ec == net::error::eof || ec == net::error::connection_reset) return Clock::now() - t0;
    if (ec && ec != net::error::would_block && ec != net::error::try_again) return Clock::now() - t0;
  }
  return 1h;
}

ServerOptions timeouts(int idle, int request) {
  ServerOptions o;
  o.idle_timeout_seconds = idle;
  o.request_timeout_seconds = request;
  return o;
}

TEST(ConnectionTimeoutTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  TestServer s(echoHandler(), timeouts(/*idle=*/1, /*request=*/10));
  Client c(s.port());
  ASSERT_EQ(c.send(apiRequest("GetItem", "{}")).result_int(), 200);
  auto took = timeUntilClosed(c.socket(), 10s);
  EXPECT_GE(took, 700ms);
  EXPECT_LE(took, 3s);
}

TEST(ConnectionTimeoutTest, RequestTimeoutStartsAtTheFirstByte) {
  // Quiet for longer than the request timeout, then a request: served.
  TestServer s(echoHandler(), timeouts(/*idle=*/5, /*request=*/1));
  Client c(s.port());
  ASSERT_EQ(c.send(apiRequest("GetItem", "{}")).result_int(), 200);
  std::this_thread::sleep_for(1500ms);
  Res r = c.send(apiRequest("GetItem", "{\"a\":1}"));
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "GetItem:{\"a\":1}");
}

TEST(ConnectionTimeoutTest, SlowRequestIsCutOffByRequestTimeout) {
  TestServer s(echoHandler(), timeouts(/*idle=*/10, /*request=*/1));
  Client c(s.port());
  const std::string raw = rawRequest("GetItem");
  // One byte every 200 ms: each byte would reset a per-read timeout, but the
  // request as a whole must arrive within 1 s of its first byte.
  const auto t0 = Clock::now();
  bool closed = false;
  for (size_t i = 0; i < raw.size() - 1 && Clock::now() - t0 < 8s; ++i) {
    beast::error_code ec;
    net::write(c.socket(), net::buffer(raw.data() + i, 1), ec);
    if (ec) {
      closed = true;
      break;
    }
    std::this_thread::sleep_for(200ms);
    if (c.socket().available(ec) == 0 && !ec) {
      // Peek for EOF without blocking.
      char b;
      const ssize_t n = ::recv(c.socket().native_handle(), &b, 1, MSG_DONTWAIT);
      if (n == 0) {
        closed = true;
        break;
      }
    }
  }
  const auto took = Clock::now() - t0;
  EXPECT_TRUE(closed) << "a slow request was still being read after 8 s";
  EXPECT_GE(took, 800ms);
  EXPECT_LE(took, 3s);
}

TEST(ConnectionLimitTest, RefusesBeyondTheLimitWith503AndRecovers) {
  ServerOptions o;
  o.max_connections = 2;
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls), o);
  auto a = std::make_unique<Client>(s.port());
  Client b(s.port());
  ASSERT_EQ(a->send(apiRequest("GetItem", "{}")).result_int(), 200);
  ASSERT_EQ(b.send(apiRequest("GetItem", "{}")).result_int(), 200);
  {
    Client extra(s.port());
    Res r = extra.send(apiRequest("GetItem", "{}"));
    EXPECT_EQ(r.result_int(), 503);
    EXPECT_FALSE(r.keep_alive());
    EXPECT_EQ(field(r, "Content-Type"), "application/x-amz-json-1.0");
    EXPECT_EQ(r.body(),
              R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"Too many open connections; retry later"})");
    EXPECT_EQ(field(r, "x-amz-crc32"), std::to_string(crc(r.body())));
    EXPECT_EQ(timeUntilClosed(extra.socket(), 5s) < 5s, true);
  }
  EXPECT_EQ(calls.load(), 2);  // the refused request never reached the handler
  a.reset();                   // frees a slot (once the server sees the close)
  Res r;
  for (int i = 0; i < 50; ++i) {
    Client again(s.port());
    r = again.send(apiRequest("GetItem", "{}"));
    if (r.result_int() == 200) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(r.result_int(), 200);
  Req get{bhttp::verb::get, "/metrics", 11};
  get.set(bhttp::field::host, "x");
  std::string m = b.send(get).body();
  EXPECT_NE(m.find("fdyno_requests_total{operation=\"unknown\",status=\"503\"} "), std::string::npos) << m;
}

TEST(ConnectionLimitTest, DefaultFollowsTheDescriptorLimit) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 200;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  const int at200 = defaultMaxConnections();
  // Own loops (network store): each loop past the first holds
  // kDescriptorsPerLoop descriptors of the connections' share.
  const int at200_with_11_loops = defaultMaxConnections(11);
  const int at200_with_40_loops = defaultMaxConnections(40);
  low.rlim_cur = 40;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  const int at40 = defaultMaxConnections();
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
  // 200: 50 for the store's files (a quarter), 64 for the rest.
  EXPECT_EQ(at200, 200 - 50 - kOtherDescriptors);
  EXPECT_EQ(at200_with_11_loops, 200 - 50 - kOtherDescriptors - 10 * kDescriptorsPerLoop);
  EXPECT_EQ(at200_with_40_loops, kMinConnections);  // 86 - 117 < the minimum
  EXPECT_EQ(at40, kMinConnections);
}

// --- memory ---

TEST(MemoryTrimmerTest, TrimsOnceWhenLargeRequestsHaveStopped) {
  net::io_context ioc;
  auto guard = net::make_work_guard(ioc);
  std::thread io([&] { ioc.run(); });
  MemoryTrimmer trimmer(ioc, nullptr);
  // A burst of large requests over 600 ms: no trim while it lasts.
  const auto t0 = Clock::now();
  for (int i = 0; i < 6; ++i) {
    trimmer.noteLargeRequest();
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(trimmer.trims(), 0u);
  // Quiet: one trim, about kQuiet after the last one.
  while (trimmer.trims() == 0 && Clock::now() - t0 < 5s) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(trimmer.trims(), 1u);
  EXPECT_GE(Clock::now() - t0, 500ms + MemoryTrimmer::kQuiet);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(trimmer.trims(), 1u);  // nothing new: no new trim
  // Stopped: nothing is scheduled any more, so run() can return.
  trimmer.stop();
  trimmer.noteLargeRequest();
  guard.reset();
  io.join();
  EXPECT_EQ(trimmer.trims(), 1u);
}

// --- stop() ---

TEST(ConnectionStopTest, PipelinedRequestsAreAllAnsweredTheLastWithClose) {
  std::atomic<bool> started{false};
  std::atomic<int> calls{0};
  TestServer s([&](std::string_view op, std::string_view) {
    ++calls;
    if (op == "Scan") {
      started = true;
      std::this_thread::sleep_for(300ms);
    }
    return api::ApiResponse{200, std::string(op)};
  });
  Client c(s.port());
  c.writeRaw(rawRequest("Scan") + rawRequest("GetItem") + rawRequest("Query"));
  while (!started) std::this_thread::sleep_for(1ms);
  s.server().stop();
  Res r1 = c.read();
  Res r2 = c.read();
  Res r3 = c.read();
  EXPECT_EQ(r1.body(), "Scan");
  EXPECT_TRUE(r1.keep_alive());
  EXPECT_EQ(r2.body(), "GetItem");
  EXPECT_TRUE(r2.keep_alive());
  EXPECT_EQ(r3.body(), "Query");
  EXPECT_FALSE(r3.keep_alive());  // "Connection: close"
  EXPECT_EQ(calls.load(), 3);
  s.stopAndJoin();
  EXPECT_TRUE(s.finished());
}

TEST(ConnectionStopTest, RequestWaitingInTheSocketIsAnswered) {
  // One I/O thread, busy with a slow read on connection `busy`: the request
  // sent meanwhile on the idle keep-alive connection `waiting` sits in its
  // socket when stop() comes. It was fully sent before the stop, so it is
  // answered (with "Connection: close"), not dropped.
  std::atomic<bool> started{false};
  ServerOptions o;
  o.threads = 1;
  o.write_threads = 0;
  TestServer s(
      [&](std::string_view op, std::string_view body) {
        if (op == "Scan") {
          started = true;
          std::this_thread::sleep_for(300ms);
        }
        return api::ApiResponse{200, std::string(op) + ":" + std::string(body)};
      },
      o);
  Client busy(s.port());
  Client waiting(s.port());
  Client idle(s.port());
  ASSERT_EQ(waiting.send(apiRequest("GetItem", "{}")).result_int(), 200);
  ASSERT_EQ(idle.send(apiRequest("GetItem", "{}")).result_int(), 200);
  busy.writeRaw(rawRequest("Scan"));
  while (!started) std::this_thread::sleep_for(1ms);
  waiting.writeRaw(rawRequest("PutItem", "{\"k\":1}"));
  std::this_thread::sleep_for(20ms);  // in the socket, not yet read: the only I/O thread is busy
  s.server().stop();
  Res rb = busy.read();
  EXPECT_EQ(rb.body(), "Scan:{}");
  EXPECT_FALSE(rb.keep_alive());
  Res rw = waiting.read();
  EXPECT_EQ(rw.result_int(), 200);
  EXPECT_EQ(rw.body(), "PutItem:{\"k\":1}");
  EXPECT_FALSE(rw.keep_alive());
  EXPECT_LT(timeUntilClosed(idle.socket(), 5s), 2s);
  s.stopAndJoin();
  EXPECT_TRUE(s.finished());
}

TEST(ConnectionStopTest, IdleConnectionsCloseAtOnce) {
  TestServer s(echoHandler());
  Client a(s.port());
  Client b(s.port());
  ASSERT_EQ(a.send(apiRequest("GetItem", "{}")).result_int(), 200);
  const auto t0 = Clock::now();
  s.stopAndJoin();
  EXPECT_TRUE(s.finished());
  EXPECT_LT(Clock::now() - t0, 1s);
  EXPECT_LT(timeUntilClosed(a.socket(), 5s), 1s);
  EXPECT_LT(timeUntilClosed(b.socket(), 5s), 1s);
}

}  // namespace
}  // namespace fdyno::http

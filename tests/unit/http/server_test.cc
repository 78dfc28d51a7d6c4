// Black-box tests of the HTTP front end: a real Server on 127.0.0.1, port 0,
// a lambda handler, and a Beast client (or raw bytes on a socket).
#include "http/server.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "auth/amz_time.h"
#include "auth/authenticator.h"
#include "auth/sigv4.h"
#include "http/compression.h"
#include "test_server.h"

namespace fdyno::http {
namespace {

using namespace fdyno::http::testing;  // NOLINT: test helpers

constexpr std::string_view kUnknownOpBody = R"({"__type":"com.amazon.coral.service#UnknownOperationException"})";

TEST(ServerTest, ApiRequestReachesHandlerWithDynamoHeaders) {
  TestServer s(echoHandler());
  Client c(s.port());
  Res r = c.send(apiRequest("PutItem", R"({"TableName":"t"})"));
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"(PutItem:{"TableName":"t"})");
  EXPECT_EQ(field(r, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(field(r, "x-amz-crc32"), std::to_string(crc(r.body())));
  EXPECT_TRUE(std::regex_match(field(r, "x-amzn-RequestId"), std::regex("[0-9A-Z]{52}")));
  EXPECT_TRUE(std::regex_match(field(r, "Date"),
                               std::regex("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT")));
  EXPECT_EQ(field(r, "Content-Length"), std::to_string(r.body().size()));
  EXPECT_TRUE(r.keep_alive());
}

TEST(ServerTest, KeepAliveAndUniqueRequestIds) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    Res r = c.send(apiRequest("GetItem", "{}"));
    ASSERT_EQ(r.result_int(), 200);
    ids.insert(field(r, "x-amzn-RequestId"));
  }
  EXPECT_EQ(calls.load(), 5);
  EXPECT_EQ(ids.size(), 5u);
}

TEST(ServerTest, PipelinedRequestsAnsweredInOrder) {
  TestServer s([](std::string_view op, std::string_view body) {
    // Make the first one slower: order must still hold.
    if (op == "Query") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return api::ApiResponse{200, std::string(op)};
  });
  Client c(s.port());
  std::string raw;
  for (std::string_view op : {"Query", "Scan", "GetItem"}) {
    raw += "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.";
    raw += op;
    raw += "\r\nContent-Length: 2\r\n\r\n{}";
  }
  c.writeRaw(raw);  // one write, three requests
  EXPECT_EQ(c.read().body(), "Query");
  EXPECT_EQ(c.read().body(), "Scan");
  EXPECT_EQ(c.read().body(), "GetItem");
}

TEST(ServerTest, UnknownTargetErrors) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  for (std::string target : {"", "whatever", "DynamoDB_20120810.", "DynamoDB_20111205.ListTables",
                             "DynamoDB_20120810.a.b"}) {
    Req req = apiRequest("x", "{}");
    if (target.empty()) {
      req.erase("X-Amz-Target");
    } else {
      req.set("X-Amz-Target", target);
    }
    Res r = c.send(req);
    EXPECT_EQ(r.result_int(), 400) << target;
    EXPECT_EQ(r.body(), kUnknownOpBody) << target;
    EXPECT_EQ(field(r, "x-amz-crc32"), std::to_string(crc(r.body())));
  }
  EXPECT_EQ(calls.load(), 0);
  // Streams operations are routed too (their own target prefix).
  Req req = apiRequest("x", "{}");
  req.set("X-Amz-Target", "DynamoDBStreams_20120810.ListStreams");
  EXPECT_EQ(c.send(req).body(), "ListStreams:{}");
}

TEST(ServerTest, ContentTypeRules) {
  TestServer s(echoHandler());
  Client c(s.port());
  Req req = apiRequest("ListTables", "{}");
  req.set(bhttp::field::content_type, "text/plain");
  Res r = c.send(req);
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(r.body(), "<UnknownOperationException/>\n");
  EXPECT_EQ(field(r, "x-amz-crc32"), "3552371480");  // DynamoDB's value for this body
  req.set(bhttp::field::content_type, "application/json");
  r = c.send(req);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(field(r, "Content-Type"), "application/json");
  req.set(bhttp::field::content_type, "application/x-amz-json-1.0; charset=utf-8");
  r = c.send(req);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(field(r, "Content-Type"), "application/x-amz-json-1.0");
}

TEST(ServerTest, HandlerExceptionsBecome500) {
  TestServer s([](std::string_view, std::string_view) -> api::ApiResponse {
    throw std::runtime_error("boom");
  });
  Client c(s.port());
  Res r = c.send(apiRequest("GetItem", "{}"));
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(r.body(),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"})");
}

TEST(ServerTest, GzipRequestDecoded) {
  TestServer s(echoHandler());
  Client c(s.port());
  std::string packed;
  ASSERT_TRUE(compressBody(R"({"TableName":"t"})", BodyEncoding::kGzip, packed));
  Req req = apiRequest("PutItem", packed);
  req.set(bhttp::field::content_encoding, "gzip");
  Res r = c.send(req);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"(PutItem:{"TableName":"t"})");
  // Broken gzip and unknown encodings: HTTP 500, handler not called.
  req.body() = R"({"TableName":"t"})";
  r = c.send(req);
  EXPECT_EQ(r.result_int(), 500);
  EXPECT_EQ(r.body(),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Failed to decompress the request body"})");
  req.set(bhttp::field::content_encoding, "garbage");
  r = c.send(req);
  EXPECT_EQ(r.result_int(), 500);
}

TEST(ServerTest, GzipBombRefusedWith413) {
  ServerOptions o;
  o.max_body_bytes = 1 << 20;
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls), o);
  Client c(s.port());
  std::string packed;
  ASSERT_TRUE(compressBody(std::string(2 << 20, ' '), BodyEncoding::kGzip, packed));
  Req req = apiRequest("PutItem", packed);
  req.set(bhttp::field::content_encoding, "gzip");
  Res r = c.send(req);
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(calls.load(), 0);
}

TEST(ServerTest, ResponsesCompressedWhenAskedAndLargeEnough) {
  std::string big(5000, 'x');
  TestServer s([&big](std::string_view op, std::string_view) {
    return api::ApiResponse{200, op == "Big" ? big : std::string("small")};
  });
  Client c(s.port());
  for (auto [accept, encoding] : {std::pair{"gzip", BodyEncoding::kGzip}, std::pair{"deflate", BodyEncoding::kDeflate}}) {
    Req req = apiRequest("Big", "{}");
    req.set(bhttp::field::accept_encoding, accept);
    Res r = c.send(req);
    ASSERT_EQ(r.result_int(), 200);
    EXPECT_EQ(field(r, "Content-Encoding"), accept);
    EXPECT_LT(r.body().size(), 200u);
    // Botocore checks the CRC of the bytes it receives: the compressed body.
    EXPECT_EQ(field(r, "x-amz-crc32"), std::to_string(crc(r.body())));
    std::string plain;
    ASSERT_EQ(inflateBody(r.body(), encoding, 1 << 20, plain), InflateResult::kOk);
    EXPECT_EQ(plain, big);
  }
  Req req = apiRequest("Small", "{}");
  req.set(bhttp::field::accept_encoding, "gzip");
  Res r = c.send(req);
  EXPECT_EQ(field(r, "Content-Encoding"), "<absent>");
  EXPECT_EQ(r.body(), "small");
  req = apiRequest("Big", "{}");
  r = c.send(req);
  EXPECT_EQ(field(r, "Content-Encoding"), "<absent>");
  EXPECT_EQ(r.body(), big);
}

TEST(ServerTest, TooLargeBodyRefusedWithoutReadingIt) {
  ServerOptions o;
  o.max_body_bytes = 4096;
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls), o);
  {
    // Exactly at the limit: fine.
    Client c(s.port());
    EXPECT_EQ(c.send(apiRequest("PutItem", std::string(4096, ' '))).result_int(), 200);
  }
  {
    // Content-Length over the limit: refused from the header.
    Client c(s.port());
    Res r = c.send(apiRequest("PutItem", std::string(200000, ' ')));
    EXPECT_EQ(r.result_int(), 413);
    EXPECT_FALSE(r.keep_alive());
    EXPECT_TRUE(std::regex_match(field(r, "x-amzn-RequestId"), std::regex("[0-9A-Z]{52}")));
  }
  {
    // Chunked: refused once the data crosses the limit.
    Client c(s.port());
    std::string raw =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
        "X-Amz-Target: DynamoDB_20120810.PutItem\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string chunk(3000, 'a');
    for (int i = 0; i < 3; ++i) raw += "bb8\r\n" + chunk + "\r\n";
    raw += "0\r\n\r\n";
    c.writeRaw(raw);
    EXPECT_EQ(c.read().result_int(), 413);
  }
  EXPECT_EQ(calls.load(), 1);
}

// ScyllaDB's test_too_large_request_content_length: a 17 MB request against
// the default 16 MB limit must be answered with a readable 413, not a reset
// while the client is still sending.
TEST(ServerTest, SeventeenMegabyteRequestGets413NotReset) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  Res r = c.send(apiRequest("PutItem", "{\"TableName\": \"t\", " + std::string(17 << 20, ' ') + "}"));
  EXPECT_EQ(r.result_int(), 413);
  EXPECT_EQ(calls.load(), 0);
}

TEST(ServerTest, CorsPreflightAndHeaders) {
  TestServer s(echoHandler());
  Client c(s.port());
  Req pre{bhttp::verb::options, "/", 11};
  pre.set(bhttp::field::host, "x");
  pre.set(bhttp::field::origin, "http://example.com/");
  pre.set(bhttp::field::access_control_request_method, "dog");
  pre.set(bhttp::field::access_control_request_headers, "cat, meerkat, mouse");
  Res r = c.send(pre);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "");
  EXPECT_EQ(field(r, "Content-Length"), "0");
  EXPECT_EQ(field(r, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(field(r, "Access-Control-Allow-Methods"), "dog");
  EXPECT_EQ(field(r, "Access-Control-Allow-Headers"), "cat, meerkat, mouse");
  EXPECT_EQ(field(r, "Access-Control-Max-Age"), "172800");
  EXPECT_NE(field(r, "Access-Control-Expose-Headers"), "<absent>");
  // A POST with Origin: allow-origin and expose, but no preflight headers.
  Req post = apiRequest("ListTables", "{}");
  post.set(bhttp::field::origin, "http://example.com/");
  post.set(bhttp::field::access_control_request_method, "dog");
  r = c.send(post);
  EXPECT_EQ(field(r, "Access-Control-Allow-Origin"), "*");
  EXPECT_NE(field(r, "Access-Control-Expose-Headers"), "<absent>");
  EXPECT_EQ(field(r, "Access-Control-Max-Age"), "<absent>");
  EXPECT_EQ(field(r, "Access-Control-Allow-Methods"), "<absent>");
  // No Origin: no CORS headers at all; OPTIONS is then a 404.
  r = c.send(apiRequest("ListTables", "{}"));
  EXPECT_EQ(field(r, "Access-Control-Allow-Origin"), "<absent>");
  pre.erase(bhttp::field::origin);
  r = c.send(pre);
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(field(r, "Access-Control-Allow-Origin"), "<absent>");
}

TEST(ServerTest, HealthAndOtherPaths) {
  TestServer s(echoHandler());
  Client c(s.port());
  Req get{bhttp::verb::get, "/", 11};
  get.set(bhttp::field::host, c.host());
  Res r = c.send(get);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "healthy: " + c.host());
  // Anything a host name cannot hold is not echoed back.
  get.set(bhttp::field::host, "<script>\xc3");
  EXPECT_EQ(c.send(get).body(), "healthy: fdyno");
  get.set(bhttp::field::host, c.host());
  for (const char* path : {"/abc", "/-", "/index.htm", "/health"}) {
    get.target(path);
    EXPECT_EQ(c.send(get).result_int(), 404) << path;
  }
  Req put{bhttp::verb::put, "/", 11};
  put.set(bhttp::field::host, "x");
  EXPECT_EQ(c.send(put).result_int(), 404);
}

TEST(ServerTest, MetricsText) {
  TestServer s(echoHandler());
  Client c(s.port());
  c.send(apiRequest("PutItem", "{}"));
  c.send(apiRequest("PutItem", "{}"));
  Req bad = apiRequest("x", "{}");
  bad.erase("X-Amz-Target");
  c.send(bad);
  Req get{bhttp::verb::get, "/metrics", 11};
  get.set(bhttp::field::host, "x");
  Res r = c.send(get);
  ASSERT_EQ(r.result_int(), 200);
  const std::string& m = r.body();
  EXPECT_NE(m.find("# TYPE fdyno_requests_total counter\n"), std::string::npos) << m;
  EXPECT_NE(m.find("fdyno_requests_total{operation=\"PutItem\",status=\"200\"} 2\n"), std::string::npos) << m;
  EXPECT_NE(m.find("fdyno_requests_total{operation=\"unknown\",status=\"400\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("fdyno_request_duration_seconds_bucket{operation=\"PutItem\",le=\"+Inf\"} 2\n"),
            std::string::npos) << m;
  EXPECT_NE(m.find("fdyno_request_duration_seconds_count{operation=\"PutItem\"} 2\n"), std::string::npos) << m;
  EXPECT_NE(m.find("fdyno_open_connections 1\n"), std::string::npos) << m;
}

TEST(ServerTest, GracefulStopFinishesInFlightRequest) {
  std::atomic<bool> started{false};
  TestServer s([&started](std::string_view op, std::string_view) {
    started = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return api::ApiResponse{200, "done"};
  });
  Client busy(s.port());
  Client idle(s.port());
  Req req = apiRequest("Scan", "{}");
  req.prepare_payload();
  bhttp::write(busy.socket(), req);
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  s.server().stop();
  Res r = busy.read();
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "done");
  EXPECT_FALSE(r.keep_alive());  // "Connection: close" after a stop
  s.stopAndJoin();  // run() returned: the idle connection was closed too
  EXPECT_TRUE(s.finished());
  beast::error_code ec;
  tcp::socket fresh(busy.socket().get_executor());
  fresh.connect({net::ip::make_address("127.0.0.1"), s.port()}, ec);
  EXPECT_TRUE(ec) << "the listener is closed";
}

// --- authentication in front of the handler ---

constexpr std::string_view kKey = "AKIDFDYNO";
constexpr std::string_view kSecret = "secret/key";

Req signedRequest(const std::string& host, std::string_view op, std::string body, std::string_view key = kKey,
                  std::string_view secret = kSecret, std::string_view content_encoding = {}) {
  Req req = apiRequest(op, std::move(body), host);
  std::string amz_date = auth::formatAmzDate(std::chrono::duration_cast<std::chrono::seconds>(
                                                 std::chrono::system_clock::now().time_since_epoch())
                                                 .count());
  req.set("X-Amz-Date", amz_date);
  if (!content_encoding.empty()) req.set(bhttp::field::content_encoding, content_encoding);
  std::vector<auth::Header> headers;
  for (const auto& f : req) headers.push_back({f.name_string(), f.value()});
  std::vector<std::string_view> sh{"content-type", "host", "x-amz-date", "x-amz-target"};
  std::string hash = auth::sha256Hex(req.body());
  auth::SignInput in{key, secret, "us-east-1", "dynamodb", amz_date, {"POST", "/", "", headers, sh, hash}};
  req.set(bhttp::field::authorization, auth::authorizationHeader(in));
  return req;
}

TEST(ServerAuthTest, VerifyMode) {
  auto a = auth::Authenticator::fromKeys(auth::AuthMode::kVerify, {{std::string(kKey), std::string(kSecret)}});
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls), ServerOptions{}, a.get());
  Client c(s.port());
  Res r = c.send(signedRequest(c.host(), "GetItem", "{}"));
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "GetItem:{}");

  r = c.send(apiRequest("GetItem", "{}", c.host()));
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(r.body(),
            R"({"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"})");

  r = c.send(signedRequest(c.host(), "GetItem", "{}", "nobody"));
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(r.body(),
            R"({"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."})");

  Req tampered = signedRequest(c.host(), "GetItem", "{}");
  tampered.body() = R"({"x":1})";
  r = c.send(tampered);
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_NE(r.body().find("InvalidSignatureException"), std::string::npos);

  // The signature covers the compressed bytes; the handler sees them inflated.
  std::string packed;
  ASSERT_TRUE(compressBody(R"({"TableName":"t"})", BodyEncoding::kGzip, packed));
  r = c.send(signedRequest(c.host(), "PutItem", packed, kKey, kSecret, "gzip"));
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), R"(PutItem:{"TableName":"t"})");
  EXPECT_EQ(calls.load(), 2);

  // Unknown target is reported before authentication, as DynamoDB does.
  Req bad = apiRequest("x", "{}", c.host());
  bad.erase("X-Amz-Target");
  EXPECT_EQ(c.send(bad).body(), kUnknownOpBody);
}

TEST(ServerAuthTest, OpenModeAcceptsUnsignedAndAnyKey) {
  auto a = auth::Authenticator::fromKeys(auth::AuthMode::kOpen, {});
  TestServer s(echoHandler(), ServerOptions{}, a.get());
  Client c(s.port());
  EXPECT_EQ(c.send(apiRequest("GetItem", "{}", c.host())).result_int(), 200);
  EXPECT_EQ(c.send(signedRequest(c.host(), "GetItem", "{}", "anyone", "anything")).result_int(), 200);
}

}  // namespace
}  // namespace fdyno::http

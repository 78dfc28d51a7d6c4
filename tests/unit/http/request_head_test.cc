// Limits on the request head (DynamoDB: 16 KB request line, 16 KB of header
// fields, else 400 Bad Request) and the headers DynamoDB reads only once
// (Accept-Encoding: the first one counts).
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "http/compression.h"
#include "http/request_router.h"
#include "test_server.h"

namespace fdyno::http {
namespace {

using namespace fdyno::http::testing;  // NOLINT: test helpers

// Header-field bytes as counted on the wire: "Name: value\r\n" per field.
size_t fieldBytes(const Req& req) {
  size_t n = 0;
  for (const auto& f : req) n += f.name_string().size() + 2 + f.value().size() + 2;
  return n;
}

// The exact answer to an oversized head: 400, empty body, connection closed.
void expectBadRequestAndClose(Client& c, Res r) {
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(r.body(), "");
  EXPECT_EQ(field(r, "Content-Length"), "0");
  EXPECT_EQ(field(r, "x-amz-crc32"), "0");
  EXPECT_EQ(field(r, "Connection"), "close");
  EXPECT_EQ(field(r, "x-amzn-RequestId").size(), 52u);
  beast::error_code ec;
  char byte;
  c.socket().read_some(net::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, net::error::eof) << "the server closes the connection after the 400";
}

TEST(RequestHeadTest, HeaderFieldsUpTo16KBAccepted) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  Req req = apiRequest("PutItem", "{}");
  req.prepare_payload();
  // "X-Pad: <v>\r\n" brings the total to exactly 16384 bytes.
  const size_t pad = kMaxHeaderFieldBytes - fieldBytes(req) - (5 + 2 + 2);
  req.set("X-Pad", std::string(pad, 'p'));
  ASSERT_EQ(fieldBytes(req), 16384u);
  Res r = c.send(req);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "PutItem:{}");
  EXPECT_TRUE(r.keep_alive());
  EXPECT_EQ(calls.load(), 1);
}

TEST(RequestHeadTest, HeaderFieldsOver16KBGet400) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  Req req = apiRequest("PutItem", "{}");
  req.prepare_payload();
  const size_t pad = kMaxHeaderFieldBytes - fieldBytes(req) - (5 + 2 + 2) + 1;
  req.set("X-Pad", std::string(pad, 'p'));
  ASSERT_EQ(fieldBytes(req), 16385u);
  expectBadRequestAndClose(c, c.send(req));
  EXPECT_EQ(calls.load(), 0);
}

// The Alternator test's shape: two 8 KB headers on a valid request.
TEST(RequestHeadTest, TwoEightKilobyteHeadersGet400) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  Req req = apiRequest("PutItem", "{}");
  req.set("header1", "dog");
  req.set("header2", "cat");
  EXPECT_EQ(c.send(req).result_int(), 200);
  req.set("header1", std::string(8192, 'x'));
  req.set("header2", std::string(8192, 'y'));
  expectBadRequestAndClose(c, c.send(req));
  EXPECT_EQ(calls.load(), 1);
}

TEST(RequestHeadTest, RequestLineUpTo16KBAccepted) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  // "POST " + target + " HTTP/1.1" = 16384 bytes. DynamoDB ignores the path.
  Req req = apiRequest("GetItem", "{}");
  req.target("/" + std::string(kMaxRequestLineBytes - 5 - 9 - 1, 'x'));
  Res r = c.send(req);
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "GetItem:{}");
  EXPECT_EQ(calls.load(), 1);
}

TEST(RequestHeadTest, RequestLineOver16KBGets400) {
  std::atomic<int> calls{0};
  TestServer s(echoHandler(&calls));
  Client c(s.port());
  Req req = apiRequest("GetItem", "{}");
  req.target("/" + std::string(kMaxRequestLineBytes - 5 - 9, 'x'));  // one byte over
  expectBadRequestAndClose(c, c.send(req));
  EXPECT_EQ(calls.load(), 0);
}

TEST(RequestHeadTest, HeadBeyondTheParserLimitGets400) {
  TestServer s(echoHandler());
  Client c(s.port());
  Req req = apiRequest("GetItem", "{}");
  req.set("X-Huge", std::string(kHeadParseLimit + 10, 'h'));
  req.prepare_payload();
  bhttp::write(c.socket(), req);
  expectBadRequestAndClose(c, c.read());
}

TEST(RequestHeadTest, HeadTooLargeCountsLineAndFieldsSeparately) {
  bhttp::request_header<> h;
  h.method(bhttp::verb::post);
  h.target("/" + std::string(10000, 't'));
  h.set("X-A", std::string(10000, 'a'));
  EXPECT_FALSE(headTooLarge(h)) << "10 KB + 10 KB is within both limits";
  h.set("X-B", std::string(7000, 'b'));
  EXPECT_TRUE(headTooLarge(h));
  h.erase("X-B");
  h.target("/" + std::string(17000, 't'));
  EXPECT_TRUE(headTooLarge(h));
}

// DynamoDB reads only the first Accept-Encoding header
// (test_multiple_accept_encoding_headers, recorded against DynamoDB).
TEST(RequestHeadTest, OnlyTheFirstAcceptEncodingHeaderCounts) {
  const std::string big(5000, 'x');
  TestServer s([&big](std::string_view, std::string_view) { return api::ApiResponse{200, big}; });
  Client c(s.port());
  auto send = [&](std::string_view first, std::string_view second) {
    std::string raw =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
        "X-Amz-Target: DynamoDB_20120810.GetItem\r\nAccept-Encoding: ";
    raw += first;
    raw += "\r\nAccept-Encoding: ";
    raw += second;
    raw += "\r\nContent-Length: 2\r\n\r\n{}";
    c.writeRaw(raw);
    return c.read();
  };
  Res r = send("gzip", "identity");
  EXPECT_EQ(field(r, "Content-Encoding"), "gzip");
  std::string plain;
  ASSERT_EQ(inflateBody(r.body(), BodyEncoding::kGzip, 1 << 20, plain), InflateResult::kOk);
  EXPECT_EQ(plain, big);
  r = send("identity", "gzip");
  EXPECT_EQ(field(r, "Content-Encoding"), "<absent>");
  EXPECT_EQ(r.body(), big);
  r = send("deflate;q=0.5, gzip;q=0. x", "deflate");
  EXPECT_EQ(field(r, "Content-Encoding"), "gzip");
}

}  // namespace
}  // namespace fdyno::http

// Fuzz target: HTTP request parsing and routing (src/http), without sockets.
//
// Input: raw bytes as a client would send them on a connection. They go
// through Beast's request_parser with the limits src/http/connection.cc sets
// (kHeadParseLimit for the head, ServerOptions' max_body_bytes for the body),
// then through the same decisions as Connection::onRead: a body over the
// limit -> RequestRouter::tooLarge, a parse error -> badRequest, a head over
// DynamoDB's limits -> badRequest, otherwise the router, three times: without
// authentication, with kOpen and with kVerify (fixed key). The handler
// answers every API call with "{}", so what is fuzzed is the router's own
// protocol handling: content types, X-Amz-Target, authentication,
// Content-Encoding (inflate), response compression, headers.
// Invariants: nothing crashes or throws (route() is noexcept by contract);
// every response whose Content-Type is JSON has a body that is valid UTF-8
// JSON; x-amz-crc32 is the CRC32 of the body as sent.
#include <zlib.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "fuzz/fuzz_util.h"
#include "http/metrics.h"
#include "http/request_router.h"
#include "http/server.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function
namespace bhttp = boost::beast::http;

namespace {

struct Routers {
  http::ServerOptions opts;
  http::Metrics metrics;
  std::unique_ptr<auth::Authenticator> open = auth::Authenticator::fromKeys(auth::AuthMode::kOpen, {});
  std::unique_ptr<auth::Authenticator> verify = auth::Authenticator::fromKeys(
      auth::AuthMode::kVerify, {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}});
  static api::ApiResponse handler(std::string_view, std::string_view) { return api::ApiResponse{200, "{}"}; }
  http::RequestRouter none{opts, handler, nullptr, metrics};
  http::RequestRouter with_open{opts, handler, open.get(), metrics};
  http::RequestRouter with_verify{opts, handler, verify.get(), metrics};
};

void checkResponse(const http::Response& res) {
  auto ct = res.find(bhttp::field::content_type);
  const std::string& body = res.body();
  if (ct != res.end() && ct->value().find("json") != boost::beast::string_view::npos &&
      !body.empty()) {
    // A compressed body is checked through its CRC only.
    if (res.find(bhttp::field::content_encoding) == res.end())
      fuzz::requireJson("JSON response body is not valid UTF-8 JSON", body);
  }
  auto crc = res.find("x-amz-crc32");
  fuzz::require(crc != res.end(), "response without x-amz-crc32", body);
  uLong want = crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()));
  fuzz::require(std::string(crc->value()) == std::to_string(want), "x-amz-crc32 does not match the body",
                std::string(crc->value()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Routers* r = new Routers;  // never destroyed: the routers are used until exit

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(http::kHeadParseLimit);
  parser.body_limit(r->opts.max_body_bytes);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (!parser.is_done() && used < size) {
    size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    used += n;
    if (ec || n == 0) break;
  }
  if (ec == bhttp::error::need_more) ec = {};
  // Nothing at all before the end: a connection closed while idle (Beast's
  // end_of_stream), which the connection answers with nothing.
  if (!ec && !parser.got_some()) return 0;
  if (!ec && !parser.is_done()) parser.put_eof(ec);

  http::Response res;
  if (ec == bhttp::error::body_limit) {
    r->none.tooLarge(parser.get(), res);
    checkResponse(res);
    return 0;
  }
  if (ec || !parser.is_done()) {
    r->none.badRequest(res);
    checkResponse(res);
    return 0;
  }
  http::Request& req = parser.get();
  if (http::headTooLarge(req)) {
    r->none.badRequest(res);
    checkResponse(res);
    return 0;
  }

  http::RouterScratch scratch;
  {
    http::Request copy = req;
    http::Response out;
    r->none.route(copy, out, scratch);
    checkResponse(out);
  }
  {
    // The connection's own sequence: begin on the I/O thread, then the handler.
    http::Request copy = req;
    http::Response out;
    http::HandlerCall call;
    if (r->with_open.begin(copy, out, scratch, &call) == http::RouteStep::kCallHandler)
      r->with_open.complete(copy, out, scratch, call, r->with_open.invoke(call));
    checkResponse(out);
  }
  http::Response out;
  r->with_verify.route(req, out, scratch);
  checkResponse(out);
  return 0;
}

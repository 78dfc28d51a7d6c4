// RequestRouter: turns one parsed HTTP request into its response, following
// DynamoDB's wire protocol. No I/O here: connection.cc reads and writes.
//
// Contract:
// - route() never throws: handler exceptions become HTTP 500
//   InternalServerError. It may be called concurrently from many threads (the
//   router is immutable after construction; per-connection state lives in
//   RouterScratch, which one connection owns).
// - The request's body is consumed (moved into the handler call or swapped
//   with scratch buffers); the response body is moved in from the handler.
// - Routing (DynamoDB's, as recorded by dynalite's and ScyllaDB's tests run
//   against the real service):
//     OPTIONS + Origin        -> CORS preflight, 200, empty body
//     GET /                   -> 200 "healthy: <Host>"
//     GET /metrics            -> Prometheus text (fdyno extension)
//     POST (any path)         -> DynamoDB API (below)
//     anything else           -> 404 "<UnknownOperationException/>\n"
//   POST: a non-empty body whose Content-Type is neither
//   application/x-amz-json-1.0 nor application/json -> 404 as above;
//   X-Amz-Target not "DynamoDB_20120810.<Op>" (or "DynamoDBStreams_20120810.<Op>",
//   either prefix for any <Op>) -> 400 UnknownOperationException; then
//   authentication; then Content-Encoding decoding; then the handler.
// - <Op> is looked up once in the operation registry (api/operations.h); the
//   row (or null, for a name in no row: the handler still gets the call and
//   answers it) decides the metrics label ("unknown" without a row) and
//   whether the handler may block (HandlerCall::mayBlock), and is handed to
//   the handler so it need not look the name up again.
// - Every response carries x-amzn-RequestId, Date, x-amz-crc32 (of the body
//   as sent), Content-Length, and CORS headers when the request had Origin.
#pragma once

#include <boost/beast/http.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "api/operations.h"
#include "auth/sigv4.h"
#include "http/metrics.h"
#include "http/server.h"

namespace fdyno::auth {
class Authenticator;
}

namespace fdyno::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// Buffers a connection reuses from request to request.
struct RouterScratch {
  std::string inflated;
  std::string compressed;
  std::vector<auth::Header> auth_headers;
};

// An API request that passed every protocol check and now needs the handler.
// The views point into the request (its target header and body) or into the
// connection's RouterScratch: both must stay untouched until complete().
struct HandlerCall {
  std::string_view operation;
  std::string_view body;  // as the handler sees it (inflated)
  // The operation's row in the registry; null for a name in no row (or
  // before the X-Amz-Target was read).
  const api::Operation* op = nullptr;
  std::chrono::steady_clock::time_point start;

  // The handler may wait for a storage commit (fsync), so the connection
  // may run it on the server's blocking pool (the row's write_pool).
  bool mayBlock() const { return op != nullptr && op->write_pool; }
  // Its slot in the metrics ("unknown" without a row).
  int metricsSlot() const { return api::metricsSlot(op); }
};

enum class RouteStep {
  kDone,        // the response is complete (answered by the router itself)
  kCallHandler  // call invoke(call), then complete(...)
};

// Limits on the request head, as DynamoDB's front end applies them: a request
// line over 16 KB, or header fields totalling over 16 KB, get "400 Bad
// Request" (ScyllaDB test_manual_requests.py test_too_large_request_line /
// _headers; issue scylladb#23438, measured against DynamoDB).
inline constexpr size_t kMaxRequestLineBytes = 16 * 1024;
inline constexpr size_t kMaxHeaderFieldBytes = 16 * 1024;
// What Beast may buffer for a head before it gives up (also a 400): room for
// both limits above, so that each is judged on its own.
inline constexpr uint32_t kHeadParseLimit = kMaxRequestLineBytes + kMaxHeaderFieldBytes + 1024;

// True when the parsed head exceeds one of the limits above. Sizes are counted
// as on the wire ("METHOD target HTTP/1.1", "Name: value" + CRLF per field).
bool headTooLarge(const bhttp::request_header<>& req);

class RequestRouter {
 public:
  RequestRouter(const ServerOptions& opts, OperationHandler handler, auth::Authenticator* auth,
                Metrics& metrics)
      : opts_(opts), handler_(std::move(handler)), auth_(auth), metrics_(metrics) {}
  RequestRouter(const ServerOptions& opts, RequestHandler handler, auth::Authenticator* auth, Metrics& metrics)
      : RequestRouter(opts, ignoringRow(std::move(handler)), auth, metrics) {}

  // The whole request at once, handler included, on the calling thread.
  void route(Request& req, Response& res, RouterScratch& scratch) const;

  // The same in three steps, so that a connection can run the handler
  // elsewhere (server.h: write pool): begin() does the protocol checks,
  // authentication and decoding on the I/O thread; invoke() calls the handler
  // (any thread; never throws); complete() turns its answer into the HTTP
  // response (compression, headers, metrics) back on the connection's thread.
  RouteStep begin(Request& req, Response& res, RouterScratch& scratch, HandlerCall* call) const;
  api::ApiResponse invoke(const HandlerCall& call) const noexcept;
  void complete(const Request& req, Response& res, RouterScratch& scratch, const HandlerCall& call,
                api::ApiResponse out) const;

  // The answer to a request whose body exceeds the size limit (HTTP 413, as
  // DynamoDB); the caller then closes the connection. `req` holds at least the
  // parsed header.
  void tooLarge(const Request& req, Response& res) const;

  // The answer to a request Beast could not parse (HTTP 400, connection
  // closed afterwards).
  void badRequest(Response& res) const;

  // The answer on a connection accepted beyond the connection limit, sent
  // before its request is read: HTTP 503 with a DynamoDB error body
  // (__type ...#ServiceUnavailable, which SDKs retry), "Connection: close".
  // Counted in the metrics as operation "unknown", status 503.
  void unavailable(Response& res) const;

  Metrics& metrics() const { return metrics_; }

 private:
  // False when the request was answered without the handler.
  bool routeApi(Request& req, Response& res, RouterScratch& scratch, HandlerCall* call) const;
  void finish(const Request& req, Response& res, RouterScratch& scratch, bool api) const;

  const ServerOptions& opts_;
  OperationHandler handler_;
  auth::Authenticator* auth_;
  Metrics& metrics_;
};

}  // namespace fdyno::http

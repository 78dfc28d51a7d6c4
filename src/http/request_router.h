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
//   X-Amz-Target not "DynamoDB_20120810.<Op>" (or "DynamoDBStreams_20120810.<Op>")
//   -> 400 UnknownOperationException; then authentication; then
//   Content-Encoding decoding; then the handler.
// - Every response carries x-amzn-RequestId, Date, x-amz-crc32 (of the body
//   as sent), Content-Length, and CORS headers when the request had Origin.
#pragma once

#include <boost/beast/http.hpp>
#include <string>
#include <vector>

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

class RequestRouter {
 public:
  RequestRouter(const ServerOptions& opts, RequestHandler handler, auth::Authenticator* auth,
                Metrics& metrics)
      : opts_(opts), handler_(std::move(handler)), auth_(auth), metrics_(metrics) {}

  void route(Request& req, Response& res, RouterScratch& scratch) const;

  // The answer to a request whose body exceeds the size limit (HTTP 413, as
  // DynamoDB); the caller then closes the connection. `req` holds at least the
  // parsed header.
  void tooLarge(const Request& req, Response& res) const;

  // The answer to a request Beast could not parse (HTTP 400, connection
  // closed afterwards).
  void badRequest(Response& res) const;

  Metrics& metrics() const { return metrics_; }

 private:
  void routeApi(Request& req, Response& res, RouterScratch& scratch, int* op_index) const;
  void finish(const Request& req, Response& res, RouterScratch& scratch, bool api) const;

  const ServerOptions& opts_;
  RequestHandler handler_;
  auth::Authenticator* auth_;
  Metrics& metrics_;
};

}  // namespace fdyno::http

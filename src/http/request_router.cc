#include "http/request_router.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <exception>

#include "api/api_error.h"
#include "auth/authenticator.h"
#include "common/log.h"
#include "http/compression.h"
#include "http/header_text.h"
#include "http/wire_headers.h"

namespace fdyno::http {
namespace {

constexpr std::string_view kAmzJson = "application/x-amz-json-1.0";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kDynamoPrefix = "DynamoDB_20120810";
constexpr std::string_view kStreamsPrefix = "DynamoDBStreams_20120810";
// What DynamoDB (and its CORS-enabled AWS siblings) expose to browsers.
constexpr std::string_view kExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
// DynamoDB's answer to anything that is not an API call: HTTP 404 with this
// exact XML-ish body (dynalite's connection tests, recorded from DynamoDB).
constexpr std::string_view kNotFoundBody = "<UnknownOperationException/>\n";

std::string_view sv(boost::beast::string_view s) { return std::string_view(s.data(), s.size()); }

std::string_view pathOf(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view queryOf(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

void notFound(Response& res) {
  res.result(bhttp::status::not_found);
  res.body().assign(kNotFoundBody);
}

void setError(Response& res, const api::ApiError& e) {
  api::ApiResponse r = api::toResponse(e);
  res.result(static_cast<unsigned>(r.status));
  res.body() = std::move(r.body);
}

}  // namespace

void RequestRouter::route(Request& req, Response& res, RouterScratch& scratch) const {
  HandlerCall call;
  if (begin(req, res, scratch, &call) == RouteStep::kCallHandler) complete(req, res, scratch, call, invoke(call));
}

RouteStep RequestRouter::begin(Request& req, Response& res, RouterScratch& scratch, HandlerCall* call) const {
  call->start = std::chrono::steady_clock::now();
  call->op = nullptr;
  res = Response{};
  res.version(req.version());
  res.result(bhttp::status::ok);
  const bool has_origin = req.find(bhttp::field::origin) != req.end();
  bool api = false;
  switch (req.method()) {
    case bhttp::verb::options:
      if (has_origin) {
        // CORS preflight: echo what the script asks for (test_cors.py).
        auto h = req.find(bhttp::field::access_control_request_headers);
        if (h != req.end()) res.set(bhttp::field::access_control_allow_headers, h->value());
        auto m = req.find(bhttp::field::access_control_request_method);
        if (m != req.end()) res.set(bhttp::field::access_control_allow_methods, m->value());
        res.set(bhttp::field::access_control_max_age, "172800");
      } else {
        notFound(res);
      }
      break;
    case bhttp::verb::get: {
      std::string_view path = pathOf(sv(req.target()));
      if (path == "/") {
        // DynamoDB answers "healthy: dynamodb.<region>.amazonaws.com"; like
        // Alternator we name the host the client used (test_health.py).
        // The echo is limited to what a host name can hold (letters, digits,
        // ".-:[]"), so a client cannot make the server reflect arbitrary
        // bytes (markup, invalid UTF-8) into a response.
        auto host = req.find(bhttp::field::host);
        std::string_view name = host != req.end() ? sv(host->value()) : std::string_view();
        const bool plain = !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' ||
                 c == ']';
        });
        res.body() = "healthy: ";
        res.body() += plain ? name : std::string_view("fdyno");
        res.set(bhttp::field::content_type, "text/plain");
      } else if (path == "/metrics") {
        res.body() = metrics_.render();
        res.set(bhttp::field::content_type, "text/plain; version=0.0.4");
      } else {
        notFound(res);
      }
      break;
    }
    case bhttp::verb::post:
      api = true;
      if (routeApi(req, res, scratch, call)) return RouteStep::kCallHandler;
      break;
    default:
      notFound(res);
      break;
  }
  finish(req, res, scratch, api);
  if (api) metrics_.record(call->metricsSlot(), res.result_int(), std::chrono::steady_clock::now() - call->start);
  return RouteStep::kDone;
}

api::ApiResponse RequestRouter::invoke(const HandlerCall& call) const noexcept {
  try {
    return handler_(call.op, call.operation, call.body);
  } catch (const api::ApiError& e) {
    return api::toResponse(e);
  } catch (const std::exception& e) {
    log::error(std::string("http: handler threw: ") + e.what());
  } catch (...) {
    log::error("http: handler threw a non-exception");
  }
  return api::toResponse(api::ApiError::internal("Internal server error"));
}

void RequestRouter::complete(const Request& req, Response& res, RouterScratch& scratch, const HandlerCall& call,
                             api::ApiResponse out) const {
  res.result(static_cast<unsigned>(out.status));
  res.body() = std::move(out.body);
  finish(req, res, scratch, /*api=*/true);
  metrics_.record(call.metricsSlot(), res.result_int(), std::chrono::steady_clock::now() - call.start);
}

bool RequestRouter::routeApi(Request& req, Response& res, RouterScratch& scratch, HandlerCall* call) const {
  std::string_view content_type = sv(req[bhttp::field::content_type]);
  content_type = trimOws(content_type.substr(0, content_type.find(';')));
  const bool amz_json = asciiIequals(content_type, kAmzJson);
  if (!req.body().empty() && !amz_json && !asciiIequals(content_type, kJson)) {
    notFound(res);
    return false;
  }
  // DynamoDB answers in the JSON flavour the client used.
  res.set(bhttp::field::content_type, amz_json ? kAmzJson : kJson);

  std::string_view target = sv(req["X-Amz-Target"]);
  size_t dot = target.find('.');
  std::string_view prefix = target.substr(0, dot);
  std::string_view op = dot == std::string_view::npos ? std::string_view{} : target.substr(dot + 1);
  if ((prefix != kDynamoPrefix && prefix != kStreamsPrefix) || op.empty() ||
      op.find('.') != std::string_view::npos) {
    setError(res, api::ApiError::unknownOperation());
    return false;
  }
  call->op = api::findOperation(op);

  if (auth_ != nullptr) {
    std::vector<auth::Header>& headers = scratch.auth_headers;
    headers.clear();
    for (const auto& f : req) headers.push_back({sv(f.name_string()), sv(f.value())});
    std::string_view full_target = sv(req.target());
    auth::AuthRequest ar{sv(req.method_string()), pathOf(full_target), queryOf(full_target), headers,
                         req.body(), {}};
    if (auto failure = auth_->verify(ar)) {
      setError(res, api::ApiError(std::move(failure->type), std::move(failure->message), 400));
      return false;
    }
  }

  std::string_view body = req.body();
  auto ce = req.find(bhttp::field::content_encoding);
  if (ce != req.end()) {
    BodyEncoding enc;
    if (!parseContentEncoding(sv(ce->value()), &enc)) {
      // DynamoDB: HTTP 500 (test_garbage_content_encoding).
      setError(res, api::ApiError::internal("Unsupported Content-Encoding: " + std::string(sv(ce->value()))));
      return false;
    }
    if (enc != BodyEncoding::kIdentity) {
      switch (inflateBody(body, enc, opts_.max_body_bytes, scratch.inflated)) {
        case InflateResult::kOk:
          body = scratch.inflated;
          break;
        case InflateResult::kTooLarge:
          res.result(bhttp::status::payload_too_large);
          res.body().clear();
          return false;
        case InflateResult::kUnsupportedEncoding:
        case InflateResult::kCorrupt:
          // DynamoDB answers a broken gzip body with HTTP 500 too.
          setError(res, api::ApiError::internal("Failed to decompress the request body"));
          return false;
      }
    }
  }

  call->operation = op;
  call->body = body;
  return true;
}

void RequestRouter::finish(const Request& req, Response& res, RouterScratch& scratch, bool api) const {
  if (api && res.body().size() >= kResponseCompressionThreshold) {
    // Only the first Accept-Encoding header counts: DynamoDB ignores later
    // ones (test_multiple_accept_encoding_headers; they still count for the
    // signature, where repeated headers are joined).
    auto ae = req.find(bhttp::field::accept_encoding);
    if (ae != req.end()) {
      BodyEncoding enc = chooseResponseEncoding(sv(ae->value()));
      if (enc != BodyEncoding::kIdentity && compressBody(res.body(), enc, scratch.compressed)) {
        res.body().swap(scratch.compressed);  // keep both buffers' capacity
        res.set(bhttp::field::content_encoding, enc == BodyEncoding::kGzip ? "gzip" : "deflate");
      }
    }
  }
  RequestId id = newRequestId();
  res.set("x-amzn-RequestId", std::string_view(id.data(), id.size()));
  char crc[16];
  auto [end, ec] = std::to_chars(crc, crc + sizeof crc, crc32Of(res.body()));
  res.set("x-amz-crc32", std::string_view(crc, static_cast<size_t>(end - crc)));
  res.set(bhttp::field::date, httpDateNow());
  res.set(bhttp::field::server, "Server");
  if (req.find(bhttp::field::origin) != req.end()) {
    res.set(bhttp::field::access_control_allow_origin, "*");
    res.set(bhttp::field::access_control_expose_headers, kExposeHeaders);
  }
  res.keep_alive(req.keep_alive() && res.result() != bhttp::status::payload_too_large);
  res.prepare_payload();
}

void RequestRouter::tooLarge(const Request& req, Response& res) const {
  res = Response{};
  res.version(req.version());
  res.result(bhttp::status::payload_too_large);
  RouterScratch unused;
  finish(req, res, unused, /*api=*/false);
  res.keep_alive(false);
  std::string_view target = sv(req["X-Amz-Target"]);
  size_t dot = target.find('.');
  const api::Operation* op = dot == std::string_view::npos ? nullptr : api::findOperation(target.substr(dot + 1));
  metrics_.record(api::metricsSlot(op), 413, std::chrono::nanoseconds(0));
}

void RequestRouter::badRequest(Response& res) const {
  res = Response{};
  res.version(11);
  res.result(bhttp::status::bad_request);
  Request empty;
  RouterScratch unused;
  finish(empty, res, unused, /*api=*/false);
  res.keep_alive(false);
}

void RequestRouter::unavailable(Response& res) const {
  res = Response{};
  res.version(11);
  res.result(bhttp::status::service_unavailable);
  // DynamoDB's 5xx shape; "ServiceUnavailable" is the code its
  // documentation lists for HTTP 503.
  res.body() = api::toResponse(api::ApiError(std::string(api::kDynamoDb) + "ServiceUnavailable",
                                             "Too many open connections; retry later", 503))
                   .body;
  res.set(bhttp::field::content_type, kAmzJson);
  Request empty;
  RouterScratch unused;
  finish(empty, res, unused, /*api=*/false);
  res.keep_alive(false);
  metrics_.record(api::kUnknownMetricsSlot, 503, std::chrono::nanoseconds(0));
}

bool headTooLarge(const bhttp::request_header<>& req) {
  // "METHOD SP target SP HTTP/1.1" (the CRLF is not counted).
  const size_t line = req.method_string().size() + 1 + req.target().size() + 9;
  if (line > kMaxRequestLineBytes) return true;
  size_t fields = 0;
  for (const auto& f : req) fields += f.name_string().size() + 2 + f.value().size() + 2;  // "Name: value\r\n"
  return fields > kMaxHeaderFieldBytes;
}

}  // namespace fdyno::http

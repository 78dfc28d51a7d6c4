#include "http/connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "common/log.h"

namespace fdyno::http {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {
constexpr auto kWriteTimeout = std::chrono::seconds(60);
// After a 413: how long, and how much, we keep reading what the client is
// still sending before closing.
constexpr auto kDrainTimeout = std::chrono::seconds(5);
}  // namespace

bool ConnectionRegistry::add(const std::shared_ptr<Connection>& c) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return false;
  conns_.emplace(c.get(), c);
  return true;
}

void ConnectionRegistry::remove(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  conns_.erase(c);
}

void ConnectionRegistry::stopAll() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    stopping_flag_.store(true, std::memory_order_release);
    live.reserve(conns_.size());
    for (auto& [ptr, weak] : conns_)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& c : live) c->stop();
}

Connection::Connection(net::ip::tcp::socket socket, const ConnectionContext& ctx)
    : stream_(std::move(socket)), ctx_(ctx) {
  ctx_.router.metrics().connectionOpened();
  beast::error_code ec;
  // Responses are small and latency matters more than packet count.
  stream_.socket().set_option(net::ip::tcp::no_delay(true), ec);
}

Connection::~Connection() {
  ctx_.registry.remove(this);
  ctx_.router.metrics().connectionClosed();
}

void Connection::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->readNext(); });
}

void Connection::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    // Waiting for a request that has not (fully) arrived: nothing in flight.
    if (self->state_ == State::kReading) self->stream_.cancel();
  });
}

void Connection::readNext() {
  if (stopping_) return close();
  parser_.emplace();
  parser_->header_limit(kHeadParseLimit);
  parser_->body_limit(ctx_.max_body_bytes);
  // Reuse the previous body's capacity (string_body reserves Content-Length).
  spare_body_.clear();
  parser_->get().body() = std::move(spare_body_);
  state_ = State::kReading;
  stream_.expires_after(ctx_.idle_timeout);
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::onRead, shared_from_this()));
}

void Connection::onRead(beast::error_code ec, size_t /*bytes*/) {
  if (ec == bhttp::error::body_limit) {
    ctx_.router.tooLarge(parser_->get(), res_);
    refused_ = true;
    state_ = State::kHandling;
    return write(/*close_after=*/true);
  }
  if (ec) {
    // Clean close, timeout, stop(), or a reset: nothing to answer. A request
    // Beast cannot parse gets a 400 before we hang up.
    const bool parse_error = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (parse_error) {
      ctx_.router.badRequest(res_);
      refused_ = true;
      state_ = State::kHandling;
      return write(/*close_after=*/true);
    }
    return close();
  }
  state_ = State::kHandling;
  stream_.expires_never();
  Request& req = parser_->get();
  if (headTooLarge(req)) {
    // DynamoDB: 400 Bad Request for a request line or header block over
    // 16 KB (request_router.h). The whole request was read, so the
    // connection could go on, but a client sending such heads is broken.
    ctx_.router.badRequest(res_);
    refused_ = true;
    return write(/*close_after=*/true);
  }
  if (ctx_.router.begin(req, res_, scratch_, &call_) == RouteStep::kCallHandler) {
    if (call_.may_block && ctx_.write_pool != nullptr) return offload();
    ctx_.router.complete(req, res_, scratch_, call_, ctx_.router.invoke(call_));
  }
  respond();
}

void Connection::offload() {
  auto strand = stream_.get_executor();
  net::post(*ctx_.write_pool, [self = shared_from_this(), strand, guard = net::make_work_guard(strand)]() mutable {
    api::ApiResponse out = self->ctx_.router.invoke(self->call_);
    net::post(strand, [self = std::move(self), out = std::move(out)]() mutable {
      self->ctx_.router.complete(self->parser_->get(), self->res_, self->scratch_, self->call_, std::move(out));
      self->respond();
    });
  });
}

void Connection::respond() {
  write(/*close_after=*/!res_.keep_alive() || stopping_ || ctx_.registry.stopping());
}

void Connection::write(bool close_after) {
  if (close_after) res_.keep_alive(false);
  state_ = State::kWriting;
  stream_.expires_after(kWriteTimeout);
  bhttp::async_write(stream_, res_,
                     beast::bind_front_handler(&Connection::onWrite, shared_from_this(), close_after));
}

void Connection::onWrite(bool close_after, beast::error_code ec, size_t /*bytes*/) {
  spare_body_ = std::move(parser_->get().body());
  if (ec) return close();
  if (close_after) {
    // After a refusal the client may still be sending (the rest of a big
    // body or head): drain it, so it reads our answer instead of a reset.
    if (refused_ || res_.result() == bhttp::status::payload_too_large) return lingerAndClose();
    return close();
  }
  readNext();
}

void Connection::lingerAndClose() {
  state_ = State::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  drained_ = 0;
  stream_.expires_after(kDrainTimeout);
  drain();
}

void Connection::drain() {
  stream_.async_read_some(net::buffer(drain_buf_), [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->drained_ += n;
    if (ec || self->drained_ > 2 * self->ctx_.max_body_bytes + (1 << 20)) return self->close();
    self->drain();
  });
}

void Connection::close() {
  state_ = State::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

}  // namespace fdyno::http

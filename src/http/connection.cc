#include "http/connection.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/read_size.hpp>

#include "common/log.h"
#include "http/fiber_loop.h"

namespace fdyno::http {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {
// Returns the free memory of every malloc arena to the system (glibc only).
void releaseFreeHeapMemory() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

constexpr auto kWriteTimeout = std::chrono::seconds(60);
// After a 413 or 400: how long, and how much, we keep reading what the
// client is still sending before closing.
constexpr auto kDrainTimeout = std::chrono::seconds(5);
// After a 503 at the connection limit: the client has at most a request to
// send, and the descriptor is borrowed from the reserve, so less.
constexpr auto kRefusalDrainTimeout = std::chrono::seconds(2);
// What one read asks for, as Beast's own reads do.
constexpr size_t kReadChunk = 64 * 1024;

// Frees a string's buffer when it grew past what a connection keeps.
bool releaseIfLarge(std::string& s) {
  if (s.capacity() <= kKeptBufferBytes) return false;
  std::string().swap(s);
  return true;
}

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

MemoryTrimmer::MemoryTrimmer(net::io_context& ioc, net::thread_pool* pool)
    : strand_(net::make_strand(ioc)), pool_(pool), timer_(strand_) {}

void MemoryTrimmer::noteLargeRequest() {
  last_large_ns_.store(nowNs(), std::memory_order_relaxed);
  if (stopped_.load(std::memory_order_relaxed) || scheduled_.exchange(true, std::memory_order_acq_rel)) return;
  net::post(strand_, [this] {
    if (stopped_.load(std::memory_order_relaxed)) return;
    timer_.expires_after(kQuiet);
    timer_.async_wait([this](beast::error_code ec) { onTimer(ec); });
  });
}

void MemoryTrimmer::onTimer(beast::error_code ec) {
  if (ec || stopped_.load(std::memory_order_relaxed)) return;
  const auto quiet_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(kQuiet).count();
  const int64_t since = nowNs() - last_large_ns_.load(std::memory_order_relaxed);
  if (since < quiet_ns) {
    // Large requests still coming: wait until they have stopped for kQuiet.
    timer_.expires_after(std::chrono::nanoseconds(quiet_ns - since));
    timer_.async_wait([this](beast::error_code e) { onTimer(e); });
    return;
  }
  // Cleared before the trim: a large request ending from now on schedules
  // another one.
  scheduled_.store(false, std::memory_order_release);
  auto trim = [this] {
    releaseFreeHeapMemory();
    trims_.fetch_add(1, std::memory_order_relaxed);
  };
  if (pool_ != nullptr) {
    net::post(*pool_, trim);
  } else {
    trim();
  }
}

void MemoryTrimmer::stop() {
  stopped_.store(true, std::memory_order_relaxed);
  net::post(strand_, [this] { timer_.cancel(); });
}

bool ConnectionRegistry::add(const std::shared_ptr<Connection>& c, bool refusing) {
  MutexLock lock(mu_);
  if (stopping_) return false;
  conns_.emplace(c.get(), std::make_pair(std::weak_ptr<Connection>(c), refusing));
  (refusing ? refusing_ : served_).fetch_add(1, std::memory_order_relaxed);
  return true;
}

void ConnectionRegistry::remove(Connection* c) {
  MutexLock lock(mu_);
  auto it = conns_.find(c);
  if (it == conns_.end()) return;  // never registered (the server was stopping)
  (it->second.second ? refusing_ : served_).fetch_sub(1, std::memory_order_relaxed);
  conns_.erase(it);
}

void ConnectionRegistry::stopAll() {
  std::vector<std::shared_ptr<Connection>> live;
  {
    MutexLock lock(mu_);
    stopping_ = true;
    stopping_flag_.store(true, std::memory_order_release);
    live.reserve(conns_.size());
    for (auto& [ptr, entry] : conns_)
      if (auto s = entry.first.lock()) live.push_back(std::move(s));
  }
  for (auto& c : live) c->stop();
}

Connection::Connection(net::ip::tcp::socket socket, const ConnectionContext& ctx, bool refuse)
    : stream_(std::move(socket)), ctx_(ctx), refuse_(refuse) {
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
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->refuse_) return self->readNext();
    // At the connection limit: answer before the request has even come, so
    // the refusal costs no parser and cannot be held open by a slow client.
    self->ctx_.router.unavailable(self->res_);
    self->refused_ = true;
    self->state_ = State::kHandling;
    self->write(/*close_after=*/true);
  });
}

void Connection::stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->onStop(); });
}

void Connection::onStop() {
  if (stopping_) return;
  stopping_ = true;
  grace_end_ = std::chrono::steady_clock::now() + kShutdownGrace;
  if (state_ == State::kIdle) {
    // Nothing received and nothing waiting in the socket: close now. If
    // bytes are waiting, the pending read is about to deliver a request
    // that was sent before the stop: let it in, as below.
    beast::error_code ec;
    if (stream_.socket().available(ec) == 0 || ec) {
      stream_.cancel();
      return;
    }
  } else if (state_ == State::kClosing) {
    return;  // draining after a refusal: bounded by its own timeout
  }
  // Reading: the request gets the grace period. Handling or writing:
  // respond() answers with "Connection: close" unless more requests are
  // already here; the grace period bounds those and the writes.
  armGrace();
}

void Connection::armGrace() {
  if (grace_timer_) return;
  grace_timer_.emplace(stream_.get_executor());
  grace_timer_->expires_at(grace_end_);
  grace_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
    // A handler still running is left to finish (respond() then closes).
    if (!ec && self->state_ != State::kHandling && self->state_ != State::kClosing) self->stream_.cancel();
  });
}

bool Connection::moreInput() {
  if (buffer_.size() > 0) return true;
  beast::error_code ec;
  return stream_.socket().available(ec) > 0 && !ec;
}

void Connection::readNext() {
  // Stopping: go on only for requests already here, and not for ever.
  if (stopping_) {
    if (!moreInput() || std::chrono::steady_clock::now() >= grace_end_) return close();
    armGrace();
  }
  parser_.emplace();
  parser_->header_limit(kHeadParseLimit);
  parser_->body_limit(ctx_.max_body_bytes);
  // Reuse the previous body's capacity (string_body reserves Content-Length).
  spare_body_.clear();
  parser_->get().body() = std::move(spare_body_);
  if (buffer_.size() > 0) return readRequest();  // pipelined: its first bytes are here
  // Wait for the first byte under the idle timeout; the request timeout
  // starts when it comes.
  state_ = State::kIdle;
  stream_.expires_after(ctx_.idle_timeout);
  stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, kReadChunk)),
                          beast::bind_front_handler(&Connection::onFirstBytes, shared_from_this()));
}

void Connection::onFirstBytes(beast::error_code ec, size_t bytes) {
  // Clean close between requests, idle timeout, stop() or a reset.
  if (ec) return close();
  buffer_.commit(bytes);
  readRequest();
}

void Connection::readRequest() {
  state_ = State::kReading;
  // (A read that completed just as stop() came: bounded like the others.)
  if (stopping_) armGrace();
  // Usually the whole request came with its first bytes: parse it here,
  // which saves the extra hand-off through the io_context that Beast's
  // async_read makes when it finishes without reading.
  beast::error_code ec;
  if (parseBuffered(&ec)) return onRead(ec, 0);
  stream_.expires_after(ctx_.request_timeout);
  bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::onRead, shared_from_this()));
}

bool Connection::parseBuffered(beast::error_code* ec) {
  // What bhttp::async_read does with buffered bytes before reading more.
  parser_->eager(true);
  while (buffer_.size() > 0) {
    const size_t used = parser_->put(buffer_.data(), *ec);
    buffer_.consume(used);
    if (*ec == bhttp::error::need_more) {
      ec->clear();
      return false;
    }
    if (*ec || parser_->is_done()) return true;
    if (used == 0) return false;
  }
  return false;
}

void Connection::onRead(beast::error_code ec, size_t /*bytes*/) {
  if (ec == bhttp::error::body_limit) {
    ctx_.router.tooLarge(parser_->get(), res_);
    refused_ = true;
    state_ = State::kHandling;
    return write(/*close_after=*/true);
  }
  if (ec) {
    // Clean close, request timeout, stop(), or a reset: nothing to answer. A
    // request Beast cannot parse gets a 400 before we hang up.
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
    if ((call_.mayBlock() || ctx_.offload_all) && ctx_.write_pool != nullptr) return offload();
    if (FiberLoop* loop = FiberLoop::current(); loop != nullptr && (call_.mayBlock() || !ctx_.reads_inline)) {
      return onFiber(*loop);
    }
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

void Connection::onFiber(FiberLoop& loop) {
  // Nothing else touches the request meanwhile (no read is pending), as
  // with offload(); the answer is written from the fiber (an asynchronous
  // write only starts there, its completion runs on the loop).
  auto task = [self = shared_from_this()] {
    try {
      self->ctx_.router.complete(self->parser_->get(), self->res_, self->scratch_, self->call_,
                                 self->ctx_.router.invoke(self->call_));
      self->respond();
    } catch (const std::exception& e) {
      log::error(std::string("http: answering on a fiber failed: ") + e.what());
      self->close();
    }
  };
  try {
    loop.spawn(task);
  } catch (const std::bad_alloc&) {
    // No stack for a new fiber (address space or the kernel's map count
    // ran out): this request runs on the loop's own stack instead.
    static log::RateLimit limit(std::chrono::seconds(1));
    log::warn(limit, "http: no memory for a fiber; answering on the event loop's thread");
    task();
  }
}

void Connection::respond() {
  bool close_after = !res_.keep_alive();
  if (!close_after && (stopping_ || ctx_.registry.stopping())) {
    // Shutting down: keep the connection only while further requests are
    // already here (pipelined, or waiting in the socket) and the grace
    // period lasts, so that each is answered and the last answer says
    // "Connection: close". (stopping_ may not be set yet when the registry
    // is stopping: then onStop() is on its way and sets the grace period.)
    close_after = !moreInput() || (stopping_ && std::chrono::steady_clock::now() >= grace_end_);
  }
  write(close_after);
}

void Connection::write(bool close_after) {
  if (close_after) res_.keep_alive(false);
  state_ = State::kWriting;
  if (stopping_) {
    // Shutting down: until the end of the grace period, or 1 s for an
    // answer that was ready only after it.
    const auto now = std::chrono::steady_clock::now();
    stream_.expires_at(std::min(now + kWriteTimeout, std::max(grace_end_, now + std::chrono::seconds(1))));
  } else {
    stream_.expires_after(kWriteTimeout);
  }
  bhttp::async_write(stream_, res_,
                     beast::bind_front_handler(&Connection::onWrite, shared_from_this(), close_after));
}

void Connection::onWrite(bool close_after, beast::error_code ec, size_t /*bytes*/) {
  if (parser_) spare_body_ = std::move(parser_->get().body());
  if (releaseLargeBuffers() && ctx_.trimmer != nullptr) ctx_.trimmer->noteLargeRequest();
  if (ec) return close();
  if (close_after) {
    // After a refusal the client may still be sending (the rest of a big
    // body or head, or the request we answered 503 before reading it):
    // drain it, so it reads our answer instead of a reset.
    if (refuse_) return lingerAndClose(kRefusalDrainTimeout);
    if (refused_ || res_.result() == bhttp::status::payload_too_large) return lingerAndClose(kDrainTimeout);
    return close();
  }
  readNext();
}

bool Connection::releaseLargeBuffers() {
  // A few compares per request; memory is given back only after a large
  // request (issue 8: a burst of 15 MB requests stayed pinned for good).
  bool released = releaseIfLarge(spare_body_);
  released |= releaseIfLarge(scratch_.inflated);
  released |= releaseIfLarge(scratch_.compressed);
  // The response body is not reused (begin() starts a fresh response).
  released |= releaseIfLarge(res_.body());
  // Only when empty: with pipelined bytes still in it, shrinking would just
  // reallocate on every response.
  if (buffer_.size() == 0 && buffer_.capacity() > kKeptBufferBytes) {
    buffer_.shrink_to_fit();
    released = true;
  }
  return released;
}

void Connection::lingerAndClose(std::chrono::steady_clock::duration timeout) {
  state_ = State::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  drained_ = 0;
  stream_.expires_after(timeout);
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
  if (grace_timer_) grace_timer_->cancel();
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

}  // namespace fdyno::http

// Connection: one client TCP connection speaking HTTP/1.1 with keep-alive.
//
// Contract:
// - Owned by shared_ptr; the pending asynchronous operation holds the last
//   reference, so a connection lives exactly as long as it has I/O in flight.
// - All of a connection's I/O and routing runs on its own strand (the
//   socket's executor): one request at a time, in arrival order. Pipelined
//   requests wait in the read buffer and are answered in order.
// - A writing operation's handler (HandlerCall::mayBlock), or every handler
//   with ConnectionContext::offload_all, runs on the write pool when there
//   is one; its answer is posted back to the strand. Without a pool, on a
//   loop with fibers (http/fiber_loop.h), a handler runs on a fiber, which
//   also writes the answer (reads stay inline with reads_inline). Nothing
//   else touches the request while it runs (no read is pending), and a work
//   guard keeps the I/O context alive until the answer is back.
// - Timeouts: a keep-alive connection waiting for the first byte of its next
//   request is closed after ConnectionContext::idle_timeout; once that byte
//   has come, the whole request (head and body) must arrive within
//   request_timeout or the connection is closed without an answer (slow
//   clients cannot hold a connection with a byte now and then). Writing a
//   response has its own 60 s limit.
// - stop() may be called from any thread. A connection waiting for a request
//   with nothing received is closed at once. Requests already received, or
//   whose bytes are already in the socket, are answered: the connection keeps
//   answering while more request bytes are waiting (pipelined requests), and
//   its last response carries "Connection: close". A request only partly
//   received gets kShutdownGrace to complete; then the connection closes.
//   Writes end with the grace period too (or 1 s after an answer that was
//   ready later); a handler that is running is never interrupted.
// - Oversized bodies are refused from the header (Content-Length) or as soon
//   as chunked data crosses the limit, without buffering them: HTTP 413, then
//   a bounded drain of what the client is still sending so it reads the 413
//   instead of a connection reset.
// - A connection created with `refuse` (the server is at its connection
//   limit) reads nothing: it answers 503 at once (RequestRouter::unavailable,
//   "Connection: close"), drains what the client sends for a short while and
//   closes.
// - Memory: after each response, buffers grown past kKeptBufferBytes (body,
//   inflate and compress scratch, the last response body, the read buffer)
//   are released, and the MemoryTrimmer is told, so a burst of large
//   requests pins nothing once it is over; smaller ones are kept and reused,
//   so ordinary requests do not allocate for them.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/mutex.h"
#include "http/request_router.h"

namespace fdyno::http {

class Connection;
class FiberLoop;

// Buffer capacity a connection keeps between requests (see the contract).
inline constexpr size_t kKeptBufferBytes = 64 * 1024;
// How long a request that was partly received when stop() came may take to
// complete, and the most a stopping connection goes on answering.
inline constexpr std::chrono::seconds kShutdownGrace{5};

// The set of open connections, so that stop() can reach them all, and their
// counts, for the connection limit. Thread-safe; add/remove take a mutex, on
// connect and close only (not per request); the counts are atomics.
class ConnectionRegistry {
 public:
  // Registers a connection; false if the server is stopping (drop it).
  // `refusing`: one of the connections answering 503 at the limit.
  bool add(const std::shared_ptr<Connection>& c, bool refusing = false);
  void remove(Connection* c);
  // Marks the registry stopping and asks every connection to stop.
  void stopAll();
  // True once stopAll() has begun (lock-free; read on every response so the
  // last responses carry "Connection: close").
  bool stopping() const { return stopping_flag_.load(std::memory_order_acquire); }
  // Registered connections being served / being refused with a 503.
  size_t served() const { return served_.load(std::memory_order_relaxed); }
  size_t refusing() const { return refusing_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stopping_flag_{false};
  std::atomic<size_t> served_{0};
  std::atomic<size_t> refusing_{0};
  Mutex mu_;
  // The value says whether the connection is a refusing one.
  std::unordered_map<Connection*, std::pair<std::weak_ptr<Connection>, bool>> conns_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
};

// Gives the heap memory freed after large requests back to the system, once
// they are over. glibc keeps what threads free in their arenas (and with 66
// threads there are many); after a burst of multi-MB requests that was tens
// of MB per run even with every buffer released (docs/http.md, "Memory").
// noteLargeRequest() (any thread, lock-free: an atomic store, plus one post
// when no trim is scheduled) schedules malloc_trim() for when no large
// request has ended for kQuiet; the trim runs on the write pool if there is
// one (it can take milliseconds), else on an I/O thread. stop() cancels;
// after it, noteLargeRequest() does nothing, so run() is never held up.
class MemoryTrimmer {
 public:
  static constexpr std::chrono::milliseconds kQuiet{1000};

  MemoryTrimmer(boost::asio::io_context& ioc, boost::asio::thread_pool* pool);
  void noteLargeRequest();
  void stop();
  // Trims run so far (tests).
  uint64_t trims() const { return trims_.load(std::memory_order_relaxed); }

 private:
  void onTimer(boost::beast::error_code ec);
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::thread_pool* pool_;
  boost::asio::steady_timer timer_;  // on strand_
  std::atomic<int64_t> last_large_ns_{0};
  std::atomic<bool> scheduled_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<uint64_t> trims_{0};
};

struct ConnectionContext {
  const RequestRouter& router;
  ConnectionRegistry& registry;
  size_t max_body_bytes;
  std::chrono::seconds idle_timeout;     // waiting for a request's first byte
  std::chrono::seconds request_timeout;  // from the first byte to the whole request
  // Where handlers of writing operations run (null: on the I/O thread).
  boost::asio::thread_pool* write_pool = nullptr;
  // Run every handler there, reads too (ServerOptions::reads_block).
  bool offload_all = false;
  // With fibers, reads run on the loop's stack (ServerOptions::reads_inline).
  bool reads_inline = false;
  // Told when a request needed buffers larger than a connection keeps (null: nobody).
  MemoryTrimmer* trimmer = nullptr;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `refuse`: answer 503 and close instead of serving (see the contract).
  Connection(boost::asio::ip::tcp::socket socket, const ConnectionContext& ctx, bool refuse = false);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading requests. Call once, after registering.
  void start();
  // Thread-safe; see the contract above.
  void stop();

 private:
  // kIdle: waiting for the first byte of a request, nothing buffered.
  // kReading: part of a request has arrived.
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing };

  void readNext();
  void onFirstBytes(boost::beast::error_code ec, size_t bytes);
  // Parses the buffered bytes; reads the rest of the request if they are
  // not all of it.
  void readRequest();
  // Feeds buffer_ to parser_ as Beast's read would. True when the request is
  // complete or an error is in *ec; false when more bytes are needed.
  bool parseBuffered(boost::beast::error_code* ec);
  void onRead(boost::beast::error_code ec, size_t bytes);
  // Runs call_'s handler on the write pool, then respond() on the strand.
  void offload();
  // Runs the handler on a fiber of this thread's loop (ServerOptions::fibers).
  void onFiber(FiberLoop& loop);
  void respond();
  void write(bool close_after);
  void onWrite(bool close_after, boost::beast::error_code ec, size_t bytes);
  void onStop();
  // Starts the timer that ends a stopping connection's grace period (once).
  void armGrace();
  // Request bytes already here: in buffer_ or waiting in the socket.
  bool moreInput();
  // True if something was released.
  bool releaseLargeBuffers();
  void lingerAndClose(std::chrono::steady_clock::duration timeout);
  void drain();
  void close();

  boost::beast::tcp_stream stream_;
  const ConnectionContext& ctx_;
  boost::beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Response res_;
  RouterScratch scratch_;
  HandlerCall call_;  // the request being handled (views into parser_ / scratch_)
  std::string spare_body_;  // the previous request's body buffer, reused
  std::array<char, 16 * 1024> drain_buf_;
  size_t drained_ = 0;
  State state_ = State::kIdle;
  const bool refuse_;
  bool stopping_ = false;  // touched only on the strand
  // The request was refused before routing (413, or 400 for a bad or
  // oversized head, or 503 at the connection limit): after the answer,
  // drain instead of closing at once.
  bool refused_ = false;
  // Set by stop(): the end of the grace period, and the timer that closes a
  // connection still reading then (created only at stop, not per request).
  std::chrono::steady_clock::time_point grace_end_;
  std::optional<boost::asio::steady_timer> grace_timer_;
};

}  // namespace fdyno::http

// Connection: one client TCP connection speaking HTTP/1.1 with keep-alive.
//
// Contract:
// - Owned by shared_ptr; the pending asynchronous operation holds the last
//   reference, so a connection lives exactly as long as it has I/O in flight.
// - All of a connection's I/O and routing runs on its own strand (the
//   socket's executor): one request at a time, in arrival order. Pipelined
//   requests wait in the read buffer and are answered in order.
// - A writing operation's handler (HandlerCall::may_block) runs on the write
//   pool when there is one; its answer is posted back to the strand. Nothing
//   else touches the request while it runs (no read is pending), and a work
//   guard keeps the I/O context alive until the answer is back.
// - stop() may be called from any thread: a connection waiting for a request
//   is closed at once; one handling a request finishes it, writes the
//   response (with "Connection: close") and then closes.
// - Oversized bodies are refused from the header (Content-Length) or as soon
//   as chunked data crosses the limit, without buffering them: HTTP 413, then
//   a bounded drain of what the client is still sending so it reads the 413
//   instead of a connection reset.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "http/request_router.h"

namespace fdyno::http {

class Connection;

// The set of open connections, so that stop() can reach them all.
// Thread-safe; touched only on connect, disconnect and stop (not per request).
class ConnectionRegistry {
 public:
  // Registers a connection; false if the server is stopping (drop it).
  bool add(const std::shared_ptr<Connection>& c);
  void remove(Connection* c);
  // Marks the registry stopping and asks every connection to stop.
  void stopAll();
  // True once stopAll() has begun (lock-free; read on every response so the
  // last responses carry "Connection: close").
  bool stopping() const { return stopping_flag_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> stopping_flag_{false};
  std::mutex mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> conns_;
  bool stopping_ = false;
};

struct ConnectionContext {
  const RequestRouter& router;
  ConnectionRegistry& registry;
  size_t max_body_bytes;
  std::chrono::seconds idle_timeout;
  // Where handlers of writing operations run (null: on the I/O thread).
  boost::asio::thread_pool* write_pool = nullptr;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, const ConnectionContext& ctx);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading requests. Call once, after registering.
  void start();
  // Thread-safe; see the contract above.
  void stop();

 private:
  enum class State { kReading, kHandling, kWriting, kClosing };

  void readNext();
  void onRead(boost::beast::error_code ec, size_t bytes);
  // Runs call_'s handler on the write pool, then respond() on the strand.
  void offload();
  void respond();
  void write(bool close_after);
  void onWrite(bool close_after, boost::beast::error_code ec, size_t bytes);
  void lingerAndClose();
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
  State state_ = State::kReading;
  bool stopping_ = false;  // touched only on the strand
  // The request was refused before routing (413, or 400 for a bad or
  // oversized head): after the answer, drain instead of closing at once.
  bool refused_ = false;
};

}  // namespace fdyno::http

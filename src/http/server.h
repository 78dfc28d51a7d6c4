// HTTP/1.1 front end speaking DynamoDB's JSON 1.0 wire protocol.
//
// Contract:
// - Server owns its listening socket and worker threads. run() blocks the
//   calling thread until stop() has drained in-flight requests.
// - stop() is safe to call from any thread and from a signal-watching thread;
//   it stops accepting, closes idle connections at once, answers every
//   request already received or already waiting in a socket (the last
//   answer on each connection carries "Connection: close"), gives a request
//   that is only partly received a short grace period (kShutdownGrace in
//   connection.h), then run() returns.
// - Connections: at most ServerOptions::max_connections are served at once;
//   beyond that a connection is answered 503 (DynamoDB error body) and
//   closed, or closed at once when even that would take too many
//   descriptors. When accept() fails for lack of resources (EMFILE, ENFILE,
//   ENOBUFS, ENOMEM) the server pauses accepting for kAcceptPause instead of
//   retrying at once, and logs at most one line per second about it.
// - The handler is called concurrently from the I/O threads (inline, or on
//   their fibers with ServerOptions::fibers) and the write pool's threads
//   (operations whose row in api/operations.h says write_pool, see
//   ServerOptions::write_threads) and must be thread-safe; exceptions it
//   throws become HTTP 500. On a fiber, a handler's waits must suspend the
//   fiber (common/fiber.h: Parker, waitFd, sleepFor, runBlocking), never
//   block the thread, which serves the loop's other connections. It is called for every API request
//   that passed the protocol checks, also for operation names that are in no
//   row (the handler answers those, e.g. UnknownOperationException).
// - A connection handles one request at a time, so pipelined requests are
//   answered in arrival order wherever their handlers run.
// - Protocol errors (bad target, bad content, auth failures, oversized bodies)
//   are answered by the server itself with DynamoDB's error shapes.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "api/api_error.h"

namespace fdyno::auth {
class Authenticator;
}

namespace fdyno::api {
struct Operation;
}

namespace fdyno::http {

// Called with the operation's row in the registry (api::findOperation(), done
// once per request by the router; null for a name in no row), the operation
// name as sent (after "DynamoDB_20120810." or "DynamoDBStreams_20120810.")
// and the decompressed JSON body.
using OperationHandler =
    std::function<api::ApiResponse(const api::Operation* op, std::string_view operation, std::string_view body)>;
// The same for handlers that do not need the row (tests, fuzz targets).
using RequestHandler = std::function<api::ApiResponse(std::string_view operation, std::string_view body)>;

// A RequestHandler as an OperationHandler (the row is dropped).
OperationHandler ignoringRow(RequestHandler handler);

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;  // 0 picks a free port; see Server::port()
  int threads = 0;       // 0 = number of cores
  // Threads of the blocking pool that runs the handlers of writing operations
  // (write_pool in api/operations.h): those wait for a group commit's
  // fsync, and only as many commits share one fsync as are waiting at once,
  // so they get many threads, while reads stay on the `threads` I/O threads
  // (no context switch, no queueing behind writes). 0 = run every handler on
  // the I/O threads (`fdyno serve`'s default, with own_loops and fibers).
  int write_threads = 64;
  // Every handler runs on the blocking pool, reads too, so an I/O thread
  // never waits for a database round trip: for a store that answers over
  // the network run with a pool (`--store` with `--write-threads N`; without
  // it such a store runs with own_loops). Needs write_threads > 0.
  bool reads_block = false;
  // Each I/O thread runs its own event loop and owns the connections given
  // to it (round-robin at accept), and handlers run inline; run()'s own
  // thread then only accepts (one more thread than `threads`): a handler that
  // waits for a database round trip holds up only its own thread's
  // connections, and a request never moves between threads (no hand-off:
  // on the PostgreSQL store fdyno's CPU per PutItem fell from 128 to about
  // 60 µs, docs/http.md). With write_threads 0; `fdyno serve` runs so, with
  // fibers, by default.
  bool own_loops = false;
  // With own_loops: handlers run on fibers (common/fiber.h,
  // http/fiber_loop.h), so a handler waiting for the database suspends
  // itself, not its loop's thread, and the other requests of the loop go
  // on. Then a few loops (one per core) serve as many waiting requests as
  // there are connections, and a wait costs a switch of stacks instead of
  // a futex sleep and a wake-up (docs/http.md "Fibers").
  bool fibers = false;
  // With fibers: reads (operations not in the write_pool column) run on the
  // loop's own stack, not on a fiber, for a store whose reads never wait
  // (the embedded ones): no fiber to start for them.
  bool reads_inline = false;
  size_t max_body_bytes = 16 * 1024 * 1024;
  // A keep-alive connection with no request for this long is closed.
  int idle_timeout_seconds = 60;
  // Once a request's first byte has arrived, the rest of it (head and body)
  // must arrive within this time, or the connection is closed unanswered.
  int request_timeout_seconds = 60;
  // Connections served at once; 0 = defaultMaxConnections().
  int max_connections = 0;
};

// Connections being refused at once (each holds a descriptor briefly; part
// of common/descriptors.h's kOtherDescriptors).
inline constexpr int kMaxRefusingConnections = 16;
// How long accepting pauses after accept() failed for lack of resources.
inline constexpr std::chrono::milliseconds kAcceptPause{100};

// Descriptors an event loop holds (epoll, its wake-up eventfd, a timerfd).
inline constexpr int64_t kDescriptorsPerLoop = 3;

// common/descriptors.h's share for connections: the soft RLIMIT_NOFILE
// minus the store's files, kOtherDescriptors and the descriptors of event
// loops beyond the first, at least kMinConnections.
int defaultMaxConnections(unsigned loops = 1);

class Server {
 public:
  // `auth` may be null (no signature checking at all, used by unit tests);
  // it must outlive the server.
  Server(ServerOptions opts, OperationHandler handler, auth::Authenticator* auth);
  Server(ServerOptions opts, RequestHandler handler, auth::Authenticator* auth)
      : Server(std::move(opts), ignoringRow(std::move(handler)), auth) {}
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns false and fills *error on failure.
  bool listen(std::string* error);
  // The bound port (useful with port 0). Valid after listen().
  uint16_t port() const;
  // Serves until stop(). Requires a successful listen().
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdyno::http

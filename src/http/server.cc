#include "http/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/descriptors.h"
#include "common/log.h"
#include "http/connection.h"
#include "http/fiber_loop.h"
#include "http/metrics.h"
#include "http/request_router.h"

namespace fdyno::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// accept() failures that mean "no resources now": the pending connection
// stays in the backlog, so the listener stays readable and an immediate
// retry fails the same way, for ever.
bool outOfResources(const boost::system::error_code& ec) {
  return ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory ||
         ec == boost::system::errc::too_many_files_open_in_system;
}

}  // namespace

int defaultMaxConnections(unsigned loops) {
  const int64_t other_loops = static_cast<int64_t>(loops > 0 ? loops - 1 : 0);
  return static_cast<int>(
      std::max<int64_t>(kMinConnections, descriptorBudget().connections - kDescriptorsPerLoop * other_loops));
}

struct Server::Impl {
  Impl(ServerOptions o, OperationHandler handler, auth::Authenticator* auth)
      : opts(std::move(o)),
        threads(opts.threads > 0 ? opts.threads : std::max(1u, std::thread::hardware_concurrency())),
        max_connections(static_cast<size_t>(opts.max_connections > 0 ? opts.max_connections
                                                                     : defaultMaxConnections(opts.own_loops ? threads + 1 : 1))),
        ioc(std::make_unique<net::io_context>(opts.own_loops ? 1 : static_cast<int>(threads))),
        router(opts, std::move(handler), auth, metrics),
        ctx{router, registry, opts.max_body_bytes, std::chrono::seconds(opts.idle_timeout_seconds),
            std::chrono::seconds(opts.request_timeout_seconds)},
        acceptor(net::make_strand(*ioc)),
        accept_pause(acceptor->get_executor()) {
    if (opts.write_threads > 0) {
      write_pool.emplace(static_cast<size_t>(opts.write_threads));
      ctx.write_pool = &*write_pool;
      ctx.offload_all = opts.reads_block;
    }
    ctx.reads_inline = opts.reads_inline;
    trimmer.emplace(*ioc, ctx.write_pool);
    ctx.trimmer = &*trimmer;
    if (opts.own_loops) {
      for (unsigned i = 0; i < threads; ++i) loops.push_back(std::make_unique<net::io_context>(1));
    }
  }

  // The event loop a new connection joins: round-robin over the
  // connections' loops with own_loops, else the one shared loop.
  net::io_context& nextLoop() {
    if (loops.empty()) return *ioc;
    return *loops[next_loop++ % loops.size()];
  }

  ~Impl() {
    // Connections still queued in the io_context (run() never called, or
    // never drained) refer to the registry and metrics: destroy them first,
    // while those members are alive; sockets before their io_context. The
    // write pool goes first: its queued jobs hold connections and work
    // guards on the io_context (normally there are none left: run() returns
    // only when every offloaded handler has posted its answer back).
    work.reset();
    loop_work.clear();
    write_pool.reset();
    trimmer.reset();  // after the pool (a queued trim uses it), before the io_context (its timer)
    accept_pause.reset();
    acceptor.reset();
    loops.clear();
    ioc.reset();
  }

  // Runs on the acceptor's strand, like everything that touches the
  // acceptor and accept_pause.
  void accept() {
    acceptor->async_accept(net::make_strand(nextLoop()), [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
      if (ec) {
        static log::RateLimit limit(std::chrono::seconds(1));
        log::warn(limit, "http: accept failed: " + ec.message());
        if (outOfResources(ec)) {
          // Retrying at once would spin (issue 8: 67% CPU, 5 million log
          // lines in 11 s). The client waits in the backlog meanwhile.
          accept_pause->expires_after(kAcceptPause);
          accept_pause->async_wait([this](boost::system::error_code wec) {
            if (!wec && acceptor->is_open()) accept();
          });
          return;
        }
      } else {
        admit(std::move(socket));
      }
      accept();
    });
  }

  void admit(tcp::socket socket) {
    bool refuse = false;
    if (registry.served() >= max_connections) {
      static log::RateLimit limit(std::chrono::seconds(1));
      if (registry.refusing() >= static_cast<size_t>(kMaxRefusingConnections)) {
        // Even a 503 would take descriptors we keep for the store: the
        // socket closes as it goes out of scope.
        log::warn(limit, "http: connection limit (" + std::to_string(max_connections) +
                             ") reached; closing new connections");
        return;
      }
      log::warn(limit, "http: connection limit (" + std::to_string(max_connections) +
                           ") reached; answering new connections with 503");
      refuse = true;
    }
    auto conn = std::make_shared<Connection>(std::move(socket), ctx, refuse);
    if (registry.add(conn, refuse)) conn->start();
  }

  ServerOptions opts;
  unsigned threads;
  size_t max_connections;
  std::unique_ptr<net::io_context> ioc;
  // With own_loops: one loop per I/O thread for the connections; *ioc then
  // runs on run()'s own thread and only accepts (and trims memory), so a
  // handler that waits never holds up accepting.
  std::vector<std::unique_ptr<net::io_context>> loops;
  size_t next_loop = 0;  // acceptor's strand only
  std::vector<net::executor_work_guard<net::io_context::executor_type>> loop_work;
  Metrics metrics;
  RequestRouter router;
  ConnectionRegistry registry;
  ConnectionContext ctx;
  std::optional<net::thread_pool> write_pool;
  std::optional<MemoryTrimmer> trimmer;
  std::optional<tcp::acceptor> acceptor;
  // Delays the next accept after a resource failure (acceptor's strand).
  std::optional<net::steady_timer> accept_pause;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  uint16_t bound_port = 0;
  std::atomic<bool> stopped{false};
};

OperationHandler ignoringRow(RequestHandler handler) {
  return [handler = std::move(handler)](const api::Operation*, std::string_view operation, std::string_view body) {
    return handler(operation, body);
  };
}

Server::Server(ServerOptions opts, OperationHandler handler, auth::Authenticator* auth)
    : impl_(std::make_unique<Impl>(std::move(opts), std::move(handler), auth)) {}

Server::~Server() { stop(); }

bool Server::listen(std::string* error) {
  boost::system::error_code ec;
  auto addr = net::ip::make_address(impl_->opts.host, ec);
  if (ec) {
    if (error) *error = "invalid listen address '" + impl_->opts.host + "': " + ec.message();
    return false;
  }
  tcp::endpoint ep(addr, impl_->opts.port);
  auto& a = *impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    if (error) *error = "cannot listen on " + impl_->opts.host + ":" + std::to_string(impl_->opts.port) + ": " + ec.message();
    boost::system::error_code ignored;
    a.close(ignored);
    return false;
  }
  impl_->bound_port = a.local_endpoint().port();
  impl_->work.emplace(net::make_work_guard(*impl_->ioc));
  for (auto& l : impl_->loops) impl_->loop_work.push_back(net::make_work_guard(*l));
  impl_->accept();
  return true;
}

uint16_t Server::port() const { return impl_->bound_port; }

void Server::run() {
  std::vector<std::thread> extra;
  extra.reserve(impl_->threads);
  auto body = [this](net::io_context* loop) {
    // The connections' loops run their handlers on fibers (not the
    // acceptor's, which has no connections).
    std::optional<FiberLoop> fibers;
    if (impl_->opts.fibers && loop != impl_->ioc.get()) fibers.emplace(*loop);
    for (;;) {
      try {
        loop->run();
        return;
      } catch (const std::exception& e) {
        // A handler threw past the router (a bug): keep serving.
        log::error(std::string("http: worker caught: ") + e.what());
      }
    }
  };
  if (impl_->loops.empty()) {
    for (unsigned i = 1; i < impl_->threads; ++i) extra.emplace_back(body, impl_->ioc.get());
  } else {
    for (auto& loop : impl_->loops) extra.emplace_back(body, loop.get());
  }
  body(impl_->ioc.get());
  for (auto& t : extra) t.join();
}

void Server::stop() {
  if (impl_->stopped.exchange(true)) return;
  // Stop accepting (on the acceptor's strand), then let every connection
  // finish what it is handling; run() returns when the last one has closed.
  net::post(impl_->acceptor->get_executor(), [impl = impl_.get()] {
    boost::system::error_code ec;
    impl->acceptor->close(ec);
    impl->accept_pause->cancel();
  });
  impl_->registry.stopAll();
  impl_->trimmer->stop();
  impl_->work.reset();
  // A guard's reset only lowers its loop's count of outstanding work (an
  // atomic): safe while the loop runs.
  impl_->loop_work.clear();
}

}  // namespace fdyno::http

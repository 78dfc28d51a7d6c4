// Test helpers shared by the HTTP server tests: a real Server on 127.0.0.1
// (port 0) run by its own thread, and a blocking Beast client.
#pragma once

#include <zlib.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "http/server.h"

namespace fdyno::http::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Req = bhttp::request<bhttp::string_body>;
using Res = bhttp::response<bhttp::string_body>;

// A server running on its own thread for the duration of a test.
class TestServer {
 public:
  explicit TestServer(RequestHandler handler, ServerOptions opts = {}, auth::Authenticator* auth = nullptr) {
    opts.port = 0;
    opts.threads = opts.threads ? opts.threads : 2;
    server_ = std::make_unique<Server>(opts, std::move(handler), auth);
    std::string err;
    if (!server_->listen(&err)) throw std::runtime_error(err);
    thread_ = std::thread([this] {
      server_->run();
      finished_ = true;
    });
  }
  ~TestServer() { stopAndJoin(); }
  void stopAndJoin() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  bool finished() const { return finished_; }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

class Client {
 public:
  explicit Client(uint16_t port) : port_(port) { sock_.connect({net::ip::make_address("127.0.0.1"), port}); }
  Res send(Req req) {
    req.prepare_payload();
    bhttp::write(sock_, req);
    return read();
  }
  Res read() {
    bhttp::response_parser<bhttp::string_body> p;
    p.body_limit(64 << 20);
    bhttp::read(sock_, buf_, p);
    return p.release();
  }
  void writeRaw(std::string_view s) { net::write(sock_, net::buffer(s.data(), s.size())); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  tcp::socket& socket() { return sock_; }

 private:
  uint16_t port_;
  net::io_context ioc_;
  tcp::socket sock_{ioc_};
  beast::flat_buffer buf_;
};

inline Req apiRequest(std::string_view op, std::string body, std::string_view host = "localhost") {
  Req req{bhttp::verb::post, "/", 11};
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::content_type, "application/x-amz-json-1.0");
  req.set("X-Amz-Target", "DynamoDB_20120810." + std::string(op));
  req.body() = std::move(body);
  return req;
}

// Echoes "<op>:<body>" so tests see what the handler received.
inline RequestHandler echoHandler(std::atomic<int>* calls = nullptr) {
  return [calls](std::string_view op, std::string_view body) {
    if (calls) ++*calls;
    return api::ApiResponse{200, std::string(op) + ":" + std::string(body)};
  };
}

inline uint32_t crc(std::string_view s) {
  return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

inline std::string field(const Res& r, std::string_view name) {
  auto it = r.find(beast::string_view(name.data(), name.size()));
  return it == r.end() ? std::string("<absent>") : std::string(it->value());
}

}  // namespace fdyno::http::testing

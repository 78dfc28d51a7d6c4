// ServerOptions::own_loops: each I/O thread runs its own event loop, owns
// the connections handed to it round-robin and runs their handlers inline.
// A handler that waits holds up its own thread only; stop() reaches every
// loop.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <unistd.h>

#include "common/fiber.h"
#include "common/parker.h"
#include "test_server.h"

namespace fdyno::http {
namespace {

using namespace fdyno::http::testing;  // NOLINT: test helpers
using namespace std::chrono_literals;

ServerOptions ownLoops(int threads) {
  ServerOptions o;
  o.threads = threads;
  o.write_threads = 0;
  o.own_loops = true;
  return o;
}

TEST(OwnLoopsTest, ConnectionsAreSpreadOverTheLoopsAndStayOnTheirThread) {
  std::mutex mu;
  std::vector<std::thread::id> by_request;
  TestServer s(
      [&](std::string_view op, std::string_view body) {
        std::lock_guard<std::mutex> l(mu);
        by_request.push_back(std::this_thread::get_id());
        return api::ApiResponse{200, std::string(body)};
      },
      ownLoops(4));
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<Client>(s.port()));
  // Three requests per connection, in turn.
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 8; ++i) {
      Res r = clients[i]->send(apiRequest("PutItem", std::to_string(i)));
      ASSERT_EQ(r.result_int(), 200);
      EXPECT_EQ(r.body(), std::to_string(i));
    }
  }
  ASSERT_EQ(by_request.size(), 24u);
  std::set<std::thread::id> threads(by_request.begin(), by_request.end());
  EXPECT_EQ(threads.size(), 4u) << "8 connections over 4 loops";
  for (int i = 0; i < 8; ++i) {
    // A connection's requests all ran on one thread (the same loop).
    EXPECT_EQ(by_request[i], by_request[8 + i]) << i;
    EXPECT_EQ(by_request[i], by_request[16 + i]) << i;
  }
}

TEST(OwnLoopsTest, AWaitingHandlerHoldsUpOnlyItsOwnLoop) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> waiting{false};
  TestServer s(
      [&](std::string_view op, std::string_view) {
        if (op == "PutItem") {
          waiting = true;
          released.wait();  // a database round trip that takes long
        }
        return api::ApiResponse{200, std::string(op)};
      },
      ownLoops(2));
  // The first connection goes to one loop, the second to the other.
  Client blocked(s.port());
  Client other(s.port());
  std::thread t([&] { EXPECT_EQ(blocked.send(apiRequest("PutItem", "{}")).result_int(), 200); });
  while (!waiting) std::this_thread::sleep_for(1ms);
  const auto t0 = std::chrono::steady_clock::now();
  Res r = other.send(apiRequest("GetItem", "{}"));
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(r.body(), "GetItem");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  release.set_value();
  t.join();
}

TEST(OwnLoopsTest, StopFinishesEveryLoop) {
  std::atomic<int> calls{0};
  auto s = std::make_unique<TestServer>(echoHandler(&calls), ownLoops(3));
  {
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < 6; ++i) clients.push_back(std::make_unique<Client>(s->port()));
    for (auto& c : clients) EXPECT_EQ(c->send(apiRequest("GetItem", "{}")).result_int(), 200);
    // Idle keep-alive connections on every loop: stop closes them all and
    // run() returns.
    s->stopAndJoin();
    EXPECT_TRUE(s->finished());
  }
  EXPECT_EQ(calls.load(), 6);
}

// What a store's wait does: parks this fiber (or thread) until `go`, after
// publishing its Parker in `waiting` for the test to unpark.
void parkUntilGo(const std::atomic<bool>& go, std::atomic<Parker*>& waiting) {
  Parker* p = Parker::current();
  waiting = p;
  for (;;) {
    const uint32_t t = p->prepare();
    if (go) break;
    p->park(t);
  }
}

ServerOptions fiberLoops(int threads) {
  ServerOptions o = ownLoops(threads);
  o.fibers = true;
  return o;
}

// A handler waiting on a fiber, as the PostgreSQL store's do (a Parker),
// suspends only itself: with one loop, a request on another connection is
// answered meanwhile, on the same thread.
TEST(OwnLoopsTest, OnFibersAWaitingHandlerLetsItsLoopAnswerOthers) {
  std::atomic<bool> go{false};
  std::atomic<Parker*> waiting{nullptr};
  std::atomic<int> in_fiber{0};
  std::mutex mu;
  std::set<std::thread::id> threads;
  TestServer s(
      [&](std::string_view op, std::string_view) {
        if (Fiber::current() != nullptr) ++in_fiber;
        {
          std::lock_guard<std::mutex> l(mu);
          threads.insert(std::this_thread::get_id());
        }
        if (op == "PutItem") {
          parkUntilGo(go, waiting);
        }
        return api::ApiResponse{200, std::string(op)};
      },
      fiberLoops(1));
  Client blocked(s.port());
  Client other(s.port());
  std::thread t([&] { EXPECT_EQ(blocked.send(apiRequest("PutItem", "{}")).result_int(), 200); });
  while (waiting == nullptr) std::this_thread::sleep_for(1ms);
  for (int i = 0; i < 3; ++i) {
    Res r = other.send(apiRequest("GetItem", "{}"));
    EXPECT_EQ(r.result_int(), 200);
    EXPECT_EQ(r.body(), "GetItem");
  }
  go = true;
  waiting.load()->unpark();
  t.join();
  EXPECT_EQ(in_fiber.load(), 4);
  EXPECT_EQ(threads.size(), 1u) << "one loop, one thread";
}

// The database's socket: waitFd() on a fiber registers it with the loop
// and suspends; the loop goes on and resumes the handler once it is ready.
TEST(OwnLoopsTest, OnFibersAHandlerWaitsForADescriptorWithoutBlockingItsLoop) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::atomic<bool> waiting{false};
  TestServer s(
      [&](std::string_view op, std::string_view) {
        if (op == "PutItem") {
          waiting = true;
          waitFd(fds[0], /*for_write=*/false);
          char c = 0;
          if (::read(fds[0], &c, 1) != 1) return api::ApiResponse{500, ""};
          return api::ApiResponse{200, std::string(1, c)};
        }
        if (op == "File") {
          FILE* f = std::tmpfile();
          waitFd(fileno(f), /*for_write=*/false);
          std::fclose(f);
          return api::ApiResponse{200, "ready"};
        }
        return api::ApiResponse{200, std::string(op)};
      },
      fiberLoops(1));
  Client blocked(s.port());
  Client other(s.port());
  std::string got;
  std::thread t([&] { got = std::string(blocked.send(apiRequest("PutItem", "{}")).body()); });
  while (!waiting) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(other.send(apiRequest("GetItem", "{}")).body(), "GetItem");
  char c = 'z';
  ASSERT_EQ(::write(fds[1], &c, 1), 1);
  t.join();
  EXPECT_EQ(got, "z");
  // A descriptor epoll refuses (a regular file) counts as ready at once.
  Client again(s.port());
  EXPECT_EQ(again.send(apiRequest("File", "{}")).body(), "ready");
  ::close(fds[0]);
  ::close(fds[1]);
}

// stop() while a handler is suspended: the handler finishes, its answer is
// sent, and run() returns only then (the suspended fiber keeps its loop).
TEST(OwnLoopsTest, OnFibersStopWaitsForASuspendedHandler) {
  std::atomic<bool> go{false};
  std::atomic<Parker*> waiting{nullptr};
  auto s = std::make_unique<TestServer>(
      [&](std::string_view op, std::string_view) {
        parkUntilGo(go, waiting);
        // A timed wait too, whose timer must not hold up the loop's end.
        sleepFor(std::chrono::microseconds(1000));
        return api::ApiResponse{200, std::string(op)};
      },
      fiberLoops(2));
  Client c(s->port());
  int status = 0;
  std::thread t([&] { status = c.send(apiRequest("GetItem", "{}")).result_int(); });
  while (waiting == nullptr) std::this_thread::sleep_for(1ms);
  std::thread stopper([&] { s->stopAndJoin(); });
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(s->finished()) << "run() returned under a suspended handler";
  go = true;
  waiting.load()->unpark();
  t.join();
  stopper.join();
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(s->finished());
}

}  // namespace
}  // namespace fdyno::http

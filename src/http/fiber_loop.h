// FiberLoop: common/fiber.h's scheduler over one event loop (io_context),
// for ServerOptions::fibers: the handlers of one loop's connections run on
// fibers, so a handler waiting for the database suspends only itself.
//
// Contract:
// - Made and destroyed on the loop's thread, around its io_context::run();
//   current() is this thread's loop meanwhile (null elsewhere).
// - spawn(task) runs a task on a fiber at once (see FiberPool::spawn); while
//   any task is unfinished the io_context has outstanding work, so run()
//   does not return under a suspended request.
// - post() is thread-safe; the rest is the loop's thread only.
// - Fd watches register the descriptor with the loop's epoll for one wait
//   and deregister it when it fires (the descriptor is not closed: it stays
//   its owner's). A deadline timer lives until its wait cancels it
//   (cancelWake), so none outlives the fiber waiting on it or holds up
//   run()'s end.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <list>
#include <optional>

#include "common/fiber.h"

namespace fdyno::http {

class FiberLoop final : public FiberScheduler {
 public:
  explicit FiberLoop(boost::asio::io_context& ioc);
  ~FiberLoop() override;
  FiberLoop(const FiberLoop&) = delete;
  FiberLoop& operator=(const FiberLoop&) = delete;

  static FiberLoop* current();

  void spawn(std::function<void()> task);

  void post(Fiber* fiber) override;
  void watchFd(int fd, bool for_write, Parker* parker, bool* fired) override;
  void* wakeAt(std::chrono::steady_clock::time_point deadline, Parker* parker) override;
  void cancelWake(void* handle) override;

 private:
  struct Wake {
    explicit Wake(boost::asio::io_context& ioc, std::chrono::steady_clock::time_point at) : timer(ioc, at) {}
    boost::asio::steady_timer timer;
    std::list<Wake>::iterator self;
    bool fired = false;      // the handler ran: cancelWake() erases it
    bool cancelled = false;  // cancelWake() came first: the handler erases it
  };

  // Holds or drops the loop's work guard after a fiber ran: held while a
  // task is unfinished, so run() does not return under it.
  void settle();

  boost::asio::io_context& ioc_;
  FiberLoop* outer_;
  FiberPool pool_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> busy_guard_;
  std::list<Wake> wakes_;
};

}  // namespace fdyno::http

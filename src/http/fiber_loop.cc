// FiberLoop: contract in fiber_loop.h.
#include "http/fiber_loop.h"

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <memory>

#include "common/parker.h"

namespace fdyno::http {
namespace net = boost::asio;

namespace {
thread_local FiberLoop* t_loop = nullptr;
}

FiberLoop::FiberLoop(net::io_context& ioc) : ioc_(ioc), outer_(t_loop), pool_(this) { t_loop = this; }

FiberLoop::~FiberLoop() {
  t_loop = outer_;
  // pool_ ends its idle fibers as it goes (every task has finished: run()
  // returned, and unfinished tasks hold work on the loop).
}

FiberLoop* FiberLoop::current() { return t_loop; }

void FiberLoop::spawn(std::function<void()> task) {
  pool_.spawn(std::move(task));
  settle();
}

void FiberLoop::post(Fiber* fiber) {
  net::post(ioc_, [this, fiber] {
    fiber->resume();
    settle();
  });
}

void FiberLoop::settle() {
  // The count of unfinished tasks only changes while a fiber runs, so
  // looking after each run is enough.
  if (pool_.busy() == 0) {
    busy_guard_.reset();
  } else if (!busy_guard_) {
    busy_guard_.emplace(net::make_work_guard(ioc_));
  }
}

void FiberLoop::watchFd(int fd, bool for_write, Parker* parker, bool* fired) {
  auto d = std::make_shared<net::posix::stream_descriptor>(ioc_);
  boost::system::error_code ec;
  d->assign(fd, ec);
  if (ec) {
    // Not a descriptor epoll can watch: "ready" at once, and the caller's
    // next read or write reports what is wrong with it.
    *fired = true;
    parker->unpark();
    return;
  }
  d->async_wait(for_write ? net::posix::stream_descriptor::wait_write : net::posix::stream_descriptor::wait_read,
                [d, parker, fired](const boost::system::error_code&) {
                  // Deregistered, not closed: the descriptor is its owner's.
                  (void)d->release();
                  *fired = true;
                  parker->unpark();
                });
}

void* FiberLoop::wakeAt(std::chrono::steady_clock::time_point deadline, Parker* parker) {
  wakes_.emplace_front(ioc_, deadline);
  auto it = wakes_.begin();
  it->self = it;
  it->timer.async_wait([this, it, parker](const boost::system::error_code& ec) {
    if (it->cancelled) {
      wakes_.erase(it);
      return;
    }
    it->fired = true;
    if (!ec) parker->unpark();
  });
  return &*it;
}

void FiberLoop::cancelWake(void* handle) {
  Wake* w = static_cast<Wake*>(handle);
  if (w->fired) {
    wakes_.erase(w->self);
    return;
  }
  w->cancelled = true;
  w->timer.cancel();  // the handler still runs (aborted, or already due) and erases it
}

}  // namespace fdyno::http

// fiber: contract in fiber.h. The stacks switch with Boost.Context's
// fiber (fcontext: a few registers saved, no system call).
#include "common/fiber.h"

#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <boost/context/fiber.hpp>
#include <cerrno>
#include <cstdio>
#include <deque>
#include <exception>
#include <new>
#include <thread>

#include "common/mutex.h"
#include "common/parker.h"

#if defined(__SANITIZE_ADDRESS__)
#define FDYNO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FDYNO_ASAN 1
#endif
#endif

#if defined(FDYNO_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace fdyno {
namespace ctx = boost::context;
namespace {

thread_local Fiber* t_current = nullptr;

// AddressSanitizer must be told about every stack switch, or it takes the
// fiber's frames for overflows of the thread's stack (and the reverse).
struct AsanStack {
  const void* bottom = nullptr;
  size_t size = 0;
};
#if defined(FDYNO_ASAN)
inline void asanStart(void** fake, const AsanStack& to) { __sanitizer_start_switch_fiber(fake, to.bottom, to.size); }
inline void asanFinish(void* fake, AsanStack* from) {
  __sanitizer_finish_switch_fiber(fake, from ? &from->bottom : nullptr, from ? &from->size : nullptr);
}
#else
inline void asanStart(void**, const AsanStack&) {}
inline void asanFinish(void*, AsanStack*) {}
#endif

// Stacks from mmap: address space only until touched, with a guard page at
// the low end (stacks grow down), as boost's protected_fixedsize_stack but
// without its library-wide page-size cache.
struct GuardedStack {
  AsanStack* bounds;  // filled in for AddressSanitizer
  static size_t page() {
    static const size_t p = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
    return p;
  }
  ctx::stack_context allocate() {
    const size_t total = kFiberStackBytes + page();
    void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK,
                        -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    (void)::mprotect(base, page(), PROT_NONE);
    ctx::stack_context sc;
    sc.size = total;
    sc.sp = static_cast<char*>(base) + total;
    bounds->bottom = base;
    bounds->size = total;
    return sc;
  }
  void deallocate(ctx::stack_context& sc) noexcept { ::munmap(static_cast<char*>(sc.sp) - sc.size, sc.size); }
};

// Parks `p` (the caller's) until `done()`; every wake-up of `p` comes with
// a change of what done() reads, or is spurious.
template <typename Done>
void parkUntilDone(Parker* p, Done done) {
  for (;;) {
    const uint32_t token = p->prepare();
    if (done()) return;
    p->park(token);
  }
}

std::atomic<size_t> g_next_local_id{0};

}  // namespace

size_t fiber_detail::newLocalId() { return g_next_local_id.fetch_add(1, std::memory_order_relaxed); }

struct Fiber::Impl {
  ctx::fiber self;    // the fiber while it is suspended (empty once ended)
  ctx::fiber caller;  // whoever resumed it, while it runs
  AsanStack stack;    // this fiber's stack
  AsanStack caller_stack;
  void* fake = nullptr;  // ASan's fake stack of the fiber while it is switched out
};

Fiber::Fiber(FiberPool* pool, FiberScheduler* scheduler)
    : pool_(pool), scheduler_(scheduler), parker_(Parker::forFiber(this)), impl_(std::make_unique<Impl>()) {
  GuardedStack alloc{&impl_->stack};
  impl_->self = ctx::fiber(std::allocator_arg, alloc, [this](ctx::fiber&& caller) {
    impl_->caller = std::move(caller);
    asanFinish(nullptr, &impl_->caller_stack);
    for (;;) {
      try {
        task_();
      } catch (...) {
        std::fputs("fdyno: an exception escaped a fiber's task\n", stderr);
        std::terminate();
      }
      task_ = nullptr;
      if (!pool_->recycle(this)) break;
      suspend();
      if (!task_) break;  // the pool is ending its idle fibers
    }
    // Ending: ASan drops this stack's fake frames (null save slot).
    asanStart(nullptr, impl_->caller_stack);
    return std::move(impl_->caller);
  });
}

Fiber::~Fiber() {
  for (auto& [p, del] : deleters_) del(p);
  Parker::releaseFiber(parker_);
}

Fiber* Fiber::current() { return t_current; }

void Fiber::suspend() {
  Fiber* f = t_current;
  Impl& impl = *f->impl_;
  asanStart(&impl.fake, impl.caller_stack);
  impl.caller = std::move(impl.caller).resume();
  asanFinish(impl.fake, &impl.caller_stack);
}

void Fiber::resume() {
  Fiber* const outer = t_current;
  t_current = this;
  void* fake = nullptr;
  asanStart(&fake, impl_->stack);
  impl_->self = std::move(impl_->self).resume();
  asanFinish(fake, nullptr);
  t_current = outer;
  if (!impl_->self) delete this;
}

void*& Fiber::localSlot(size_t id) {
  if (locals_.size() <= id) locals_.resize(id + 1, nullptr);
  return locals_[id];
}

FiberPool::~FiberPool() {
  std::vector<Fiber*> idle;
  idle.swap(idle_);
  for (Fiber* f : idle) f->resume();  // with no task: it ends and is deleted
}

void FiberPool::spawn(std::function<void()> task) {
  Fiber* f;
  if (idle_.empty()) {
    f = new Fiber(this, scheduler_);
  } else {
    f = idle_.back();
    idle_.pop_back();
  }
  f->task_ = std::move(task);
  ++busy_;
  f->resume();
}

bool FiberPool::recycle(Fiber* f) {
  --busy_;
  if (idle_.size() >= kKeptIdleFibers) return false;
  idle_.push_back(f);
  return true;
}

void waitFd(int fd, bool for_write) {
  // No descriptor (libpq's PQsocket of a connection already gone): nothing
  // to wait for; the next call on it reports the failure. poll() would
  // ignore it and wait for ever.
  if (fd < 0) return;
  Fiber* f = Fiber::current();
  if (f == nullptr) {
    pollfd p{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
    return;
  }
  // `fired` lives on this stack: the watch always fires (readiness, error
  // or hang-up) before this returns, and only on this thread.
  bool fired = false;
  f->scheduler()->watchFd(fd, for_write, f->parker(), &fired);
  parkUntilDone(f->parker(), [&] { return fired; });
}

void sleepFor(std::chrono::microseconds d) {
  Fiber* f = Fiber::current();
  if (f == nullptr) {
    std::this_thread::sleep_for(d);
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + d;
  Parker* p = f->parker();
  void* wake = f->scheduler()->wakeAt(deadline, p);
  parkUntilDone(p, [&] { return std::chrono::steady_clock::now() >= deadline; });
  f->scheduler()->cancelWake(wake);
}

namespace {

struct BlockingJob {
  const std::function<void()>* fn;
  Parker* parker;
  std::atomic<bool> done{false};
};

// Leaked on purpose: its threads live as long as the process.
struct BlockingThreads {
  Mutex mu;
  CondVar cv;
  std::deque<BlockingJob*> jobs GUARDED_BY(mu);

  BlockingThreads() {
    for (size_t i = 0; i < kBlockingThreads; ++i) std::thread([this] { work(); }).detach();
  }
  void add(BlockingJob* job) EXCLUDES(mu) {
    {
      MutexLock l(mu);
      jobs.push_back(job);
    }
    cv.notifyOne();
  }
  BlockingJob* next() EXCLUDES(mu) {
    MutexLock l(mu);
    while (jobs.empty()) cv.wait(mu);
    BlockingJob* job = jobs.front();
    jobs.pop_front();
    return job;
  }
  void work() {
    for (;;) {
      BlockingJob* job = next();
      (*job->fn)();
      Parker* p = job->parker;  // the job is gone once done is set
      job->done.store(true, std::memory_order_release);
      p->unpark();
    }
  }
};

}  // namespace

void runBlocking(const std::function<void()>& fn) {
  Fiber* f = Fiber::current();
  if (f == nullptr) {
    fn();
    return;
  }
  static BlockingThreads* threads = new BlockingThreads;
  BlockingJob job;
  job.fn = &fn;
  job.parker = f->parker();
  threads->add(&job);
  parkUntilDone(job.parker, [&] { return job.done.load(std::memory_order_acquire); });
}

}  // namespace fdyno

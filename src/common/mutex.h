// mutex: a std::mutex that clang's thread-safety analysis understands, and
// the macros to annotate what it guards.
//
// Why: libstdc++'s std::mutex carries no capability attributes, so
// `-Wthread-safety` cannot check GUARDED_BY fields locked through it.
// `make thread-safety` compiles the annotated files with clang and
// -Werror=thread-safety; under g++ the macros expand to nothing and Mutex
// costs exactly a std::mutex.
//
// Contract: Mutex is a plain non-recursive mutex (thread-safe, not
// copyable). MutexLock holds it for its scope; unlock()/lock() let a scope
// drop it around a blocking call (the analysis tracks both). CondVar waits
// on a Mutex the caller holds (it is held again when a wait returns; waits
// may wake spuriously, so callers loop on their condition).
// SharedMutex is a reader/writer lock: ReaderLock shares it, WriterLock
// holds it alone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#if defined(__clang__)
#define FDYNO_TSA(x) __attribute__((x))
#else
#define FDYNO_TSA(x)
#endif

#define CAPABILITY(x) FDYNO_TSA(capability(x))
#define SCOPED_CAPABILITY FDYNO_TSA(scoped_lockable)
#define GUARDED_BY(x) FDYNO_TSA(guarded_by(x))
#define REQUIRES(...) FDYNO_TSA(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) FDYNO_TSA(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) FDYNO_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) FDYNO_TSA(release_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) FDYNO_TSA(acquire_shared_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) FDYNO_TSA(release_shared_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) FDYNO_TSA(requires_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) FDYNO_TSA(release_generic_capability(__VA_ARGS__))

namespace fdyno {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }

 private:
  friend class CondVar;
  std::mutex m_;
};

class CondVar {
 public:
  void wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> l(mu.m_, std::adopt_lock);
    cv_.wait(l);
    l.release();
  }
  // False when the time ran out. Callers loop on their condition (a
  // predicate lambda would hide the guarded reads from the analysis).
  template <typename Clock, typename Duration>
  bool waitUntil(Mutex& mu, std::chrono::time_point<Clock, Duration> t) REQUIRES(mu) {
    std::unique_lock<std::mutex> l(mu.m_, std::adopt_lock);
    const bool ok = cv_.wait_until(l, t) == std::cv_status::no_timeout;
    l.release();
    return ok;
  }
  void notifyAll() { cv_.notify_all(); }
  void notifyOne() { cv_.notify_one(); }

 private:
  std::condition_variable cv_;
};

class CAPABILITY("mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }
  void lockShared() ACQUIRE_SHARED() { m_.lock_shared(); }
  void unlockShared() RELEASE_SHARED() { m_.unlock_shared(); }

 private:
  std::shared_mutex m_;
};

class SCOPED_CAPABILITY ReaderLock {
 public:
  explicit ReaderLock(SharedMutex& mu) ACQUIRE_SHARED(mu) : mu_(mu) { mu_.lockShared(); }
  ~ReaderLock() RELEASE() { mu_.unlockShared(); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  SharedMutex& mu_;
};

class SCOPED_CAPABILITY WriterLock {
 public:
  explicit WriterLock(SharedMutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~WriterLock() RELEASE() { mu_.unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  SharedMutex& mu_;
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() RELEASE() {
    if (held_) mu_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  void unlock() RELEASE() {
    held_ = false;
    mu_.unlock();
  }
  void lock() ACQUIRE() {
    mu_.lock();
    held_ = true;
  }

 private:
  Mutex& mu_;
  bool held_ = true;
};

}  // namespace fdyno

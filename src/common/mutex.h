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
// drop it around a blocking call (the analysis tracks both).
#pragma once

#include <mutex>

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

namespace fdyno {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }

 private:
  std::mutex m_;
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

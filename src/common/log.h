// Minimal leveled logging to stderr. Thread-safe (one write(2) per line).
// Kept tiny on purpose: start-up time and idle memory are product features.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace fdyno::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void setLevel(Level l);
Level level();
// Parses "debug", "info", "warn", "error", "off"; false if unknown.
bool parseLevel(std::string_view s, Level* out);
void write(Level l, std::string_view msg);

inline void debug(std::string_view m) { if (level() <= Level::kDebug) write(Level::kDebug, m); }
inline void info(std::string_view m) { if (level() <= Level::kInfo) write(Level::kInfo, m); }
inline void warn(std::string_view m) { if (level() <= Level::kWarn) write(Level::kWarn, m); }
inline void error(std::string_view m) { if (level() <= Level::kError) write(Level::kError, m); }

// Rate limit for one call site whose condition can repeat at machine speed
// (accept() failing with EMFILE, say): at most one line per interval, the
// others counted and reported on the next line that gets through. Without
// it, a fault the server is already handling fills the disk (issue 8: 5
// million identical lines, 250 MB in 11 s).
//
// Typically a function-local static:
//   static log::RateLimit limit(std::chrono::seconds(1));
//   log::warn(limit, "http: accept failed: " + ec.message());
// Thread-safe and lock-free; admit() costs a clock read and an atomic load
// when the line is refused. Lines refused at the end of a burst are only
// reported if the call site logs again.
class RateLimit {
 public:
  explicit RateLimit(std::chrono::steady_clock::duration interval) : interval_ns_(toNs(interval)) {}

  // True when a line may be written at `now`; then *suppressed is the number
  // of lines refused since the previous admitted one.
  bool admit(std::chrono::steady_clock::time_point now, uint64_t* suppressed);
  bool admit(uint64_t* suppressed) { return admit(std::chrono::steady_clock::now(), suppressed); }

 private:
  static int64_t toNs(std::chrono::steady_clock::duration d) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  }
  const int64_t interval_ns_;
  // steady_clock time of the last admitted line; INT64_MIN: none yet.
  std::atomic<int64_t> last_ns_{INT64_MIN};
  std::atomic<uint64_t> suppressed_{0};
};

// write() through a RateLimit: appends " (N similar lines suppressed)" when
// lines were refused since the last one.
void write(Level l, RateLimit& limit, std::string_view msg);

inline void warn(RateLimit& r, std::string_view m) { if (level() <= Level::kWarn) write(Level::kWarn, r, m); }
inline void error(RateLimit& r, std::string_view m) { if (level() <= Level::kError) write(Level::kError, r, m); }

}  // namespace fdyno::log

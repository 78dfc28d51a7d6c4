#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace fdyno::log {

namespace {
std::atomic<Level> g_level{Level::kInfo};
}

void setLevel(Level l) { g_level.store(l, std::memory_order_relaxed); }
Level level() { return g_level.load(std::memory_order_relaxed); }

bool parseLevel(std::string_view s, Level* out) {
  if (s == "debug") *out = Level::kDebug;
  else if (s == "info") *out = Level::kInfo;
  else if (s == "warn" || s == "warning") *out = Level::kWarn;
  else if (s == "error") *out = Level::kError;
  else if (s == "off") *out = Level::kOff;
  else return false;
  return true;
}

void write(Level l, std::string_view msg) {
  static const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm;
  gmtime_r(&t, &tm);
  char ts[40];
  size_t n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string line(ts, n);
  char msbuf[8];
  std::snprintf(msbuf, sizeof msbuf, ".%03dZ ", static_cast<int>(ms));
  line += msbuf;
  line += kNames[static_cast<int>(l)];
  line += ' ';
  line.append(msg);
  line += '\n';
  ssize_t r = ::write(2, line.data(), line.size());
  (void)r;
}

bool RateLimit::admit(std::chrono::steady_clock::time_point now, uint64_t* suppressed) {
  const int64_t t = toNs(now.time_since_epoch());
  int64_t last = last_ns_.load(std::memory_order_relaxed);
  // One winner per interval: the thread whose compare-exchange moves the
  // stamp forward writes the line; everyone else only counts.
  if ((last == INT64_MIN || t - last >= interval_ns_) &&
      last_ns_.compare_exchange_strong(last, t, std::memory_order_relaxed)) {
    *suppressed = suppressed_.exchange(0, std::memory_order_relaxed);
    return true;
  }
  suppressed_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void write(Level l, RateLimit& limit, std::string_view msg) {
  uint64_t suppressed = 0;
  if (!limit.admit(&suppressed)) return;
  if (suppressed == 0) return write(l, msg);
  std::string line(msg);
  line += " (";
  line += std::to_string(suppressed);
  line += suppressed == 1 ? " similar line suppressed)" : " similar lines suppressed)";
  write(l, line);
}

}  // namespace fdyno::log

#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
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

}  // namespace fdyno::log

#include "auth/amz_time.h"

#include <cstdio>
#include <ctime>

namespace fdyno::auth {
namespace {

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::optional<int64_t> toEpoch(int y, int mon, int d, int h, int mi, int sec) {
  if (mon < 1 || mon > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

std::optional<int64_t> parseAmzDate(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  int y, mon, d, h, mi, sec;
  if (!digits(s, 0, 4, &y) || !digits(s, 4, 2, &mon) || !digits(s, 6, 2, &d) ||
      !digits(s, 9, 2, &h) || !digits(s, 11, 2, &mi) || !digits(s, 13, 2, &sec))
    return std::nullopt;
  return toEpoch(y, mon, d, h, mi, sec);
}

std::optional<int64_t> parseHttpDate(std::string_view s) {
  // "Sun, 30 Aug 2015 12:36:00 GMT": fixed layout, 29 characters.
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  int d, y, h, mi, sec, mon = 0;
  if (!digits(s, 5, 2, &d) || !digits(s, 12, 4, &y) || !digits(s, 17, 2, &h) ||
      !digits(s, 20, 2, &mi) || !digits(s, 23, 2, &sec))
    return std::nullopt;
  std::string_view m = s.substr(8, 3);
  for (int i = 0; i < 12; ++i)
    if (m == kMonths[i]) mon = i + 1;
  if (mon == 0) return std::nullopt;
  return toEpoch(y, mon, d, h, mi, sec);
}

std::string formatAmzDate(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace fdyno::auth

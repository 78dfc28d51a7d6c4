#include "http/wire_headers.h"

#include <zlib.h>

#include <ctime>
#include <random>
#include <thread>

namespace fdyno::http {

RequestId newRequestId() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    return seed ^ std::hash<std::thread::id>()(std::this_thread::get_id());
  }());
  RequestId id;
  size_t i = 0;
  while (i < id.size()) {
    uint64_t r = rng();
    // 12 base-36 digits use 62 bits of the 64.
    for (int k = 0; k < 12 && i < id.size(); ++k) {
      id[i++] = kAlphabet[r % 36];
      r /= 36;
    }
  }
  return id;
}

std::string_view httpDateNow() {
  thread_local std::time_t cached_second = -1;
  thread_local char buf[40];
  thread_local size_t len = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return std::string_view(buf, len);
}

uint32_t crc32Of(std::string_view body) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed large bodies in pieces.
  while (!body.empty()) {
    size_t n = std::min<size_t>(body.size(), 1u << 30);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(n));
    body.remove_prefix(n);
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace fdyno::http

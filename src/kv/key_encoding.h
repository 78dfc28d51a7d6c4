// key_encoding.h: small byte-level helpers shared by the kv core and backends.
//
// Contract:
// - Pure functions on values; thread-safe.
// - Big-endian encodings are used where byte order must match numeric order
//   (versionstamps, the persisted commit version); the atomicAdd operand is
//   little-endian because that is what kv.h promises (FoundationDB's ADD).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fdyno::kv {

// First byte of the reserved key space (kv.h: keys >= 0xFF belong to the store).
inline constexpr unsigned char kReservedPrefixByte = 0xFF;
// The exclusive upper bound of user key space, as a key.
inline constexpr std::string_view kUserKeyEnd{"\xff", 1};

inline bool isReservedKey(std::string_view key) {
  return !key.empty() && static_cast<unsigned char>(key[0]) == kReservedPrefixByte;
}

// The smallest key strictly greater than `key` (appends a zero byte): turns a
// point into the half-open range [key, keyAfter(key)).
inline std::string keyAfter(std::string_view key) {
  std::string out;
  out.reserve(key.size() + 1);
  out.append(key);
  out.push_back('\0');
  return out;
}

inline void appendBigEndian64(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
  out->append(buf, 8);
}

inline uint64_t decodeBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < in.size(); ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

inline std::string encodeLittleEndian64(int64_t v) {
  std::string out(8, '\0');
  uint64_t u = static_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) {
    out[i] = static_cast<char>(u & 0xFF);
    u >>= 8;
  }
  return out;
}

// Decodes the atomicAdd operand. Like FoundationDB's ADD, a shorter stored
// value is zero-extended and a longer one truncated to its first 8 bytes, so a
// corrupt counter never makes a commit fail.
inline int64_t decodeLittleEndian64(std::string_view in) {
  uint64_t u = 0;
  size_t n = in.size() < 8 ? in.size() : 8;
  for (size_t i = 0; i < n; ++i) u |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return static_cast<int64_t>(u);
}

// Adds with two's-complement wraparound (no UB on overflow).
inline int64_t wrappingAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}

}  // namespace fdyno::kv

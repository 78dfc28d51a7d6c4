// ByteWriter / ByteReader: the primitive encodings of catalog records
// (table and index definitions, docs/storage-layout.md).
//
// Contract:
// - Integers are fixed-width little-endian, strings are `u32 LE length +
//   bytes`, doubles are their IEEE-754 bits as a u64, booleans one byte.
//   These are on disk: DO NOT CHANGE them.
// - ByteReader never throws and never reads out of bounds: the first short
//   read latches ok() to false and every later read returns a zero value, so
//   a decoder checks ok() once at the end (or before trusting a count).
// - Thread safety: values over caller-owned memory; one thread each.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace fdyno::engine {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) {
    out_.push_back(static_cast<char>(v & 0xff));
    out_.push_back(static_cast<char>(v >> 8));
  }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void boolean(bool b) { u8(b ? 1 : 0); }
  // Reserves a u32 length slot; patchLength() fills it with the number of
  // bytes written after it. Lets a record carry fields a later format adds
  // while an older reader skips them (see docs/storage-layout.md).
  size_t beginLength() {
    size_t at = out_.size();
    u32(0);
    return at;
  }
  void patchLength(size_t at) {
    auto n = static_cast<uint32_t>(out_.size() - at - 4);
    for (int i = 0; i < 4; ++i) out_[at + i] = static_cast<char>((n >> (8 * i)) & 0xff);
  }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool atEnd() const { return in_.empty(); }
  bool ok() const { return ok_; }
  uint8_t u8() {
    if (!need(1)) return 0;
    auto v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }
  uint16_t u16() {
    if (!need(2)) return 0;
    auto v = static_cast<uint16_t>(static_cast<uint8_t>(in_[0]) | (static_cast<uint8_t>(in_[1]) << 8));
    in_.remove_prefix(2);
    return v;
  }
  uint32_t u32() {
    if (!need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(4);
    return v;
  }
  uint64_t u64() {
    if (!need(8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(8);
    return v;
  }
  int64_t i64() { return static_cast<int64_t>(u64()); }
  double f64() {
    uint64_t bits = u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::string str() { return std::string(view()); }
  // A length-prefixed string as a view into the input.
  std::string_view view() {
    uint32_t n = u32();
    if (!need(n)) return {};
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  bool boolean() { return u8() != 0; }

 private:
  bool need(size_t n) {
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace fdyno::engine

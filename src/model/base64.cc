#include "model/base64.h"

#include <array>
#include <cstdint>

namespace fdyno::model {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 64 for '=', 255 for anything else.
constexpr std::array<uint8_t, 256> makeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 255;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  t['='] = 64;
  return t;
}
constexpr std::array<uint8_t, 256> kTable = makeTable();

constexpr std::string_view kBadChar = "Invalid last non-pad Base64 character dectected";

Status lengthError(size_t n) {
  return Status::Serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " +
                               std::to_string(n));
}

// Decodes (or, with out == nullptr, only checks) `text`.
Status decodeInto(std::string_view text, std::string* out) {
  const size_t n = text.size();
  if (n % 4 != 0) return lengthError(n);
  if (n == 0) return Status::OK();
  size_t pad = 0;
  if (text[n - 1] == '=') pad = text[n - 2] == '=' ? 2 : 1;
  if (out) out->reserve(out->size() + n / 4 * 3 - pad);
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t full = n - (pad ? 4 : 0);
  for (size_t i = 0; i < full; i += 4) {
    uint8_t a = kTable[p[i]], b = kTable[p[i + 1]], c = kTable[p[i + 2]], d = kTable[p[i + 3]];
    if ((a | b | c | d) >= 64) return Status::Serialization(kBadChar);
    uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
    if (out) {
      out->push_back(static_cast<char>(v >> 16));
      out->push_back(static_cast<char>((v >> 8) & 0xFF));
      out->push_back(static_cast<char>(v & 0xFF));
    }
  }
  if (pad) {
    const uint8_t* q = p + full;
    uint8_t a = kTable[q[0]], b = kTable[q[1]], c = kTable[q[2]];
    if (a >= 64 || b >= 64) return Status::Serialization(kBadChar);
    if (pad == 2) {
      // One byte: the last non-pad character keeps 2 bits, the low 4 must be 0.
      if (b & 0x0F) return Status::Serialization(kBadChar);
      if (out) out->push_back(static_cast<char>((a << 2) | (b >> 4)));
    } else {
      if (c >= 64 || (c & 0x03)) return Status::Serialization(kBadChar);
      if (out) {
        out->push_back(static_cast<char>((a << 2) | (b >> 4)));
        out->push_back(static_cast<char>(((b & 0x0F) << 4) | (c >> 2)));
      }
    }
  }
  return Status::OK();
}

}  // namespace

size_t base64EncodedSize(size_t n) { return (n + 2) / 3 * 4; }

void base64EncodeTo(std::string& out, std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t at = out.size();
  out.resize(at + base64EncodedSize(n));
  char* o = out.data() + at;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{p[i]} << 16;
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = '=';
  }
}

std::string base64Encode(std::string_view bytes) {
  std::string s;
  base64EncodeTo(s, bytes);
  return s;
}

Result<std::string> base64Decode(std::string_view text) {
  std::string out;
  FDYNO_RETURN_IF_ERROR(decodeInto(text, &out));
  return out;
}

Status base64Validate(std::string_view text) { return decodeInto(text, nullptr); }

}  // namespace fdyno::model

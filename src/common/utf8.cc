#include "common/utf8.h"

#include <cstdint>

namespace fdyno {

int32_t utf8Next(std::string_view s, size_t& i) {
  const auto b = static_cast<uint8_t>(s[i++]);
  if (b < 0x80) return b;
  int extra;
  int32_t cp;
  if ((b & 0xE0) == 0xC0) {
    extra = 1;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    extra = 2;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    extra = 3;
    cp = b & 0x07;
  } else {
    return -1;  // a continuation byte, or 0xF8..0xFF
  }
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size()) return -1;
    const auto c = static_cast<uint8_t>(s[i]);
    if ((c & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (c & 0x3F);
    ++i;
  }
  static constexpr int32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  return cp;
}

size_t utf8SequenceLength(std::string_view s, size_t i) {
  size_t end = i;
  return utf8Next(s, end) < 0 ? 0 : end - i;
}

}  // namespace fdyno

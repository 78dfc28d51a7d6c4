#include "model/key_codec.h"

#include "model/decimal.h"

namespace fdyno::model {

namespace {

// Number tags: negative < zero < positive.
constexpr uint8_t kNegative = 0x01;
constexpr uint8_t kZero = 0x02;
constexpr uint8_t kPositive = 0x03;
// value = 0.d1d2... x 10^E with E in [-129, 126]; the exponent byte is E + 129.
constexpr int kExponentBias = 129;
constexpr size_t kMaxPairs = (kMaxNumberDigits + 1) / 2;

void encodeBytes(std::string& out, std::string_view s) {
  // 0x00 -> 0x00 0xFF; terminator 0x00 0x00. Order: the terminator sorts before
  // any continuation, so a proper prefix sorts first, as in memcmp order.
  out.reserve(out.size() + s.size() + 2);
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\0') continue;
    out.append(s.data() + start, i + 1 - start);
    out.push_back('\xFF');
    start = i + 1;
  }
  out.append(s.data() + start, s.size() - start);
  out.push_back('\0');
  out.push_back('\0');
}

void encodeNumber(std::string& out, std::string_view n) {
  bool neg = !n.empty() && n[0] == '-';
  if (neg) n.remove_prefix(1);
  if (n == "0") {
    out.push_back(static_cast<char>(kZero));
    return;
  }
  // Collect significant digits and E (the position of the decimal point
  // relative to the first significant digit) straight from the normalized text.
  char digits[kMaxNumberDigits + 1];
  size_t nd = 0;
  int int_digits = 0;  // digits before the point, leading zeros excluded
  int lead_frac_zeros = 0;
  bool after_point = false;
  for (char c : n) {
    if (c == '.') {
      after_point = true;
      continue;
    }
    if (nd == 0 && c == '0') {
      if (after_point) ++lead_frac_zeros;
      continue;
    }
    if (!after_point) ++int_digits;
    if (nd < sizeof digits) digits[nd++] = c;
  }
  // Trailing zeros of a whole number are not significant ("1500" -> 15, E=4).
  while (nd > 0 && digits[nd - 1] == '0') --nd;
  const int e = int_digits > 0 ? int_digits : -lead_frac_zeros;
  uint8_t exp_byte = static_cast<uint8_t>(e + kExponentBias);
  out.push_back(static_cast<char>(neg ? kNegative : kPositive));
  out.push_back(static_cast<char>(neg ? 255 - exp_byte : exp_byte));
  // Base-100 pairs: 2p+1 while more follow, 2p for the last one. Equal pairs
  // then order "more digits" above "ends here", which is numeric order since
  // the last pair is never 00.
  for (size_t i = 0; i < nd; i += 2) {
    int p = (digits[i] - '0') * 10 + (i + 1 < nd ? digits[i + 1] - '0' : 0);
    bool last = i + 2 >= nd;
    uint8_t b = static_cast<uint8_t>(2 * p + (last ? 0 : 1));
    out.push_back(static_cast<char>(neg ? 255 - b : b));
  }
}

Status corrupt(std::string_view what) { return Status::Corruption(what); }

Result<AttributeValue> decodeBytes(std::string_view& in, AttrType t) {
  std::string s;
  size_t i = 0;
  size_t start = 0;
  while (true) {
    size_t z = in.find('\0', i);
    if (z == std::string_view::npos || z + 1 >= in.size()) return corrupt("key: unterminated string");
    unsigned char next = static_cast<unsigned char>(in[z + 1]);
    if (next == 0x00) {
      s.append(in.data() + start, z - start);
      in.remove_prefix(z + 2);
      break;
    }
    if (next != 0xFF) return corrupt("key: bad escape in string");
    s.append(in.data() + start, z + 1 - start);
    i = start = z + 2;
  }
  AttributeValue v;
  v.type = t;
  v.scalar = std::move(s);
  return v;
}

Result<AttributeValue> decodeNumber(std::string_view& in) {
  if (in.empty()) return corrupt("key: truncated number");
  uint8_t tag = static_cast<uint8_t>(in[0]);
  if (tag == kZero) {
    in.remove_prefix(1);
    return AttributeValue::N("0");
  }
  if (tag != kNegative && tag != kPositive) return corrupt("key: bad number tag");
  const bool neg = tag == kNegative;
  if (in.size() < 3) return corrupt("key: truncated number");
  uint8_t exp_byte = static_cast<uint8_t>(in[1]);
  if (neg) exp_byte = static_cast<uint8_t>(255 - exp_byte);
  const int e = exp_byte - kExponentBias;
  std::string digits;
  size_t i = 2;
  while (true) {
    if (i >= in.size() || digits.size() >= 2 * kMaxPairs) return corrupt("key: bad number digits");
    uint8_t b = static_cast<uint8_t>(in[i++]);
    if (neg) b = static_cast<uint8_t>(255 - b);
    if (b > 199) return corrupt("key: bad number digit byte");
    int p = b / 2;
    digits.push_back(static_cast<char>('0' + p / 10));
    digits.push_back(static_cast<char>('0' + p % 10));
    if ((b & 1) == 0) {
      if (p == 0) return corrupt("key: zero last digit pair");
      break;
    }
  }
  if (digits[0] == '0' && digits[1] == '0') return corrupt("key: zero first digit pair");
  in.remove_prefix(i);
  // 0.d1d2...dn x 10^e == d1d2...dn x 10^(e - n)
  const int64_t exponent = e - static_cast<int64_t>(digits.size());
  Decimal d = Decimal::fromParts(neg, std::move(digits), exponent);
  return AttributeValue::N(d.toString());
}

}  // namespace

void encodeKeyValue(std::string& out, const AttributeValue& v) {
  if (v.type == AttrType::kN) {
    encodeNumber(out, v.scalar);
  } else {
    encodeBytes(out, v.scalar);
  }
}

Result<AttributeValue> decodeKeyValue(std::string_view& in, AttrType t) {
  switch (t) {
    case AttrType::kS:
    case AttrType::kB:
      return decodeBytes(in, t);
    case AttrType::kN:
      return decodeNumber(in);
    default:
      return Status::InvalidArgument("key values are S, N or B");
  }
}

}  // namespace fdyno::model

#include "model/decimal.h"

#include <algorithm>
#include <climits>

namespace fdyno::model {

Status notNumericError(std::string_view text) {
  // DynamoDB omits the ": <text>" suffix for the empty string (dynalite's
  // captured tests: {"N": ""} -> "...numeric value").
  if (text.empty()) return Status::InvalidArgument(kNumberNotNumeric);
  std::string msg(kNumberNotNumeric);
  msg.append(": ");
  msg.append(text);
  return Status::InvalidArgument(msg);
}

Result<Decimal> Decimal::parseSyntax(std::string_view text) {
  const size_t n = text.size();
  if (n == 0) return notNumericError(text);
  size_t i = 0;
  bool neg = false;
  // "+3" is accepted by DynamoDB (ScyllaDB test_number.py::test_invalid_numbers).
  if (text[0] == '+' || text[0] == '-') {
    neg = text[0] == '-';
    i = 1;
  }
  std::string digits;
  digits.reserve(n);
  size_t mantissa_digits = 0;
  int64_t frac_digits = 0;
  bool seen_point = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      ++mantissa_digits;
      if (seen_point) ++frac_digits;
      if (!(digits.empty() && c == '0')) digits.push_back(c);  // drop leading zeros
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (mantissa_digits == 0) return notNumericError(text);
  int64_t exp = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_neg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exp_neg = text[i] == '-';
      ++i;
    }
    const size_t start = i;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      exp = exp * 10 + (text[i] - '0');
      // BigDecimal's exponent is a Java int; beyond it the text is not a number.
      if (exp > INT32_MAX) return notNumericError(text);
    }
    if (i == start) return notNumericError(text);
    if (exp_neg) exp = -exp;
  }
  if (i != n) return notNumericError(text);
  return fromParts(neg, std::move(digits), exp - frac_digits);
}

Result<Decimal> Decimal::parse(std::string_view text) {
  FDYNO_ASSIGN_OR_RETURN(Decimal d, parseSyntax(text));
  FDYNO_RETURN_IF_ERROR(d.checkRange(false));
  return d;
}

Decimal Decimal::fromParts(bool negative, std::string digits, int64_t exponent) {
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  if (lead == digits.size()) return Decimal();
  size_t end = digits.size();
  while (digits[end - 1] == '0') --end;
  exponent += static_cast<int64_t>(digits.size() - end);
  digits.erase(end);
  digits.erase(0, lead);
  Decimal d;
  d.negative_ = negative;
  d.digits_ = std::move(digits);
  d.exponent_ = exponent;
  return d;
}

Decimal Decimal::fromInt(int64_t v) {
  bool neg = v < 0;
  uint64_t mag = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  return fromParts(neg, std::to_string(mag), 0);
}

void Decimal::appendTo(std::string& out) const {
  if (digits_.empty()) {
    out.push_back('0');
    return;
  }
  if (negative_) out.push_back('-');
  const int64_t len = static_cast<int64_t>(digits_.size());
  const int64_t int_digits = len + exponent_;
  if (exponent_ >= 0) {
    out.append(digits_);
    out.append(static_cast<size_t>(exponent_), '0');
  } else if (int_digits > 0) {
    out.append(digits_, 0, static_cast<size_t>(int_digits));
    out.push_back('.');
    out.append(digits_, static_cast<size_t>(int_digits));
  } else {
    out.append("0.");
    out.append(static_cast<size_t>(-int_digits), '0');
    out.append(digits_);
  }
}

std::string Decimal::toString() const {
  std::string s;
  s.reserve(digits_.size() + 8);
  appendTo(s);
  return s;
}

Status Decimal::checkRange(bool arithmetic) const {
  if (digits_.empty()) return Status::OK();
  const int64_t adj = adjustedExponent();
  if (adj > kMaxAdjustedExponent) return Status::InvalidArgument(kNumberOverflow);
  if (adj < kMinAdjustedExponent) return Status::InvalidArgument(kNumberUnderflow);
  if (digits_.size() > static_cast<size_t>(kMaxNumberDigits)) {
    return Status::InvalidArgument(arithmetic ? kNumberOverflow : kNumberTooManyDigits);
  }
  return Status::OK();
}

int Decimal::compare(const Decimal& o) const {
  const int sa = isZero() ? 0 : (negative_ ? -1 : 1);
  const int sb = o.isZero() ? 0 : (o.negative_ ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int mag;
  const int64_t ea = adjustedExponent(), eb = o.adjustedExponent();
  if (ea != eb) {
    mag = ea < eb ? -1 : 1;
  } else {
    int c = digits_.compare(o.digits_);  // a proper prefix is the smaller value
    mag = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return negative_ ? -mag : mag;
}

Decimal Decimal::negated() const {
  Decimal d = *this;
  if (!d.isZero()) d.negative_ = !d.negative_;
  return d;
}

Result<Decimal> Decimal::add(const Decimal& o) const {
  if (o.isZero()) return *this;
  if (isZero()) return o;
  const int64_t low = std::min(exponent_, o.exponent_);
  const int64_t top = std::max(adjustedExponent(), o.adjustedExponent());
  // Operands far apart in magnitude need more than 38 digits for the exact
  // sum; refuse before allocating (the DoS of ScyllaDB issue #6794).
  if (top - low + 1 > 4 * (kMaxAdjustedExponent - kMinAdjustedExponent)) {
    return Status::InvalidArgument(kNumberOverflow);
  }
  const size_t width = static_cast<size_t>(top - low + 1);
  auto aligned = [&](const Decimal& d) {
    std::string s(width, '0');
    // Leading digit sits at index (top - adjusted).
    size_t at = static_cast<size_t>(top - d.adjustedExponent());
    s.replace(at, d.digits_.size(), d.digits_);
    return s;
  };
  std::string a = aligned(*this), b = aligned(o);
  std::string r(width + 1, '0');
  bool neg;
  if (negative_ == o.negative_) {
    neg = negative_;
    int carry = 0;
    for (size_t k = width; k-- > 0;) {
      int s = (a[k] - '0') + (b[k] - '0') + carry;
      r[k + 1] = static_cast<char>('0' + s % 10);
      carry = s / 10;
    }
    r[0] = static_cast<char>('0' + carry);
  } else {
    int c = a.compare(b);
    if (c == 0) return Decimal();
    if (c < 0) std::swap(a, b);
    neg = c > 0 ? negative_ : o.negative_;
    int borrow = 0;
    for (size_t k = width; k-- > 0;) {
      int s = (a[k] - '0') - (b[k] - '0') - borrow;
      borrow = s < 0 ? 1 : 0;
      if (s < 0) s += 10;
      r[k + 1] = static_cast<char>('0' + s);
    }
  }
  Decimal d = fromParts(neg, std::move(r), low);
  FDYNO_RETURN_IF_ERROR(d.checkRange(true));
  return d;
}

Result<Decimal> Decimal::subtract(const Decimal& o) const { return add(o.negated()); }

}  // namespace fdyno::model

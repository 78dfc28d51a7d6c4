// Decimal: an exact DynamoDB number (sign, significant digits, exponent).
//
// Contract:
// - A value type; thread-compatible; no shared state.
// - Representation: value = (-1)^negative * digits * 10^exponent, where
//   `digits` holds ASCII '0'..'9' with no leading and no trailing zeros.
//   Zero is the empty digit string, never negative.
// - parse() accepts the syntax DynamoDB accepts (Java BigDecimal's):
//   [+|-] digits [. digits] [(e|E) [+|-] digits], at least one mantissa digit,
//   "1." and ".5" allowed, no spaces, no "Infinity"/"NaN"/hex. It then
//   enforces DynamoDB's limits (checkRange) in DynamoDB's order: overflow,
//   underflow, then precision.
// - Arithmetic (add/subtract) is exact; a result DynamoDB cannot store is an
//   error, never silently rounded. DynamoDB reports a result that needs more
//   than 38 digits (e.g. 1E50 + 1) as "Number overflow" (observed by ScyllaDB's
//   test_number.py::test_update_expression_plus_imprecise), so we do too.
// - Errors are kInvalidArgument carrying DynamoDB's ValidationException text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace fdyno::model {

inline constexpr int kMaxNumberDigits = 38;
// |x| must be < 1E126 ...
inline constexpr int kMaxAdjustedExponent = 125;
// ... and >= 1E-130 unless zero. "Adjusted exponent" = exponent of the leading digit.
inline constexpr int kMinAdjustedExponent = -130;

// DynamoDB's texts, exact.
inline constexpr std::string_view kNumberNotNumeric = "The parameter cannot be converted to a numeric value";
inline constexpr std::string_view kNumberOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
inline constexpr std::string_view kNumberUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
inline constexpr std::string_view kNumberTooManyDigits =
    "Attempting to store more than 38 significant digits in a Number";

class Decimal {
 public:
  Decimal() = default;  // zero

  // Syntax + DynamoDB limits. Errors: see kNumber* above; a syntax error reads
  // "The parameter cannot be converted to a numeric value: <text>" (no suffix
  // for the empty string).
  static Result<Decimal> parse(std::string_view text);
  // Syntax only; the result may be outside DynamoDB's limits.
  static Result<Decimal> parseSyntax(std::string_view text);
  // Builds from parts, normalizing (strips zeros; zero is never negative).
  static Decimal fromParts(bool negative, std::string digits, int64_t exponent);
  static Decimal fromInt(int64_t v);

  bool isZero() const { return digits_.empty(); }
  bool isNegative() const { return negative_; }
  const std::string& digits() const { return digits_; }
  int64_t exponent() const { return exponent_; }
  // Exponent of the leading digit (1.5E2 -> 2). Zero -> 0.
  int64_t adjustedExponent() const {
    return digits_.empty() ? 0 : exponent_ + static_cast<int64_t>(digits_.size()) - 1;
  }

  // DynamoDB's normalized text: plain decimal notation, never an exponent
  // (DynamoDB answers 1E100 as "1" followed by 100 zeros; boto3 issue #2500).
  std::string toString() const;
  void appendTo(std::string& out) const;

  // OK, or DynamoDB's overflow / underflow / too-many-digits error.
  // `arithmetic`: report too many digits as overflow (DynamoDB does for + and -).
  Status checkRange(bool arithmetic = false) const;

  int compare(const Decimal& o) const;  // <0, 0, >0 by value
  bool operator==(const Decimal& o) const {
    return negative_ == o.negative_ && exponent_ == o.exponent_ && digits_ == o.digits_;
  }
  bool operator!=(const Decimal& o) const { return !(*this == o); }

  Decimal negated() const;
  // Exact sum / difference, range-checked (arithmetic rules above).
  Result<Decimal> add(const Decimal& o) const;
  Result<Decimal> subtract(const Decimal& o) const;

 private:
  bool negative_ = false;
  std::string digits_;
  int64_t exponent_ = 0;
};

// The "cannot be converted" error for `text`.
Status notNumericError(std::string_view text);

}  // namespace fdyno::model

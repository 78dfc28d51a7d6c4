// DynamoDB numbers: exact decimals, never binary floating point.
//
// DynamoDB's rules: up to 38 significant digits; magnitude between 1E-130
// and 9.9999999999999999999999999999999999999E+125 (or zero); answers use a
// normalized form: no leading zeros, no trailing fractional zeros, no "+",
// "-0" becomes "0", exponents expanded ("1.5E2" -> "150").
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace fdyno::model {

// Validates `text` as a DynamoDB number and returns its normalized form.
// Errors (kInvalidArgument) carry DynamoDB's ValidationException message, e.g.
// "The parameter cannot be converted to a numeric value: abc",
// "Number overflow. Attempting to store a number with magnitude larger than
//  supported range", "Number underflow. ...",
// "Attempting to store more than 38 significant digits in a Number".
Result<std::string> normalizeNumber(std::string_view text);

// Compares two normalized numbers by value: <0, 0, >0.
int compareNumbers(std::string_view a, std::string_view b);

}  // namespace fdyno::model

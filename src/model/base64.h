// Standard base64 (RFC 4648 alphabet, '=' padding) for DynamoDB's B and BS.
//
// Contract:
// - Pure functions; thread-safe.
// - Decoding is strict like DynamoDB's (Coral) decoder: the length must be a
//   multiple of 4, only the standard alphabet, '=' only as 1 or 2 trailing
//   pad characters, and the unused low bits of the last character must be 0
//   (so every byte string has exactly one accepted encoding). Failures are
//   kSerialization with DynamoDB's SerializationException text (dynalite's
//   captured tests), including DynamoDB's own spelling "dectected":
//     "Base64 encoded length is expected a multiple of 4 bytes but found: 5"
//     "Invalid last non-pad Base64 character dectected"
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace fdyno::model {

// Appends the encoding of `bytes` to `out`.
void base64EncodeTo(std::string& out, std::string_view bytes);
std::string base64Encode(std::string_view bytes);
size_t base64EncodedSize(size_t n);

Result<std::string> base64Decode(std::string_view text);
// Same checks as base64Decode without producing the bytes.
Status base64Validate(std::string_view text);

}  // namespace fdyno::model

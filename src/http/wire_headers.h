// Per-response header values DynamoDB always sends: x-amzn-RequestId, Date,
// x-amz-crc32.
//
// Contract: thread-safe; each thread keeps its own random generator and its
// own cached Date string (re-formatted at most once per second), so nothing
// here takes a lock or allocates on the hot path.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fdyno::http {

// DynamoDB request ids are 52 characters of [0-9A-Z].
inline constexpr size_t kRequestIdLength = 52;
using RequestId = std::array<char, kRequestIdLength>;

// A fresh random request id (not cryptographic; unique in practice: 52
// base-36 digits carry ~268 bits).
RequestId newRequestId();

// The current time as an IMF-fixdate ("Sun, 30 Aug 2015 12:36:00 GMT").
// The view stays valid on this thread until the next call.
std::string_view httpDateNow();

// zlib CRC32 of `body`, the value of x-amz-crc32 (a decimal integer). The SDKs
// check it against the bytes they receive, so it is computed over the body
// as sent (after compression).
uint32_t crc32Of(std::string_view body);

}  // namespace fdyno::http

// Timestamps as SigV4 spells them.
//
// Contract: pure functions, thread-safe. Times are UTC seconds since the epoch.
// - ISO-8601 basic format, "20150830T123600Z", is what X-Amz-Date carries and
//   what the string to sign contains.
// - The HTTP Date header (RFC 7231 IMF-fixdate, "Sun, 30 Aug 2015 12:36:00 GMT")
//   is the fallback when X-Amz-Date is absent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fdyno::auth {

// Parses "YYYYMMDDTHHMMSSZ" exactly (16 characters, valid field ranges).
std::optional<int64_t> parseAmzDate(std::string_view s);

// Parses an IMF-fixdate ("Sun, 30 Aug 2015 12:36:00 GMT"); the weekday is not
// checked against the date.
std::optional<int64_t> parseHttpDate(std::string_view s);

// Formats as "YYYYMMDDTHHMMSSZ".
std::string formatAmzDate(int64_t epoch_seconds);

}  // namespace fdyno::auth

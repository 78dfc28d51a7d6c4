// UTF-8 helpers for code that quotes input into messages or writes JSON.
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace fdyno {

// Length (1 to 4) of the well-formed UTF-8 sequence that starts at s[i], or 0
// if the bytes there are not one: a continuation byte out of place, a
// sequence cut short, an overlong form, a surrogate (U+D800..DFFF) or a code
// point above U+10FFFF (RFC 3629). Requires i < s.size().
size_t utf8SequenceLength(std::string_view s, size_t i);

// Decodes the code point at s[i] and advances i past it; -1 (having
// advanced past the bytes examined) if they are not well-formed UTF-8, by
// the rules above. Requires i < s.size().
int32_t utf8Next(std::string_view s, size_t& i);

// The replacement character U+FFFD, written where bytes are not UTF-8.
inline constexpr std::string_view kUtf8Replacement = "\xEF\xBF\xBD";

}  // namespace fdyno

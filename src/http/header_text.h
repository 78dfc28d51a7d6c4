// header_text: the text rules HTTP header values follow (RFC 9110), shared by
// the router (Content-Type) and compression (Content-Encoding,
// Accept-Encoding).
//
// - Names and tokens such as codings and media types compare ASCII
//   case-insensitively ("GZIP" is gzip, "Application/JSON" is application/json).
// - OWS (optional whitespace) around a value or list element is spaces and
//   horizontal tabs only; nothing else is stripped.
//
// Contract: pure inline functions over views the caller owns; thread-safe;
// no allocation (they sit on the per-request path).
#pragma once

#include <string_view>

namespace fdyno::http {

// ASCII lowercase; other bytes (including UTF-8) are left as they are.
inline char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// ASCII case-insensitive equality.
inline bool asciiIequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

// `s` without leading and trailing OWS (SP / HTAB).
inline std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace fdyno::http

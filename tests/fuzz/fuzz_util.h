// Helpers shared by the libFuzzer targets in tests/fuzz (docs/reliability.md,
// "Fuzzing and sanitizers").
//
// Contract:
// - require(...) and the require* checks print what was violated and abort():
//   libFuzzer then saves the input as crash-<sha1> and stops, exactly as for
//   a sanitizer report. A target states its invariants with them.
// - Multi-part inputs are lines: splitLines(data, n) cuts the first n-1
//   newlines and leaves the rest in the last part, so every part except the
//   last is one line (JSON parts are written on one line; a JSON string
//   cannot hold a raw newline anyway). Missing parts are empty.
// - Nothing here keeps state between inputs: a saved crash reproduces alone.
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/attribute_value.h"
#include "model/json_codec.h"
#include "model/number.h"

namespace fdyno::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\nfuzz invariant violated: %.*s\n  detail: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(std::min<size_t>(detail.size(), 2000)), detail.data());
  std::abort();
}

inline void require(bool cond, std::string_view what, std::string_view detail = {}) {
  if (!cond) fail(what, detail);
}

inline bool isUtf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

// Every text a client may receive (error messages, response bodies) is sent
// inside a JSON document, so it must be valid UTF-8.
inline void requireUtf8(std::string_view what, std::string_view s) { require(isUtf8(s), what, s); }

// `json` must parse as a JSON document (simdjson also validates UTF-8).
inline void requireJson(std::string_view what, std::string_view json) {
  simdjson::dom::parser p;
  simdjson::padded_string padded(json);
  auto doc = p.parse(padded);
  require(doc.error() == simdjson::SUCCESS, what, json);
}

inline std::vector<std::string_view> splitLines(const uint8_t* data, size_t size, size_t parts) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> out;
  while (out.size() + 1 < parts) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) break;
    out.push_back(rest.substr(0, nl));
    rest.remove_prefix(nl + 1);
  }
  out.push_back(rest);
  out.resize(parts);
  return out;
}

// One parsed JSON document kept alive with its parser (elements point into it).
class JsonDoc {
 public:
  // False (and no element) when `text` is not JSON.
  bool parse(std::string_view text) {
    padded_ = simdjson::padded_string(text);
    auto r = parser_.parse(padded_);
    if (r.error()) return false;
    root_ = r.value_unsafe();
    return true;
  }
  simdjson::dom::element root() const { return root_; }

 private:
  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
  simdjson::dom::element root_;
};

// A DynamoDB JSON item ({"a": {"S": "x"}, ...}) as the api layer would accept
// it, or nullopt for anything the api layer would refuse.
inline std::optional<model::Item> parseItemText(std::string_view text) {
  JsonDoc doc;
  if (!doc.parse(text) || !doc.root().is_object()) return std::nullopt;
  auto r = model::parseItem(doc.root());
  if (!r.ok()) return std::nullopt;
  return std::move(r).value();
}

inline std::string itemJson(const model::Item& item) {
  JsonWriter w;
  model::writeItem(w, item);
  return w.take();
}

// The AttributeValue invariants every stored value keeps (attribute_value.h):
// N and NS members normalized, sets non-empty and free of duplicates.
// Returns the first violation, or an empty string.
inline std::string valueInvariantViolation(const model::AttributeValue& v) {
  using model::AttrType;
  auto normalized = [](const std::string& n) {
    auto r = model::normalizeNumber(n);
    return r.ok() && *r == n;
  };
  switch (v.type) {
    case AttrType::kN:
      if (!normalized(v.scalar)) return "N not normalized: " + v.scalar;
      break;
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS: {
      if (v.set.empty()) return "empty set";
      for (size_t i = 0; i < v.set.size(); ++i) {
        if (v.type == AttrType::kNS && !normalized(v.set[i])) return "NS member not normalized: " + v.set[i];
        for (size_t j = 0; j < i; ++j) {
          bool dup = v.type == AttrType::kNS ? model::compareNumbers(v.set[i], v.set[j]) == 0
                                             : v.set[i] == v.set[j];
          if (dup) return "duplicate set member: " + v.set[i];
        }
      }
      break;
    }
    case AttrType::kM:
      for (const auto& [k, e] : v.map) {
        std::string why = valueInvariantViolation(e);
        if (!why.empty()) return k + "." + why;
      }
      break;
    case AttrType::kL:
      for (const auto& e : v.list) {
        std::string why = valueInvariantViolation(e);
        if (!why.empty()) return "[]" + why;
      }
      break;
    default:
      break;
  }
  return {};
}

inline std::string itemInvariantViolation(const model::Item& item) {
  for (const auto& [name, v] : item) {
    std::string why = valueInvariantViolation(v);
    if (!why.empty()) return name + ": " + why;
  }
  return {};
}

}  // namespace fdyno::fuzz

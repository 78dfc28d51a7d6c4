// JsonWriter: a small, allocation-light JSON text builder for responses.
//
// Contract:
// - Appends to an internal std::string; take() moves it out.
// - The caller is responsible for well-formed nesting (beginObject/endObject,
//   key before each object member). Commas are inserted automatically.
// - Strings are escaped per RFC 8259; non-ASCII UTF-8 passes through as is
//   (DynamoDB does the same), control characters become \u00XX, and bytes
//   that are not well-formed UTF-8 become U+FFFD, so the output is always
//   valid UTF-8 whatever a message quotes.
// - Not thread-safe; one writer per response.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fdyno {

class JsonWriter {
 public:
  JsonWriter() { out_.reserve(256); }

  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view v);
  JsonWriter& number(int64_t v);
  JsonWriter& number(uint64_t v);
  JsonWriter& number(int v) { return number(static_cast<int64_t>(v)); }
  // A number already in valid JSON number syntax (e.g. "1.5E3"), written verbatim.
  JsonWriter& rawNumber(std::string_view v);
  JsonWriter& number(double v);
  JsonWriter& boolean(bool v);
  JsonWriter& null();
  // Pre-serialized JSON value, inserted verbatim.
  JsonWriter& raw(std::string_view json);

  // Convenience: key + value.
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, const char* v) { return key(k).string(v); }
  JsonWriter& field(std::string_view k, int64_t v) { return key(k).number(v); }
  JsonWriter& field(std::string_view k, bool v) { return key(k).boolean(v); }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

  static void appendEscaped(std::string& out, std::string_view s);

 private:
  void beforeValue();
  std::string out_;
  // One entry per open container: true once it has a first element.
  std::vector<bool> has_elem_;
  bool after_key_ = false;
};

}  // namespace fdyno

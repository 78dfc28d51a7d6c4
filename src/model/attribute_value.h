// AttributeValue: DynamoDB's typed value, used everywhere below the wire.
//
// Contract:
// - A value type: copyable, movable, no shared state; thread-compatible.
// - Invariants (established by the JSON parser and the item decoder, assumed
//   by everything else):
//   * N and NS members hold numbers in DynamoDB's normalized text form
//     (see model/number.h): plain decimal notation such as "42", "-1.5",
//     "0.001" or "1" followed by 100 zeros; never "042", "-0", "1.50" or "1E2".
//   * B and BS members hold raw bytes (base64 already decoded).
//   * Sets are non-empty and hold no duplicates.
// - AttrType values are written to disk by the item codec: DO NOT CHANGE them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fdyno::model {

enum class AttrType : uint8_t {
  kS = 0,
  kN = 1,
  kB = 2,
  kSS = 3,
  kNS = 4,
  kBS = 5,
  kM = 6,
  kL = 7,
  kNull = 8,
  kBool = 9,
};

// The DynamoDB JSON tag of a type: "S", "N", ..., "NULL", "BOOL".
std::string_view attrTypeName(AttrType t);
// The inverse of attrTypeName ("S" -> kS); nullopt for anything else.
std::optional<AttrType> attrTypeFromName(std::string_view name);

struct AttributeValue;
// Map members ordered by name; std::less<> allows lookup by string_view.
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using AttributeList = std::vector<AttributeValue>;
// An item is a top-level map of attribute name to value.
using Item = AttributeMap;

struct AttributeValue {
  AttrType type = AttrType::kNull;
  // S: UTF-8 text. N: normalized number text. B: raw bytes.
  std::string scalar;
  // BOOL: the value. NULL: always true.
  bool boolean = true;
  // SS: texts, NS: normalized numbers, BS: raw bytes.
  std::vector<std::string> set;
  // M.
  AttributeMap map;
  // L.
  AttributeList list;

  static AttributeValue S(std::string v) { return scalarOf(AttrType::kS, std::move(v)); }
  // `v` must already be normalized.
  static AttributeValue N(std::string v) { return scalarOf(AttrType::kN, std::move(v)); }
  static AttributeValue B(std::string v) { return scalarOf(AttrType::kB, std::move(v)); }
  static AttributeValue Bool(bool v) {
    AttributeValue a;
    a.type = AttrType::kBool;
    a.boolean = v;
    return a;
  }
  static AttributeValue Null() { return AttributeValue(); }

  bool isScalar() const { return type == AttrType::kS || type == AttrType::kN || type == AttrType::kB; }
  bool isSet() const { return type == AttrType::kSS || type == AttrType::kNS || type == AttrType::kBS; }

  // Deep equality with DynamoDB semantics: numbers compare by value (they are
  // normalized, so text equality is value equality), sets compare as sets.
  bool operator==(const AttributeValue& o) const;
  bool operator!=(const AttributeValue& o) const { return !(*this == o); }

 private:
  static AttributeValue scalarOf(AttrType t, std::string v) {
    AttributeValue a;
    a.type = t;
    a.scalar = std::move(v);
    return a;
  }
};

}  // namespace fdyno::model

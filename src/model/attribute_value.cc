#include "model/attribute_value.h"

#include <algorithm>

namespace fdyno::model {

std::string_view attrTypeName(AttrType t) {
  switch (t) {
    case AttrType::kS: return "S";
    case AttrType::kN: return "N";
    case AttrType::kB: return "B";
    case AttrType::kSS: return "SS";
    case AttrType::kNS: return "NS";
    case AttrType::kBS: return "BS";
    case AttrType::kM: return "M";
    case AttrType::kL: return "L";
    case AttrType::kNull: return "NULL";
    case AttrType::kBool: return "BOOL";
  }
  return "?";
}

std::optional<AttrType> attrTypeFromName(std::string_view name) {
  static constexpr AttrType kAll[] = {AttrType::kS,  AttrType::kN,  AttrType::kB, AttrType::kSS,
                                      AttrType::kNS, AttrType::kBS, AttrType::kM, AttrType::kL,
                                      AttrType::kNull, AttrType::kBool};
  for (AttrType t : kAll) {
    if (attrTypeName(t) == name) return t;
  }
  return std::nullopt;
}

namespace {

// Sets compare as sets: same members in any order. Members are unique and N
// members normalized, so equal multisets of texts mean equal sets.
bool sameSet(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // the common case: same insertion order
  std::vector<std::string_view> x(a.begin(), a.end()), y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

}  // namespace

bool AttributeValue::operator==(const AttributeValue& o) const {
  if (type != o.type) return false;
  switch (type) {
    case AttrType::kS:
    case AttrType::kN:
    case AttrType::kB:
      return scalar == o.scalar;
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS:
      return sameSet(set, o.set);
    case AttrType::kM:
      return map == o.map;
    case AttrType::kL:
      return list == o.list;
    case AttrType::kNull:
      return true;
    case AttrType::kBool:
      return boolean == o.boolean;
  }
  return false;
}

}  // namespace fdyno::model

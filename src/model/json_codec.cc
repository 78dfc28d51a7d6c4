// The validation stage of DynamoDB JSON parsing and the JSON writer.
// Messages: dynalite's captured tests (test/deleteItem.js, test/putItem.js)
// and the conformance suite's captures; see json_codec_test.cc.
#include "model/json_codec.h"
#include "model/json_dom.h"

#include <bit>
#include <unordered_set>

#include "model/base64.h"
#include "model/decimal.h"
#include "model/number.h"

namespace fdyno::model {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kEmptyValue =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
constexpr std::string_view kManyTypes =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
constexpr std::string_view kInvalidPrefix = "One or more parameter values were invalid: ";

Status invalid(std::string_view m) { return Status::InvalidArgument(m); }
Status invalidParam(std::string_view m) {
  std::string s(kInvalidPrefix);
  s.append(m);
  return Status::InvalidArgument(s);
}

bool hasDuplicate(const std::vector<std::string>& v) {
  if (v.size() < 24) {
    for (size_t i = 1; i < v.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (v[i] == v[j]) return true;
    return false;
  }
  std::unordered_set<std::string_view> seen;
  seen.reserve(v.size());
  for (const auto& s : v)
    if (!seen.insert(s).second) return true;
  return false;
}

// "[a, b, a]": DynamoDB lists the whole collection as sent.
std::string joinMembers(const element& arr) {
  std::string s = "[";
  bool first = true;
  for (element m : arrayOf(arr)) {
    if (!first) s.append(", ");
    first = false;
    if (m.is_null()) {
      s.append("null");
    } else {
      s.append(m.get_string().value_unsafe());
    }
  }
  s.push_back(']');
  return s;
}

class Parser {
 public:
  explicit Parser(const ParseOptions& opts) : opts_(opts) {}

  // `depth`: 1 for an item's attribute.
  Status value(const element& v, int depth, AttributeValue& out) {
    if (v.is_null()) return invalid(kEmptyValue);
    if (opts_.check_depth && depth > kMaxNestingDepth) return invalid(kNestingTooDeep);
    unsigned seen = 0;
    for (auto field : objectOf(v)) {
      std::optional<AttrType> t = attrTypeFromName(field.key);
      if (!t || field.value.is_null()) continue;
      seen |= 1u << static_cast<unsigned>(*t);
      out.type = *t;
      FDYNO_RETURN_IF_ERROR(member(*t, field.value, depth, out));
    }
    if (seen == 0) return invalid(kEmptyValue);
    if (std::popcount(seen) > 1) return invalid(kManyTypes);
    return Status::OK();
  }

 private:
  Status member(AttrType t, const element& e, int depth, AttributeValue& out) {
    switch (t) {
      case AttrType::kS:
        out.scalar.assign(e.get_string().value_unsafe());
        return Status::OK();
      case AttrType::kN: {
        FDYNO_ASSIGN_OR_RETURN(out.scalar, normalizeNumber(e.get_string().value_unsafe()));
        return Status::OK();
      }
      case AttrType::kB: {
        FDYNO_ASSIGN_OR_RETURN(out.scalar, base64Decode(e.get_string().value_unsafe()));
        return Status::OK();
      }
      case AttrType::kBool:
        out.boolean = *coerceBoolean(e);
        return Status::OK();
      case AttrType::kNull:
        if (!*coerceBoolean(e)) return invalidParam("Null attribute value types must have the value of true");
        out.boolean = true;
        return Status::OK();
      case AttrType::kSS:
      case AttrType::kNS:
      case AttrType::kBS:
        return set(t, e, out);
      case AttrType::kL: {
        auto arr = arrayOf(e);
        out.list.clear();
        out.list.reserve(arr.size());
        for (element m : arr) {
          out.list.emplace_back();
          FDYNO_RETURN_IF_ERROR(value(m, depth + 1, out.list.back()));
        }
        return Status::OK();
      }
      case AttrType::kM: {
        out.map.clear();
        for (auto m : objectOf(e)) {
          FDYNO_RETURN_IF_ERROR(checkAttributeNameSize(m.key));
          AttributeValue child;
          FDYNO_RETURN_IF_ERROR(value(m.value, depth + 1, child));
          out.map.insert_or_assign(std::string(m.key), std::move(child));  // JSON duplicate: last wins
        }
        return Status::OK();
      }
    }
    return Status::Internal("unreachable");
  }

  Status set(AttrType t, const element& e, AttributeValue& out) {
    auto arr = arrayOf(e);
    if (arr.size() == 0) {
      // DynamoDB's texts, including "An string set  may not be empty" with two spaces.
      if (t == AttrType::kSS) return invalidParam("An string set  may not be empty");
      if (t == AttrType::kNS) return invalidParam("An number set  may not be empty");
      return invalidParam("Binary sets should not be empty");
    }
    out.set.clear();
    out.set.reserve(arr.size());
    for (element m : arr) {
      if (m.is_null()) {
        // Not observed on DynamoDB; a null member reads like a missing number
        // (dynalite's checkNum) or, for SS/BS, is refused as not a value.
        if (t == AttrType::kNS) return invalid(kNumberNotNumeric);
        return invalid(kEmptyValue);
      }
      std::string_view s = m.get_string().value_unsafe();
      if (t == AttrType::kNS) {
        FDYNO_ASSIGN_OR_RETURN(std::string n, normalizeNumber(s));
        out.set.push_back(std::move(n));
      } else if (t == AttrType::kBS) {
        FDYNO_ASSIGN_OR_RETURN(std::string b, base64Decode(s));
        out.set.push_back(std::move(b));
      } else {
        out.set.emplace_back(s);
      }
    }
    if (hasDuplicate(out.set)) {
      // Numbers compare by value ("1" and "1.0" are duplicates); DynamoDB's
      // NS text has neither the prefix nor the list nor the period.
      if (t == AttrType::kNS) return invalid("Input collection contains duplicates");
      if (t == AttrType::kSS) return invalidParam("Input collection " + joinMembers(e) + " contains duplicates.");
      return invalidParam("Input collection " + joinMembers(e) + "of type BS contains duplicates.");
    }
    return Status::OK();
  }

  const ParseOptions& opts_;
};

}  // namespace

Status checkAttributeNameSize(std::string_view name) {
  if (name.size() > kMaxAttributeNameBytes) return invalid(kAttributeNameTooLarge);
  return Status::OK();
}

Status checkAttributeName(std::string_view name) {
  FDYNO_RETURN_IF_ERROR(checkAttributeNameSize(name));
  if (name.empty()) return invalid(kEmptyAttributeName);
  return Status::OK();
}

Result<AttributeValue> parseAttributeValue(simdjson::dom::element v, const ParseOptions& opts) {
  FDYNO_RETURN_IF_ERROR(checkAttributeValueShape(v));
  AttributeValue out;
  Parser p(opts);
  FDYNO_RETURN_IF_ERROR(p.value(v, 1, out));
  return out;
}

Result<AttributeValue> parseAttributeValue(simdjson::dom::element v) {
  return parseAttributeValue(v, ParseOptions{});
}

Result<Item> parseItem(simdjson::dom::element v, const ParseOptions& opts) {
  FDYNO_RETURN_IF_ERROR(checkItemShape(v));
  // Every name's size before anything else: DynamoDB reports it from the
  // layer that wraps messages in "1 validation error detected: ".
  for (auto m : objectOf(v)) FDYNO_RETURN_IF_ERROR(checkAttributeNameSize(m.key));
  Item item;
  Parser p(opts);
  for (auto m : objectOf(v)) {
    if (m.key.empty()) return invalid(kEmptyAttributeName);
    AttributeValue child;
    FDYNO_RETURN_IF_ERROR(p.value(m.value, 1, child));
    item.insert_or_assign(std::string(m.key), std::move(child));
  }
  return item;
}

Result<Item> parseItem(simdjson::dom::element v) { return parseItem(v, ParseOptions{}); }

namespace {

void writeBase64(JsonWriter& w, std::string_view bytes) {
  std::string s;
  s.reserve(base64EncodedSize(bytes.size()) + 2);
  s.push_back('"');
  base64EncodeTo(s, bytes);  // the alphabet needs no JSON escaping
  s.push_back('"');
  w.raw(s);
}

}  // namespace

void writeAttributeValue(JsonWriter& w, const AttributeValue& v) {
  w.beginObject();
  w.key(attrTypeName(v.type));
  switch (v.type) {
    case AttrType::kS:
    case AttrType::kN:  // numbers travel as JSON strings
      w.string(v.scalar);
      break;
    case AttrType::kB:
      writeBase64(w, v.scalar);
      break;
    case AttrType::kSS:
    case AttrType::kNS:
      w.beginArray();
      for (const auto& s : v.set) w.string(s);
      w.endArray();
      break;
    case AttrType::kBS:
      w.beginArray();
      for (const auto& s : v.set) writeBase64(w, s);
      w.endArray();
      break;
    case AttrType::kM:
      writeItem(w, v.map);
      break;
    case AttrType::kL:
      w.beginArray();
      for (const auto& e : v.list) writeAttributeValue(w, e);
      w.endArray();
      break;
    case AttrType::kNull:
      w.boolean(true);
      break;
    case AttrType::kBool:
      w.boolean(v.boolean);
      break;
  }
  w.endObject();
}

void writeItem(JsonWriter& w, const Item& item) {
  w.beginObject();
  for (const auto& [name, value] : item) {
    w.key(name);
    writeAttributeValue(w, value);
  }
  w.endObject();
}

}  // namespace fdyno::model

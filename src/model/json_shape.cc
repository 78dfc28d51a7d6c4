// The serialization stage of DynamoDB JSON parsing: is every member of the
// JSON type the protocol declares? Messages are Coral's (the Java framework
// behind DynamoDB), as captured in dynalite's test/helpers.js assertType.
#include <simdjson.h>

#include "model/base64.h"
#include "model/json_codec.h"
#include "model/json_dom.h"

namespace fdyno::model {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kStartOfStructure = "Start of structure or map found where not expected";
constexpr std::string_view kUnexpectedField = "Unexpected field type";

Status ser(std::string_view m) { return Status::Serialization(m); }

// "NUMBER_VALUE" for JSON integers, "DECIMAL_VALUE" for the rest (Jackson's
// VALUE_NUMBER_INT / VALUE_NUMBER_FLOAT tokens).
std::string_view numberToken(const element& e) {
  return e.type() == element_type::DOUBLE ? "DECIMAL_VALUE" : "NUMBER_VALUE";
}

Status checkString(const element& e) {
  switch (e.type()) {
    case element_type::STRING:
    case element_type::NULL_VALUE:
      return Status::OK();
    case element_type::BOOL:
      return ser(e.get_bool().value_unsafe() ? "TRUE_VALUE cannot be converted to String"
                                             : "FALSE_VALUE cannot be converted to String");
    case element_type::ARRAY:
      return ser("Unrecognized collection type class java.lang.String");
    case element_type::OBJECT:
      return ser(kStartOfStructure);
    default:
      return ser(std::string(numberToken(e)) + " cannot be converted to String");
  }
}

Status checkBlob(const element& e) {
  switch (e.type()) {
    case element_type::STRING:
      return base64Validate(e.get_string().value_unsafe());
    case element_type::NULL_VALUE:
      return Status::OK();
    case element_type::ARRAY:
      return ser("Unrecognized collection type class java.nio.ByteBuffer");
    case element_type::OBJECT:
      return ser(kStartOfStructure);
    default:  // bool, numbers
      return ser("only base-64-encoded strings are convertible to bytes");
  }
}

Status checkBoolean(const element& e) {
  switch (e.type()) {
    case element_type::BOOL:
    case element_type::NULL_VALUE:
      return Status::OK();
    case element_type::STRING:
      if (!coerceBoolean(e).has_value()) return ser("Unexpected token received from parser");
      return Status::OK();
    case element_type::ARRAY:
      return ser("Unrecognized collection type class java.lang.Boolean");
    case element_type::OBJECT:
      return ser(kStartOfStructure);
    default:
      return ser(std::string(numberToken(e)) + " cannot be converted to Boolean");
  }
}

// SS, NS, BS, L: must be arrays.
Status checkListContainer(const element& e) {
  if (e.type() == element_type::OBJECT) return ser(kStartOfStructure);
  if (e.type() != element_type::ARRAY) return ser(kUnexpectedField);
  return Status::OK();
}

Status checkMapContainer(const element& e) {
  if (e.type() == element_type::ARRAY) {
    return ser(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  }
  if (e.type() != element_type::OBJECT) return ser(kUnexpectedField);
  return Status::OK();
}

Status checkValue(const element& v) {
  switch (v.type()) {
    case element_type::OBJECT:
      break;
    case element_type::NULL_VALUE:
      return Status::OK();  // an absent value; validation reports it
    case element_type::ARRAY:
      return ser("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    default:
      return ser("Unexpected value type in payload");
  }
  for (auto field : objectOf(v)) {
    std::optional<AttrType> t = attrTypeFromName(field.key);
    if (!t) continue;  // unknown members are ignored by Coral
    const element& e = field.value;
    if (e.is_null()) continue;
    switch (*t) {
      case AttrType::kS:
      case AttrType::kN:
        FDYNO_RETURN_IF_ERROR(checkString(e));
        break;
      case AttrType::kB:
        FDYNO_RETURN_IF_ERROR(checkBlob(e));
        break;
      case AttrType::kBool:
      case AttrType::kNull:
        FDYNO_RETURN_IF_ERROR(checkBoolean(e));
        break;
      case AttrType::kSS:
      case AttrType::kNS:
        FDYNO_RETURN_IF_ERROR(checkListContainer(e));
        for (element m : arrayOf(e)) FDYNO_RETURN_IF_ERROR(checkString(m));
        break;
      case AttrType::kBS:
        FDYNO_RETURN_IF_ERROR(checkListContainer(e));
        for (element m : arrayOf(e)) FDYNO_RETURN_IF_ERROR(checkBlob(m));
        break;
      case AttrType::kL:
        FDYNO_RETURN_IF_ERROR(checkListContainer(e));
        for (element m : arrayOf(e)) FDYNO_RETURN_IF_ERROR(checkValue(m));
        break;
      case AttrType::kM:
        FDYNO_RETURN_IF_ERROR(checkMapContainer(e));
        for (auto m : objectOf(e)) FDYNO_RETURN_IF_ERROR(checkValue(m.value));
        break;
    }
  }
  return Status::OK();
}

}  // namespace

std::optional<bool> coerceBoolean(simdjson::dom::element e) {
  if (e.type() == element_type::BOOL) return e.get_bool().value_unsafe();
  if (e.type() != element_type::STRING) return std::nullopt;
  // Coral converts these strings (any case) to booleans; dynalite's captured
  // tests: "true"/"false"/"1"/"0"/"yes"/"no" work, "23" does not.
  std::string_view s = e.get_string().value_unsafe();
  std::string u;
  for (char c : s) u.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  if (u == "TRUE" || u == "1" || u == "YES") return true;
  if (u == "FALSE" || u == "0" || u == "NO") return false;
  return std::nullopt;
}

Status checkAttributeValueShape(simdjson::dom::element v) { return checkValue(v); }

Status checkItemShape(simdjson::dom::element v) {
  FDYNO_RETURN_IF_ERROR(checkMapContainer(v));
  for (auto m : objectOf(v)) FDYNO_RETURN_IF_ERROR(checkValue(m.value));
  return Status::OK();
}

}  // namespace fdyno::model

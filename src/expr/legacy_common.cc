// Shared pieces of the legacy-parameter conversion: the ComparisonOperator
// table and operand rules, Coral's shape texts, phase-2 constraints, and the
// placeholder writer.
//
// Operand rules (dynalite's validateConditions, recorded against DynamoDB,
// corrected by ScyllaDB's test_query_filter.py, also verified against
// DynamoDB, which shows EQ/NE accepting L, M and BOOL values):
//   count: NULL/NOT_NULL 0; EQ..BEGINS_WITH 1; IN >= 1; BETWEEN 2
//   types: EQ, NE any; LT LE GT GE IN BETWEEN S/N/B; BEGINS_WITH S/B;
//          CONTAINS, NOT_CONTAINS anything but sets, L and M (dynalite's
//          recording rejects SS NS BS M L and leaves BOOL/NULL untested).
#include <algorithm>

#include "expr/legacy_internal.h"
#include "expr/value_ops.h"
#include "model/json_codec.h"
#include "model/json_dom.h"

namespace fdyno::expr::legacy {
namespace {

using model::AttrType;
using model::AttributeValue;
using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kOpNames[] = {"EQ",       "NE",   "LE",           "LT",          "GE",
                                         "GT",       "NOT_NULL", "NULL",     "CONTAINS",    "NOT_CONTAINS",
                                         "BEGINS_WITH", "IN", "BETWEEN"};
constexpr std::string_view kStartOfStructure = "Start of structure or map found where not expected";

Status ser(std::string_view m) { return Status::Serialization(m); }

std::string_view numberToken(const element& e) {
  return e.type() == element_type::DOUBLE ? "DECIMAL_VALUE" : "NUMBER_VALUE";
}

bool typeAllowed(Op op, AttrType t) {
  bool scalar = t == AttrType::kS || t == AttrType::kN || t == AttrType::kB;
  switch (op) {
    case Op::kEq:
    case Op::kNe:
      return true;
    case Op::kBeginsWith:
      return t == AttrType::kS || t == AttrType::kB;
    case Op::kContains:
    case Op::kNotContains:
      return !(t == AttrType::kSS || t == AttrType::kNS || t == AttrType::kBS || t == AttrType::kM ||
               t == AttrType::kL);
    default:
      return scalar;
  }
}

bool countOk(Op op, size_t n) {
  switch (op) {
    case Op::kNull:
    case Op::kNotNull: return n == 0;
    case Op::kIn: return n >= 1;
    case Op::kBetween: return n == 2;
    default: return n == 1;
  }
}

// "expected" from "Expected": Coral's member paths are lowerCamelCase.
std::string lowerCamel(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

void conditionMapViolations(std::string_view param, const element& map, bool op_required,
                            std::vector<LegacyConstraintViolation>& out) {
  if (map.type() != element_type::OBJECT) return;
  std::string base = lowerCamel(param);
  for (auto field : model::objectOf(map)) {
    std::string path = base + "." + std::string(field.key) + ".member.comparisonOperator";
    if (field.value.type() != element_type::OBJECT) {
      if (op_required && field.value.is_null()) out.push_back({std::nullopt, path, "Member must not be null"});
      continue;
    }
    auto op = stringMember(field.value, "ComparisonOperator");
    if (!op) {
      if (op_required) out.push_back({std::nullopt, path, "Member must not be null"});
    } else if (!opFromName(*op)) {
      out.push_back({std::string(*op), path,
                     "Member must satisfy enum value set: " + std::string(kComparisonOperatorEnum)});
    }
  }
}

}  // namespace

std::optional<Op> opFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kOpNames); ++i)
    if (kOpNames[i] == name) return static_cast<Op>(i);
  return std::nullopt;
}

std::string_view opName(Op op) { return kOpNames[static_cast<size_t>(op)]; }

Status invalidParam(std::string_view msg) {
  std::string s(kInvalidPrefix);
  s.append(msg);
  return Status::InvalidArgument(s);
}

// ---- shape ----

Status checkStructMap(const element& map, std::string_view struct_name) {
  if (map.type() == element_type::ARRAY) {
    return ser("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810." +
               std::string(struct_name) + ">");
  }
  if (map.type() != element_type::OBJECT) return ser("Unexpected field type");
  for (auto field : model::objectOf(map)) {
    switch (field.value.type()) {
      case element_type::OBJECT:
      case element_type::NULL_VALUE:
        break;
      case element_type::ARRAY:
        return ser("Unrecognized collection type class com.amazonaws.dynamodb.v20120810." + std::string(struct_name));
      default:
        return ser("Unexpected value type in payload");
    }
  }
  return Status::OK();
}

Status checkStringMember(const element& e) {
  switch (e.type()) {
    case element_type::STRING:
    case element_type::NULL_VALUE: return Status::OK();
    case element_type::BOOL:
      return ser(e.get_bool().value_unsafe() ? "TRUE_VALUE cannot be converted to String"
                                             : "FALSE_VALUE cannot be converted to String");
    case element_type::ARRAY: return ser("Unrecognized collection type class java.lang.String");
    case element_type::OBJECT: return ser(kStartOfStructure);
    default: return ser(std::string(numberToken(e)) + " cannot be converted to String");
  }
}

Status checkBooleanMember(const element& e) {
  switch (e.type()) {
    case element_type::BOOL:
    case element_type::NULL_VALUE: return Status::OK();
    case element_type::STRING:
      return model::coerceBoolean(e) ? Status::OK() : ser("Unexpected token received from parser");
    case element_type::ARRAY: return ser("Unrecognized collection type class java.lang.Boolean");
    case element_type::OBJECT: return ser(kStartOfStructure);
    default: return ser(std::string(numberToken(e)) + " cannot be converted to Boolean");
  }
}

Status checkValueListMember(const element& e) {
  if (e.is_null()) return Status::OK();
  if (e.type() == element_type::OBJECT) return ser(kStartOfStructure);
  if (e.type() != element_type::ARRAY) return ser("Unexpected field type");
  for (element v : model::arrayOf(e)) FDYNO_RETURN_IF_ERROR(model::checkAttributeValueShape(v));
  return Status::OK();
}

std::optional<element> member(const element& obj, std::string_view key) {
  if (obj.type() != element_type::OBJECT) return std::nullopt;
  element v;
  if (obj.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) return std::nullopt;
  return v;
}

std::optional<std::string_view> stringMember(const element& obj, std::string_view key) {
  auto v = member(obj, key);
  std::string_view s;
  if (!v || v->get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

// ---- constraints ----

Status constraintStatus(const std::vector<LegacyConstraintViolation>& v) {
  if (v.empty()) return Status::OK();
  std::string m = std::to_string(v.size());
  m += v.size() == 1 ? " validation error detected: " : " validation errors detected: ";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) m += "; ";
    m += v[i].value ? "Value '" + *v[i].value + "'" : std::string("Value null");
    m += " at '" + v[i].path + "' failed to satisfy constraint: " + v[i].constraint;
  }
  return Status::InvalidArgument(m);
}

Status checkConstraints(std::string_view param_name, const element& value) {
  return constraintStatus(legacyConstraintViolations(param_name, value));
}

Status checkMapNames(const element& map) {
  for (auto field : model::objectOf(map)) FDYNO_RETURN_IF_ERROR(model::checkAttributeNameSize(field.key));
  for (auto field : model::objectOf(map)) {
    if (field.key.empty()) return Status::InvalidArgument(model::kEmptyAttributeName);
  }
  return Status::OK();
}

Status checkConditionalOperator(std::string_view conditional_operator, size_t entries) {
  if (conditional_operator.empty()) return Status::OK();
  if (conditional_operator != "AND" && conditional_operator != "OR") {
    return constraintStatus({{std::string(conditional_operator), "conditionalOperator",
                              "Member must satisfy enum value set: [OR, AND]"}});
  }
  if (entries == 0) return Status::InvalidArgument(kConditionalOperatorWithoutFilter);
  if (entries == 1) return Status::InvalidArgument(kConditionalOperatorSingleElement);
  return Status::OK();
}

// ---- operands ----

Status checkOperands(Op op, const std::vector<AttributeValue>& args) {
  if (!countOk(op, args.size())) {
    return invalidParam("Invalid number of argument(s) for the " + std::string(opName(op)) + " ComparisonOperator");
  }
  for (const auto& a : args) {
    if (a.type != args[0].type) return invalidParam("AttributeValues inside AttributeValueList must be of same type");
  }
  for (const auto& a : args) {
    if (!typeAllowed(op, a.type)) {
      return invalidParam("ComparisonOperator " + std::string(opName(op)) + " is not valid for " +
                          std::string(model::attrTypeName(a.type)) + " AttributeValue type");
    }
  }
  if (op == Op::kBetween && compareScalars(args[0], args[1]) > 0) {
    return Status::InvalidArgument(
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
  }
  return Status::OK();
}

Status parseValueList(const element& list, std::vector<AttributeValue>& out) {
  for (element v : model::arrayOf(list)) {
    FDYNO_ASSIGN_OR_RETURN(AttributeValue av, model::parseAttributeValue(v));
    out.push_back(std::move(av));
  }
  return Status::OK();
}

// ---- placeholders ----

std::string Placeholders::next(char sigil, uint32_t& counter) {
  std::string s;
  s.reserve(8);
  s.push_back(sigil);
  s.push_back('_');
  s.push_back(tag_);
  s += std::to_string(counter++);
  return s;
}

std::string Placeholders::name(std::string_view attribute) {
  std::string ref = next('#', names_);
  out_.names.emplace(ref, std::string(attribute));
  return ref;
}

std::string Placeholders::value(AttributeValue v) {
  std::string ref = next(':', values_);
  out_.values.emplace(ref, std::move(v));
  return ref;
}

}  // namespace fdyno::expr::legacy

namespace fdyno::expr {

std::vector<LegacyConstraintViolation> legacyConstraintViolations(std::string_view param_name,
                                                                  simdjson::dom::element value) {
  using simdjson::dom::element_type;
  std::vector<LegacyConstraintViolation> out;
  if (param_name == "ConditionalOperator") {
    std::string_view s;
    if (value.get_string().get(s) == simdjson::SUCCESS && s != "AND" && s != "OR") {
      out.push_back({std::string(s), "conditionalOperator", "Member must satisfy enum value set: [OR, AND]"});
    }
  } else if (param_name == "Expected") {
    legacy::conditionMapViolations(param_name, value, false, out);
  } else if (param_name == "QueryFilter" || param_name == "ScanFilter" || param_name == "KeyConditions") {
    legacy::conditionMapViolations(param_name, value, true, out);
  } else if (param_name == "AttributeUpdates") {
    if (value.type() != element_type::OBJECT) return out;
    for (auto field : model::objectOf(value)) {
      auto action = legacy::stringMember(field.value, "Action");
      if (action && *action != "ADD" && *action != "PUT" && *action != "DELETE") {
        out.push_back({std::string(*action), "attributeUpdates." + std::string(field.key) + ".member.action",
                       "Member must satisfy enum value set: [ADD, PUT, DELETE]"});
      }
    }
  } else if (param_name == "AttributesToGet") {
    if (value.type() != element_type::ARRAY) return out;
    auto arr = model::arrayOf(value);
    size_t n = arr.size();
    if (n == 0 || n > 255) {
      std::string printed = "[";
      bool first = true;
      for (auto m : arr) {
        if (!first) printed += ", ";
        first = false;
        std::string_view s;
        printed += m.get_string().get(s) == simdjson::SUCCESS ? s : std::string_view("null");
      }
      printed += "]";
      out.push_back({printed, "attributesToGet",
                     n == 0 ? "Member must have length greater than or equal to 1"
                            : "Member must have length less than or equal to 255"});
    }
  }
  return out;
}

}  // namespace fdyno::expr

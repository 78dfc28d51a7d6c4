// Expected, QueryFilter/ScanFilter and KeyConditions -> condition expressions.
//
// Truth tables (ScyllaDB's test_expected.py / test_query_filter.py, run
// against DynamoDB) and the expression that reproduces each:
//   EQ x            missing -> false, other type -> false     #a = :v
//   NE x            missing -> TRUE, other type -> true       #a <> :v   (expression <> agrees)
//   LT LE GT GE     missing/other type -> false               #a < :v ...
//   NULL / NOT_NULL attribute absent / present (not the NULL type)
//                                                             attribute_not_exists / attribute_exists
//   CONTAINS x      substring of S/B, member of a set, element of a list
//                                                             contains(#a, :v)
//   NOT_CONTAINS x  missing -> FALSE (unlike NE), other type -> true
//                                                             attribute_exists(#a) AND NOT contains(#a, :v)
//   BEGINS_WITH x   prefix of S/B, other type -> false        begins_with(#a, :v)
//   IN x..          equal to one of the scalars (a set attribute never matches)
//                                                             #a IN (:v0, ...), chunked by the 100-operand limit
//   BETWEEN lo hi   lo <= a <= hi, same type only             #a BETWEEN :lo AND :hi
//   {Value: x}      EQ x;  {Exists: false}  attribute_not_exists(#a)
// Conditions join with AND (default) or OR; NOT_CONTAINS and IN chunks are
// parenthesized so either join keeps them whole.
#include "expr/legacy_internal.h"
#include "model/json_codec.h"
#include "model/json_dom.h"

namespace fdyno::expr {
namespace {

using legacy::Op;
using model::AttributeValue;
using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr size_t kInChunk = 100;  // parser.h kMaxInOperands

size_t memberCount(const element& map) { return model::objectOf(map).size(); }

// Shape of a Condition map (QueryFilter/ScanFilter/KeyConditions).
Status checkConditionShape(const element& map) {
  FDYNO_RETURN_IF_ERROR(legacy::checkStructMap(map, "Condition"));
  for (auto field : model::objectOf(map)) {
    if (auto e = legacy::member(field.value, "ComparisonOperator")) FDYNO_RETURN_IF_ERROR(legacy::checkStringMember(*e));
    if (auto e = legacy::member(field.value, "AttributeValueList")) FDYNO_RETURN_IF_ERROR(legacy::checkValueListMember(*e));
  }
  return Status::OK();
}

Status checkExpectedShape(const element& map) {
  FDYNO_RETURN_IF_ERROR(legacy::checkStructMap(map, "ExpectedAttributeValue"));
  for (auto field : model::objectOf(map)) {
    if (auto e = legacy::member(field.value, "Value")) FDYNO_RETURN_IF_ERROR(model::checkAttributeValueShape(*e));
    if (auto e = legacy::member(field.value, "Exists")) FDYNO_RETURN_IF_ERROR(legacy::checkBooleanMember(*e));
    if (auto e = legacy::member(field.value, "ComparisonOperator")) FDYNO_RETURN_IF_ERROR(legacy::checkStringMember(*e));
    if (auto e = legacy::member(field.value, "AttributeValueList")) FDYNO_RETURN_IF_ERROR(legacy::checkValueListMember(*e));
  }
  return Status::OK();
}

struct ParsedCondition {
  std::string_view attribute;
  Op op = Op::kEq;
  std::vector<AttributeValue> args;
};

// Per entry: its values, then the operand rules (dynalite's validateConditions order).
Status parseConditions(const element& map, std::vector<ParsedCondition>& out) {
  for (auto field : model::objectOf(map)) {
    ParsedCondition c;
    c.attribute = field.key;
    if (auto list = legacy::member(field.value, "AttributeValueList"))
      FDYNO_RETURN_IF_ERROR(legacy::parseValueList(*list, c.args));
    // Presence and enum membership were checked by the constraint guard.
    c.op = *legacy::opFromName(*legacy::stringMember(field.value, "ComparisonOperator"));
    FDYNO_RETURN_IF_ERROR(legacy::checkOperands(c.op, c.args));
    out.push_back(std::move(c));
  }
  return Status::OK();
}

// One Expected entry, validated in dynalite's validateAttributeConditions
// order (recorded against DynamoDB, putItem.js/deleteItem.js).
Status parseExpectedEntry(std::string_view attr, const element& cond, AttributeValue* value,
                          std::vector<AttributeValue>* list, ParsedCondition& out) {
  auto op_name = legacy::stringMember(cond, "ComparisonOperator");
  auto exists_el = legacy::member(cond, "Exists");
  std::optional<bool> exists = exists_el ? model::coerceBoolean(*exists_el) : std::nullopt;
  std::string for_attr = " for Attribute: " + std::string(attr);
  out.attribute = attr;
  if (list && value) return legacy::invalidParam("Value and AttributeValueList cannot be used together" + for_attr);
  if (op_name) {
    Op op = *legacy::opFromName(*op_name);
    if (exists) return legacy::invalidParam("Exists and ComparisonOperator cannot be used together" + for_attr);
    if (op != Op::kNull && op != Op::kNotNull && !list && !value) {
      return legacy::invalidParam("Value or AttributeValueList must be used with ComparisonOperator: " +
                                  std::string(*op_name) + for_attr);
    }
    out.op = op;
    if (list) out.args = std::move(*list);
    if (value) out.args.push_back(std::move(*value));
    return legacy::checkOperands(op, out.args);
  }
  if (list) return legacy::invalidParam("AttributeValueList can only be used with a ComparisonOperator" + for_attr);
  bool must_exist = !exists || *exists;
  if (must_exist && !value) {
    return legacy::invalidParam(std::string("Value must be provided when Exists is ") +
                                (!exists ? "null" : "true") + for_attr);
  }
  if (!must_exist && value) return legacy::invalidParam("Value cannot be used when Exists is false" + for_attr);
  if (value) {
    out.op = Op::kEq;
    out.args.push_back(std::move(*value));
  } else {
    out.op = Op::kNull;
  }
  return Status::OK();
}

std::string join(std::vector<ParsedCondition> conds, std::string_view conditional_operator, char tag,
                 LegacyConversion& out) {
  legacy::Placeholders ph(tag, out);
  std::string_view sep = conditional_operator == "OR" ? " OR " : " AND ";
  std::string text;
  for (size_t i = 0; i < conds.size(); ++i) {
    if (i) text += sep;
    legacy::appendCondition(text, ph, conds[i].attribute, conds[i].op, std::move(conds[i].args));
  }
  return text;
}

}  // namespace

namespace legacy {

void appendCondition(std::string& text, Placeholders& ph, std::string_view attribute, Op op,
                     std::vector<AttributeValue> args) {
  std::string n = ph.name(attribute);
  auto binary = [&](std::string_view sym) {
    text += n;
    text += sym;
    text += ph.value(std::move(args[0]));
  };
  auto function = [&](std::string_view fn) {
    text += fn;
    text += '(';
    text += n;
    text += ", ";
    text += ph.value(std::move(args[0]));
    text += ')';
  };
  switch (op) {
    case Op::kEq: return binary(" = ");
    case Op::kNe: return binary(" <> ");
    case Op::kLe: return binary(" <= ");
    case Op::kLt: return binary(" < ");
    case Op::kGe: return binary(" >= ");
    case Op::kGt: return binary(" > ");
    case Op::kNotNull: text += "attribute_exists(" + n + ")"; return;
    case Op::kNull: text += "attribute_not_exists(" + n + ")"; return;
    case Op::kContains: return function("contains");
    case Op::kBeginsWith: return function("begins_with");
    case Op::kNotContains:
      // Legacy NOT_CONTAINS is false on a missing attribute (ScyllaDB's
      // test_update_expected_1_not_contains), NOT contains() alone is true.
      text += "(attribute_exists(" + n + ") AND NOT ";
      function("contains");
      text += ')';
      return;
    case Op::kBetween:
      text += n + " BETWEEN ";
      text += ph.value(std::move(args[0]));
      text += " AND ";
      text += ph.value(std::move(args[1]));
      return;
    case Op::kIn: {
      // Legacy IN has no operand limit; the expression grammar allows 100.
      bool chunked = args.size() > kInChunk;
      if (chunked) text += '(';
      for (size_t i = 0; i < args.size(); ++i) {
        if (i % kInChunk == 0) {
          if (i) text += ") OR ";
          text += n + " IN (";
        } else {
          text += ", ";
        }
        text += ph.value(std::move(args[i]));
      }
      text += ')';
      if (chunked) text += ')';
      return;
    }
  }
}

}  // namespace legacy

Result<LegacyConversion> convertExpected(simdjson::dom::element expected, std::string_view conditional_operator) {
  FDYNO_RETURN_IF_ERROR(checkExpectedShape(expected));
  FDYNO_RETURN_IF_ERROR(legacy::checkConstraints("Expected", expected));
  FDYNO_RETURN_IF_ERROR(legacy::checkMapNames(expected));
  FDYNO_RETURN_IF_ERROR(legacy::checkConditionalOperator(conditional_operator, memberCount(expected)));
  // Every AttributeValue first (DynamoDB validates them while reading the
  // request), then each entry's rules in member order.
  struct Values {
    std::optional<AttributeValue> value;
    std::optional<std::vector<AttributeValue>> list;
  };
  std::vector<Values> values;
  for (auto field : model::objectOf(expected)) {
    Values v;
    if (auto e = legacy::member(field.value, "Value")) {
      FDYNO_ASSIGN_OR_RETURN(v.value, model::parseAttributeValue(*e));
    }
    if (auto e = legacy::member(field.value, "AttributeValueList")) {
      v.list.emplace();
      FDYNO_RETURN_IF_ERROR(legacy::parseValueList(*e, *v.list));
    }
    values.push_back(std::move(v));
  }
  std::vector<ParsedCondition> conds;
  size_t i = 0;
  for (auto field : model::objectOf(expected)) {
    Values& v = values[i++];
    ParsedCondition c;
    FDYNO_RETURN_IF_ERROR(parseExpectedEntry(field.key, field.value, v.value ? &*v.value : nullptr,
                                             v.list ? &*v.list : nullptr, c));
    conds.push_back(std::move(c));
  }
  LegacyConversion out;
  out.expression = join(std::move(conds), conditional_operator, 'e', out);
  return out;
}

Result<LegacyConversion> convertFilter(simdjson::dom::element filter, std::string_view conditional_operator,
                                       std::string_view param_name) {
  FDYNO_RETURN_IF_ERROR(checkConditionShape(filter));
  FDYNO_RETURN_IF_ERROR(legacy::checkConstraints(param_name, filter));
  FDYNO_RETURN_IF_ERROR(legacy::checkMapNames(filter));
  FDYNO_RETURN_IF_ERROR(legacy::checkConditionalOperator(conditional_operator, memberCount(filter)));
  std::vector<ParsedCondition> conds;
  FDYNO_RETURN_IF_ERROR(parseConditions(filter, conds));
  LegacyConversion out;
  out.expression = join(std::move(conds), conditional_operator, 'f', out);
  return out;
}

Result<LegacyConversion> convertKeyConditions(simdjson::dom::element key_conditions) {
  FDYNO_RETURN_IF_ERROR(checkConditionShape(key_conditions));
  FDYNO_RETURN_IF_ERROR(legacy::checkConstraints("KeyConditions", key_conditions));
  FDYNO_RETURN_IF_ERROR(legacy::checkMapNames(key_conditions));
  std::vector<ParsedCondition> conds;
  FDYNO_RETURN_IF_ERROR(parseConditions(key_conditions, conds));
  if (conds.size() != 1 && conds.size() != 2) {
    return Status::InvalidArgument("Conditions can be of length 1 or 2 only");
  }
  // Non-indexable operators still convert (as filter conditions);
  // checkKeyConditionsSchema() rejects them with DynamoDB's text, after the
  // schema errors DynamoDB reports first.
  LegacyConversion out;
  out.expression = join(std::move(conds), "AND", 'k', out);
  return out;
}

Status checkKeyConditionsSchema(simdjson::dom::element key_conditions, const KeySchemaView& schema) {
  // dynalite's actions/query.js (mirrors DynamoDB's order, hash key first).
  size_t count = memberCount(key_conditions);
  struct KeyAttr {
    std::string_view name;
    std::optional<model::AttrType> type;
    bool is_hash;
  };
  std::vector<KeyAttr> keys{{schema.hash_name, schema.hash_type, true}};
  if (schema.range_name) keys.push_back({*schema.range_name, schema.range_type, false});
  for (const KeyAttr& k : keys) {
    if (k.is_hash && keys.size() == 1 && count > 1) return Status::InvalidArgument("Query key condition not supported");
    auto cond = legacy::member(key_conditions, k.name);
    if (!cond) {
      if (k.is_hash || count > 1) {
        return Status::InvalidArgument("Query condition missed key schema element: " + std::string(k.name));
      }
      continue;
    }
    auto op = legacy::opFromName(legacy::stringMember(*cond, "ComparisonOperator").value_or(""));
    if (!op) return Status::InvalidArgument("Attempted conditional constraint is not an indexable operation");
    switch (*op) {
      case Op::kNull:
      case Op::kNotNull:
      case Op::kNe:
      case Op::kContains:
      case Op::kNotContains:
      case Op::kIn:
        return Status::InvalidArgument("Attempted conditional constraint is not an indexable operation");
      default:
        break;
    }
    if (k.type) {
      if (auto list = legacy::member(*cond, "AttributeValueList")) {
        for (element v : model::arrayOf(*list)) {
          auto av = model::parseAttributeValue(v);
          if (!av.ok() || av->type != *k.type) {
            return legacy::invalidParam("Condition parameter type does not match schema type");
          }
        }
      }
    }
    if (k.is_hash && *op != Op::kEq) return Status::InvalidArgument("Query key condition not supported");
  }
  return Status::OK();
}

}  // namespace fdyno::expr

// AttributeUpdates -> UpdateExpression, AttributesToGet ->
// ProjectionExpression, and the no-mixing rule.
//
// AttributeUpdates (dynalite's updateItem.js, recorded against DynamoDB):
//   PUT x (or no Action)  SET #a = :x
//   DELETE, no Value      REMOVE #a
//   DELETE set            DELETE #a :x   (a missing attribute stays missing)
//   ADD N / set           ADD #a :x      (a missing attribute is created)
//   ADD L                 SET #a = list_append(if_not_exists(#a, :empty), :x)
//                         (legacy-only: appends; creates a missing list)
// Validation per attribute, in member order: the Value, then "Only DELETE
// action is allowed when no attribute value is specified", then the DELETE
// and ADD value types. Item-data type errors surface when the update is
// applied; translateAttributeUpdatesError() gives them DynamoDB's legacy text.
#include <algorithm>
#include <unordered_set>

#include "expr/legacy_internal.h"
#include "expr/update_apply.h"
#include "model/json_codec.h"
#include "model/json_dom.h"

namespace fdyno::expr {
namespace {

using model::AttrType;
using model::AttributeValue;
using simdjson::dom::element;
using simdjson::dom::element_type;

Status checkUpdatesShape(const element& map) {
  FDYNO_RETURN_IF_ERROR(legacy::checkStructMap(map, "AttributeValueUpdate"));
  for (auto field : model::objectOf(map)) {
    if (auto e = legacy::member(field.value, "Value")) FDYNO_RETURN_IF_ERROR(model::checkAttributeValueShape(*e));
    if (auto e = legacy::member(field.value, "Action")) FDYNO_RETURN_IF_ERROR(legacy::checkStringMember(*e));
  }
  return Status::OK();
}

void appendSection(std::string& text, std::string_view keyword, const std::vector<std::string>& parts) {
  if (parts.empty()) return;
  if (!text.empty()) text += ' ';
  text += keyword;
  text += ' ';
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) text += ", ";
    text += parts[i];
  }
}

// DynamoDB's fixed order of the parameter names in the mixing message
// (dynalite's validateExpressionParams; ExtendDB's dual-target tests).
constexpr std::string_view kLegacyOrder[] = {"AttributesToGet", "AttributeUpdates", "Expected", "ScanFilter",
                                             "QueryFilter",     "ConditionalOperator", "KeyConditions"};
constexpr std::string_view kExpressionOrder[] = {"UpdateExpression", "ConditionExpression", "ProjectionExpression",
                                                 "FilterExpression", "KeyConditionExpression"};

template <size_t N>
std::string orderedList(const std::vector<std::string_view>& present, const std::string_view (&order)[N],
                        std::string_view skip) {
  std::string out;
  auto add = [&](std::string_view s) {
    if (s == skip) return;
    if (!out.empty()) out += ", ";
    out += s;
  };
  for (std::string_view name : order)
    if (std::find(present.begin(), present.end(), name) != present.end()) add(name);
  for (std::string_view name : present)  // names outside the table keep their order
    if (std::find(std::begin(order), std::end(order), name) == std::end(order)) add(name);
  return out;
}

}  // namespace

Result<LegacyConversion> convertAttributeUpdates(simdjson::dom::element attribute_updates) {
  FDYNO_RETURN_IF_ERROR(checkUpdatesShape(attribute_updates));
  FDYNO_RETURN_IF_ERROR(legacy::checkConstraints("AttributeUpdates", attribute_updates));
  FDYNO_RETURN_IF_ERROR(legacy::checkMapNames(attribute_updates));
  LegacyConversion out;
  legacy::Placeholders ph('u', out);
  std::vector<std::string> set, remove, add, del;
  for (auto field : model::objectOf(attribute_updates)) {
    std::optional<AttributeValue> value;
    if (auto e = legacy::member(field.value, "Value")) {
      FDYNO_ASSIGN_OR_RETURN(value, model::parseAttributeValue(*e));
    }
    std::string_view action = legacy::stringMember(field.value, "Action").value_or("PUT");
    if (!value) {
      if (action != "DELETE") {
        return legacy::invalidParam("Only DELETE action is allowed when no attribute value is specified");
      }
      remove.push_back(ph.name(field.key));
      continue;
    }
    AttrType t = value->type;
    std::string_view type_name = model::attrTypeName(t);
    if (action == "DELETE") {
      if (!value->isSet()) {
        return legacy::invalidParam("DELETE action with value is not supported for the type " + std::string(type_name));
      }
      std::string n = ph.name(field.key);
      del.push_back(n + " " + ph.value(std::move(*value)));
    } else if (action == "ADD") {
      if (t != AttrType::kN && t != AttrType::kL && !value->isSet()) {
        return legacy::invalidParam("ADD action is not supported for the type " + std::string(type_name));
      }
      std::string n = ph.name(field.key);
      if (t == AttrType::kL) {
        AttributeValue empty;
        empty.type = AttrType::kL;
        std::string empty_ref = ph.value(std::move(empty));
        set.push_back(n + " = list_append(if_not_exists(" + n + ", " + empty_ref + "), " +
                      ph.value(std::move(*value)) + ")");
      } else {
        add.push_back(n + " " + ph.value(std::move(*value)));
      }
    } else {  // PUT
      std::string n = ph.name(field.key);
      set.push_back(n + " = " + ph.value(std::move(*value)));
    }
  }
  appendSection(out.expression, "SET", set);
  appendSection(out.expression, "REMOVE", remove);
  appendSection(out.expression, "ADD", add);
  appendSection(out.expression, "DELETE", del);
  return out;
}

Result<LegacyConversion> convertAttributesToGet(simdjson::dom::element attributes_to_get) {
  if (attributes_to_get.type() == element_type::OBJECT) {
    return Status::Serialization("Start of structure or map found where not expected");
  }
  if (attributes_to_get.type() != element_type::ARRAY) return Status::Serialization("Unexpected field type");
  for (element m : model::arrayOf(attributes_to_get)) FDYNO_RETURN_IF_ERROR(legacy::checkStringMember(m));
  FDYNO_RETURN_IF_ERROR(legacy::checkConstraints("AttributesToGet", attributes_to_get));
  // Names: every size first, then empties (as for maps; null members are
  // reported below, in list order).
  for (element m : model::arrayOf(attributes_to_get)) {
    std::string_view name;
    if (m.get_string().get(name) == simdjson::SUCCESS) FDYNO_RETURN_IF_ERROR(model::checkAttributeNameSize(name));
  }
  LegacyConversion out;
  legacy::Placeholders ph('p', out);
  std::unordered_set<std::string_view> seen;
  for (element m : model::arrayOf(attributes_to_get)) {
    std::string_view name;
    if (m.get_string().get(name) != simdjson::SUCCESS) {
      // A JSON null member: Coral keeps it; DynamoDB then fails on the empty
      // name like an empty path (best inference, no recording).
      return legacy::invalidParam("Cannot have null or empty attribute name in AttributesToGet");
    }
    if (name.empty()) return Status::InvalidArgument(model::kEmptyAttributeName);
    if (!seen.insert(name).second) {
      return legacy::invalidParam("Duplicate value in attribute name: " + std::string(name));
    }
    if (!out.expression.empty()) out.expression += ", ";
    out.expression += ph.name(name);
  }
  return out;
}

Status checkNoMixing(const std::vector<std::string_view>& legacy_present,
                     const std::vector<std::string_view>& expression_present) {
  if (expression_present.empty()) return Status::OK();
  bool key_condition_expression = std::find(expression_present.begin(), expression_present.end(),
                                            "KeyConditionExpression") != expression_present.end();
  // Legacy KeyConditions may be combined with FilterExpression/ProjectionExpression.
  std::string legacy = orderedList(legacy_present, kLegacyOrder, key_condition_expression ? "" : "KeyConditions");
  if (legacy.empty()) return Status::OK();
  return Status::InvalidArgument(
      "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
      legacy + "} Expression parameters: {" + orderedList(expression_present, kExpressionOrder, "") + "}");
}

Status translateAttributeUpdatesError(const Status& s) {
  if (s.is(ErrorReason::kIncorrectOperandType)) {
    return Status::InvalidArgument(kTypeMismatchForUpdate);
  }
  return s;
}

}  // namespace fdyno::expr

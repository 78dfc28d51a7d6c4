// Internal to the legacy-parameter conversion (legacy*.cc): JSON shape checks
// with Coral's texts, the ComparisonOperator table and its operand rules, and
// the placeholder writer that builds expression text.
//
// Contract: helpers return kSerialization (shape) or kInvalidArgument
// (DynamoDB's ValidationException text). Thread safety: pure / per call.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "expr/legacy.h"
#include "model/attribute_value.h"

namespace fdyno::expr::legacy {

// ComparisonOperator values, in DynamoDB's enum order.
enum class Op : uint8_t {
  kEq, kNe, kLe, kLt, kGe, kGt, kNotNull, kNull, kContains, kNotContains, kBeginsWith, kIn, kBetween,
};
std::optional<Op> opFromName(std::string_view name);  // case-sensitive, as DynamoDB
std::string_view opName(Op op);

// Coral's enum list for ComparisonOperator constraint messages.
inline constexpr std::string_view kComparisonOperatorEnum =
    "[IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]";
inline constexpr std::string_view kInvalidPrefix = "One or more parameter values were invalid: ";

Status invalidParam(std::string_view msg);  // kInvalidArgument, kInvalidPrefix + msg

// ---- JSON shape (phase 1) ----
// `struct_name` is Coral's class name: ExpectedAttributeValue, Condition,
// AttributeValueUpdate. The map must be a JSON object; each member an object
// (or null, read as {}).
Status checkStructMap(const simdjson::dom::element& map, std::string_view struct_name);
Status checkStringMember(const simdjson::dom::element& e);
Status checkBooleanMember(const simdjson::dom::element& e);
Status checkValueListMember(const simdjson::dom::element& e);  // List<AttributeValue>

// A struct member of a legacy map; absent and JSON null are both nullopt.
std::optional<simdjson::dom::element> member(const simdjson::dom::element& obj, std::string_view key);
std::optional<std::string_view> stringMember(const simdjson::dom::element& obj, std::string_view key);

// Formats phase-2 violations as DynamoDB's single message
// ("1 validation error detected: Value 'X' at 'p' failed to satisfy constraint: C").
Status constraintStatus(const std::vector<LegacyConstraintViolation>& v);
// Runs legacyConstraintViolations() and returns its message if any.
Status checkConstraints(std::string_view param_name, const simdjson::dom::element& value);

// The attribute names (keys) of a legacy map: every name's size first
// ("1 validation error detected: Attribute name is too large, ..."), then
// "Empty attribute name" for the first empty one (model/json_codec.h).
// Runs after the constraint guard, before any entry is parsed.
Status checkMapNames(const simdjson::dom::element& map);

// "ConditionalOperator cannot be used without..." / "...two or more elements".
Status checkConditionalOperator(std::string_view conditional_operator, size_t entries);

// ---- operands (phase 3) ----
// Argument count, same type, allowed types per operator, BETWEEN bounds.
Status checkOperands(Op op, const std::vector<model::AttributeValue>& args);
// Parses an AttributeValueList (already shape-checked) into `out`.
Status parseValueList(const simdjson::dom::element& list, std::vector<model::AttributeValue>& out);

// ---- expression text ----
// Allocates "#_<tag>N" / ":_<tag>N" placeholders into a LegacyConversion.
class Placeholders {
 public:
  Placeholders(char tag, LegacyConversion& out) : tag_(tag), out_(out) {}
  std::string name(std::string_view attribute);
  std::string value(model::AttributeValue v);

 private:
  std::string next(char sigil, uint32_t& counter);
  char tag_;
  LegacyConversion& out_;
  uint32_t names_ = 0, values_ = 0;
};

// Appends the condition "attribute op args" with legacy semantics (see
// legacy_conditions.cc for the truth-table notes).
void appendCondition(std::string& text, Placeholders& ph, std::string_view attribute, Op op,
                     std::vector<model::AttributeValue> args);

}  // namespace fdyno::expr::legacy

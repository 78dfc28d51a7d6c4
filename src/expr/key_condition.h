// KeyConditionExpression: DynamoDB parses it with the condition grammar, then
// restricts it to "pk = :v [AND sk op :v | sk BETWEEN :a AND :b |
// begins_with(sk, :v)]". This file turns a validated condition tree into
// that structure, with DynamoDB's messages (dynalite's recordings of real
// DynamoDB; note these carry no "Invalid KeyConditionExpression: " prefix):
//   "Invalid operator used in KeyConditionExpression: OR" (also NOT, IN, <>,
//     attribute_exists, attribute_not_exists, attribute_type, contains)
//   "KeyConditionExpressions cannot contain nested operations"   (size())
//   "Invalid condition in KeyConditionExpression: BETWEEN operator must have
//     the key attribute as its first operand"   (also begins_with)
//   "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
//   "KeyConditionExpressions cannot have conditions on nested attributes"
//   "Invalid condition in KeyConditionExpression: No key attribute specified"
//   "KeyConditionExpressions must only contain one condition per key"
// and, against the table's or index's key schema (validateSchema):
//   "Query condition missed key schema element: <name>"
//   "Query key condition not supported"
//   "One or more parameter values were invalid: Condition parameter type does not match schema type"
//
// Contract: values point into the request's ExpressionAttributeValues and
// names into the parsed tree / ExpressionAttributeNames: valid for the
// request only. Thread safety: values.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "expr/ast.h"
#include "expr/resolve.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

enum class KeyOp : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

std::string_view keyOpName(KeyOp op);  // "=", "<", ..., "BETWEEN", "begins_with"

struct KeyPart {
  std::string_view name;
  KeyOp op = KeyOp::kEq;
  const model::AttributeValue* value = nullptr;   // the value, or BETWEEN's low
  const model::AttributeValue* value2 = nullptr;  // BETWEEN's high
};

struct KeySchemaView {
  std::string_view hash_name;
  std::optional<model::AttrType> hash_type;    // S, N or B when known
  std::optional<std::string_view> range_name;  // absent for hash-only
  std::optional<model::AttrType> range_type;
};

class KeyCondition {
 public:
  // Structural checks on a tree that passed validateCondition().
  static Result<KeyCondition> fromCondition(const Node& root, const Bindings& b);

  // Checks against the key schema and orders the parts: partition() is then
  // the hash key's equality, sort() the optional range condition.
  Status validateSchema(const KeySchemaView& schema);

  const std::vector<KeyPart>& parts() const { return parts_; }
  const KeyPart& partition() const { return parts_[0]; }
  const KeyPart* sort() const { return parts_.size() > 1 ? &parts_[1] : nullptr; }

 private:
  std::vector<KeyPart> parts_;
};

}  // namespace fdyno::expr

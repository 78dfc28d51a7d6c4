#include "expr/key_condition.h"

#include <string>

namespace fdyno::expr {

using model::AttributeValue;

namespace {

Status invalid(std::string msg) { return Status::InvalidArgument(msg); }

const std::string_view kNotSupported = "Query key condition not supported";

std::string_view nameOf(const Path& p, const Bindings& b) {
  const PathElement& e = p.elements[0];
  return e.kind == PathElement::Kind::kNameRef ? std::string_view(*b.names[e.slot]) : std::string_view(e.text);
}

KeyOp flip(KeyOp op) {
  switch (op) {
    case KeyOp::kLt: return KeyOp::kGt;
    case KeyOp::kLe: return KeyOp::kGe;
    case KeyOp::kGt: return KeyOp::kLt;
    case KeyOp::kGe: return KeyOp::kLe;
    default: return op;
  }
}

Status collect(const Node& n, const Bindings& b, std::vector<KeyPart>& parts) {
  switch (n.kind) {
    case NodeKind::kOr: return invalid("Invalid operator used in KeyConditionExpression: OR");
    case NodeKind::kNot: return invalid("Invalid operator used in KeyConditionExpression: NOT");
    case NodeKind::kIn: return invalid("Invalid operator used in KeyConditionExpression: IN");
    case NodeKind::kAnd:
      for (const auto& c : n.children) FDYNO_RETURN_IF_ERROR(collect(*c, b, parts));
      return Status::OK();
    case NodeKind::kCompare:
      if (n.op == CompareOp::kNe) return invalid("Invalid operator used in KeyConditionExpression: <>");
      break;
    case NodeKind::kFunction:
      if (n.function == Function::kSize) return invalid("KeyConditionExpressions cannot contain nested operations");
      if (n.function != Function::kBeginsWith) {
        return invalid("Invalid operator used in KeyConditionExpression: " + n.text);
      }
      break;
    default: break;
  }
  bool first_must_be_key = n.kind == NodeKind::kBetween || n.kind == NodeKind::kFunction;
  if (first_must_be_key && n.children[0]->kind != NodeKind::kPath) {
    std::string op = n.kind == NodeKind::kBetween ? "BETWEEN" : n.text;
    return invalid("Invalid condition in KeyConditionExpression: " + op +
                   " operator must have the key attribute as its first operand");
  }
  int key_index = -1;
  for (size_t i = 0; i < n.children.size(); ++i) {
    const Node& c = *n.children[i];
    if (c.kind == NodeKind::kPath) {
      if (key_index >= 0) {
        return invalid("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
      }
      if (c.path.elements.size() > 1) return invalid("KeyConditionExpressions cannot have conditions on nested attributes");
      key_index = static_cast<int>(i);
    } else if (c.kind == NodeKind::kFunction) {
      return invalid("KeyConditionExpressions cannot contain nested operations");
    }
  }
  if (key_index < 0) return invalid("Invalid condition in KeyConditionExpression: No key attribute specified");
  KeyPart part;
  part.name = nameOf(n.children[key_index]->path, b);
  for (const KeyPart& p : parts) {
    if (p.name == part.name) return invalid("KeyConditionExpressions must only contain one condition per key");
  }
  if (n.kind == NodeKind::kBetween) {
    part.op = KeyOp::kBetween;
    part.value = b.values[n.children[1]->slot];
    part.value2 = b.values[n.children[2]->slot];
  } else if (n.kind == NodeKind::kFunction) {
    part.op = KeyOp::kBeginsWith;
    part.value = b.values[n.children[1]->slot];
  } else {
    static constexpr KeyOp kOps[] = {KeyOp::kEq, KeyOp::kEq, KeyOp::kLt, KeyOp::kLe, KeyOp::kGt, KeyOp::kGe};
    part.op = kOps[static_cast<int>(n.op)];
    if (key_index == 1) part.op = flip(part.op);  // ":v < k" is "k > :v"
    part.value = b.values[n.children[1 - key_index]->slot];
  }
  parts.push_back(part);
  return Status::OK();
}

}  // namespace

std::string_view keyOpName(KeyOp op) {
  switch (op) {
    case KeyOp::kEq: return "=";
    case KeyOp::kLt: return "<";
    case KeyOp::kLe: return "<=";
    case KeyOp::kGt: return ">";
    case KeyOp::kGe: return ">=";
    case KeyOp::kBetween: return "BETWEEN";
    case KeyOp::kBeginsWith: return "begins_with";
  }
  return "";
}

Result<KeyCondition> KeyCondition::fromCondition(const Node& root, const Bindings& b) {
  KeyCondition kc;
  FDYNO_RETURN_IF_ERROR(collect(root, b, kc.parts_));
  return kc;
}

Status KeyCondition::validateSchema(const KeySchemaView& schema) {
  if (parts_.size() > 2 || (!schema.range_name && parts_.size() > 1)) return invalid(std::string(kNotSupported));
  size_t hash = parts_.size();
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (parts_[i].name == schema.hash_name) hash = i;
  }
  if (hash == parts_.size()) return invalid("Query condition missed key schema element: " + std::string(schema.hash_name));
  if (parts_[hash].op != KeyOp::kEq) return invalid(std::string(kNotSupported));
  if (hash != 0) std::swap(parts_[0], parts_[1]);
  if (parts_.size() == 2 && parts_[1].name != *schema.range_name) {
    return invalid("Query condition missed key schema element: " + std::string(*schema.range_name));
  }
  auto mismatch = [](const KeyPart& p, std::optional<model::AttrType> t) {
    if (!t) return false;
    return p.value->type != *t || (p.value2 && p.value2->type != *t);
  };
  if (mismatch(parts_[0], schema.hash_type) || (parts_.size() == 2 && mismatch(parts_[1], schema.range_type))) {
    return invalid("One or more parameter values were invalid: Condition parameter type does not match schema type");
  }
  return Status::OK();
}

}  // namespace fdyno::expr

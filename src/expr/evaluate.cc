#include "expr/evaluate.h"

#include "expr/value_ops.h"

namespace fdyno::expr {

using model::AttributeValue;
using model::AttrType;

namespace {

const model::Item& emptyItem() {
  static const model::Item kEmpty;
  return kEmpty;
}

std::string_view stepName(const PathElement& e, const Bindings& b) {
  return e.kind == PathElement::Kind::kNameRef ? std::string_view(*b.names[e.slot]) : std::string_view(e.text);
}

// An operand's value: a pointer into the item / request values, or (for
// size()) a number held in `scratch`.
struct Operand {
  const AttributeValue* value = nullptr;
  AttributeValue scratch;
};

void evalOperand(const Node& n, const Bindings& b, const model::Item& item, Operand& out) {
  switch (n.kind) {
    case NodeKind::kPath:
      out.value = lookupPath(n.path, b, item);
      return;
    case NodeKind::kValue:
      out.value = b.values[n.slot];
      return;
    case NodeKind::kFunction: {
      // Only size() is an operand in conditions (checked at parse time).
      Operand arg;
      evalOperand(*n.children[0], b, item, arg);
      out.value = nullptr;
      if (!arg.value) return;
      auto s = sizeOf(*arg.value);
      if (!s) return;
      out.scratch = AttributeValue::N(std::to_string(*s));
      out.value = &out.scratch;
      return;
    }
    default:
      out.value = nullptr;
      return;
  }
}

bool compare(CompareOp op, const AttributeValue* a, const AttributeValue* b) {
  switch (op) {
    case CompareOp::kEq: return a && b && *a == *b;
    case CompareOp::kNe: return !(a && b && *a == *b);
    default: break;
  }
  auto c = orderValues(a, b);
  if (!c) return false;
  switch (op) {
    case CompareOp::kLt: return *c < 0;
    case CompareOp::kLe: return *c <= 0;
    case CompareOp::kGt: return *c > 0;
    case CompareOp::kGe: return *c >= 0;
    default: return false;
  }
}

bool evalFunction(const Node& n, const Bindings& b, const model::Item& item) {
  switch (n.function) {
    case Function::kAttributeExists:
      return lookupPath(n.children[0]->path, b, item) != nullptr;
    case Function::kAttributeNotExists:
      return lookupPath(n.children[0]->path, b, item) == nullptr;
    case Function::kAttributeType: {
      Operand v, t;
      evalOperand(*n.children[0], b, item, v);
      evalOperand(*n.children[1], b, item, t);
      if (!v.value || !t.value) return false;
      return model::attrTypeName(v.value->type) == t.value->scalar;
    }
    case Function::kBeginsWith:
    case Function::kContains: {
      Operand x, y;
      evalOperand(*n.children[0], b, item, x);
      evalOperand(*n.children[1], b, item, y);
      return n.function == Function::kContains ? containsValue(x.value, y.value) : beginsWith(x.value, y.value);
    }
    default:
      return false;
  }
}

bool eval(const Node& n, const Bindings& b, const model::Item& item) {
  switch (n.kind) {
    case NodeKind::kAnd: return eval(*n.children[0], b, item) && eval(*n.children[1], b, item);
    case NodeKind::kOr: return eval(*n.children[0], b, item) || eval(*n.children[1], b, item);
    case NodeKind::kNot: return !eval(*n.children[0], b, item);
    case NodeKind::kCompare: {
      Operand x, y;
      evalOperand(*n.children[0], b, item, x);
      evalOperand(*n.children[1], b, item, y);
      return compare(n.op, x.value, y.value);
    }
    case NodeKind::kBetween: {
      Operand x, lo, hi;
      evalOperand(*n.children[0], b, item, x);
      evalOperand(*n.children[1], b, item, lo);
      evalOperand(*n.children[2], b, item, hi);
      auto c1 = orderValues(x.value, lo.value);
      auto c2 = orderValues(x.value, hi.value);
      return c1 && c2 && *c1 >= 0 && *c2 <= 0;
    }
    case NodeKind::kIn: {
      Operand x;
      evalOperand(*n.children[0], b, item, x);
      if (!x.value) return false;
      for (size_t i = 1; i < n.children.size(); ++i) {
        Operand y;
        evalOperand(*n.children[i], b, item, y);
        if (y.value && *x.value == *y.value) return true;
      }
      return false;
    }
    case NodeKind::kFunction: return evalFunction(n, b, item);
    default: return false;
  }
}

}  // namespace

const AttributeValue* lookupPath(const Path& p, const Bindings& b, const model::Item& item) {
  auto it = item.find(stepName(p.elements[0], b));
  if (it == item.end()) return nullptr;
  const AttributeValue* cur = &it->second;
  for (size_t i = 1; i < p.elements.size(); ++i) {
    const PathElement& e = p.elements[i];
    if (e.kind == PathElement::Kind::kIndex) {
      if (cur->type != AttrType::kL || e.index >= cur->list.size()) return nullptr;
      cur = &cur->list[e.index];
    } else {
      if (cur->type != AttrType::kM) return nullptr;
      auto m = cur->map.find(stepName(e, b));
      if (m == cur->map.end()) return nullptr;
      cur = &m->second;
    }
  }
  return cur;
}

bool evaluateCondition(const Node& root, const Bindings& b, const model::Item* item) {
  return eval(root, b, item ? *item : emptyItem());
}

}  // namespace fdyno::expr

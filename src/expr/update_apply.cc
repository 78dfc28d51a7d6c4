#include "expr/update_apply.h"

#include <algorithm>

#include "expr/evaluate.h"
#include "model/decimal.h"

namespace fdyno::expr {

using model::AttributeValue;
using model::AttrType;

namespace {

Status invalid(std::string_view msg) { return Status::InvalidArgument(msg); }

// What one action will do once every right-hand side has been computed.
struct PlannedChange {
  const ResolvedPath* path = nullptr;
  bool remove = false;
  AttributeValue value;
};

// The parent of a nested target must exist and be a map (for a name step)
// or a list (for an index step); a top-level target always has a parent.
bool parentIsValid(const model::Item& item, const ResolvedPath& path) {
  if (path.size() == 1) return true;
  ResolvedPath parent(path.begin(), path.end() - 1);
  const AttributeValue* p = lookup(item, parent);
  if (!p) return false;
  return path.back().is_index ? p->type == AttrType::kL : p->type == AttrType::kM;
}

// Tagged so that the legacy AttributeUpdates path can reword it
// (legacy_updates.cc, translateAttributeUpdatesError).
Status incorrectOperandType() {
  return Status::InvalidArgument(kIncorrectOperandType).withReason(ErrorReason::kIncorrectOperandType);
}

Result<AttributeValue> evalSetValue(const Node& n, const Bindings& b, const model::Item& item) {
  switch (n.kind) {
    case NodeKind::kPath: {
      const AttributeValue* v = lookupPath(n.path, b, item);
      if (!v) return invalid(kMissingOperand);
      return *v;
    }
    case NodeKind::kValue:
      return *b.values[n.slot];
    case NodeKind::kFunction: {
      if (n.function == Function::kIfNotExists) {
        if (const AttributeValue* v = lookupPath(n.children[0]->path, b, item)) return *v;
        return evalSetValue(*n.children[1], b, item);
      }
      FDYNO_ASSIGN_OR_RETURN(AttributeValue l, evalSetValue(*n.children[0], b, item));
      FDYNO_ASSIGN_OR_RETURN(AttributeValue r, evalSetValue(*n.children[1], b, item));
      if (l.type != AttrType::kL || r.type != AttrType::kL) return incorrectOperandType();
      l.list.insert(l.list.end(), std::make_move_iterator(r.list.begin()), std::make_move_iterator(r.list.end()));
      return l;
    }
    case NodeKind::kPlus:
    case NodeKind::kMinus: {
      FDYNO_ASSIGN_OR_RETURN(AttributeValue l, evalSetValue(*n.children[0], b, item));
      FDYNO_ASSIGN_OR_RETURN(AttributeValue r, evalSetValue(*n.children[1], b, item));
      if (l.type != AttrType::kN || r.type != AttrType::kN) return incorrectOperandType();
      FDYNO_ASSIGN_OR_RETURN(model::Decimal x, model::Decimal::parseSyntax(l.scalar));
      FDYNO_ASSIGN_OR_RETURN(model::Decimal y, model::Decimal::parseSyntax(r.scalar));
      FDYNO_ASSIGN_OR_RETURN(model::Decimal z, n.kind == NodeKind::kPlus ? x.add(y) : x.subtract(y));
      return AttributeValue::N(z.toString());
    }
    default:
      return Status::Internal("unexpected node in SET value");
  }
}

bool sameSetType(const AttributeValue& a, const AttributeValue& b) { return a.isSet() && a.type == b.type; }

Status planAdd(const AttributeValue* existing, const AttributeValue& operand, PlannedChange& change) {
  if (!existing) {
    change.value = operand;
    return Status::OK();
  }
  if (existing->type == AttrType::kN && operand.type == AttrType::kN) {
    FDYNO_ASSIGN_OR_RETURN(model::Decimal x, model::Decimal::parseSyntax(existing->scalar));
    FDYNO_ASSIGN_OR_RETURN(model::Decimal y, model::Decimal::parseSyntax(operand.scalar));
    FDYNO_ASSIGN_OR_RETURN(model::Decimal z, x.add(y));
    change.value = AttributeValue::N(z.toString());
    return Status::OK();
  }
  if (!sameSetType(*existing, operand)) return incorrectOperandType();
  change.value = *existing;
  for (const std::string& m : operand.set) {
    if (std::find(change.value.set.begin(), change.value.set.end(), m) == change.value.set.end()) {
      change.value.set.push_back(m);
    }
  }
  return Status::OK();
}

Status planDelete(const AttributeValue* existing, const AttributeValue& operand, PlannedChange& change) {
  if (!existing) {
    change.path = nullptr;  // nothing to do
    return Status::OK();
  }
  if (!sameSetType(*existing, operand)) return incorrectOperandType();
  change.value = *existing;
  auto& s = change.value.set;
  s.erase(std::remove_if(s.begin(), s.end(),
                         [&](const std::string& m) {
                           return std::find(operand.set.begin(), operand.set.end(), m) != operand.set.end();
                         }),
          s.end());
  // DynamoDB never stores an empty set: deleting the last element removes
  // the attribute.
  change.remove = s.empty();
  return Status::OK();
}

AttributeValue* parentOf(model::Item& item, const ResolvedPath& path) {
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  return lookupBelow(it->second, path, 1, path.size() - 1);
}

void put(model::Item& item, const ResolvedPath& path, AttributeValue v) {
  if (path.size() == 1) {
    item.insert_or_assign(std::string(path[0].name), std::move(v));
    return;
  }
  AttributeValue* parent = parentOf(item, path);
  if (!parent) return;
  const PathStep& last = path.back();
  if (last.is_index) {
    // An index past the end appends (DynamoDB does not pad lists).
    if (last.index < parent->list.size()) {
      parent->list[last.index] = std::move(v);
    } else {
      parent->list.push_back(std::move(v));
    }
  } else {
    parent->map.insert_or_assign(std::string(last.name), std::move(v));
  }
}

void erase(model::Item& item, const ResolvedPath& path) {
  if (path.size() == 1) {
    auto it = item.find(path[0].name);
    if (it != item.end()) item.erase(it);
    return;
  }
  AttributeValue* parent = parentOf(item, path);
  if (!parent) return;
  const PathStep& last = path.back();
  if (last.is_index) {
    if (parent->type == AttrType::kL && last.index < parent->list.size()) {
      parent->list.erase(parent->list.begin() + last.index);  // later elements shift down
    }
  } else if (parent->type == AttrType::kM) {
    auto it = parent->map.find(last.name);
    if (it != parent->map.end()) parent->map.erase(it);
  }
}

// Removals run last, deepest/highest index first, so that removing a[0]
// cannot shift the element a later removal (a[2], a[1].x) refers to.
bool removeFirst(const ResolvedPath* a, const ResolvedPath* b) {
  size_t n = std::min(a->size(), b->size());
  for (size_t i = 0; i < n; ++i) {
    const PathStep& x = (*a)[i];
    const PathStep& y = (*b)[i];
    if (x == y) continue;
    if (x.is_index && y.is_index) return x.index > y.index;
    if (!x.is_index && !y.is_index) return x.name > y.name;
    return x.is_index;
  }
  return a->size() > b->size();
}

// SETs run in element-number order within a list, whatever their order in
// the expression: "SET a[84] = :1, a[37] = :2, a[17] = :3" on a 4-element
// list appends :3, :2, :1 (DynamoDB's developer guide: "the elements are
// sorted in order by element number"; ScyllaDB's
// test_nested_attribute_update_array_out_of_bounds). Any total order with
// ascending indices will do: targets never overlap, so SETs on different
// lists or maps are independent.
bool setFirst(const PlannedChange& a, const PlannedChange& b) {
  const ResolvedPath& p = *a.path;
  const ResolvedPath& q = *b.path;
  size_t n = std::min(p.size(), q.size());
  for (size_t i = 0; i < n; ++i) {
    const PathStep& x = p[i];
    const PathStep& y = q[i];
    if (x == y) continue;
    if (x.is_index && y.is_index) return x.index < y.index;
    if (!x.is_index && !y.is_index) return x.name < y.name;
    return x.is_index;
  }
  return p.size() < q.size();
}

}  // namespace

Status applyUpdate(const ParsedExpression& parsed, const Bindings& b, const std::vector<ResolvedPath>& targets,
                   model::Item& item) {
  std::vector<PlannedChange> changes(parsed.update.size());
  for (size_t i = 0; i < parsed.update.size(); ++i) {
    const UpdateAction& a = parsed.update[i];
    PlannedChange& c = changes[i];
    c.path = &targets[i];
    if (!parentIsValid(item, targets[i])) return invalid(kInvalidUpdatePath);
    switch (a.kind) {
      case UpdateActionKind::kSet: {
        FDYNO_ASSIGN_OR_RETURN(c.value, evalSetValue(*a.value, b, item));
        break;
      }
      case UpdateActionKind::kRemove:
        c.remove = true;
        break;
      case UpdateActionKind::kAdd:
        FDYNO_RETURN_IF_ERROR(planAdd(lookup(item, targets[i]), *b.values[a.value->slot], c));
        break;
      case UpdateActionKind::kDelete:
        FDYNO_RETURN_IF_ERROR(planDelete(lookup(item, targets[i]), *b.values[a.value->slot], c));
        break;
    }
  }
  std::vector<const ResolvedPath*> removals;
  std::vector<PlannedChange*> puts;
  puts.reserve(changes.size());
  for (PlannedChange& c : changes) {
    if (!c.path) continue;
    if (c.remove) {
      removals.push_back(c.path);
    } else {
      puts.push_back(&c);
    }
  }
  // Only an index SET can be affected by order; skip the sort otherwise.
  bool any_index = std::any_of(puts.begin(), puts.end(),
                               [](const PlannedChange* c) { return c->path->back().is_index; });
  if (any_index && puts.size() > 1) {
    std::sort(puts.begin(), puts.end(),
              [](const PlannedChange* x, const PlannedChange* y) { return setFirst(*x, *y); });
  }
  for (PlannedChange* c : puts) put(item, *c->path, std::move(c->value));
  std::sort(removals.begin(), removals.end(), removeFirst);
  for (const ResolvedPath* p : removals) erase(item, *p);
  return Status::OK();
}

}  // namespace fdyno::expr

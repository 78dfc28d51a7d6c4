#include "expr/resolve.h"

#include "expr/value_ops.h"
#include "model/base64.h"
#include "model/json_codec.h"

namespace fdyno::expr {

using model::AttributeValue;
using model::AttrType;

namespace {

Status invalid(std::string msg) { return Status::InvalidArgument(msg); }

std::string joinKeys(const std::vector<std::string_view>& keys) {
  std::string out = "{";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += keys[i];
  }
  return out + "}";
}

// ---- undefined references, in text order ----
Status checkPathRefs(const Path& p, const ParsedExpression& parsed, const Bindings& b) {
  for (const auto& e : p.elements) {
    if (e.kind == PathElement::Kind::kNameRef && !b.names[e.slot]) {
      return invalid("An expression attribute name used in the document path is not defined; attribute name: " +
                     e.text);
    }
  }
  return Status::OK();
}

Status checkRefs(const Node& n, const ParsedExpression& parsed, const Bindings& b) {
  if (n.kind == NodeKind::kPath) return checkPathRefs(n.path, parsed, b);
  if (n.kind == NodeKind::kValue && !b.values[n.slot]) {
    return invalid("An expression attribute value used in expression is not defined; attribute value: " + n.text);
  }
  for (const auto& c : n.children) FDYNO_RETURN_IF_ERROR(checkRefs(*c, parsed, b));
  return Status::OK();
}

// ---- function operand counts ----
size_t expectedOperands(Function f) {
  switch (f) {
    case Function::kAttributeExists:
    case Function::kAttributeNotExists:
    case Function::kSize: return 1;
    default: return 2;
  }
}

Status checkCounts(const Node& n) {
  if (n.kind == NodeKind::kFunction && n.children.size() != expectedOperands(n.function)) {
    return invalid("Incorrect number of operands for operator or function; operator or function: " + n.text +
                   ", number of operands: " + std::to_string(n.children.size()));
  }
  for (const auto& c : n.children) FDYNO_RETURN_IF_ERROR(checkCounts(*c));
  return Status::OK();
}

// ---- distinct operands ----
std::string_view opName(const Node& n) {
  static constexpr std::string_view kOps[] = {"=", "<>", "<", "<=", ">", ">="};
  return n.kind == NodeKind::kCompare ? kOps[static_cast<int>(n.op)] : std::string_view(n.text);
}

Status checkDistinct(const Node& n, const Bindings& b) {
  bool two = n.kind == NodeKind::kCompare ||
             (n.kind == NodeKind::kFunction && n.children.size() == 2 &&
              (n.function == Function::kContains || n.function == Function::kBeginsWith ||
               n.function == Function::kAttributeType));
  if (two && n.children[0]->kind == NodeKind::kPath && n.children[1]->kind == NodeKind::kPath) {
    ResolvedPath p0 = resolvePath(n.children[0]->path, b);
    if (p0 == resolvePath(n.children[1]->path, b)) {
      return invalid(
          "The first operand must be distinct from the remaining operands for this operator or function; "
          "operator: " + std::string(opName(n)) + ", first operand: " + formatPath(p0));
    }
  }
  for (const auto& c : n.children) FDYNO_RETURN_IF_ERROR(checkDistinct(*c, b));
  return Status::OK();
}

// ---- operand types (constants only: item data never causes a ValidationException) ----
// The type a constant operand is known to have: a :value's type, N for size().
std::optional<AttrType> constantType(const Node& n, const Bindings& b) {
  if (n.kind == NodeKind::kValue) return b.values[n.slot]->type;
  if (n.kind == NodeKind::kFunction && n.function == Function::kSize) return AttrType::kN;
  return std::nullopt;
}

Status operandType(std::string_view op, AttrType t) {
  return invalid("Incorrect operand type for operator or function; operator or function: " + std::string(op) +
                 ", operand type: " + std::string(model::attrTypeName(t)));
}

bool isScalarType(AttrType t) { return t == AttrType::kS || t == AttrType::kN || t == AttrType::kB; }

Status checkBetweenBounds(const AttributeValue& lo, const AttributeValue& hi) {
  std::string bounds = "lower bound operand: AttributeValue: " + formatValueForMessage(lo) +
                       ", upper bound operand: AttributeValue: " + formatValueForMessage(hi);
  if (lo.type != hi.type) {
    return invalid("The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
  }
  if (compareScalars(lo, hi) > 0) {
    return invalid("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
                   bounds);
  }
  return Status::OK();
}

// Post-order: DynamoDB reports the innermost function's error first
// ("attribute_not_exists(size(:n))" is a size() operand-type error).
Status checkTypes(const Node& n, const Bindings& b) {
  for (const auto& c : n.children) FDYNO_RETURN_IF_ERROR(checkTypes(*c, b));
  switch (n.kind) {
    case NodeKind::kCompare:
      if (n.op != CompareOp::kEq && n.op != CompareOp::kNe) {
        for (const auto& c : n.children) {
          auto t = constantType(*c, b);
          if (t && !isScalarType(*t)) return operandType(opName(n), *t);
        }
      }
      break;
    case NodeKind::kBetween: {
      for (const auto& c : n.children) {
        auto t = constantType(*c, b);
        if (t && !isScalarType(*t)) return operandType("BETWEEN", *t);
      }
      const Node& lo = *n.children[1];
      const Node& hi = *n.children[2];
      if (lo.kind == NodeKind::kValue && hi.kind == NodeKind::kValue) {
        FDYNO_RETURN_IF_ERROR(checkBetweenBounds(*b.values[lo.slot], *b.values[hi.slot]));
      }
      break;
    }
    case NodeKind::kFunction:
      switch (n.function) {
        case Function::kAttributeExists:
        case Function::kAttributeNotExists:
          if (n.children[0]->kind != NodeKind::kPath) {
            return invalid("Operator or function requires a document path; operator or function: " + n.text);
          }
          break;
        case Function::kAttributeType: {
          auto t = constantType(*n.children[1], b);
          if (!t) {
            return invalid("Incorrect operand type for operator or function; operator or function: " + n.text +
                           ", operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
          }
          if (*t != AttrType::kS) return operandType(n.text, *t);
          const std::string& name = b.values[n.children[1]->slot]->scalar;
          if (!model::attrTypeFromName(name)) {
            return invalid("Invalid attribute type name found; type: " + name +
                           ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
          }
          break;
        }
        case Function::kBeginsWith:
          for (const auto& c : n.children) {
            auto t = constantType(*c, b);
            if (t && *t != AttrType::kS && *t != AttrType::kB) return operandType(n.text, *t);
          }
          break;
        case Function::kSize: {
          auto t = constantType(*n.children[0], b);
          if (t && (*t == AttrType::kN || *t == AttrType::kBool || *t == AttrType::kNull)) {
            return operandType(n.text, *t);
          }
          break;
        }
        case Function::kIfNotExists:
          if (n.children[0]->kind != NodeKind::kPath) {
            return invalid("Operator or function requires a document path; operator or function: " + n.text);
          }
          break;
        case Function::kListAppend:
          for (const auto& c : n.children) {
            if (c->kind == NodeKind::kValue && b.values[c->slot]->type != AttrType::kL) {
              return operandType(n.text, b.values[c->slot]->type);
            }
          }
          break;
        default: break;
      }
      break;
    case NodeKind::kPlus:
    case NodeKind::kMinus:
      for (const auto& c : n.children) {
        if (c->kind == NodeKind::kValue && b.values[c->slot]->type != AttrType::kN) {
          return operandType(n.kind == NodeKind::kPlus ? "+" : "-", b.values[c->slot]->type);
        }
      }
      break;
    default: break;
  }
  return Status::OK();
}

Status checkSetValue(const Node& n, const Bindings& b) {
  FDYNO_RETURN_IF_ERROR(checkCounts(n));
  return checkTypes(n, b);
}

}  // namespace

Status RefTracker::checkNotEmpty() const {
  if (names_ && names_->empty()) return invalid("ExpressionAttributeNames must not be empty");
  if (values_ && values_->empty()) return invalid("ExpressionAttributeValues must not be empty");
  return Status::OK();
}

Status RefTracker::checkNames() const {
  if (!names_) return Status::OK();
  for (const auto& [k, v] : *names_) FDYNO_RETURN_IF_ERROR(model::checkAttributeNameSize(v));
  for (const auto& [k, v] : *names_) {
    if (v.empty()) {
      return invalid("ExpressionAttributeNames contains invalid value: " + std::string(model::kEmptyAttributeName) +
                     " for key " + k);
    }
  }
  return Status::OK();
}

void RefTracker::bind(const ParsedExpression& parsed, Bindings& b) {
  b.names.assign(parsed.name_refs.size(), nullptr);
  b.values.assign(parsed.value_refs.size(), nullptr);
  for (size_t i = 0; i < parsed.name_refs.size(); ++i) {
    if (!names_) break;
    auto it = names_->find(parsed.name_refs[i]);
    if (it == names_->end()) continue;
    b.names[i] = &it->second;
    used_names_.insert(it->first);
  }
  for (size_t i = 0; i < parsed.value_refs.size(); ++i) {
    if (!values_) break;
    auto it = values_->find(parsed.value_refs[i]);
    if (it == values_->end()) continue;
    b.values[i] = &it->second;
    used_values_.insert(it->first);
  }
}

Status RefTracker::checkUnused() const {
  std::vector<std::string_view> unused;
  if (names_) {
    for (const auto& [k, v] : *names_) {
      if (!used_names_.count(k)) unused.push_back(k);
    }
  }
  if (!unused.empty()) {
    return invalid("Value provided in ExpressionAttributeNames unused in expressions: keys: " + joinKeys(unused));
  }
  if (values_) {
    for (const auto& [k, v] : *values_) {
      if (!used_values_.count(k)) unused.push_back(k);
    }
  }
  if (!unused.empty()) {
    return invalid("Value provided in ExpressionAttributeValues unused in expressions: keys: " + joinKeys(unused));
  }
  return Status::OK();
}

ResolvedPath resolvePath(const Path& p, const Bindings& b) {
  ResolvedPath out;
  out.reserve(p.elements.size());
  for (const auto& e : p.elements) {
    PathStep s;
    switch (e.kind) {
      case PathElement::Kind::kName: s.name = e.text; break;
      case PathElement::Kind::kNameRef: s.name = *b.names[e.slot]; break;
      case PathElement::Kind::kIndex: s.is_index = true; s.index = e.index; break;
    }
    out.push_back(s);
  }
  return out;
}

Status validateCondition(const Node& n, const ParsedExpression& parsed, const Bindings& b) {
  if (n.kind == NodeKind::kAnd || n.kind == NodeKind::kOr || n.kind == NodeKind::kNot) {
    for (const auto& c : n.children) FDYNO_RETURN_IF_ERROR(validateCondition(*c, parsed, b));
    return Status::OK();
  }
  FDYNO_RETURN_IF_ERROR(checkRefs(n, parsed, b));
  FDYNO_RETURN_IF_ERROR(checkCounts(n));
  FDYNO_RETURN_IF_ERROR(checkDistinct(n, b));
  return checkTypes(n, b);
}

Status validateUpdate(const ParsedExpression& parsed, const Bindings& b, std::vector<ResolvedPath>& targets) {
  for (const auto& a : parsed.update) {
    FDYNO_RETURN_IF_ERROR(checkPathRefs(a.path, parsed, b));
    if (a.value) FDYNO_RETURN_IF_ERROR(checkRefs(*a.value, parsed, b));
  }
  targets.clear();
  for (const auto& a : parsed.update) targets.push_back(resolvePath(a.path, b));
  FDYNO_RETURN_IF_ERROR(checkOverlapAndConflict(targets));
  for (const auto& a : parsed.update) {
    if (a.kind != UpdateActionKind::kAdd && a.kind != UpdateActionKind::kDelete) continue;
    AttrType t = b.values[a.value->slot]->type;
    bool ok = t == AttrType::kSS || t == AttrType::kNS || t == AttrType::kBS ||
              (a.kind == UpdateActionKind::kAdd && t == AttrType::kN);
    if (!ok) {
      return invalid(std::string("Incorrect operand type for operator or function; operator: ") +
                     (a.kind == UpdateActionKind::kAdd ? "ADD" : "DELETE") +
                     ", operand type: " + std::string(longTypeName(t)));
    }
  }
  for (const auto& a : parsed.update) {
    if (a.kind == UpdateActionKind::kSet) FDYNO_RETURN_IF_ERROR(checkSetValue(*a.value, b));
  }
  return Status::OK();
}

Status validateProjection(const ParsedExpression& parsed, const Bindings& b, std::vector<ResolvedPath>& paths) {
  for (const auto& p : parsed.projection) FDYNO_RETURN_IF_ERROR(checkPathRefs(p, parsed, b));
  paths.clear();
  for (const auto& p : parsed.projection) paths.push_back(resolvePath(p, b));
  return checkOverlapAndConflict(paths);
}

std::string_view longTypeName(AttrType t) {
  switch (t) {
    case AttrType::kS: return "STRING";
    case AttrType::kN: return "NUMBER";
    case AttrType::kB: return "BINARY";
    case AttrType::kSS: return "STRING_SET";
    case AttrType::kNS: return "NUMBER_SET";
    case AttrType::kBS: return "BINARY_SET";
    case AttrType::kM: return "MAP";
    case AttrType::kL: return "LIST";
    case AttrType::kNull: return "NULL";
    case AttrType::kBool: return "BOOLEAN";
  }
  return "";
}

std::string formatValueForMessage(const AttributeValue& v) {
  std::string out = "{";
  out += model::attrTypeName(v.type);
  out += ":";
  if (v.type == AttrType::kB) {
    out += model::base64Encode(v.scalar);
  } else {
    out += v.scalar;
  }
  return out + "}";
}

}  // namespace fdyno::expr

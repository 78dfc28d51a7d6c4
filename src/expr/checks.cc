// Text-only checks run after a successful parse, in DynamoDB's order:
// redundant parentheses, unknown function, misused function, reserved
// keyword, repeated update section. Each category is searched over the whole
// expression, in text order, before the next category: e.g. DynamoDB reports
// "Invalid function name" for "set #c = if_not_exist(:c) set c = d" although
// the SET section is also repeated (dynalite's updateItem tests).
#include <string>

#include "expr/parser.h"
#include "expr/reserved_words.h"

namespace fdyno::expr {
namespace {

Status invalid(std::string msg) { return Status::InvalidArgument(msg); }

// Calls fn(node) for every node below `n`, parents first, in text order.
template <typename Fn>
void forEachNode(const Node& n, Fn&& fn) {
  fn(n);
  for (const auto& c : n.children) forEachNode(*c, fn);
}

template <typename Fn>
void forEachNode(const ParsedExpression& p, Fn&& fn) {
  if (p.condition) forEachNode(*p.condition, fn);
  for (const auto& a : p.update) {
    if (a.value) forEachNode(*a.value, fn);
  }
}

// Unknown functions. In conditions, DynamoDB treats the update-only
// functions (if_not_exists, list_append) as unknown names too.
Status checkFunctionNames(Grammar g, const ParsedExpression& p) {
  const Node* bad = nullptr;
  forEachNode(p, [&](const Node& n) {
    if (bad || n.kind != NodeKind::kFunction) return;
    bool known = n.function != Function::kUnknown;
    if (g == Grammar::kCondition &&
        (n.function == Function::kIfNotExists || n.function == Function::kListAppend)) {
      known = false;
    }
    if (!known) bad = &n;
  });
  if (bad) return invalid("Invalid function name; function: " + bad->text);
  return Status::OK();
}

bool isBooleanFunction(Function f) {
  return f == Function::kAttributeExists || f == Function::kAttributeNotExists ||
         f == Function::kAttributeType || f == Function::kBeginsWith || f == Function::kContains;
}

// A function in condition position must return a boolean; in operand
// position only size() (conditions) or if_not_exists/list_append (updates)
// may appear: "The function is not allowed to be used this way in an
// expression; function: X".
const Node* findMisusedOperand(Grammar g, const Node& n);

const Node* findMisusedCondition(const Node& n) {
  switch (n.kind) {
    case NodeKind::kAnd:
    case NodeKind::kOr:
    case NodeKind::kNot:
      for (const auto& c : n.children) {
        if (const Node* m = findMisusedCondition(*c)) return m;
      }
      return nullptr;
    case NodeKind::kFunction:
      if (!isBooleanFunction(n.function)) return &n;
      for (const auto& c : n.children) {
        if (const Node* m = findMisusedOperand(Grammar::kCondition, *c)) return m;
      }
      return nullptr;
    default:
      for (const auto& c : n.children) {
        if (const Node* m = findMisusedOperand(Grammar::kCondition, *c)) return m;
      }
      return nullptr;
  }
}

const Node* findMisusedOperand(Grammar g, const Node& n) {
  if (n.kind == NodeKind::kFunction) {
    bool ok = g == Grammar::kCondition
                  ? n.function == Function::kSize
                  : (n.function == Function::kIfNotExists || n.function == Function::kListAppend);
    if (!ok) return &n;
  }
  for (const auto& c : n.children) {
    if (const Node* m = findMisusedOperand(g, *c)) return m;
  }
  return nullptr;
}

const PathElement* findReserved(const Path& p) {
  for (const auto& e : p.elements) {
    if (e.kind == PathElement::Kind::kName && isReservedWord(e.text)) return &e;
  }
  return nullptr;
}

const PathElement* findReserved(const Node& n) {
  if (n.kind == NodeKind::kPath) return findReserved(n.path);
  for (const auto& c : n.children) {
    if (const PathElement* e = findReserved(*c)) return e;
  }
  return nullptr;
}

}  // namespace

Status checkParsed(Grammar grammar, const ParsedExpression& parsed, bool redundant_parens,
                   std::string_view repeated_section) {
  if (redundant_parens) return invalid("The expression has redundant parentheses;");
  FDYNO_RETURN_IF_ERROR(checkFunctionNames(grammar, parsed));

  const Node* misused = nullptr;
  if (parsed.condition) misused = findMisusedCondition(*parsed.condition);
  for (const auto& a : parsed.update) {
    if (!misused && a.value) misused = findMisusedOperand(Grammar::kUpdate, *a.value);
  }
  if (misused) {
    return invalid("The function is not allowed to be used this way in an expression; function: " +
                   misused->text);
  }

  const PathElement* reserved = nullptr;
  if (parsed.condition) reserved = findReserved(*parsed.condition);
  for (const auto& a : parsed.update) {
    if (!reserved) reserved = findReserved(a.path);
    if (!reserved && a.value) reserved = findReserved(*a.value);
  }
  for (const auto& p : parsed.projection) {
    if (!reserved) reserved = findReserved(p);
  }
  if (reserved) return invalid("Attribute name is a reserved keyword; reserved keyword: " + reserved->text);

  if (!repeated_section.empty()) {
    return invalid("The \"" + std::string(repeated_section) +
                   "\" section can only be used once in an update expression;");
  }
  return Status::OK();
}

}  // namespace fdyno::expr

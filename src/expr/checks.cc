// Text-only checks run after a successful parse, in DynamoDB's order:
// redundant parentheses, function calls (unknown, wrong expression kind,
// misused), reserved keyword, repeated update section. Each category is
// searched over the whole expression, in text order, before the next
// category: e.g. DynamoDB reports
// "Invalid function name" for "set #c = if_not_exist(:c) set c = d" although
// the SET section is also repeated (dynalite's updateItem tests).
#include <string>
#include <string_view>

#include "expr/parser.h"
#include "expr/reserved_words.h"

namespace fdyno::expr {
namespace {

Status invalid(std::string msg) { return Status::InvalidArgument(msg); }

bool isBooleanFunction(Function f) {
  return f == Function::kAttributeExists || f == Function::kAttributeNotExists ||
         f == Function::kAttributeType || f == Function::kBeginsWith || f == Function::kContains;
}

bool isUpdateFunction(Function f) { return f == Function::kIfNotExists || f == Function::kListAppend; }

constexpr std::string_view kMisusedFunction =
    "The function is not allowed to be used this way in an expression; function: ";

// DynamoDB's rule for one function call, given the grammar and whether the
// call is nested inside a comparison, BETWEEN, IN, another function or +/-.
// (The rule as DynamoDB Local's expression listener applies it; its messages
// are the ones real DynamoDB returns, e.g. ScyllaDB's
// test_update_expression_function_nesting records the nesting message.)
// - a name that is no function at all: "Invalid function name";
// - an update function (if_not_exists, list_append) in a condition or filter:
//   "The function is not allowed in a condition expression";
// - a condition function (attribute_exists, ..., size) in an update:
//   "The function is not allowed in an update expression";
// - conditions: a bare function must return a boolean (so size(a) alone is
//   misused) and only size() may be nested (attribute_exists(a) < 1 is not);
// - updates: only if_not_exists() may be nested, so list_append(list_append(
//   ...), ...) and list_append(a, b) + :c are misused, while
//   list_append(if_not_exists(a, :v), :w) is fine.
std::string_view functionError(Grammar g, const Node& n, bool nested) {
  if (n.function == Function::kUnknown) return "Invalid function name; function: ";
  if (g == Grammar::kCondition) {
    if (isUpdateFunction(n.function)) return "The function is not allowed in a condition expression; function: ";
    bool ok = nested ? n.function == Function::kSize : isBooleanFunction(n.function);
    return ok ? std::string_view() : kMisusedFunction;
  }
  if (!isUpdateFunction(n.function)) return "The function is not allowed in an update expression; function: ";
  return nested && n.function != Function::kIfNotExists ? kMisusedFunction : std::string_view();
}

struct FunctionError {
  const Node* node = nullptr;
  std::string_view message;
};

// Pre-order, in text order: DynamoDB checks each call as it enters it, so the
// outermost offending call of the leftmost branch is reported. AND, OR and
// NOT do not count as nesting; everything else with children does.
void findFunctionError(Grammar g, const Node& n, bool nested, FunctionError& err) {
  if (n.kind == NodeKind::kFunction) {
    std::string_view msg = functionError(g, n, nested);
    if (!msg.empty()) {
      err = {&n, msg};
      return;
    }
  }
  bool logical = n.kind == NodeKind::kAnd || n.kind == NodeKind::kOr || n.kind == NodeKind::kNot;
  for (const auto& c : n.children) {
    findFunctionError(g, *c, logical ? nested : true, err);
    if (err.node) return;
  }
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
  FunctionError fn;
  if (parsed.condition) findFunctionError(grammar, *parsed.condition, false, fn);
  for (const auto& a : parsed.update) {
    if (!fn.node && a.value) findFunctionError(grammar, *a.value, false, fn);
  }
  if (fn.node) return invalid(std::string(fn.message) + fn.node->text);

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

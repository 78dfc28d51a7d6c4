// Resolution of #name / :value references against one request's
// ExpressionAttributeNames / ExpressionAttributeValues, and the checks that
// need them (types of constant operands, BETWEEN bounds, distinct operands).
//
// Contract:
// - Bindings map the parsed tree's slots to the request's maps by pointer:
//   no copies; the request's maps must outlive the Bindings (one request).
// - RefTracker records which names/values were used, across every
//   expression of one request, for the "unused" check (DynamoDB checks it
//   over the whole request, after all expressions parsed).
// - All errors are kInvalidArgument with DynamoDB's text WITHOUT the
//   "Invalid XExpression: " prefix.
// - Thread safety: RefTracker is per request (not shared); the functions
//   only read the (shared, immutable) parsed tree.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "expr/ast.h"
#include "expr/paths.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

// ExpressionAttributeNames: "#ref" -> attribute name.
using NameMap = std::map<std::string, std::string, std::less<>>;

struct Bindings {
  std::vector<const std::string*> names;                  // name slot -> name
  std::vector<const model::AttributeValue*> values;       // value slot -> value
};

class RefTracker {
 public:
  // Either map may be null (absent from the request).
  RefTracker(const NameMap* names, const model::AttributeMap* values) : names_(names), values_(values) {}

  // "ExpressionAttributeNames must not be empty", then the same for values.
  Status checkNotEmpty() const;
  // The attribute names ExpressionAttributeNames maps to, checked as a whole
  // before any expression is parsed: every name's size first
  // ("1 validation error detected: Attribute name is too large, must be less
  // than 65536 bytes", the service's text for this case too), then
  // "ExpressionAttributeNames contains invalid value: Empty attribute name
  // for key #n" (captured from DynamoDB) for the first empty one, in key
  // order. Names the legacy conversions generate never fail here: those
  // convert functions check their attribute names themselves (bare texts).
  Status checkNames() const;
  // Fills `b` for `parsed`, marking references used. Unknown references are
  // left null; validation reports them in DynamoDB's order.
  void bind(const ParsedExpression& parsed, Bindings& b);
  // "Value provided in ExpressionAttributeNames unused in expressions:
  //  keys: {#a, #b}" (names first, then values; keys in sorted order).
  Status checkUnused() const;

  const std::set<std::string, std::less<>>& usedNames() const { return used_names_; }
  const std::set<std::string, std::less<>>& usedValues() const { return used_values_; }

 private:
  const NameMap* names_;
  const model::AttributeMap* values_;
  std::set<std::string, std::less<>> used_names_, used_values_;
};

// Resolves a parsed path. Precondition: every name slot of `p` is bound.
ResolvedPath resolvePath(const Path& p, const Bindings& b);

// Validates a condition tree (also used for filters and key conditions):
// leaf by leaf in text order, the first error among: undefined name/value,
// wrong number of function operands, non-distinct operands, operand type
// (constants only), BETWEEN bounds, function requiring a path.
Status validateCondition(const Node& root, const ParsedExpression& parsed, const Bindings& b);

// Validates update actions (after binding): undefined name/value (text
// order), overlapping then conflicting target paths, ADD/DELETE operand
// types, then SET functions and arithmetic. Fills `targets` (one per action).
Status validateUpdate(const ParsedExpression& parsed, const Bindings& b,
                      std::vector<ResolvedPath>& targets);

// Validates a projection: undefined names, then overlap/conflict. Fills `paths`.
Status validateProjection(const ParsedExpression& parsed, const Bindings& b,
                          std::vector<ResolvedPath>& paths);

// DynamoDB's long type names used by ADD/DELETE messages: STRING, NUMBER, ...
std::string_view longTypeName(model::AttrType t);
// "{S:abc}" as DynamoDB prints an AttributeValue in BETWEEN messages.
std::string formatValueForMessage(const model::AttributeValue& v);

}  // namespace fdyno::expr

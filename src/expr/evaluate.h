// Evaluation of a validated condition tree over one item.
//
// Contract:
// - Preconditions: the tree passed validateCondition() with these Bindings
//   (every slot bound, operand counts right). Evaluation then never fails: a
//   false condition is a `false` result, never an error; item data of an
//   unexpected type makes the comparison false (DynamoDB's rule).
// - `item` may be null: a missing item behaves as an empty one (so
//   attribute_not_exists(x) is true, "x <> :v" is true).
// - No copies of item data: operands are pointers into the item or the
//   request's values; only size() materializes a small number.
// - Thread safety: reads only.
#pragma once

#include "expr/ast.h"
#include "expr/resolve.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

bool evaluateCondition(const Node& root, const Bindings& b, const model::Item* item);

// The value at a parsed path (name refs through `b`), or null if absent.
const model::AttributeValue* lookupPath(const Path& p, const Bindings& b, const model::Item& item);

}  // namespace fdyno::expr

// Applying a validated UpdateExpression to an item.
//
// Contract:
// - Preconditions: validateUpdate() succeeded for these Bindings and filled
//   `targets` (one resolved path per action, no overlaps).
// - Every right-hand side is evaluated against the item as it was BEFORE the
//   update (DynamoDB: "SET a = b, b = a" swaps), then all actions are applied:
//   SET/ADD/DELETE in element-number order within a list (so several SETs
//   past the end append in index order), then REMOVEs from the highest index.
// - On error `item` is left unchanged... only if the error is found in the
//   evaluation phase, which is where every data-dependent error arises; the
//   apply phase cannot fail.
// - Errors (kInvalidArgument, DynamoDB's texts, no prefix):
//   "The document path provided in the update expression is invalid for update"
//     (parent of a nested target missing or of the wrong type; also REMOVE)
//   "The provided expression refers to an attribute that does not exist in the item"
//   "An operand in the update expression has an incorrect data type"
//   number overflow/underflow texts from model/decimal.h for + - and ADD.
// - Thread safety: mutates only `item`.
#pragma once

#include <vector>

#include "common/status.h"
#include "expr/ast.h"
#include "expr/paths.h"
#include "expr/resolve.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

inline constexpr std::string_view kInvalidUpdatePath =
    "The document path provided in the update expression is invalid for update";
inline constexpr std::string_view kMissingOperand =
    "The provided expression refers to an attribute that does not exist in the item";
inline constexpr std::string_view kIncorrectOperandType =
    "An operand in the update expression has an incorrect data type";

Status applyUpdate(const ParsedExpression& parsed, const Bindings& b, const std::vector<ResolvedPath>& targets,
                   model::Item& item);

}  // namespace fdyno::expr

// Recursive-descent parsers for DynamoDB's three expression grammars, plus the
// checks that depend on the text alone (so their result can be cached).
//
// Contract:
// - parseExpression() returns the tree, or kInvalidArgument whose message is
//   DynamoDB's text WITHOUT the "Invalid <Kind>Expression: " prefix (the
//   caller adds it; see expression.h).
// - Thread safety: pure function; the result is immutable once returned.
//
// Grammars (keywords case-insensitive; precedence NOT > AND > OR, and a
// comparison binds tighter than NOT):
//   condition := or ; or := and (OR and)* ; and := not (AND not)*
//   not       := NOT not | '(' condition ')' | comparison | function
//   comparison:= operand (= | <> | < | <= | > | >=) operand
//              | operand BETWEEN operand AND operand
//              | operand IN '(' operand (',' operand)* ')'
//   operand   := path | :value | function | '(' operand ')'
//   function  := identifier '(' operand (',' operand)* ')'
//   path      := (identifier | #name) ('.' (identifier | #name) | '[' digits ']')*
//   update    := ((SET set (',' set)*) | (REMOVE path (',' path)*)
//                 | (ADD path :value (',' path :value)*)
//                 | (DELETE path :value (',' path :value)*))+
//   set       := path '=' value (('+' | '-') value)?
//   value     := path | :value | identifier '(' value (',' value)* ')'
//   projection:= path (',' path)*
// A '(' in condition position starts a condition unless the matching ')' is
// followed by a comparison operator, BETWEEN or IN (then it is an operand):
// this decides "(a) = b" vs "(a = b)" without backtracking.
//
// Error order (DynamoDB's, learned from dynalite's recordings of real
// DynamoDB): empty; size; syntax; limits (nesting levels, list index range,
// operator count, IN operands); redundant parentheses; function calls
// (unknown name, function of the other expression kind, misused - one
// pre-order walk, see checks.cc); reserved keyword; (update) repeated
// section. Everything
// that needs ExpressionAttributeNames/Values comes later (resolve.h).
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "expr/ast.h"

namespace fdyno::expr {

enum class Grammar : uint8_t { kCondition, kUpdate, kProjection };

// DynamoDB's expression limits (developer guide, "Expression parameters").
inline constexpr size_t kMaxExpressionBytes = 4096;
inline constexpr size_t kMaxOperators = 300;
inline constexpr size_t kMaxInOperands = 100;
inline constexpr size_t kMaxPathDepth = 32;
// Our own guard against stack exhaustion (parentheses and NOT nest by
// recursion). Any legal expression is far shallower: every non-redundant
// level costs an operator and there may be at most 300.
inline constexpr size_t kMaxParseDepth = 400;

Result<std::unique_ptr<ParsedExpression>> parseExpression(Grammar grammar, std::string_view text);

// The text-only checks after a successful parse (called by parseExpression;
// exposed for tests). Returns the first error in DynamoDB's order.
Status checkParsed(Grammar grammar, const ParsedExpression& parsed, bool redundant_parens,
                   std::string_view repeated_section);

}  // namespace fdyno::expr

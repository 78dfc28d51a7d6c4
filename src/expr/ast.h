// The parsed (unresolved) form of DynamoDB expressions.
//
// Contract:
// - Produced by the parser (expr/parser.h) from the expression text alone, so
//   one tree can be cached and shared by many requests: after construction it
//   is immutable and safe to read from any number of threads.
// - Nodes own their children through unique_ptr.
// - `#name` and `:value` references are not resolved here. Each distinct
//   reference gets a slot number (first-appearance order); a request binds
//   slots to its ExpressionAttributeNames/Values (expr/resolve.h).
// - `pos` fields are byte offsets into the expression text (for messages).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace fdyno::expr {

// One step of a document path: a map key (literal or #ref) or a list index.
struct PathElement {
  enum class Kind : uint8_t { kName, kNameRef, kIndex };
  Kind kind = Kind::kName;
  std::string text;    // kName: the name; kNameRef: "#ref" as written
  uint32_t slot = 0;   // kNameRef: name slot
  uint32_t index = 0;  // kIndex
};

struct Path {
  std::vector<PathElement> elements;  // never empty; elements[0] is not an index
  uint32_t pos = 0;
};

// DynamoDB's functions. Names are case-sensitive ("attRIbute_exIsts" is not one).
enum class Function : uint8_t {
  kUnknown,
  kAttributeExists,
  kAttributeNotExists,
  kAttributeType,
  kBeginsWith,
  kContains,
  kSize,
  kIfNotExists,
  kListAppend,
};

enum class NodeKind : uint8_t {
  // Operands.
  kPath,
  kValue,
  kFunction,
  kPlus,   // update SET only: children[0] + children[1]
  kMinus,  // update SET only
  // Conditions.
  kCompare,
  kBetween,  // children: operand, low, high
  kIn,       // children: operand, candidates...
  kAnd,
  kOr,
  kNot,
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Node {
  NodeKind kind = NodeKind::kPath;
  CompareOp op = CompareOp::kEq;       // kCompare
  Function function = Function::kUnknown;  // kFunction
  std::string text;                    // kFunction: name as written; kValue: ":ref"
  uint32_t slot = 0;                   // kValue: value slot
  uint32_t pos = 0;
  bool parenthesized = false;          // written inside ( ) (redundancy check)
  Path path;                           // kPath
  std::vector<std::unique_ptr<Node>> children;

  bool isOperand() const { return kind <= NodeKind::kMinus; }
};

enum class UpdateActionKind : uint8_t { kSet, kRemove, kAdd, kDelete };

struct UpdateAction {
  UpdateActionKind kind = UpdateActionKind::kSet;
  Path path;
  std::unique_ptr<Node> value;  // SET: right-hand side; ADD/DELETE: the :value node
};

// What a grammar produced, plus the reference slots it needs bound.
struct ParsedExpression {
  std::unique_ptr<Node> condition;      // condition / filter / key condition
  std::vector<UpdateAction> update;     // update: actions in text order
  std::vector<Path> projection;         // projection: paths in text order
  std::vector<std::string> name_refs;   // slot -> "#ref"
  std::vector<std::string> value_refs;  // slot -> ":ref"
};

std::string_view functionName(Function f);
Function functionFromName(std::string_view name);

}  // namespace fdyno::expr

// PartiQL AST: the statements DynamoDB's ExecuteStatement accepts (SELECT,
// INSERT, UPDATE, DELETE), as parsed by partiql/parser.h.
//
// Contract:
// - Plain values; children owned through unique_ptr. No engine knowledge:
//   the api layer (api/partiql_ops.cc) decides what a statement means for a
//   table (which conjuncts are key equalities, Query or Scan, ...).
// - Literals keep their source text (numbers are NOT normalized here: the
//   api layer converts them to AttributeValues with DynamoDB's number rules).
// - `?` parameters are numbered 0.. in text order; Statement::param_count
//   says how many the statement has.
// - Thread safety: values, no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fdyno::partiql {

// One step of a document path: a.b[2]."c" -> field a, field b, index 2, field c.
struct PathStep {
  bool is_index = false;
  std::string name;    // field steps
  uint32_t index = 0;  // index steps
};

struct Path {
  std::vector<PathStep> steps;  // steps[0] is always a field
  // The name of a single-step path, or empty.
  const std::string* topLevelOnly() const {
    return steps.size() == 1 && !steps[0].is_index ? &steps[0].name : nullptr;
  }
};

struct Field;

// A PartiQL value literal: 'str', 12.5, true, null, MISSING, ?, [..], {..}, <<..>>.
struct Value {
  enum class Kind : uint8_t { kString, kNumber, kBool, kNull, kParam, kList, kMap, kSet };
  Kind kind = Kind::kNull;
  std::string text;          // kString: the text; kNumber: the source text
  bool boolean = false;      // kBool
  size_t param = 0;          // kParam: index of the `?`
  std::vector<Value> elems;  // kList, kSet
  std::vector<Field> fields;  // kMap, in text order
};

// One member of a map literal. A struct rather than std::pair<std::string,
// Value>: the standard library allows an incomplete element type only in
// vector itself, and clang rejects the pair inside Value's own definition.
// first/second keep the pair's names.
struct Field {
  Field(std::string k, Value v) : first(std::move(k)), second(std::move(v)) {}
  std::string first;
  Value second;
};

enum class ExprKind : uint8_t {
  kPath,     // path
  kValue,    // value
  kCall,     // name(args...): begins_with, contains, attribute_type, size, ...
  kCompare,  // args[0] op args[1]
  kArith,    // args[0] + / - args[1] (UPDATE SET right-hand sides)
  kAnd,      // args[0] AND args[1]
  kOr,
  kNot,      // NOT args[0]
  kBetween,  // args[0] BETWEEN args[1] AND args[2]
  kIn,       // args[0] IN (args[1..])
  kIs,       // args[0] IS [NOT] MISSING/NULL
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
enum class IsWhat : uint8_t { kMissing, kNull };

struct Expr {
  ExprKind kind = ExprKind::kValue;
  Path path;
  Value value;
  std::string name;  // kCall: function name, lower case
  CompareOp op = CompareOp::kEq;
  char arith = '+';
  IsWhat is = IsWhat::kMissing;
  bool negated = false;  // kIs: IS NOT
  std::vector<std::unique_ptr<Expr>> args;
};

struct SetAction {
  Path path;
  std::unique_ptr<Expr> value;
};

// kExists: EXISTS(SELECT ...), ExecuteTransaction's condition check (the
// SELECT's table and WHERE, no projection).
enum class StatementKind : uint8_t { kSelect, kInsert, kUpdate, kDelete, kExists };

struct Statement {
  StatementKind kind = StatementKind::kSelect;
  std::string table;
  std::optional<std::string> index;  // SELECT ... FROM "t"."index"
  // SELECT: projected paths; empty = *.
  std::vector<Path> projection;
  std::unique_ptr<Expr> where;  // may be null (SELECT without WHERE)
  // SELECT ... ORDER BY path [ASC|DESC]
  std::optional<Path> order_by;
  bool order_desc = false;
  // INSERT ... VALUE {...}
  Value item;
  // UPDATE: SET actions and REMOVE paths, in text order.
  std::vector<SetAction> sets;
  std::vector<Path> removes;
  size_t param_count = 0;
};

}  // namespace fdyno::partiql

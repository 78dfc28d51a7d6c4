// partiql_translate: turns parts of a parsed PartiQL statement (partiql/
// ast.h) into what the engine and the expression library understand:
// literals into AttributeValues, WHERE clauses and SET actions into
// DynamoDB expression text over generated #pN / :vN references (evaluated
// by src/expr exactly like ConditionExpression / UpdateExpression), and the
// key equalities of a WHERE clause into a key.
//
// Why text: the expression library already implements DynamoDB's semantics
// (comparisons across types, functions, update arithmetic and their error
// texts); PartiQL's WHERE/SET are the same operations in another syntax.
//
// Contract: a StatementTranslator belongs to one statement execution (one
// thread); the name/value maps it fills must outlive every expression
// resolved from its text. Errors are thrown as ApiError (ValidationException
// with DynamoDB's texts where known).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "expr/resolve.h"
#include "model/attribute_value.h"
#include "partiql/ast.h"

namespace fdyno::api {

inline constexpr std::string_view kMissingKeyEquality =
    "Where clause does not contain a mandatory equality on all key attributes";

class StatementTranslator {
 public:
  explicit StatementTranslator(const std::vector<model::AttributeValue>& params) : params_(params) {}

  // A literal (parameters substituted) as an AttributeValue.
  model::AttributeValue value(const partiql::Value& v) const;
  // "#p0.#p1[2]" for a.b[2].
  std::string path(const partiql::Path& p);
  // A condition (WHERE) as ConditionExpression text.
  std::string condition(const partiql::Expr& e);
  // The SET/REMOVE clauses of an UPDATE as UpdateExpression text.
  std::string update(const partiql::Statement& s);

  expr::NameMap& names() { return names_; }
  model::AttributeMap& values() { return values_; }

 private:
  std::string operand(const partiql::Expr& e);
  std::string addValue(model::AttributeValue v);

  const std::vector<model::AttributeValue>& params_;
  expr::NameMap names_;
  model::AttributeMap values_;
  std::map<std::string, std::string, std::less<>> name_refs_;  // attribute name -> #pN
};

// The top-level AND conjuncts of `where` (null: none).
void splitConjuncts(const partiql::Expr* where, std::vector<const partiql::Expr*>& out);

// The value side of a conjunct "name = value" (or "value = name"), else null.
const partiql::Expr* equalityOn(const partiql::Expr& conjunct, std::string_view name);

}  // namespace fdyno::api

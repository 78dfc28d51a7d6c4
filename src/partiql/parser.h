// PartiQL parser: hand-written recursive descent over partiql/lexer.h
// tokens, producing a partiql::Statement (ast.h). The grammar is the subset
// DynamoDB accepts:
//
//   SELECT (* | path [, path]*) FROM table[.index] [WHERE cond]
//          [ORDER BY path [ASC|DESC]]
//   INSERT INTO table VALUE {map}
//   UPDATE table (SET path = operand [, path = operand]* | REMOVE path [, path]*)+
//          WHERE cond
//   DELETE FROM table WHERE cond
//   EXISTS(SELECT ... WHERE cond)        (ExecuteTransaction condition checks)
//   table: "quoted" or bare identifier; path: ident or "quoted", then
//   .field / ."field" / [n] / ['field'] steps.
//   cond:  cond OR cond | cond AND cond | NOT cond | operand cmp operand |
//          operand [NOT] BETWEEN operand AND operand | operand IN (list) |
//          operand IN [list] | operand IS [NOT] MISSING|NULL | fn(args)
//   operand: path | value | fn(args) | operand (+|-) operand
//   value: 'string' | number | -number | true | false | null | ? |
//          [values] | {'k': value, ...} | <<values>>
// Keywords are case-insensitive. A trailing ';' is accepted.
//
// Contract: errors are kInvalidArgument "Statement wasn't well formed,
// can't be processed: <detail>". Nesting is capped at kMaxDepth (a hostile
// statement must not overflow the stack). Thread safety: pure.
#pragma once

#include <string_view>

#include "common/status.h"
#include "partiql/ast.h"

namespace fdyno::partiql {

inline constexpr int kMaxDepth = 64;

Result<Statement> parseStatement(std::string_view text);

}  // namespace fdyno::partiql

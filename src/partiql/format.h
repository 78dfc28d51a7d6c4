// format: a canonical text form of a parsed statement, for tests and logs.
//
// Shape (one line): SELECT [paths|*] FROM t[.ix] WHERE <expr> ORDER BY p DESC
// with every expression fully parenthesized, e.g. (a = 'x'), (AND x y),
// values as 'str', N:12, true, null, ?0, [..], {'k': ..}, <<..>>; paths as
// a.b[2]. Thread safety: pure.
#pragma once

#include <string>

#include "partiql/ast.h"

namespace fdyno::partiql {

std::string toString(const Path& p);
std::string toString(const Value& v);
std::string toString(const Expr& e);
std::string toString(const Statement& s);

}  // namespace fdyno::partiql

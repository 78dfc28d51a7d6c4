// Runs tests/unit/partiql/parser_cases.txt: each statement must parse to
// the given canonical form or fail with the exact message.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "partiql/format.h"
#include "partiql/parser.h"

namespace fdyno::partiql {
namespace {

TEST(PartiqlParserCases, File) {
  std::ifstream in(FDYNO_PARTIQL_CASES);
  ASSERT_TRUE(in.good()) << FDYNO_PARTIQL_CASES;
  std::string line, statement;
  int cases = 0, line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    ASSERT_GE(line.size(), 2u) << "line " << line_no;
    std::string body = line.substr(2);
    if (line[0] == '>') {
      statement = body;
      continue;
    }
    auto r = parseStatement(statement);
    ++cases;
    if (line[0] == '=') {
      ASSERT_TRUE(r.ok()) << "line " << line_no << ": " << statement << " -> " << r.status().message();
      EXPECT_EQ(toString(*r), body) << "line " << line_no << ": " << statement;
    } else {
      ASSERT_EQ(line[0], '!') << "line " << line_no;
      ASSERT_FALSE(r.ok()) << "line " << line_no << ": " << statement << " parsed as " << toString(*r);
      EXPECT_EQ(r.status().message(), body) << "line " << line_no;
    }
  }
  EXPECT_GE(cases, 40);
}

TEST(PartiqlParser, CountsParameters) {
  auto r = parseStatement("INSERT INTO t VALUE {'a': ?, 'b': [?, ?]}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->param_count, 3u);
}

TEST(PartiqlParser, DepthIsCapped) {
  std::string deep = "SELECT * FROM t WHERE ";
  for (int i = 0; i < 500; ++i) deep += "(";
  deep += "a = 1";
  for (int i = 0; i < 500; ++i) deep += ")";
  auto r = parseStatement(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "Statement wasn't well formed, can't be processed: Statement nesting is too deep");
  std::string nested = "INSERT INTO t VALUE {'a': ";
  for (int i = 0; i < 500; ++i) nested += "[";
  auto r2 = parseStatement(nested);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.status().message(), "Statement wasn't well formed, can't be processed: Statement nesting is too deep");
}

}  // namespace
}  // namespace fdyno::partiql

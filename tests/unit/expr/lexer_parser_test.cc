// Lexer, syntax-error text ("near" rule) and parser structure.
#include <gtest/gtest.h>

#include "expr/lexer.h"
#include "expr/parser.h"
#include "expr/reserved_words.h"

namespace fdyno::expr {
namespace {

std::string syntaxError(Grammar g, std::string_view text) {
  auto r = parseExpression(g, text);
  return r.ok() ? "" : r.status().message();
}

TEST(Lexer, TokenKinds) {
  auto t = tokenize("a.b[3] <> :v AND #n >= 12");
  ASSERT_EQ(t.size(), 13u);
  EXPECT_EQ(t[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(t[1].kind, TokenKind::kDot);
  EXPECT_EQ(t[3].kind, TokenKind::kLBracket);
  EXPECT_EQ(t[4].kind, TokenKind::kNumber);
  EXPECT_EQ(t[6].kind, TokenKind::kNe);
  EXPECT_EQ(t[7].kind, TokenKind::kValueRef);
  EXPECT_TRUE(isKeyword(t[8], "AND"));
  EXPECT_EQ(t[9].kind, TokenKind::kNameRef);
  EXPECT_EQ(t[10].kind, TokenKind::kGe);
  EXPECT_EQ(t[12].kind, TokenKind::kEof);
  EXPECT_EQ(t[12].pos, 25u);
}

TEST(Lexer, InvalidCharactersAreSingleTokens) {
  auto t = tokenize("_a \xc3\xbc!");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[0].kind, TokenKind::kInvalid);
  EXPECT_EQ(t[0].text, "_");
  EXPECT_EQ(t[1].text, "a");
  EXPECT_EQ(t[2].text, "\xc3\xbc");  // one code point
  EXPECT_EQ(t[3].text, "!");
}

TEST(SyntaxError, NearRuleFromRecordedMessages) {
  // Recorded DynamoDB messages (dynamodb-conformance, moto, ScyllaDB).
  EXPECT_EQ(syntaxError(Grammar::kUpdate, "INVALID SYNTAX HERE"),
            "Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
  EXPECT_EQ(syntaxError(Grammar::kUpdate, "SET _123 = :v"), "Syntax error; token: \"_\", near: \"SET _123\"");
  EXPECT_EQ(syntaxError(Grammar::kProjection, "!!"), "Syntax error; token: \"!\", near: \"!!\"");
  EXPECT_EQ(syntaxError(Grammar::kCondition, "foo"), "Syntax error; token: \"<EOF>\", near: \"foo\"");
  EXPECT_EQ(syntaxError(Grammar::kUpdate, "  RESET NonExistent value"),
            "Syntax error; token: \"RESET\", near: \"  RESET NonExistent\"");
  EXPECT_EQ(syntaxError(Grammar::kUpdate, "SET a = 3 "), "Syntax error; token: \"3\", near: \"= 3 \"");
  EXPECT_EQ(syntaxError(Grammar::kUpdate, "SET a = :v,"), "Syntax error; token: \"<EOF>\", near: \",\"");
}

TEST(Parser, PrecedenceNotAndOr) {
  auto r = parseExpression(Grammar::kCondition, "NOT a = :x OR b = :y AND c = :z");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Node& root = *(*r)->condition;
  ASSERT_EQ(root.kind, NodeKind::kOr);
  EXPECT_EQ(root.children[0]->kind, NodeKind::kNot);
  EXPECT_EQ(root.children[0]->children[0]->kind, NodeKind::kCompare);
  EXPECT_EQ(root.children[1]->kind, NodeKind::kAnd);
  EXPECT_EQ((*r)->value_refs.size(), 3u);
}

TEST(Parser, ParenthesizedOperandVsCondition) {
  auto r = parseExpression(Grammar::kCondition, "(a) = :x AND (b = :y)");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)->condition->kind, NodeKind::kAnd);
}

TEST(Parser, SlotsAreSharedByRepeatedReferences) {
  auto r = parseExpression(Grammar::kCondition, "#a = :v OR #a.b = :v");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->name_refs.size(), 1u);
  EXPECT_EQ((*r)->value_refs.size(), 1u);
}

TEST(Parser, UpdateClausesInAnyOrder) {
  auto r = parseExpression(Grammar::kUpdate, "REMOVE x, y[2] SET a = b + :c, d = list_append(d, :l) ADD n :one");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ((*r)->update.size(), 5u);
  EXPECT_EQ((*r)->update[0].kind, UpdateActionKind::kRemove);
  EXPECT_EQ((*r)->update[2].value->kind, NodeKind::kPlus);
  EXPECT_EQ((*r)->update[4].kind, UpdateActionKind::kAdd);
}

TEST(Parser, DeepNestingIsRejectedWithoutCrashing) {
  std::string deep(4000, '(');
  EXPECT_NE(syntaxError(Grammar::kCondition, deep), "");
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "NOT ";
  nots += "a < b";
  EXPECT_NE(syntaxError(Grammar::kCondition, nots), "");
}

TEST(ReservedWords, FullListCaseInsensitive) {
  EXPECT_EQ(reservedWordCount(), 573u);
  EXPECT_TRUE(isReservedWord("status"));
  EXPECT_TRUE(isReservedWord("Name"));
  EXPECT_TRUE(isReservedWord("ZONE"));
  EXPECT_TRUE(isReservedWord("abort"));
  EXPECT_TRUE(isReservedWord("size"));  // yes: SIZE is reserved (the function name is not checked)
  EXPECT_FALSE(isReservedWord("attribute_exists"));
  EXPECT_FALSE(isReservedWord("pk"));
}

}  // namespace
}  // namespace fdyno::expr

// Tokenizer for DynamoDB expressions, and DynamoDB's syntax-error text.
//
// Contract:
// - tokenize() never fails: a character that starts no token becomes a
//   one-character kInvalid token (one UTF-8 code point); the parser reports
//   it like any unexpected token. The list always ends with kEof.
// - Tokens hold string_views into the caller's text, which must outlive them.
// - Thread safety: pure functions.
//
// DynamoDB's lexical rules (observed, see tests/expr_cases/syntax.txt):
//   identifier  [A-Za-z][A-Za-z0-9_]*     ("_x" is the invalid token "_" then "x")
//   #name       #[A-Za-z0-9_]+            (":" likewise for :value)
//   number      [0-9]+                    (only valid as a list index)
//   punctuation ( ) [ ] , . = <> < <= > >= + -
// Keywords (AND OR NOT BETWEEN IN SET REMOVE ADD DELETE) are identifiers the
// parser recognizes case-insensitively.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fdyno::expr {

enum class TokenKind : uint8_t {
  kIdentifier,
  kNameRef,
  kValueRef,
  kNumber,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kPlus,
  kMinus,
  kInvalid,
  kEof,
};

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string_view text;  // empty for kEof
  uint32_t pos = 0;       // byte offset; text.size() for kEof
};

std::vector<Token> tokenize(std::string_view text);

// True if `tok` is the identifier `keyword`, case-insensitively.
bool isKeyword(const Token& tok, std::string_view keyword);
// AND OR NOT BETWEEN IN SET REMOVE ADD DELETE.
bool isAnyKeyword(const Token& tok);

// DynamoDB's syntax error text, without the "Invalid XExpression: " prefix:
//   Syntax error; token: "<tok>", near: "<near>"
// where <tok> is the offending token ("<EOF>" at the end) and <near> is the
// source text from the start of the token before it (or the start of the
// text) to the end of the token after it (or the end of the text), e.g.
//   "SET a = 5"            -> token: "5", near: "= 5"
//   "  RESET NonExistent x" -> token: "RESET", near: "  RESET NonExistent"
std::string syntaxErrorMessage(std::string_view text, const std::vector<Token>& tokens,
                               size_t bad_index);

}  // namespace fdyno::expr

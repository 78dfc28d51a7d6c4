// PartiQL lexer: statement text -> tokens.
//
// Tokens: identifiers (unquoted: keywords are matched case-insensitively by
// the parser), "quoted identifiers" ("" escapes a quote), 'strings' (''
// escapes a quote), numbers (digits, optional fraction and exponent; the sign
// is a separate token), `?`, `*`, and punctuation ( ) [ ] { } , . : ; = <>
// != < <= > >= + - << >>.
//
// Contract: errors are kInvalidArgument with DynamoDB's prefix
// "Statement wasn't well formed, can't be processed: ". Thread safety: pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace fdyno::partiql {

inline constexpr std::string_view kSyntaxErrorPrefix = "Statement wasn't well formed, can't be processed: ";

enum class Tok : uint8_t {
  kIdent, kQuotedIdent, kString, kNumber, kParam, kStar,
  kLParen, kRParen, kLBracket, kRBracket, kLBrace, kRBrace,
  kComma, kDot, kColon, kSemicolon,
  kEq, kNe, kLt, kLe, kGt, kGe, kPlus, kMinus, kSetOpen, kSetClose,
  kEnd,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier / string content (unescaped), number text
  size_t pos = 0;    // byte offset in the statement
};

Result<std::vector<Token>> tokenize(std::string_view text);

// kInvalidArgument "Statement wasn't well formed, can't be processed: <detail>".
Status syntaxError(std::string_view detail);

}  // namespace fdyno::partiql

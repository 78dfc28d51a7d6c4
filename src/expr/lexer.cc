#include "expr/lexer.h"

#include "common/utf8.h"

#include <cctype>

#include "expr/ast.h"

namespace fdyno::expr {
namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isWordChar(char c) { return isAlpha(c) || isDigit(c) || c == '_'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Length of the UTF-8 code point starting at s[i] (1 for invalid bytes).
// A character the grammar does not know becomes one kInvalid token of the
// whole character, so messages quote it whole (never a lone byte of it).
size_t codePointLength(std::string_view s, size_t i) {
  size_t n = utf8SequenceLength(s, i);
  return n == 0 ? 1 : n;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  out.reserve(text.size() / 2 + 2);
  size_t i = 0;
  auto push = [&](TokenKind k, size_t start, size_t len) {
    out.push_back(Token{k, text.substr(start, len), static_cast<uint32_t>(start)});
  };
  while (i < text.size()) {
    char c = text[i];
    if (isSpace(c)) {
      ++i;
      continue;
    }
    size_t start = i;
    if (isAlpha(c)) {
      while (i < text.size() && isWordChar(text[i])) ++i;
      push(TokenKind::kIdentifier, start, i - start);
      continue;
    }
    if (isDigit(c)) {
      while (i < text.size() && isDigit(text[i])) ++i;
      push(TokenKind::kNumber, start, i - start);
      continue;
    }
    if ((c == '#' || c == ':') && i + 1 < text.size() && isWordChar(text[i + 1])) {
      ++i;
      while (i < text.size() && isWordChar(text[i])) ++i;
      push(c == '#' ? TokenKind::kNameRef : TokenKind::kValueRef, start, i - start);
      continue;
    }
    char n = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (c) {
      case '(': push(TokenKind::kLParen, i, 1); ++i; continue;
      case ')': push(TokenKind::kRParen, i, 1); ++i; continue;
      case '[': push(TokenKind::kLBracket, i, 1); ++i; continue;
      case ']': push(TokenKind::kRBracket, i, 1); ++i; continue;
      case ',': push(TokenKind::kComma, i, 1); ++i; continue;
      case '.': push(TokenKind::kDot, i, 1); ++i; continue;
      case '=': push(TokenKind::kEq, i, 1); ++i; continue;
      case '+': push(TokenKind::kPlus, i, 1); ++i; continue;
      case '-': push(TokenKind::kMinus, i, 1); ++i; continue;
      case '<':
        if (n == '>') { push(TokenKind::kNe, i, 2); i += 2; continue; }
        if (n == '=') { push(TokenKind::kLe, i, 2); i += 2; continue; }
        push(TokenKind::kLt, i, 1); ++i; continue;
      case '>':
        if (n == '=') { push(TokenKind::kGe, i, 2); i += 2; continue; }
        push(TokenKind::kGt, i, 1); ++i; continue;
      default: {
        size_t len = codePointLength(text, i);
        push(TokenKind::kInvalid, i, len);
        i += len;
        continue;
      }
    }
  }
  out.push_back(Token{TokenKind::kEof, std::string_view(), static_cast<uint32_t>(text.size())});
  return out;
}

bool isKeyword(const Token& tok, std::string_view keyword) {
  if (tok.kind != TokenKind::kIdentifier || tok.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(tok.text[i])) != keyword[i]) return false;
  }
  return true;
}

bool isAnyKeyword(const Token& tok) {
  static constexpr std::string_view kKeywords[] = {"AND", "OR",     "NOT", "BETWEEN", "IN",
                                                   "SET", "REMOVE", "ADD", "DELETE"};
  if (tok.kind != TokenKind::kIdentifier) return false;
  for (std::string_view k : kKeywords) {
    if (isKeyword(tok, k)) return true;
  }
  return false;
}

std::string syntaxErrorMessage(std::string_view text, const std::vector<Token>& tokens,
                               size_t bad_index) {
  const Token& bad = tokens[bad_index];
  size_t start = bad_index > 0 ? tokens[bad_index - 1].pos : 0;
  size_t end = text.size();
  if (bad.kind != TokenKind::kEof && bad_index + 1 < tokens.size() &&
      tokens[bad_index + 1].kind != TokenKind::kEof) {
    const Token& next = tokens[bad_index + 1];
    end = next.pos + next.text.size();
  }
  std::string msg = "Syntax error; token: \"";
  msg += bad.kind == TokenKind::kEof ? std::string_view("<EOF>") : bad.text;
  msg += "\", near: \"";
  msg += text.substr(start, end - start);
  msg += "\"";
  return msg;
}

std::string_view functionName(Function f) {
  switch (f) {
    case Function::kAttributeExists: return "attribute_exists";
    case Function::kAttributeNotExists: return "attribute_not_exists";
    case Function::kAttributeType: return "attribute_type";
    case Function::kBeginsWith: return "begins_with";
    case Function::kContains: return "contains";
    case Function::kSize: return "size";
    case Function::kIfNotExists: return "if_not_exists";
    case Function::kListAppend: return "list_append";
    case Function::kUnknown: break;
  }
  return "";
}

Function functionFromName(std::string_view name) {
  static constexpr Function kAll[] = {Function::kAttributeExists, Function::kAttributeNotExists,
                                      Function::kAttributeType,   Function::kBeginsWith,
                                      Function::kContains,        Function::kSize,
                                      Function::kIfNotExists,     Function::kListAppend};
  for (Function f : kAll) {
    if (functionName(f) == name) return f;
  }
  return Function::kUnknown;
}

}  // namespace fdyno::expr

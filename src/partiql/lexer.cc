#include "partiql/lexer.h"

#include "common/utf8.h"

#include <cctype>

namespace fdyno::partiql {

Status syntaxError(std::string_view detail) {
  std::string msg(kSyntaxErrorPrefix);
  msg += detail;
  return Status::InvalidArgument(msg);
}

namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool isIdentChar(char c) { return isIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)); }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Reads a quoted run starting at text[i] == q; a doubled quote is one quote.
Result<std::string> readQuoted(std::string_view text, size_t& i, char q) {
  std::string out;
  ++i;
  while (i < text.size()) {
    char c = text[i];
    if (c == q) {
      if (i + 1 < text.size() && text[i + 1] == q) {
        out += q;
        i += 2;
        continue;
      }
      ++i;
      return out;
    }
    out += c;
    ++i;
  }
  return syntaxError(q == '\'' ? "Unterminated string literal" : "Unterminated quoted identifier");
}

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  auto push = [&](Tok k, size_t pos, size_t len) {
    out.push_back(Token{k, std::string(text.substr(pos, len)), pos});
    i = pos + len;
  };
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    // -- line comments
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    size_t start = i;
    if (isIdentStart(c)) {
      while (i < text.size() && isIdentChar(text[i])) ++i;
      out.push_back(Token{Tok::kIdent, std::string(text.substr(start, i - start)), start});
      continue;
    }
    if (isDigit(c) || (c == '.' && i + 1 < text.size() && isDigit(text[i + 1]))) {
      while (i < text.size() && isDigit(text[i])) ++i;
      if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && isDigit(text[i])) ++i;
      }
      if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        size_t j = i + 1;
        if (j < text.size() && (text[j] == '+' || text[j] == '-')) ++j;
        if (j < text.size() && isDigit(text[j])) {
          i = j;
          while (i < text.size() && isDigit(text[i])) ++i;
        }
      }
      out.push_back(Token{Tok::kNumber, std::string(text.substr(start, i - start)), start});
      continue;
    }
    if (c == '\'' || c == '"') {
      FDYNO_ASSIGN_OR_RETURN(std::string s, readQuoted(text, i, c));
      out.push_back(Token{c == '\'' ? Tok::kString : Tok::kQuotedIdent, std::move(s), start});
      continue;
    }
    char n = i + 1 < text.size() ? text[i + 1] : '\0';
    switch (c) {
      case '?': push(Tok::kParam, start, 1); break;
      case '*': push(Tok::kStar, start, 1); break;
      case '(': push(Tok::kLParen, start, 1); break;
      case ')': push(Tok::kRParen, start, 1); break;
      case '[': push(Tok::kLBracket, start, 1); break;
      case ']': push(Tok::kRBracket, start, 1); break;
      case '{': push(Tok::kLBrace, start, 1); break;
      case '}': push(Tok::kRBrace, start, 1); break;
      case ',': push(Tok::kComma, start, 1); break;
      case '.': push(Tok::kDot, start, 1); break;
      case ':': push(Tok::kColon, start, 1); break;
      case ';': push(Tok::kSemicolon, start, 1); break;
      case '=': push(Tok::kEq, start, 1); break;
      case '+': push(Tok::kPlus, start, 1); break;
      case '-': push(Tok::kMinus, start, 1); break;
      case '!':
        if (n != '=') return syntaxError("Unexpected character '!'");
        push(Tok::kNe, start, 2);
        break;
      case '<':
        if (n == '>') push(Tok::kNe, start, 2);
        else if (n == '=') push(Tok::kLe, start, 2);
        else if (n == '<') push(Tok::kSetOpen, start, 2);
        else push(Tok::kLt, start, 1);
        break;
      case '>':
        if (n == '=') push(Tok::kGe, start, 2);
        else if (n == '>') push(Tok::kSetClose, start, 2);
        else push(Tok::kGt, start, 1);
        break;
      default: {
        // Quote the whole character: a lone byte of a multi-byte one would
        // make the message (and so the response) invalid UTF-8.
        size_t n = utf8SequenceLength(text, i);
        return syntaxError("Unexpected character '" + std::string(text.substr(i, n == 0 ? 1 : n)) + "'");
      }
    }
  }
  out.push_back(Token{Tok::kEnd, "", text.size()});
  return out;
}

}  // namespace fdyno::partiql

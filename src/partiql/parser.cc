#include "partiql/parser.h"

#include <strings.h>

#include <charconv>
#include <utility>
#include <vector>

#include "partiql/lexer.h"

namespace fdyno::partiql {

namespace {

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : t_(std::move(toks)) {}

  Result<Statement> statement() {
    Statement s;
    if (isKw("SELECT")) {
      FDYNO_RETURN_IF_ERROR(select(s));
    } else if (isKw("INSERT")) {
      FDYNO_RETURN_IF_ERROR(insert(s));
    } else if (isKw("UPDATE")) {
      FDYNO_RETURN_IF_ERROR(update(s));
    } else if (isKw("DELETE")) {
      FDYNO_RETURN_IF_ERROR(del(s));
    } else if (isKw("EXISTS") && peek(1).kind == Tok::kLParen) {
      p_ += 2;
      if (!isKw("SELECT")) return unexpected();
      FDYNO_RETURN_IF_ERROR(select(s));
      FDYNO_RETURN_IF_ERROR(expect(Tok::kRParen));
      if (s.order_by || !s.where) return syntaxError("EXISTS requires a SELECT with a WHERE clause and no ORDER BY");
      s.kind = StatementKind::kExists;
    } else {
      return unexpected();
    }
    if (peek().kind == Tok::kSemicolon) ++p_;
    if (peek().kind != Tok::kEnd) return unexpected();
    s.param_count = params_;
    return s;
  }

 private:
  const Token& peek(size_t ahead = 0) const {
    size_t i = p_ + ahead;
    return i < t_.size() ? t_[i] : t_.back();
  }
  bool isKw(std::string_view kw, size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == Tok::kIdent && t.text.size() == kw.size() && strncasecmp(t.text.c_str(), kw.data(), kw.size()) == 0;
  }
  bool acceptKw(std::string_view kw) {
    if (!isKw(kw)) return false;
    ++p_;
    return true;
  }
  bool accept(Tok k) {
    if (peek().kind != k) return false;
    ++p_;
    return true;
  }
  Status unexpected() const {
    const Token& t = peek();
    if (t.kind == Tok::kEnd) return syntaxError("Unexpected end of statement");
    std::string what = t.kind == Tok::kIdent ? "Unexpected keyword" : "Unexpected token";
    return syntaxError(what + " '" + t.text + "' at position " + std::to_string(t.pos));
  }
  Status expectKw(std::string_view kw) { return acceptKw(kw) ? Status::OK() : unexpected(); }
  Status expect(Tok k) { return accept(k) ? Status::OK() : unexpected(); }

  static bool isReserved(const std::string& w) {
    static constexpr std::string_view kWords[] = {"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "INSERT", "INTO",
                                                  "VALUE", "UPDATE", "SET", "REMOVE", "DELETE", "BETWEEN", "IN",
                                                  "IS", "ORDER", "BY", "MISSING", "NULL", "TRUE", "FALSE"};
    for (auto k : kWords) {
      if (w.size() == k.size() && strncasecmp(w.c_str(), k.data(), k.size()) == 0) return true;
    }
    return false;
  }

  Result<std::string> name() {
    const Token& t = peek();
    if (t.kind == Tok::kQuotedIdent || (t.kind == Tok::kIdent && !isReserved(t.text))) {
      ++p_;
      return t.text;
    }
    return unexpected();
  }

  Status table(Statement& s) {
    FDYNO_ASSIGN_OR_RETURN(s.table, name());
    if (accept(Tok::kDot)) {
      FDYNO_ASSIGN_OR_RETURN(std::string ix, name());
      s.index = std::move(ix);
    }
    return Status::OK();
  }

  Result<Path> path() {
    Path out;
    FDYNO_ASSIGN_OR_RETURN(std::string first, name());
    out.steps.push_back(PathStep{false, std::move(first), 0});
    for (;;) {
      if (accept(Tok::kDot)) {
        FDYNO_ASSIGN_OR_RETURN(std::string f, name());
        out.steps.push_back(PathStep{false, std::move(f), 0});
      } else if (accept(Tok::kLBracket)) {
        const Token& t = peek();
        if (t.kind == Tok::kString) {
          out.steps.push_back(PathStep{false, t.text, 0});
        } else if (t.kind == Tok::kNumber) {
          uint32_t n = 0;
          auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), n);
          if (ec != std::errc() || ptr != t.text.data() + t.text.size()) return syntaxError("Invalid path index " + t.text);
          out.steps.push_back(PathStep{true, "", n});
        } else {
          return unexpected();
        }
        ++p_;
        FDYNO_RETURN_IF_ERROR(expect(Tok::kRBracket));
      } else {
        return out;
      }
    }
  }

  Status select(Statement& s) {
    s.kind = StatementKind::kSelect;
    ++p_;
    if (!accept(Tok::kStar)) {
      do {
        FDYNO_ASSIGN_OR_RETURN(Path pth, path());
        s.projection.push_back(std::move(pth));
      } while (accept(Tok::kComma));
    }
    FDYNO_RETURN_IF_ERROR(expectKw("FROM"));
    FDYNO_RETURN_IF_ERROR(table(s));
    if (acceptKw("WHERE")) {
      FDYNO_ASSIGN_OR_RETURN(s.where, condition(0));
    }
    if (acceptKw("ORDER")) {
      FDYNO_RETURN_IF_ERROR(expectKw("BY"));
      FDYNO_ASSIGN_OR_RETURN(Path pth, path());
      s.order_by = std::move(pth);
      if (acceptKw("DESC")) {
        s.order_desc = true;
      } else {
        acceptKw("ASC");
      }
    }
    return Status::OK();
  }

  Status insert(Statement& s) {
    s.kind = StatementKind::kInsert;
    ++p_;
    FDYNO_RETURN_IF_ERROR(expectKw("INTO"));
    FDYNO_RETURN_IF_ERROR(table(s));
    if (s.index) return syntaxError("Unexpected index name in INSERT");
    FDYNO_RETURN_IF_ERROR(expectKw("VALUE"));
    if (peek().kind != Tok::kLBrace && peek().kind != Tok::kParam) return unexpected();
    FDYNO_ASSIGN_OR_RETURN(s.item, value(0));
    return Status::OK();
  }

  Status update(Statement& s) {
    s.kind = StatementKind::kUpdate;
    ++p_;
    FDYNO_RETURN_IF_ERROR(table(s));
    bool any = false;
    for (;;) {
      if (acceptKw("SET")) {
        do {
          SetAction a;
          FDYNO_ASSIGN_OR_RETURN(a.path, path());
          FDYNO_RETURN_IF_ERROR(expect(Tok::kEq));
          FDYNO_ASSIGN_OR_RETURN(a.value, additive(0));
          s.sets.push_back(std::move(a));
        } while (accept(Tok::kComma));
      } else if (acceptKw("REMOVE")) {
        do {
          FDYNO_ASSIGN_OR_RETURN(Path pth, path());
          s.removes.push_back(std::move(pth));
        } while (accept(Tok::kComma));
      } else {
        break;
      }
      any = true;
    }
    if (!any) return unexpected();
    FDYNO_RETURN_IF_ERROR(expectKw("WHERE"));
    FDYNO_ASSIGN_OR_RETURN(s.where, condition(0));
    return Status::OK();
  }

  Status del(Statement& s) {
    s.kind = StatementKind::kDelete;
    ++p_;
    FDYNO_RETURN_IF_ERROR(expectKw("FROM"));
    FDYNO_RETURN_IF_ERROR(table(s));
    FDYNO_RETURN_IF_ERROR(expectKw("WHERE"));
    FDYNO_ASSIGN_OR_RETURN(s.where, condition(0));
    return Status::OK();
  }

  static std::unique_ptr<Expr> binary(ExprKind k, std::unique_ptr<Expr> a, std::unique_ptr<Expr> b) {
    auto e = std::make_unique<Expr>();
    e->kind = k;
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  Status deeper(int depth) const {
    return depth > kMaxDepth ? syntaxError("Statement nesting is too deep") : Status::OK();
  }

  // cond := and (OR and)*
  Result<std::unique_ptr<Expr>> condition(int depth) {
    FDYNO_RETURN_IF_ERROR(deeper(depth));
    FDYNO_ASSIGN_OR_RETURN(auto left, conjunction(depth + 1));
    while (acceptKw("OR")) {
      FDYNO_ASSIGN_OR_RETURN(auto right, conjunction(depth + 1));
      left = binary(ExprKind::kOr, std::move(left), std::move(right));
    }
    return left;
  }

  Result<std::unique_ptr<Expr>> conjunction(int depth) {
    FDYNO_ASSIGN_OR_RETURN(auto left, negation(depth));
    while (acceptKw("AND")) {
      FDYNO_ASSIGN_OR_RETURN(auto right, negation(depth));
      left = binary(ExprKind::kAnd, std::move(left), std::move(right));
    }
    return left;
  }

  Result<std::unique_ptr<Expr>> negation(int depth) {
    if (acceptKw("NOT")) {
      FDYNO_RETURN_IF_ERROR(deeper(depth + 1));
      FDYNO_ASSIGN_OR_RETURN(auto inner, negation(depth + 1));
      auto e = std::make_unique<Expr>();
      e->kind = ExprKind::kNot;
      e->args.push_back(std::move(inner));
      return e;
    }
    return predicate(depth);
  }

  Result<std::unique_ptr<Expr>> predicate(int depth) {
    // A parenthesized condition (not a value list: conditions never start a list).
    if (peek().kind == Tok::kLParen) {
      ++p_;
      FDYNO_ASSIGN_OR_RETURN(auto inner, condition(depth + 1));
      FDYNO_RETURN_IF_ERROR(expect(Tok::kRParen));
      return inner;
    }
    FDYNO_ASSIGN_OR_RETURN(auto left, additive(depth));
    std::optional<CompareOp> op;
    switch (peek().kind) {
      case Tok::kEq: op = CompareOp::kEq; break;
      case Tok::kNe: op = CompareOp::kNe; break;
      case Tok::kLt: op = CompareOp::kLt; break;
      case Tok::kLe: op = CompareOp::kLe; break;
      case Tok::kGt: op = CompareOp::kGt; break;
      case Tok::kGe: op = CompareOp::kGe; break;
      default: break;
    }
    if (op) {
      ++p_;
      FDYNO_ASSIGN_OR_RETURN(auto right, additive(depth));
      auto e = binary(ExprKind::kCompare, std::move(left), std::move(right));
      e->op = *op;
      return e;
    }
    bool negate = false;
    if (isKw("NOT") && (isKw("BETWEEN", 1) || isKw("IN", 1))) {
      ++p_;
      negate = true;
    }
    std::unique_ptr<Expr> result;
    if (acceptKw("BETWEEN")) {
      FDYNO_ASSIGN_OR_RETURN(auto lo, additive(depth));
      FDYNO_RETURN_IF_ERROR(expectKw("AND"));
      FDYNO_ASSIGN_OR_RETURN(auto hi, additive(depth));
      result = binary(ExprKind::kBetween, std::move(left), std::move(lo));
      result->args.push_back(std::move(hi));
    } else if (acceptKw("IN")) {
      Tok close;
      if (accept(Tok::kLParen)) {
        close = Tok::kRParen;
      } else if (accept(Tok::kLBracket)) {
        close = Tok::kRBracket;
      } else {
        return unexpected();
      }
      result = std::make_unique<Expr>();
      result->kind = ExprKind::kIn;
      result->args.push_back(std::move(left));
      do {
        FDYNO_ASSIGN_OR_RETURN(auto v, additive(depth));
        result->args.push_back(std::move(v));
      } while (accept(Tok::kComma));
      FDYNO_RETURN_IF_ERROR(expect(close));
    } else if (acceptKw("IS")) {
      result = std::make_unique<Expr>();
      result->kind = ExprKind::kIs;
      result->negated = acceptKw("NOT");
      if (acceptKw("MISSING")) {
        result->is = IsWhat::kMissing;
      } else if (acceptKw("NULL")) {
        result->is = IsWhat::kNull;
      } else {
        return unexpected();
      }
      result->args.push_back(std::move(left));
    } else {
      // A bare operand: a function call such as begins_with(...) stands alone.
      return left;
    }
    if (negate) {
      auto n = std::make_unique<Expr>();
      n->kind = ExprKind::kNot;
      n->args.push_back(std::move(result));
      return n;
    }
    return result;
  }

  // operand ((+|-) operand)*
  Result<std::unique_ptr<Expr>> additive(int depth) {
    FDYNO_RETURN_IF_ERROR(deeper(depth));
    FDYNO_ASSIGN_OR_RETURN(auto left, operand(depth + 1));
    while (peek().kind == Tok::kPlus || peek().kind == Tok::kMinus) {
      char c = peek().kind == Tok::kPlus ? '+' : '-';
      ++p_;
      FDYNO_ASSIGN_OR_RETURN(auto right, operand(depth + 1));
      left = binary(ExprKind::kArith, std::move(left), std::move(right));
      left->arith = c;
    }
    return left;
  }

  bool startsValue() const {
    switch (peek().kind) {
      case Tok::kString: case Tok::kNumber: case Tok::kParam: case Tok::kLBracket:
      case Tok::kLBrace: case Tok::kSetOpen:
        return true;
      case Tok::kMinus:
        return peek(1).kind == Tok::kNumber;
      case Tok::kIdent:
        return isKw("TRUE") || isKw("FALSE") || isKw("NULL");
      default:
        return false;
    }
  }

  Result<std::unique_ptr<Expr>> operand(int depth) {
    FDYNO_RETURN_IF_ERROR(deeper(depth));
    auto e = std::make_unique<Expr>();
    if (startsValue()) {
      e->kind = ExprKind::kValue;
      FDYNO_ASSIGN_OR_RETURN(e->value, value(depth + 1));
      return e;
    }
    if (peek().kind == Tok::kIdent && peek(1).kind == Tok::kLParen && !isReserved(peek().text)) {
      e->kind = ExprKind::kCall;
      for (char c : peek().text) e->name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      p_ += 2;
      if (!accept(Tok::kRParen)) {
        do {
          FDYNO_ASSIGN_OR_RETURN(auto a, additive(depth + 1));
          e->args.push_back(std::move(a));
        } while (accept(Tok::kComma));
        FDYNO_RETURN_IF_ERROR(expect(Tok::kRParen));
      }
      return e;
    }
    e->kind = ExprKind::kPath;
    FDYNO_ASSIGN_OR_RETURN(e->path, path());
    return e;
  }

  Result<Value> value(int depth) {
    FDYNO_RETURN_IF_ERROR(deeper(depth));
    Value v;
    const Token& t = peek();
    switch (t.kind) {
      case Tok::kString:
        v.kind = Value::Kind::kString;
        v.text = t.text;
        ++p_;
        return v;
      case Tok::kNumber:
        v.kind = Value::Kind::kNumber;
        v.text = t.text;
        ++p_;
        return v;
      case Tok::kMinus:
        if (peek(1).kind != Tok::kNumber) return unexpected();
        v.kind = Value::Kind::kNumber;
        v.text = "-" + peek(1).text;
        p_ += 2;
        return v;
      case Tok::kParam:
        v.kind = Value::Kind::kParam;
        v.param = params_++;
        ++p_;
        return v;
      case Tok::kLBracket:
      case Tok::kSetOpen: {
        bool is_set = t.kind == Tok::kSetOpen;
        Tok close = is_set ? Tok::kSetClose : Tok::kRBracket;
        v.kind = is_set ? Value::Kind::kSet : Value::Kind::kList;
        ++p_;
        if (!accept(close)) {
          do {
            FDYNO_ASSIGN_OR_RETURN(Value e, value(depth + 1));
            v.elems.push_back(std::move(e));
          } while (accept(Tok::kComma));
          FDYNO_RETURN_IF_ERROR(expect(close));
        }
        return v;
      }
      case Tok::kLBrace:
        v.kind = Value::Kind::kMap;
        ++p_;
        if (!accept(Tok::kRBrace)) {
          do {
            if (peek().kind != Tok::kString) return unexpected();
            std::string key = peek().text;
            ++p_;
            FDYNO_RETURN_IF_ERROR(expect(Tok::kColon));
            FDYNO_ASSIGN_OR_RETURN(Value e, value(depth + 1));
            v.fields.emplace_back(std::move(key), std::move(e));
          } while (accept(Tok::kComma));
          FDYNO_RETURN_IF_ERROR(expect(Tok::kRBrace));
        }
        return v;
      case Tok::kIdent:
        if (acceptKw("TRUE") || acceptKw("FALSE")) {
          v.kind = Value::Kind::kBool;
          v.boolean = strncasecmp(t.text.c_str(), "TRUE", 4) == 0;
          return v;
        }
        if (acceptKw("NULL")) {
          v.kind = Value::Kind::kNull;
          return v;
        }
        return unexpected();
      default:
        return unexpected();
    }
  }

  std::vector<Token> t_;
  size_t p_ = 0;
  size_t params_ = 0;
};

}  // namespace

Result<Statement> parseStatement(std::string_view text) {
  FDYNO_ASSIGN_OR_RETURN(std::vector<Token> toks, tokenize(text));
  Parser p(std::move(toks));
  return p.statement();
}

}  // namespace fdyno::partiql

#include "expr/parser.h"

#include <string>
#include <unordered_map>

#include "expr/lexer.h"

namespace fdyno::expr {
namespace {

class Parser {
 public:
  Parser(std::string_view text, Grammar grammar)
      : text_(text), grammar_(grammar), toks_(tokenize(text)), out_(std::make_unique<ParsedExpression>()) {}

  Result<std::unique_ptr<ParsedExpression>> run() {
    switch (grammar_) {
      case Grammar::kCondition: out_->condition = parseOr(); break;
      case Grammar::kUpdate: parseUpdate(); break;
      case Grammar::kProjection: parseProjection(); break;
    }
    if (!failed_ && cur().kind != TokenKind::kEof) fail();
    if (failed_) return Status::InvalidArgument(syntaxErrorMessage(text_, toks_, fail_index_));
    if (!limit_error_.empty()) return Status::InvalidArgument(limit_error_);
    if (operators_ > kMaxOperators) {
      return Status::InvalidArgument("The expression contains too many operators; operator count: " +
                                     std::to_string(operators_));
    }
    FDYNO_RETURN_IF_ERROR(checkParsed(grammar_, *out_, redundant_, repeated_section_));
    return std::move(out_);
  }

 private:
  const Token& cur() const { return toks_[pos_]; }
  const Token& peek(size_t n = 1) const {
    return toks_[pos_ + n < toks_.size() ? pos_ + n : toks_.size() - 1];
  }
  void advance() {
    if (pos_ + 1 < toks_.size()) ++pos_;
  }
  // Records the first syntax error (at the current token) and returns null.
  std::nullptr_t fail() {
    if (!failed_) {
      failed_ = true;
      fail_index_ = pos_;
    }
    return nullptr;
  }
  bool expect(TokenKind k) {
    if (failed_ || cur().kind != k) {
      fail();
      return false;
    }
    advance();
    return true;
  }
  void limitError(std::string msg) {
    if (limit_error_.empty()) limit_error_ = std::move(msg);
  }

  // ---- conditions ----
  std::unique_ptr<Node> binary(NodeKind kind, std::unique_ptr<Node> l, std::unique_ptr<Node> r, uint32_t pos) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->pos = pos;
    n->children.push_back(std::move(l));
    n->children.push_back(std::move(r));
    return n;
  }

  std::unique_ptr<Node> parseOr() {
    auto left = parseAnd();
    while (left && isKeyword(cur(), "OR")) {
      uint32_t p = cur().pos;
      advance();
      ++operators_;
      auto right = parseAnd();
      if (!right) return nullptr;
      left = binary(NodeKind::kOr, std::move(left), std::move(right), p);
    }
    return left;
  }

  std::unique_ptr<Node> parseAnd() {
    auto left = parseNot();
    while (left && isKeyword(cur(), "AND")) {
      uint32_t p = cur().pos;
      advance();
      ++operators_;
      auto right = parseNot();
      if (!right) return nullptr;
      left = binary(NodeKind::kAnd, std::move(left), std::move(right), p);
    }
    return left;
  }

  std::unique_ptr<Node> parseNot() {
    if (++depth_ > kMaxParseDepth) return fail();
    std::unique_ptr<Node> result;
    if (isKeyword(cur(), "NOT")) {
      auto n = std::make_unique<Node>();
      n->kind = NodeKind::kNot;
      n->pos = cur().pos;
      advance();
      ++operators_;
      auto child = parseNot();
      if (child) {
        n->children.push_back(std::move(child));
        result = std::move(n);
      }
    } else if (cur().kind == TokenKind::kLParen && groupIsCondition(pos_)) {
      advance();
      auto inner = parseOr();
      if (inner && expect(TokenKind::kRParen)) {
        if (inner->parenthesized) redundant_ = true;
        inner->parenthesized = true;
        result = std::move(inner);
      }
    } else {
      result = parseComparison();
    }
    --depth_;
    return result;
  }

  static bool startsComparison(const Token& t) {
    return (t.kind >= TokenKind::kEq && t.kind <= TokenKind::kGe) || isKeyword(t, "BETWEEN") ||
           isKeyword(t, "IN");
  }

  // For a '(' at token index i: is the group a condition (not an operand)?
  bool groupIsCondition(size_t i) const {
    int level = 0;
    for (size_t j = i; j < toks_.size(); ++j) {
      if (toks_[j].kind == TokenKind::kLParen) ++level;
      if (toks_[j].kind == TokenKind::kRParen && --level == 0) {
        return j + 1 >= toks_.size() || !startsComparison(toks_[j + 1]);
      }
    }
    return true;
  }

  std::unique_ptr<Node> parseComparison() {
    auto lhs = parseOperand();
    if (!lhs) return nullptr;
    const Token& t = cur();
    auto n = std::make_unique<Node>();
    n->pos = t.pos;
    if (t.kind >= TokenKind::kEq && t.kind <= TokenKind::kGe) {
      static constexpr CompareOp kOps[] = {CompareOp::kEq, CompareOp::kNe, CompareOp::kLt,
                                           CompareOp::kLe, CompareOp::kGt, CompareOp::kGe};
      n->kind = NodeKind::kCompare;
      n->op = kOps[static_cast<int>(t.kind) - static_cast<int>(TokenKind::kEq)];
      advance();
      ++operators_;
      auto rhs = parseOperand();
      if (!rhs) return nullptr;
      n->children.push_back(std::move(lhs));
      n->children.push_back(std::move(rhs));
      return n;
    }
    if (isKeyword(t, "BETWEEN")) {
      n->kind = NodeKind::kBetween;
      advance();
      ++operators_;
      auto lo = parseOperand();
      if (!lo || !isKeyword(cur(), "AND")) return fail();
      advance();
      auto hi = parseOperand();
      if (!hi) return nullptr;
      n->children.push_back(std::move(lhs));
      n->children.push_back(std::move(lo));
      n->children.push_back(std::move(hi));
      return n;
    }
    if (isKeyword(t, "IN")) {
      n->kind = NodeKind::kIn;
      advance();
      ++operators_;
      n->children.push_back(std::move(lhs));
      if (!expect(TokenKind::kLParen)) return nullptr;
      do {
        if (n->children.size() > 1) advance();  // the comma
        auto c = parseOperand();
        if (!c) return nullptr;
        n->children.push_back(std::move(c));
      } while (cur().kind == TokenKind::kComma);
      if (!expect(TokenKind::kRParen)) return nullptr;
      size_t count = n->children.size() - 1;
      if (count > kMaxInOperands) {
        limitError("The IN operator is provided with too many operands; number of operands: " +
                   std::to_string(count));
      }
      return n;
    }
    // A bare function call is a condition (attribute_exists(a), ...).
    if (lhs->kind == NodeKind::kFunction && !lhs->parenthesized) return lhs;
    return fail();
  }

  std::unique_ptr<Node> parseOperand() {
    if (cur().kind == TokenKind::kLParen && grammar_ == Grammar::kCondition) {
      if (++depth_ > kMaxParseDepth) return fail();
      advance();
      auto inner = parseOperand();
      --depth_;
      if (!inner || !expect(TokenKind::kRParen)) return nullptr;
      if (inner->parenthesized) redundant_ = true;
      inner->parenthesized = true;
      // "(b.c).d": a parenthesized path may continue (dynalite's grammar).
      if (inner->kind == NodeKind::kPath &&
          (cur().kind == TokenKind::kDot || cur().kind == TokenKind::kLBracket)) {
        if (!parsePathRest(inner->path)) return nullptr;
      }
      return inner;
    }
    const Token& t = cur();
    if (t.kind == TokenKind::kValueRef) {
      auto n = std::make_unique<Node>();
      n->kind = NodeKind::kValue;
      n->text = std::string(t.text);
      n->slot = intern(out_->value_refs, value_slots_, t.text);
      n->pos = t.pos;
      advance();
      return n;
    }
    if (t.kind == TokenKind::kIdentifier && !isAnyKeyword(t) && peek().kind == TokenKind::kLParen) {
      return parseFunction();
    }
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::kPath;
    n->pos = t.pos;
    if (!parsePath(n->path)) return nullptr;
    return n;
  }

  std::unique_ptr<Node> parseFunction() {
    if (++depth_ > kMaxParseDepth) return fail();
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::kFunction;
    n->text = std::string(cur().text);
    n->function = functionFromName(n->text);
    n->pos = cur().pos;
    advance();  // name
    advance();  // '('
    ++operators_;
    do {
      if (!n->children.empty()) advance();  // the comma
      auto arg = parseOperand();
      if (!arg) return nullptr;
      n->children.push_back(std::move(arg));
    } while (cur().kind == TokenKind::kComma);
    if (!expect(TokenKind::kRParen)) return nullptr;
    --depth_;
    return n;
  }

  // ---- paths ----
  uint32_t intern(std::vector<std::string>& refs, std::unordered_map<std::string_view, uint32_t>& slots,
                  std::string_view ref) {
    auto it = slots.find(ref);
    if (it != slots.end()) return it->second;
    uint32_t slot = static_cast<uint32_t>(refs.size());
    refs.emplace_back(ref);
    slots.emplace(ref, slot);
    return slot;
  }

  bool parsePathName(Path& path) {
    const Token& t = cur();
    PathElement e;
    if (t.kind == TokenKind::kIdentifier && !isAnyKeyword(t)) {
      e.kind = PathElement::Kind::kName;
      e.text = std::string(t.text);
    } else if (t.kind == TokenKind::kNameRef) {
      e.kind = PathElement::Kind::kNameRef;
      e.text = std::string(t.text);
      e.slot = intern(out_->name_refs, name_slots_, t.text);
    } else {
      fail();
      return false;
    }
    advance();
    path.elements.push_back(std::move(e));
    return true;
  }

  bool parsePath(Path& path) {
    path.pos = cur().pos;
    if (!parsePathName(path)) return false;
    return parsePathRest(path);
  }

  bool parsePathRest(Path& path) {
    for (;;) {
      if (cur().kind == TokenKind::kDot) {
        advance();
        if (!parsePathName(path)) return false;
      } else if (cur().kind == TokenKind::kLBracket) {
        advance();
        if (cur().kind != TokenKind::kNumber) return fail(), false;
        std::string_view digits = cur().text;
        size_t first = digits.find_first_not_of('0');
        std::string_view sig = first == std::string_view::npos ? std::string_view("0") : digits.substr(first);
        uint64_t v = 0;
        bool too_big = sig.size() > 10;
        for (char c : sig) v = v * 10 + static_cast<uint64_t>(c - '0');
        if (too_big || v > 0x7fffffffULL) {
          limitError("List index is not within the allowable range; index: [" + std::string(digits) + "]");
          v = 0;
        }
        advance();
        if (!expect(TokenKind::kRBracket)) return false;
        PathElement e;
        e.kind = PathElement::Kind::kIndex;
        e.index = static_cast<uint32_t>(v);
        path.elements.push_back(std::move(e));
      } else {
        break;
      }
    }
    if (path.elements.size() > kMaxPathDepth) {
      limitError("The document path has too many nesting levels; nesting levels: " +
                 std::to_string(path.elements.size()));
    }
    return true;
  }

  // ---- update ----
  std::unique_ptr<Node> parseUpdateValue() {
    const Token& t = cur();
    if (t.kind == TokenKind::kIdentifier && !isAnyKeyword(t) && peek().kind == TokenKind::kLParen) {
      if (++depth_ > kMaxParseDepth) return fail();
      auto n = std::make_unique<Node>();
      n->kind = NodeKind::kFunction;
      n->text = std::string(t.text);
      n->function = functionFromName(n->text);
      n->pos = t.pos;
      advance();
      advance();
      ++operators_;
      do {
        if (!n->children.empty()) advance();
        auto arg = parseUpdateValue();
        if (!arg) return nullptr;
        n->children.push_back(std::move(arg));
      } while (cur().kind == TokenKind::kComma);
      if (!expect(TokenKind::kRParen)) return nullptr;
      --depth_;
      return n;
    }
    return parseOperand();  // path or :value (no parentheses in updates)
  }

  bool parseSetAction() {
    UpdateAction a;
    a.kind = UpdateActionKind::kSet;
    if (!parsePath(a.path) || !expect(TokenKind::kEq)) return false;
    auto v = parseUpdateValue();
    if (!v) return false;
    if (cur().kind == TokenKind::kPlus || cur().kind == TokenKind::kMinus) {
      NodeKind k = cur().kind == TokenKind::kPlus ? NodeKind::kPlus : NodeKind::kMinus;
      uint32_t p = cur().pos;
      advance();
      ++operators_;
      auto r = parseUpdateValue();
      if (!r) return false;
      v = binary(k, std::move(v), std::move(r), p);
    }
    a.value = std::move(v);
    out_->update.push_back(std::move(a));
    return true;
  }

  void parseUpdate() {
    bool seen[4] = {false, false, false, false};
    static constexpr std::string_view kClauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
    do {
      int clause = -1;
      for (int i = 0; i < 4; ++i) {
        if (isKeyword(cur(), kClauses[i])) clause = i;
      }
      if (clause < 0) return (void)fail();
      if (seen[clause] && repeated_section_.empty()) repeated_section_ = kClauses[clause];
      seen[clause] = true;
      advance();
      bool first = true;
      while (first || cur().kind == TokenKind::kComma) {
        if (!first) advance();
        first = false;
        if (clause == 0) {
          if (!parseSetAction()) return;
          continue;
        }
        UpdateAction a;
        a.kind = static_cast<UpdateActionKind>(clause);
        if (!parsePath(a.path)) return;
        if (a.kind != UpdateActionKind::kRemove) {
          if (cur().kind != TokenKind::kValueRef) return (void)fail();
          a.value = parseOperand();
        }
        out_->update.push_back(std::move(a));
      }
    } while (!failed_ && cur().kind != TokenKind::kEof);
  }

  // ---- projection ----
  void parseProjection() {
    do {
      if (!out_->projection.empty()) advance();
      Path p;
      if (!parsePath(p)) return;
      out_->projection.push_back(std::move(p));
    } while (cur().kind == TokenKind::kComma);
  }

  std::string_view text_;
  Grammar grammar_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  bool failed_ = false;
  size_t fail_index_ = 0;
  size_t depth_ = 0;
  size_t operators_ = 0;
  bool redundant_ = false;
  std::string_view repeated_section_;
  std::string limit_error_;
  std::unordered_map<std::string_view, uint32_t> name_slots_, value_slots_;
  std::unique_ptr<ParsedExpression> out_;
};

}  // namespace

Result<std::unique_ptr<ParsedExpression>> parseExpression(Grammar grammar, std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("The expression can not be empty;");
  if (text.size() > kMaxExpressionBytes) {
    return Status::InvalidArgument("Expression size has exceeded the maximum allowed size; expression size: " +
                                   std::to_string(text.size()));
  }
  return Parser(text, grammar).run();
}

}  // namespace fdyno::expr

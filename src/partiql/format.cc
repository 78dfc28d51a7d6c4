#include "partiql/format.h"

namespace fdyno::partiql {

namespace {

std::string_view compareText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

template <typename T, typename F>
std::string join(const std::vector<T>& items, size_t from, F f) {
  std::string out;
  for (size_t i = from; i < items.size(); ++i) {
    if (i > from) out += ", ";
    out += f(items[i]);
  }
  return out;
}

}  // namespace

std::string toString(const Path& p) {
  std::string out;
  for (const PathStep& s : p.steps) {
    if (s.is_index) {
      out += "[" + std::to_string(s.index) + "]";
    } else {
      if (!out.empty()) out += '.';
      out += s.name;
    }
  }
  return out;
}

std::string toString(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kString: return "'" + v.text + "'";
    case Value::Kind::kNumber: return "N:" + v.text;
    case Value::Kind::kBool: return v.boolean ? "true" : "false";
    case Value::Kind::kNull: return "null";
    case Value::Kind::kParam: return "?" + std::to_string(v.param);
    case Value::Kind::kList: return "[" + join(v.elems, 0, [](const Value& e) { return toString(e); }) + "]";
    case Value::Kind::kSet: return "<<" + join(v.elems, 0, [](const Value& e) { return toString(e); }) + ">>";
    case Value::Kind::kMap:
      return "{" + join(v.fields, 0, [](const auto& f) { return "'" + f.first + "': " + toString(f.second); }) + "}";
  }
  return "";
}

std::string toString(const Expr& e) {
  auto arg = [&](size_t i) { return toString(*e.args[i]); };
  auto each = [](const std::unique_ptr<Expr>& a) { return toString(*a); };
  switch (e.kind) {
    case ExprKind::kPath: return toString(e.path);
    case ExprKind::kValue: return toString(e.value);
    case ExprKind::kCall: return e.name + "(" + join(e.args, 0, each) + ")";
    case ExprKind::kCompare: return "(" + arg(0) + " " + std::string(compareText(e.op)) + " " + arg(1) + ")";
    case ExprKind::kArith: return "(" + arg(0) + " " + e.arith + " " + arg(1) + ")";
    case ExprKind::kAnd: return "(AND " + arg(0) + " " + arg(1) + ")";
    case ExprKind::kOr: return "(OR " + arg(0) + " " + arg(1) + ")";
    case ExprKind::kNot: return "(NOT " + arg(0) + ")";
    case ExprKind::kBetween: return "(" + arg(0) + " BETWEEN " + arg(1) + " AND " + arg(2) + ")";
    case ExprKind::kIn: return "(" + arg(0) + " IN " + join(e.args, 1, each) + ")";
    case ExprKind::kIs:
      return "(" + arg(0) + " IS " + (e.negated ? "NOT " : "") + (e.is == IsWhat::kMissing ? "MISSING" : "NULL") + ")";
  }
  return "";
}

std::string toString(const Statement& s) {
  std::string out;
  std::string table = s.table + (s.index ? "." + *s.index : "");
  switch (s.kind) {
    case StatementKind::kSelect:
    case StatementKind::kExists:
      out = s.kind == StatementKind::kExists ? "EXISTS SELECT " : "SELECT ";
      out += s.projection.empty() ? "*" : join(s.projection, 0, [](const Path& p) { return toString(p); });
      out += " FROM " + table;
      break;
    case StatementKind::kInsert: return "INSERT INTO " + table + " VALUE " + toString(s.item);
    case StatementKind::kUpdate:
      out = "UPDATE " + table;
      for (const SetAction& a : s.sets) out += " SET " + toString(a.path) + " = " + toString(*a.value);
      for (const Path& p : s.removes) out += " REMOVE " + toString(p);
      break;
    case StatementKind::kDelete: out = "DELETE FROM " + table; break;
  }
  if (s.where) out += " WHERE " + toString(*s.where);
  if (s.order_by) out += " ORDER BY " + toString(*s.order_by) + (s.order_desc ? " DESC" : " ASC");
  return out;
}

}  // namespace fdyno::partiql

#include "api/partiql_translate.h"

#include <algorithm>
#include <set>

#include "api/api_error.h"
#include "api/errors.h"
#include "model/number.h"

namespace fdyno::api {

namespace {

using partiql::Expr;
using partiql::ExprKind;
using partiql::Value;

model::AttributeValue makeSet(model::AttrType t, std::vector<std::string> members) {
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  model::AttributeValue out;
  out.type = t;
  out.set = std::move(members);
  return out;
}

std::string_view compareText(partiql::CompareOp op) {
  switch (op) {
    case partiql::CompareOp::kEq: return " = ";
    case partiql::CompareOp::kNe: return " <> ";
    case partiql::CompareOp::kLt: return " < ";
    case partiql::CompareOp::kLe: return " <= ";
    case partiql::CompareOp::kGt: return " > ";
    case partiql::CompareOp::kGe: return " >= ";
  }
  return " = ";
}

}  // namespace

model::AttributeValue StatementTranslator::value(const Value& v) const {
  switch (v.kind) {
    case Value::Kind::kString: return model::AttributeValue::S(v.text);
    case Value::Kind::kNumber: {
      auto n = model::normalizeNumber(v.text);
      if (!n.ok()) throw ApiError::validation(errorText(n.status()));
      return model::AttributeValue::N(std::move(n).value());
    }
    case Value::Kind::kBool: return model::AttributeValue::Bool(v.boolean);
    case Value::Kind::kNull: return model::AttributeValue::Null();
    case Value::Kind::kParam:
      if (v.param >= params_.size()) {
        throw ApiError::validation("Number of parameters in request and statement don't match.");
      }
      return params_[v.param];
    case Value::Kind::kList: {
      model::AttributeValue out;
      out.type = model::AttrType::kL;
      for (const Value& e : v.elems) out.list.push_back(value(e));
      return out;
    }
    case Value::Kind::kMap: {
      model::AttributeValue out;
      out.type = model::AttrType::kM;
      for (const auto& [k, e] : v.fields) out.map.insert_or_assign(k, value(e));
      return out;
    }
    case Value::Kind::kSet: {
      // A set's members must all be strings, all numbers or all binaries.
      std::vector<std::string> members;
      std::optional<model::AttrType> member_type;
      for (const Value& e : v.elems) {
        model::AttributeValue m = value(e);
        if (!m.isScalar() || (member_type && *member_type != m.type)) {
          throw ApiError::validation("Unsupported set type: a set may hold only strings, numbers or binaries of one type");
        }
        member_type = m.type;
        members.push_back(std::move(m.scalar));
      }
      if (!member_type) throw ApiError::validation("An empty set is not allowed");
      model::AttrType t = *member_type == model::AttrType::kS   ? model::AttrType::kSS
                          : *member_type == model::AttrType::kN ? model::AttrType::kNS
                                                                : model::AttrType::kBS;
      return makeSet(t, std::move(members));
    }
  }
  return model::AttributeValue::Null();
}

std::string StatementTranslator::addValue(model::AttributeValue v) {
  std::string ref = ":v" + std::to_string(values_.size());
  values_.emplace(ref, std::move(v));
  return ref;
}

std::string StatementTranslator::path(const partiql::Path& p) {
  std::string out;
  for (const partiql::PathStep& s : p.steps) {
    if (s.is_index) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
      continue;
    }
    auto it = name_refs_.find(s.name);
    if (it == name_refs_.end()) {
      std::string ref = "#p" + std::to_string(name_refs_.size());
      names_.emplace(ref, s.name);
      it = name_refs_.emplace(s.name, std::move(ref)).first;
    }
    if (!out.empty()) out += '.';
    out += it->second;
  }
  return out;
}

std::string StatementTranslator::operand(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kPath: return path(e.path);
    case ExprKind::kValue: return addValue(value(e.value));
    case ExprKind::kCall: {
      static constexpr std::string_view kKnown[] = {"begins_with", "contains", "attribute_type", "size",
                                                    "attribute_exists", "attribute_not_exists", "list_append"};
      if (std::find(std::begin(kKnown), std::end(kKnown), e.name) == std::end(kKnown)) {
        throw ApiError::validation("Unsupported function in statement: " + e.name);
      }
      std::string out = e.name + "(";
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += ", ";
        out += operand(*e.args[i]);
      }
      return out + ")";
    }
    case ExprKind::kArith:
      return operand(*e.args[0]) + (e.arith == '+' ? " + " : " - ") + operand(*e.args[1]);
    default:
      return "(" + condition(e) + ")";
  }
}

std::string StatementTranslator::condition(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kCompare:
      return operand(*e.args[0]) + std::string(compareText(e.op)) + operand(*e.args[1]);
    case ExprKind::kAnd: return "(" + condition(*e.args[0]) + ") AND (" + condition(*e.args[1]) + ")";
    case ExprKind::kOr: return "(" + condition(*e.args[0]) + ") OR (" + condition(*e.args[1]) + ")";
    case ExprKind::kNot: return "NOT (" + condition(*e.args[0]) + ")";
    case ExprKind::kBetween:
      return operand(*e.args[0]) + " BETWEEN " + operand(*e.args[1]) + " AND " + operand(*e.args[2]);
    case ExprKind::kIn: {
      std::string out = operand(*e.args[0]) + " IN (";
      for (size_t i = 1; i < e.args.size(); ++i) {
        if (i > 1) out += ", ";
        out += operand(*e.args[i]);
      }
      return out + ")";
    }
    case ExprKind::kIs: {
      std::string p = operand(*e.args[0]);
      if (e.is == partiql::IsWhat::kMissing) {
        return (e.negated ? "attribute_exists(" : "attribute_not_exists(") + p + ")";
      }
      std::string t = addValue(model::AttributeValue::S("NULL"));
      return std::string(e.negated ? "NOT " : "") + "attribute_type(" + p + ", " + t + ")";
    }
    case ExprKind::kCall: return operand(e);
    default:
      // A bare path or value is not a condition.
      throw ApiError::validation("Statement wasn't well formed, can't be processed: Expected a condition");
  }
}

std::string StatementTranslator::update(const partiql::Statement& s) {
  std::string set, add, del, remove;
  auto append = [](std::string& clause, const std::string& text) {
    if (!clause.empty()) clause += ", ";
    clause += text;
  };
  for (const partiql::SetAction& a : s.sets) {
    const Expr& v = *a.value;
    // set_add(attr, <<...>>) / set_delete(attr, <<...>>): DynamoDB's ADD and
    // DELETE actions on sets.
    if (v.kind == ExprKind::kCall && (v.name == "set_add" || v.name == "set_delete") && v.args.size() == 2) {
      std::string target = path(a.path);
      std::string operand_text = operand(*v.args[1]);
      append(v.name == "set_add" ? add : del, target + " " + operand_text);
      continue;
    }
    std::string target = path(a.path);
    append(set, target + " = " + operand(v));
  }
  for (const partiql::Path& p : s.removes) append(remove, path(p));
  std::string out;
  if (!set.empty()) out += "SET " + set;
  if (!remove.empty()) out += (out.empty() ? "" : " ") + std::string("REMOVE ") + remove;
  if (!add.empty()) out += (out.empty() ? "" : " ") + std::string("ADD ") + add;
  if (!del.empty()) out += (out.empty() ? "" : " ") + std::string("DELETE ") + del;
  return out;
}

void splitConjuncts(const Expr* where, std::vector<const Expr*>& out) {
  if (!where) return;
  if (where->kind == ExprKind::kAnd) {
    splitConjuncts(where->args[0].get(), out);
    splitConjuncts(where->args[1].get(), out);
    return;
  }
  out.push_back(where);
}

const Expr* equalityOn(const Expr& c, std::string_view name) {
  if (c.kind != ExprKind::kCompare || c.op != partiql::CompareOp::kEq) return nullptr;
  for (int side = 0; side < 2; ++side) {
    const Expr& p = *c.args[side];
    const Expr& v = *c.args[1 - side];
    const std::string* n = p.kind == ExprKind::kPath ? p.path.topLevelOnly() : nullptr;
    if (n && *n == name && v.kind == ExprKind::kValue) return &v;
  }
  return nullptr;
}

}  // namespace fdyno::api

#include "expr/expression.h"

#include "expr/evaluate.h"
#include "expr/update_apply.h"

namespace fdyno::expr {

std::string_view exprKindName(ExprKind k) {
  switch (k) {
    case ExprKind::kCondition: return "ConditionExpression";
    case ExprKind::kFilter: return "FilterExpression";
    case ExprKind::kKeyCondition: return "KeyConditionExpression";
    case ExprKind::kUpdate: return "UpdateExpression";
    case ExprKind::kProjection: return "ProjectionExpression";
  }
  return "";
}

namespace {

Status prefixed(ExprKind kind, const Status& s) {
  if (s.ok()) return s;
  std::string msg = "Invalid ";
  msg += exprKindName(kind);
  msg += ": ";
  msg += s.message();
  return Status(s.code(), msg);
}

}  // namespace

bool Condition::evaluate(const model::Item* item) const {
  return evaluateCondition(*parsed_->condition, bindings_, item);
}

Status Update::apply(model::Item& item) const { return applyUpdate(*parsed_, bindings_, targets_, item); }

std::vector<std::string_view> Update::topLevelTargets() const {
  std::vector<std::string_view> out;
  for (const ResolvedPath& p : targets_) out.push_back(p[0].name);
  return out;
}

bool Update::removesOnly() const {
  if (parsed_->update.empty()) return false;
  for (const UpdateAction& a : parsed_->update) {
    if (a.kind != UpdateActionKind::kRemove && a.kind != UpdateActionKind::kDelete) return false;
  }
  return true;
}

model::Item projectPaths(const model::Item& item, const std::vector<ResolvedPath>& paths) {
  return ProjectionTree(paths).apply(item);
}

Result<std::shared_ptr<const ParsedExpression>> RequestExpressions::parse(Grammar g, std::string_view text,
                                                                          ExprKind kind) {
  // Map-level name checks come before any expression's own errors.
  FDYNO_RETURN_IF_ERROR(tracker_.checkNames());
  auto r = cache_->get(g, text);
  if (!r.ok()) return prefixed(kind, r.status());
  return std::move(r).value();
}

Result<Condition> RequestExpressions::condition(std::string_view text, ExprKind kind) {
  FDYNO_ASSIGN_OR_RETURN(auto parsed, parse(Grammar::kCondition, text, kind));
  Condition c;
  tracker_.bind(*parsed, c.bindings_);
  FDYNO_RETURN_IF_ERROR(prefixed(kind, validateCondition(*parsed->condition, *parsed, c.bindings_)));
  c.parsed_ = std::move(parsed);
  return c;
}

Result<Update> RequestExpressions::update(std::string_view text) {
  FDYNO_ASSIGN_OR_RETURN(auto parsed, parse(Grammar::kUpdate, text, ExprKind::kUpdate));
  Update u;
  tracker_.bind(*parsed, u.bindings_);
  FDYNO_RETURN_IF_ERROR(prefixed(ExprKind::kUpdate, validateUpdate(*parsed, u.bindings_, u.targets_)));
  u.parsed_ = std::move(parsed);
  return u;
}

Result<Projection> RequestExpressions::projection(std::string_view text) {
  FDYNO_ASSIGN_OR_RETURN(auto parsed, parse(Grammar::kProjection, text, ExprKind::kProjection));
  Projection p;
  Bindings b;
  tracker_.bind(*parsed, b);
  FDYNO_RETURN_IF_ERROR(prefixed(ExprKind::kProjection, validateProjection(*parsed, b, p.paths_)));
  p.tree_ = std::make_unique<ProjectionTree>(p.paths_);
  p.parsed_ = std::move(parsed);
  return p;
}

Result<KeyCondition> RequestExpressions::keyCondition(std::string_view text) {
  FDYNO_ASSIGN_OR_RETURN(auto parsed, parse(Grammar::kCondition, text, ExprKind::kKeyCondition));
  auto b = std::make_unique<Bindings>();
  tracker_.bind(*parsed, *b);
  FDYNO_RETURN_IF_ERROR(
      prefixed(ExprKind::kKeyCondition, validateCondition(*parsed->condition, *parsed, *b)));
  auto kc = KeyCondition::fromCondition(*parsed->condition, *b);
  keep_alive_.push_back(std::move(parsed));
  key_bindings_.push_back(std::move(b));
  return kc;
}

}  // namespace fdyno::expr

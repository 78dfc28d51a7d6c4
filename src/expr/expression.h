// The expression API used by the api layer: one RequestExpressions per
// request parses (through the cache), resolves and validates each
// expression of the request, and checks unused names/values at the end.
//
// Typical UpdateItem use:
//   expr::RequestExpressions rx(names_or_null, values_or_null);
//   FDYNO_RETURN_IF_ERROR(rx.checkNotEmpty());        // empty maps
//   auto upd = rx.update(update_text);                 // each present expression,
//   auto cond = rx.condition(cond_text, ExprKind::kCondition);  // in DynamoDB's order
//   FDYNO_RETURN_IF_ERROR(rx.checkUnused());          // across all of them
//   ... cond->evaluate(old_item_or_null) -> bool; upd->apply(item) ...
// DynamoDB's order of expressions within a request (dynalite's
// validateExpressions): Update, Condition, KeyCondition, Filter, Projection.
//
// Contract:
// - Errors are kInvalidArgument with DynamoDB's exact ValidationException
//   text, already prefixed "Invalid <Kind>Expression: " where DynamoDB does.
// - The name/value maps passed to RequestExpressions must outlive it and
//   every object it returns (they hold pointers into them: no copies).
// - Returned objects are per request; their const methods are thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "expr/ast.h"
#include "expr/cache.h"
#include "expr/key_condition.h"
#include "expr/paths.h"
#include "expr/projection.h"
#include "expr/resolve.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

enum class ExprKind : uint8_t { kCondition, kFilter, kKeyCondition, kUpdate, kProjection };

// "ConditionExpression", "FilterExpression", ...
std::string_view exprKindName(ExprKind k);

// ConditionExpression or FilterExpression, resolved for one request.
class Condition {
 public:
  // False is not an error. `item` null = the item does not exist.
  bool evaluate(const model::Item* item) const;

 private:
  friend class RequestExpressions;
  std::shared_ptr<const ParsedExpression> parsed_;
  Bindings bindings_;
};

class Update {
 public:
  // Applies all actions to `item` in place (see update_apply.h for errors;
  // no prefix is added to those: DynamoDB reports them bare).
  Status apply(model::Item& item) const;
  // The path each action modifies, in text order (for ReturnValues
  // UPDATED_OLD / UPDATED_NEW: project the old/new item on them).
  const std::vector<ResolvedPath>& targets() const { return targets_; }
  // Top-level attribute names the update modifies (e.g. to reject key
  // attribute updates: "Cannot update attribute pk. This attribute is part of the key").
  std::vector<std::string_view> topLevelTargets() const;
  // True if there is at least one action and every action is REMOVE or
  // DELETE: UpdateItem neither creates a missing item for such an update nor
  // reports its paths as invalid there (DynamoDB; Alternator
  // test_update_item_non_existent, test_nested_attribute_remove_from_missing_item).
  bool removesOnly() const;

 private:
  friend class RequestExpressions;
  std::shared_ptr<const ParsedExpression> parsed_;
  Bindings bindings_;
  std::vector<ResolvedPath> targets_;
};

class Projection {
 public:
  model::Item apply(const model::Item& item) const { return tree_->apply(item); }
  const std::vector<ResolvedPath>& paths() const { return paths_; }
  std::vector<std::string_view> topLevelNames() const { return tree_->topLevelNames(); }

 private:
  friend class RequestExpressions;
  std::shared_ptr<const ParsedExpression> parsed_;
  std::vector<ResolvedPath> paths_;
  std::unique_ptr<ProjectionTree> tree_;
};

// Project `item` on `paths` (ReturnValues UPDATED_OLD/NEW over Update::targets()).
model::Item projectPaths(const model::Item& item, const std::vector<ResolvedPath>& paths);

class RequestExpressions {
 public:
  RequestExpressions(const NameMap* names, const model::AttributeMap* values,
                     ExpressionCache* cache = &ExpressionCache::global())
      : tracker_(names, values), cache_(cache) {}

  // "ExpressionAttributeNames must not be empty" / "...Values must not be empty".
  Status checkNotEmpty() const { return tracker_.checkNotEmpty(); }

  // kind: kCondition or kFilter (only the message prefix differs).
  Result<Condition> condition(std::string_view text, ExprKind kind);
  Result<Update> update(std::string_view text);
  Result<Projection> projection(std::string_view text);
  // Structural checks only; call KeyCondition::validateSchema() with the
  // table's (or index's) key schema afterwards.
  Result<KeyCondition> keyCondition(std::string_view text);

  // Unused ExpressionAttributeNames, then unused ExpressionAttributeValues,
  // over every expression resolved so far.
  Status checkUnused() const { return tracker_.checkUnused(); }
  const RefTracker& tracker() const { return tracker_; }

 private:
  Result<std::shared_ptr<const ParsedExpression>> parse(Grammar g, std::string_view text, ExprKind kind);

  RefTracker tracker_;
  ExpressionCache* cache_;
  // Key conditions point into their tree: keep it alive for the request.
  std::vector<std::shared_ptr<const ParsedExpression>> keep_alive_;
  std::vector<std::unique_ptr<Bindings>> key_bindings_;
};

}  // namespace fdyno::expr

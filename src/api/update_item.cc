// UpdateItem: UpdateExpression (or legacy AttributeUpdates) applied to the
// stored item, with an optional condition, in one kv transaction.
//
// DynamoDB's rules followed here:
// - The item is created when absent, starting from its key; an update with
//   no actions at all (no UpdateExpression, or AttributeUpdates {}) still
//   creates it. But an update that only removes attributes (REMOVE, DELETE,
//   legacy DELETE) does not create a missing item, and its paths are not
//   even checked there ("REMOVE x.y" succeeds; Alternator
//   test_update_item_non_existent, test_nested_attribute_remove_from_missing_item).
// - Key attributes cannot be updated: "One or more parameter values were
//   invalid: Cannot update attribute pk. This attribute is part of the key"
//   (checked after the table's key schema is known, before the condition).
// - The condition is evaluated before the update is applied; update errors
//   that depend on the item come after a passing condition.
// - The updated item must fit: "Item size to update has exceeded the maximum
//   allowed size".
// - ReturnValues: ALL_OLD / ALL_NEW the whole item; UPDATED_OLD /
//   UPDATED_NEW the old/new item projected on the update's target paths; no
//   Attributes member when that is empty (or the old item did not exist).
//
// Copies: the old item is decoded once; it is moved into the new item unless
// ALL_OLD needs both (one copy then).
#include "api/expression_request.h"
#include "api/handlers.h"
#include "api/item_write.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/database.h"
#include "model/item_size.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

Status cannotUpdateKey(std::string_view attr) {
  std::string m = "One or more parameter values were invalid: Cannot update attribute ";
  m += attr;
  m += ". This attribute is part of the key";
  return Status::InvalidArgument(m);
}

}  // namespace

std::string updateItem(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto name = req.getString("TableName");
  auto ricm = req.getString("ReturnItemCollectionMetrics");
  auto rv_s = req.getString("ReturnValues");
  auto key_json = req.getAttributeMap("Key");
  auto rvcf_s = req.getString("ReturnValuesOnConditionCheckFailure");
  ExpressionRequest ex(req, ExpressionOp::kUpdateItem);

  // Constraint order as DynamoDB lists them for UpdateItem (dynalite's
  // recorded "incorrect attributes" case).
  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  checkItemTableName(name, errors);
  checkReturnItemCollectionMetrics(ricm, errors);
  auto rv = parseReturnValues(rv_s, errors);
  if (!key_json) errors.notNull("key");
  ex.addConstraintViolations(errors, {"ConditionalOperator", "Expected", "AttributeUpdates"});
  auto on_failure = parseOnConditionFailure(rvcf_s, errors);
  errors.throwIfAny();

  ex.checkParameterMix();
  const model::Item key = parseAttributeMap(*key_json);
  ex.resolve();

  const expr::Update* update = ex.update();
  static const std::vector<expr::ResolvedPath> kNoTargets;
  const std::vector<expr::ResolvedPath>& targets = update ? update->targets() : kNoTargets;
  std::vector<std::string_view> top_targets;
  if (update) top_targets = update->topLevelTargets();

  ConditionCheck cc(ex.condition(), on_failure);
  model::Item new_item;
  std::optional<model::Item> updated_old;
  size_t new_size = 0;
  bool written = false;
  auto decide = [&](const engine::TableInfo& t, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
    written = false;
    updated_old.reset();
    for (std::string_view attr : top_targets) {
      if (isKeyAttribute(t.def, attr)) return cannotUpdateKey(attr);
    }
    FDYNO_RETURN_IF_ERROR(cc.check(old));
    FDYNO_ASSIGN_OR_RETURN(const model::Item* old_item, old.item());
    if (!old_item && update && update->removesOnly()) {
      // Only removals on a missing item: nothing to create, and DynamoDB
      // does not even check their paths ("REMOVE x.y" succeeds).
      plan.op = engine::WriteOp::kKeep;
      return Status::OK();
    }
    if (old_item) {
      if (rv == ReturnValues::kAllOld) {
        new_item = *old_item;
        plan.return_old = true;
      } else {
        if (rv == ReturnValues::kUpdatedOld) updated_old = expr::projectPaths(*old_item, targets);
        new_item = std::move(*old.takeDecoded());
      }
    } else {
      new_item = key;
    }
    if (update) FDYNO_RETURN_IF_ERROR(ex.translateApplyError(update->apply(new_item)));
    new_size = model::itemSize(new_item);
    if (new_size > model::kMaxItemSize) {
      return Status::InvalidArgument("Item size to update has exceeded the maximum allowed size");
    }
    plan.op = engine::WriteOp::kPut;
    plan.item = &new_item;
    plan.item_size = new_size;
    written = true;
    return Status::OK();
  };
  auto r = db.writeItem(*name, key, engine::KeySource::kKey, decide);
  if (!r.ok()) cc.throwFor(r.status());

  JsonWriter w;
  w.beginObject();
  switch (rv) {
    case ReturnValues::kNone: break;
    case ReturnValues::kAllOld:
      if (r->old_item) writeAttributes(w, &*r->old_item);
      break;
    case ReturnValues::kUpdatedOld:
      if (updated_old) writeAttributes(w, &*updated_old);
      break;
    case ReturnValues::kAllNew:
      if (written) writeAttributes(w, &new_item);
      break;
    case ReturnValues::kUpdatedNew:
      if (written && !targets.empty()) {
        model::Item projected = expr::projectPaths(new_item, targets);
        writeAttributes(w, &projected);
      }
      break;
  }
  writeCapacityAndCollectionMetrics(w, *r, rcc, *name, written ? new_size : 0, ricm, key);
  w.endObject();
  return w.take();
}

}  // namespace fdyno::api

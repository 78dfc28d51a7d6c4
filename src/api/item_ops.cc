// Single-item operations: PutItem, GetItem, DeleteItem (UpdateItem is in
// update_item.cc).
//
// Hot path: the body was parsed once by the dispatcher; the item is parsed
// once into model::Item, its size computed once, and the engine writes it
// without copying. A ConditionExpression (or legacy Expected) is evaluated
// inside the write transaction by engine::Database::writeItem()'s decider,
// over the decoded old item (decoded only when there is a condition or
// ReturnValues needs it).
#include "api/capacity.h"
#include "api/expression_request.h"
#include "api/handlers.h"
#include "api/item_write.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "engine/database.h"
#include "model/item_size.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

std::string writeResponse(const engine::WriteResult& r, bool return_old, ReturnConsumedCapacity rcc,
                          std::string_view table, size_t new_size, std::optional<std::string_view> ricm,
                          const model::Item& key_source) {
  JsonWriter w;
  w.beginObject();
  if (return_old && r.old_item) writeAttributes(w, &*r.old_item);
  writeCapacityAndCollectionMetrics(w, r, rcc, table, new_size, ricm, key_source);
  w.endObject();
  return w.take();
}

void requireNoneOrAllOld(ReturnValues rv) {
  if (rv != ReturnValues::kNone && rv != ReturnValues::kAllOld) {
    throw ApiError::validation("ReturnValues can only be ALL_OLD or NONE");
  }
}

}  // namespace

std::string putItem(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto name = req.getString("TableName");
  auto item_json = req.getAttributeMap("Item");
  auto rv_s = req.getString("ReturnValues");
  auto ricm = req.getString("ReturnItemCollectionMetrics");
  auto rvcf_s = req.getString("ReturnValuesOnConditionCheckFailure");
  ExpressionRequest ex(req, ExpressionOp::kPutItem);

  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  checkItemTableName(name, errors);
  if (!item_json) errors.notNull("item");
  ex.addConstraintViolations(errors, {"ConditionalOperator", "Expected"});
  auto rv = parseReturnValues(rv_s, errors);
  checkReturnItemCollectionMetrics(ricm, errors);
  auto on_failure = parseOnConditionFailure(rvcf_s, errors);
  errors.throwIfAny();

  // DynamoDB's order (dynalite validations/putItem.js): expression/legacy
  // mix, Item values, ReturnValues, item size, then Expected/expressions.
  ex.checkParameterMix();
  model::Item item = parseAttributeMap(*item_json);
  requireNoneOrAllOld(rv);
  size_t size = model::itemSize(item);
  // Checked before the table is looked up: DynamoDB rejects an oversized
  // item even for a table that does not exist.
  if (size > model::kMaxItemSize) throw ApiError::validation(std::string(kItemTooLargeMessage));
  ex.resolve();

  bool return_old = rv == ReturnValues::kAllOld;
  ConditionCheck cc(ex.condition(), on_failure);
  auto r = db.writeItem(*name, item, engine::KeySource::kItem,
                        [&](const engine::TableInfo&, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
                          FDYNO_RETURN_IF_ERROR(cc.check(old));
                          plan.op = engine::WriteOp::kPut;
                          plan.item = &item;
                          plan.item_size = size;
                          plan.return_old = return_old;
                          return Status::OK();
                        });
  if (!r.ok()) cc.throwFor(r.status());
  return writeResponse(*r, return_old, rcc, *name, size, ricm, item);
}

std::string getItem(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto name = req.getString("TableName");
  auto key_json = req.getAttributeMap("Key");
  auto consistent = req.getBool("ConsistentRead");
  ExpressionRequest ex(req, ExpressionOp::kGetItem);

  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  ex.addConstraintViolations(errors, {"AttributesToGet"});
  checkItemTableName(name, errors);
  if (!key_json) errors.notNull("key");
  errors.throwIfAny();

  ex.checkParameterMix();
  model::Item key = parseAttributeMap(*key_json);
  ex.resolve();

  bool strong = consistent.value_or(false);
  auto r = db.getItem(*name, key, strong);
  if (!r.ok()) throwStatus(r.status());
  JsonWriter w;
  w.beginObject();
  if (r->item) {
    w.key("Item");
    // A projection that selects nothing still answers "Item": {} for an
    // existing item (only a missing item has no Item member).
    if (const expr::Projection* p = ex.projection()) {
      model::writeItem(w, p->apply(*r->item));
    } else {
      model::writeItem(w, *r->item);
    }
  }
  // Capacity is charged on the whole item, projection or not.
  writeConsumedCapacity(w, rcc, *name, engine::readCapacityUnits(r->size, strong));
  w.endObject();
  return w.take();
}

std::string deleteItem(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto name = req.getString("TableName");
  auto rv_s = req.getString("ReturnValues");
  auto ricm = req.getString("ReturnItemCollectionMetrics");
  auto key_json = req.getAttributeMap("Key");
  auto rvcf_s = req.getString("ReturnValuesOnConditionCheckFailure");
  ExpressionRequest ex(req, ExpressionOp::kDeleteItem);

  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  checkItemTableName(name, errors);
  auto rv = parseReturnValues(rv_s, errors);
  checkReturnItemCollectionMetrics(ricm, errors);
  if (!key_json) errors.notNull("key");
  ex.addConstraintViolations(errors, {"ConditionalOperator", "Expected"});
  auto on_failure = parseOnConditionFailure(rvcf_s, errors);
  errors.throwIfAny();

  ex.checkParameterMix();
  model::Item key = parseAttributeMap(*key_json);
  requireNoneOrAllOld(rv);
  ex.resolve();

  bool return_old = rv == ReturnValues::kAllOld;
  ConditionCheck cc(ex.condition(), on_failure);
  auto r = db.writeItem(*name, key, engine::KeySource::kKey,
                        [&](const engine::TableInfo&, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
                          FDYNO_RETURN_IF_ERROR(cc.check(old));
                          plan.op = engine::WriteOp::kDelete;
                          plan.return_old = return_old;
                          return Status::OK();
                        });
  if (!r.ok()) cc.throwFor(r.status());
  return writeResponse(*r, return_old, rcc, *name, 0, ricm, key);
}

}  // namespace fdyno::api

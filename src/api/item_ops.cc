// Single-item operations: PutItem, GetItem, DeleteItem.
//
// Hot path: the body was parsed once by the dispatcher; the item is parsed
// once into model::Item, its size computed once, and the engine writes it
// without copying. Conditions, projections and UpdateItem slot in through
// engine::Database::writeItem()'s decider (see engine/database.h).
#include "api/capacity.h"
#include "api/handlers.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "engine/database.h"
#include "model/item_size.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

// Members that belong to expressions and the legacy conditional API; the
// expression engine arrives with the next issue.
// TODO(expressions): ConditionExpression, Expected, ProjectionExpression...
void rejectConditions(const RequestObject& req, std::string_view op) {
  rejectUnsupported(req, op,
                    {"ConditionExpression", "Expected", "ConditionalOperator", "ExpressionAttributeNames",
                     "ExpressionAttributeValues"});
}

model::Item parseAttributeMap(simdjson::dom::element o) {
  auto r = model::parseItem(o);
  if (!r.ok()) throwStatus(r.status());
  return std::move(r).value();
}

std::string writeResponse(const engine::WriteResult& r, bool return_old, ReturnConsumedCapacity rcc,
                          std::string_view table, size_t new_size) {
  JsonWriter w;
  w.beginObject();
  if (return_old && r.old_item) {
    w.key("Attributes");
    model::writeItem(w, *r.old_item);
  }
  writeConsumedCapacity(w, rcc, table, engine::writeCapacityUnits(r.old_size, new_size));
  w.endObject();
  return w.take();
}

}  // namespace

std::string putItem(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto name = req.getString("TableName");
  auto item_json = req.getAttributeMap("Item");
  auto rv_s = req.getString("ReturnValues");
  auto ricm = req.getString("ReturnItemCollectionMetrics");

  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  checkItemTableName(name, errors);
  if (!item_json) errors.notNull("item");
  auto rv = parseReturnValues(rv_s, errors);
  checkReturnItemCollectionMetrics(ricm, errors);
  errors.throwIfAny();

  model::Item item = parseAttributeMap(*item_json);
  rejectConditions(req, "PutItem");
  if (rv != ReturnValues::kNone && rv != ReturnValues::kAllOld) {
    throw ApiError::validation("ReturnValues can only be ALL_OLD or NONE");
  }
  size_t size = model::itemSize(item);
  // Checked before the table is looked up: DynamoDB rejects an oversized
  // item even for a table that does not exist.
  if (size > model::kMaxItemSize) throw ApiError::validation("Item size has exceeded the maximum allowed size");

  bool return_old = rv == ReturnValues::kAllOld;
  auto r = db.putItem(*name, item, size, return_old);
  if (!r.ok()) throwStatus(r.status());
  return writeResponse(*r, return_old, rcc, *name, size);
}

std::string getItem(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto name = req.getString("TableName");
  auto key_json = req.getAttributeMap("Key");
  auto consistent = req.getBool("ConsistentRead");

  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  checkItemTableName(name, errors);
  if (!key_json) errors.notNull("key");
  errors.throwIfAny();

  model::Item key = parseAttributeMap(*key_json);
  // TODO(expressions): ProjectionExpression and AttributesToGet.
  rejectUnsupported(req, "GetItem", {"ProjectionExpression", "AttributesToGet", "ExpressionAttributeNames"});

  bool strong = consistent.value_or(false);
  auto r = db.getItem(*name, key, strong);
  if (!r.ok()) throwStatus(r.status());
  JsonWriter w;
  w.beginObject();
  if (r->item) {
    w.key("Item");
    model::writeItem(w, *r->item);
  }
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

  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  checkItemTableName(name, errors);
  auto rv = parseReturnValues(rv_s, errors);
  checkReturnItemCollectionMetrics(ricm, errors);
  if (!key_json) errors.notNull("key");
  errors.throwIfAny();

  model::Item key = parseAttributeMap(*key_json);
  rejectConditions(req, "DeleteItem");
  if (rv != ReturnValues::kNone && rv != ReturnValues::kAllOld) {
    throw ApiError::validation("ReturnValues can only be ALL_OLD or NONE");
  }
  bool return_old = rv == ReturnValues::kAllOld;
  auto r = db.deleteItem(*name, key, return_old);
  if (!r.ok()) throwStatus(r.status());
  return writeResponse(*r, return_old, rcc, *name, 0);
}

}  // namespace fdyno::api

#include "api/item_write.h"

#include "api/capacity.h"
#include "engine/capacity.h"
#include "model/json_codec.h"

namespace fdyno::api {

OnConditionFailure parseOnConditionFailure(std::optional<std::string_view> v, ConstraintErrors& errors) {
  if (!v || *v == "NONE") return OnConditionFailure::kNone;
  if (*v == "ALL_OLD") return OnConditionFailure::kAllOld;
  errors.enumValue(*v, "returnValuesOnConditionCheckFailure", "[ALL_OLD, NONE]");
  return OnConditionFailure::kNone;
}

Status ConditionCheck::check(engine::StoredItem& old) {
  old_item_.reset();
  if (!condition_) return Status::OK();
  FDYNO_ASSIGN_OR_RETURN(const model::Item* item, old.item());
  if (condition_->evaluate(item)) return Status::OK();
  // The attempt is abandoned, so the decoded item can be moved out.
  if (on_failure_ == OnConditionFailure::kAllOld && item) old_item_ = old.takeDecoded();
  return Status::InvalidArgument(ErrorReason::kConditionFailed);
}

void ConditionCheck::throwFor(const Status& s) {
  if (!s.is(ErrorReason::kConditionFailed)) throwStatus(s);
  ApiError e = ApiError::dynamo("ConditionalCheckFailedException", std::string(kConditionalCheckFailed));
  if (old_item_) {
    JsonWriter w;
    w.beginObject();
    w.key("Item");
    model::writeItem(w, *old_item_);
    w.endObject();
    // ,"Item":{...}: the writer's object minus its braces.
    std::string body = w.take();
    e.extra_json = "," + body.substr(1, body.size() - 2);
  }
  throw e;
}

model::Item parseAttributeMap(simdjson::dom::element map) {
  auto r = model::parseItem(map);
  if (!r.ok()) throwStatus(r.status());
  return std::move(r).value();
}

void writeAttributes(JsonWriter& w, const model::Item* item) {
  if (!item || item->empty()) return;
  w.key("Attributes");
  model::writeItem(w, *item);
}

void writeCapacityAndCollectionMetrics(JsonWriter& w, const engine::WriteResult& r, ReturnConsumedCapacity rcc,
                                       std::string_view table, size_t new_size,
                                       std::optional<std::string_view> ricm, const model::Item& key_source) {
  if (rcc != ReturnConsumedCapacity::kNone) {
    WriteCapacity capacity;
    capacity.addWrite(r.table->def, engine::writeCapacityUnits(r.old_size, new_size), r.metrics);
    writeConsumedCapacity(w, rcc, table, capacity);
  }
  writeItemCollectionMetrics(w, ricm, r.table.get(), key_source, r.metrics);
}

void writeItemCollectionEntry(JsonWriter& w, std::string_view pk_name, const model::AttributeValue& pk,
                              std::optional<int64_t> collection_size) {
  engine::SizeEstimateRange range = engine::sizeEstimateRangeGB(collection_size.value_or(0));
  w.beginObject();
  w.key("ItemCollectionKey").beginObject();
  w.key(pk_name);
  model::writeAttributeValue(w, pk);
  w.endObject();
  w.key("SizeEstimateRangeGB").beginArray();
  w.rawNumber(formatCapacityUnits(range.lower)).rawNumber(formatCapacityUnits(range.upper));
  w.endArray();
  w.endObject();
}

void writeItemCollectionMetrics(JsonWriter& w, std::optional<std::string_view> ricm,
                                const engine::TableInfo* table, const model::Item& item,
                                const engine::WriteMetrics& metrics) {
  if (!ricm || *ricm != "SIZE" || !table || table->def.local_indexes.empty()) return;
  auto it = item.find(table->def.hash_key.name);
  if (it == item.end()) return;
  w.key("ItemCollectionMetrics");
  writeItemCollectionEntry(w, it->first, it->second, metrics.collection_size);
}

bool isKeyAttribute(const engine::TableDefinition& def, std::string_view name) {
  return def.hash_key.name == name || (def.range_key && def.range_key->name == name);
}

}  // namespace fdyno::api

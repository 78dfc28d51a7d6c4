#include "api/item_write.h"

#include "model/json_codec.h"

namespace fdyno::api {

OnConditionFailure parseOnConditionFailure(std::optional<std::string_view> v, ConstraintErrors& errors) {
  if (!v || *v == "NONE") return OnConditionFailure::kNone;
  if (*v == "ALL_OLD") return OnConditionFailure::kAllOld;
  errors.enumValue(*v, "returnValuesOnConditionCheckFailure", "[ALL_OLD, NONE]");
  return OnConditionFailure::kNone;
}

Status ConditionCheck::check(engine::StoredItem& old) {
  failed_ = false;
  old_item_.reset();
  if (!condition_) return Status::OK();
  FDYNO_ASSIGN_OR_RETURN(const model::Item* item, old.item());
  if (condition_->evaluate(item)) return Status::OK();
  failed_ = true;
  // The attempt is abandoned, so the decoded item can be moved out.
  if (on_failure_ == OnConditionFailure::kAllOld && item) old_item_ = old.takeDecoded();
  return Status::InvalidArgument(kConditionalCheckFailed);
}

void ConditionCheck::throwFor(const Status& s) {
  if (!failed_) throwStatus(s);
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

void writeAttributes(JsonWriter& w, const model::Item* item) {
  if (!item || item->empty()) return;
  w.key("Attributes");
  model::writeItem(w, *item);
}

void writeItemCollectionMetrics(JsonWriter& w, std::optional<std::string_view> ricm,
                                const engine::TableInfo* table, const model::Item& item) {
  if (!ricm || *ricm != "SIZE" || !table || table->def.local_indexes.empty()) return;
  auto it = item.find(table->def.hash_key.name);
  if (it == item.end()) return;
  w.key("ItemCollectionMetrics").beginObject();
  w.key("ItemCollectionKey").beginObject();
  w.key(it->first);
  model::writeAttributeValue(w, it->second);
  w.endObject();
  w.key("SizeEstimateRangeGB").beginArray().rawNumber("0.0").rawNumber("1.0").endArray();
  w.endObject();
}

bool isKeyAttribute(const engine::TableDefinition& def, std::string_view name) {
  return def.hash_key.name == name || (def.range_key && def.range_key->name == name);
}

}  // namespace fdyno::api

// item_write: what PutItem, UpdateItem and DeleteItem share around
// engine::Database::writeItem(): the ConditionExpression check inside the
// write transaction, ConditionalCheckFailedException (carrying the old item
// for ReturnValuesOnConditionCheckFailure=ALL_OLD), and the response body.
//
// Why inside the transaction: the condition must see the same version of the
// item the write replaces. writeItem's decider runs after the (conflict-
// tracked) read; a concurrent writer makes the commit conflict and the whole
// attempt, condition included, runs again on the new version.
//
// Contract: a ConditionCheck belongs to one request (one thread). check() is
// called from the decider, possibly more than once (each attempt starts from
// a clean state). Errors are thrown as ApiError.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/request.h"
#include "common/json_writer.h"
#include "engine/database.h"
#include "engine/item_collection.h"
#include "expr/expression.h"
#include "model/attribute_value.h"

namespace fdyno::api {

enum class OnConditionFailure { kNone, kAllOld };

// ReturnValuesOnConditionCheckFailure: NONE (default) or ALL_OLD.
OnConditionFailure parseOnConditionFailure(std::optional<std::string_view> v, ConstraintErrors& errors);

class ConditionCheck {
 public:
  ConditionCheck(const expr::Condition* condition, OnConditionFailure on_failure)
      : condition_(condition), on_failure_(on_failure) {}

  // Evaluates the condition (if any) on the stored item, decoding it only
  // when there is a condition. A failed condition returns kInvalidArgument
  // ErrorReason::kConditionFailed, which abandons the write; throwFor() then
  // turns it into the exception.
  [[nodiscard]] Status check(engine::StoredItem& old);
  // The old item kept for ALL_OLD after a failed check (TransactWriteItems
  // puts it in its cancellation reason); null otherwise.
  const model::Item* oldItem() const { return old_item_ ? &*old_item_ : nullptr; }

  // Throws ConditionalCheckFailedException if the condition failed,
  // otherwise the ApiError that `s` stands for.
  [[noreturn]] void throwFor(const Status& s);

 private:
  const expr::Condition* condition_;
  OnConditionFailure on_failure_;
  std::optional<model::Item> old_item_;  // for ALL_OLD on failure
};

// The Item or Key member of a single-item request as a model::Item; an
// invalid attribute value throws its ApiError (ValidationException, or
// SerializationException for a wrong JSON shape).
model::Item parseAttributeMap(simdjson::dom::element map);

// Writes "Attributes": {...} unless `item` is null or empty (DynamoDB omits
// the member rather than sending an empty map).
void writeAttributes(JsonWriter& w, const model::Item* item);

// The members after "Attributes" in a PutItem/UpdateItem/DeleteItem
// response: "ConsumedCapacity" (unless rcc is kNone; the write is charged on
// the larger of the old item and `new_size`, 0 when nothing was written, plus
// its index writes) and "ItemCollectionMetrics" (writeItemCollectionMetrics).
void writeCapacityAndCollectionMetrics(JsonWriter& w, const engine::WriteResult& r, ReturnConsumedCapacity rcc,
                                       std::string_view table, size_t new_size,
                                       std::optional<std::string_view> ricm, const model::Item& key_source);

// ReturnItemCollectionMetrics=SIZE: DynamoDB answers ItemCollectionMetrics
// only for tables with local secondary indexes (item collections exist only
// there): {"ItemCollectionKey": {<hash key>: value}, "SizeEstimateRangeGB":
// [lower, upper]}, the range from the collection's size after the write
// (engine/item_collection.h: the whole-GB bracket, [0.0, 1.0] under 1 GB).
// `item` holds the partition key (the Item of PutItem, the Key otherwise).
void writeItemCollectionMetrics(JsonWriter& w, std::optional<std::string_view> ricm,
                                const engine::TableInfo* table, const model::Item& item,
                                const engine::WriteMetrics& metrics);

// One {"ItemCollectionKey": ..., "SizeEstimateRangeGB": ...} object (also the
// elements of the per-table lists of BatchWriteItem and TransactWriteItems).
// A missing size counts as an empty collection.
void writeItemCollectionEntry(JsonWriter& w, std::string_view pk_name, const model::AttributeValue& pk,
                              std::optional<int64_t> collection_size);

// True if `name` is one of the table's key attributes.
bool isKeyAttribute(const engine::TableDefinition& def, std::string_view name);

}  // namespace fdyno::api

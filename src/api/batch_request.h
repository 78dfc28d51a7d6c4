// batch_request: reading and validating BatchGetItem and BatchWriteItem
// request bodies, in DynamoDB's order, up to (not including) the checks that
// need the tables (existence, key schema, duplicates of a BatchWriteItem,
// which batch_ops.cc does against the table definitions).
//
// DynamoDB's order (dynalite's validations/batch*.js and its tests, recorded
// against DynamoDB; nubo-db/dynamodb-conformance tier3 for the newer texts):
//  1. Shape of the whole body (SerializationException).
//  2. RequestItems missing or {}: "The requestItems parameter is required
//     for BatchGetItem" (BatchWriteItem), thrown at once.
//  3. Constraints, collected: returnConsumedCapacity,
//     returnItemCollectionMetrics, the map's keys (table names) and values
//     (BatchWriteItem: 1..25 requests per table; BatchGetItem: Keys not
//     null, 1..100), then members that must not be null.
//  4. Per table, in request order: BatchGetItem: expression/legacy mix,
//     expressions (names, AttributesToGet duplicates), then each key's
//     values, duplicate keys ("Provided list of item keys contains
//     duplicates") and the 100-key total ("Too many items requested for the
//     BatchGetItem call"). BatchWriteItem: a WriteRequest with neither (or
//     both) of PutRequest/DeleteRequest, each item's values and size; then
//     the 25-request total ("Too many items requested for the BatchWriteItem
//     call").
//
// Contract: parse functions throw ApiError; results borrow strings from the
// simdjson document, which must outlive them. One request, one thread.
#pragma once

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "api/expression_request.h"
#include "api/request.h"
#include "model/attribute_value.h"

namespace fdyno::api {

inline constexpr size_t kMaxBatchGetKeys = 100;
inline constexpr size_t kMaxBatchWriteRequests = 25;
inline constexpr std::string_view kDuplicateKeys = "Provided list of item keys contains duplicates";

// One table's KeysAndAttributes of a BatchGetItem.
struct GetTableRequest {
  std::string_view name;
  // The table's KeysAndAttributes as sent: UnprocessedKeys echoes its other
  // members (ProjectionExpression, ConsistentRead, ...) with the keys.
  simdjson::dom::object raw;
  std::vector<model::Item> keys;
  bool consistent = false;
  // Resolved ProjectionExpression / AttributesToGet (projection() may be null).
  std::unique_ptr<ExpressionRequest> ex;
};

struct BatchGetRequest {
  ReturnConsumedCapacity rcc = ReturnConsumedCapacity::kNone;
  std::vector<GetTableRequest> tables;  // in request order
};

BatchGetRequest parseBatchGetRequest(simdjson::dom::object body);

// One PutRequest (attrs = the Item) or DeleteRequest (attrs = the Key).
struct WriteRequestEntry {
  bool put = false;
  model::Item attrs;
  size_t item_size = 0;  // puts: model::itemSize(attrs), already checked
};

struct WriteTableRequest {
  std::string_view name;
  std::vector<WriteRequestEntry> writes;  // in request order
};

struct BatchWriteRequest {
  ReturnConsumedCapacity rcc = ReturnConsumedCapacity::kNone;
  bool collection_metrics = false;  // ReturnItemCollectionMetrics=SIZE
  std::vector<WriteTableRequest> tables;  // in request order
};

BatchWriteRequest parseBatchWriteRequest(simdjson::dom::object body);

}  // namespace fdyno::api

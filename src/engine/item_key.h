// item_key: checks an item's or a request Key's key attributes against the
// table's key schema and builds the kv key of the item.
//
// Errors are kInvalidArgument carrying DynamoDB's ValidationException text:
// - From a full item (PutItem):
//   "One or more parameter values were invalid: Missing the key p in the item"
//   "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N"
// - From a Key (GetItem, DeleteItem, UpdateItem): any missing, extra or
//   mistyped attribute gives "The provided key element does not match the schema".
// - Both: "One or more parameter values are not valid. The AttributeValue for a
//   key attribute cannot contain an empty string value. Key: p" (or "empty
//   binary value"), and the key size limits (2048 bytes partition key, 1024
//   bytes sort key).
// Thread safety: pure functions.
#pragma once

#include <string>

#include "common/status.h"
#include "engine/table_definition.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

enum class KeySource {
  kItem,  // the whole item is given (PutItem)
  kKey,   // only the key attributes are given (GetItem, DeleteItem, ...)
};

// Validates and appends the encoded (partition, sort) key to `out`, which the
// caller has pre-filled with the table's item prefix.
[[nodiscard]] Status appendItemKey(const TableDefinition& def, const model::Item& attrs, KeySource source,
                                   std::string& out);

// Copies just the key attributes of `item` (used to build a Key from an item).
model::Item extractKey(const TableDefinition& def, const model::Item& item);

}  // namespace fdyno::engine

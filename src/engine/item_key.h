// item_key: checks an item's or a request Key's key attributes against the
// table's key schema and builds the kv key of the item.
//
// Errors are kInvalidArgument with a reason (common/status.h; DynamoDB's
// ValidationException texts are in api/errors.cc):
// - From a full item (PutItem): kMissingKeyInItem(p), kKeyTypeMismatch(p,
//   expected, actual).
// - From a Key (GetItem, DeleteItem, UpdateItem): any missing, extra or
//   mistyped attribute gives kKeyMismatch.
// - Both: kEmptyKeyValue(p, "S" or "B"), and the key size limits
//   (kPartitionKeyTooLarge over 2048 bytes, kSortKeyTooLarge over 1024).
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

// index_keys: DynamoDB's checks of an item's secondary index key attributes
// on every write (PutItem, UpdateItem's result, BatchWriteItem, transactions).
//
// Contract:
// - checkIndexKeyAttributes() looks at the attributes of `item` that are
//   index keys of `def` (GSIs first, then LSIs, each in definition order;
//   per index its hash keys then range keys). An absent attribute is fine:
//   the item simply is not in that index (sparse indexes). A present one
//   must have the type of its AttributeDefinition and, for S and B, must not
//   be empty. Returns kInvalidArgument kIndexKeyTypeMismatch(key,
//   expected, actual, index) or kIndexKeyEmpty(key, "S"/"B", index), else OK.
// - Pure function; thread-safe. Intended to be called by the write paths
//   (engine/item_ops.cc) before anything is written, so a rejected item is
//   not written to the base table either (ScyllaDB test_gsi.py
//   test_gsi_wrong_type_attribute_put).
#pragma once

#include "common/status.h"
#include "engine/table_definition.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

[[nodiscard]] Status checkIndexKeyAttributes(const TableDefinition& def, const model::Item& item);

}  // namespace fdyno::engine

// item_mutation: the write step shared by every item write path (PutItem,
// UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems).
//
// Contract:
// - applyItemMutation() runs inside a kv transaction the caller owns; it
//   neither begins nor commits. The caller has already resolved `table`
//   (catalog) in that same transaction, read the old item with a
//   non-snapshot get (so the base key is in the read-conflict set) and
//   decided `plan` (engine/write_plan.h).
// - It writes, all in `txn`: the item key/value (or its removal), the
//   entries of every secondary index of the table (GSIs and LSIs, including
//   GSIs still CREATING, so that a backfill never misses a concurrent write;
//   not those DELETING), and the counters (item count, table size bytes,
//   index item counts and sizes, LSI item collection sizes) with kv
//   atomicAdd, which adds no read conflict.
// - Before writing anything it checks that the new item is within
//   DynamoDB's 32-level nesting limit (model::exceedsNestingDepth;
//   kInvalidArgument kNestingTooDeep) and the index key attributes of
//   the new item (engine/index_keys.h: kIndexKeyTypeMismatch, kIndexKeyEmpty), and returns
//   kInvalidArgument if one is wrong; nothing is written then.
// - `old` may be decoded (its item() called) when the table has indexes:
//   the old entries are found from the old item's index key values.
// - `result` (may be null) gets op, old_existed, old_size, new_size,
//   metrics (index write units; for tables with LSIs the item collection
//   size after the write) and, when plan.return_old, old_item.
//   result->table is left to the caller.
// - Tables with LSIs: a write that makes its item collection grow past
//   `collection_limit` bytes (DatabaseOptions::item_collection_limit_bytes;
//   DynamoDB's 10 GB) returns kInvalidArgument kItemCollectionTooLarge
//   (engine/item_collection.h); the caller abandons the transaction, so
//   nothing of the write is committed. The collection counter is read with a
//   snapshot read (no read conflict) even for writes that do not change it,
//   so that ReturnItemCollectionMetrics can report the size.
// - Thread safety: like the transaction: one thread at a time.
#pragma once

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/item_collection.h"
#include "engine/stored_item.h"
#include "engine/write_plan.h"
#include "kv/kv.h"

namespace fdyno::engine {

// Applies one decided write to `txn`: the item's key/value, every secondary-index entry of the
// table (GSIs and LSIs, added/moved/removed/updated as the old and new item require), and the
// table's and indexes' counters (item count, size bytes via kv atomicAdd). Validates index key
// attribute types of the new item first (checkIndexKeyAttributes) and
// returns kInvalidArgument without writing anything if they are wrong.
// `old` is the stored old item as read in this same transaction (StoredItem, may be absent).
// The item's kv key is rebuilt from the item (new item for kPut, old item for kDelete); use
// the overload below when the caller already has it.
[[nodiscard]] Status applyItemMutation(kv::Transaction& txn, const TableInfo& table, StoredItem& old,
                                       const WritePlan& plan, WriteResult* result,
                                       int64_t collection_limit);

// Same, with the item's full kv key (table.item_prefix + encoded key) already built by the
// caller (saves re-encoding; required for kDelete when the old item is absent is not needed:
// deleting an absent item writes nothing).
[[nodiscard]] Status applyItemMutation(kv::Transaction& txn, const TableInfo& table, std::string_view item_key,
                                       StoredItem& old, const WritePlan& plan, WriteResult* result,
                                       int64_t collection_limit);

}  // namespace fdyno::engine

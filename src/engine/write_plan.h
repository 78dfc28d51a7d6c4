// write_plan: what one item write decides and what it did. Shared by every
// item write path (PutItem, UpdateItem, DeleteItem, the PartiQL writes,
// BatchWriteItem, TransactWriteItems, the Time to Live sweeper, restores):
// the path reads the old item, a decider fills a WritePlan, and
// applyItemMutation (engine/item_mutation.h) carries it out, all in one kv
// transaction.
//
// Contract: plain data and a callback type; no engine state, so that
// item_mutation.h and the operation families can include it without
// including the Database facade (engine/database.h) they sit under.
// Thread safety: values, owned by one thread at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/item_collection.h"
#include "engine/stored_item.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

enum class WriteOp { kKeep, kPut, kDelete };

struct WritePlan {
  WriteOp op = WriteOp::kKeep;
  // kPut: the new item. Either points at caller-owned memory that outlives
  // the call (PutItem's parsed request) or at `owned` (UpdateItem).
  const model::Item* item = nullptr;
  model::Item owned;
  // DynamoDB size of *item if the decider already knows it; 0 = compute.
  size_t item_size = 0;
  // Decode the old item (if any) and hand it back in WriteResult::old_item.
  bool return_old = false;
  // A deletion by Time to Live (the sweeper): its stream record carries
  // userIdentity {Type: Service, PrincipalId: dynamodb.amazonaws.com}.
  bool ttl_delete = false;
};

// Called inside the transaction, possibly more than once (a conflicted
// attempt is retried from the start), so it must not consume its inputs.
// A non-OK Status abandons the write and is returned as is (e.g. a failed
// condition, kInvalidArgument kConditionFailed).
using WriteDecider = std::function<Status(const TableInfo& table, StoredItem& old, WritePlan& plan)>;

struct WriteResult {
  TableRef table;
  WriteOp op = WriteOp::kKeep;
  bool old_existed = false;
  size_t old_size = 0;
  size_t new_size = 0;
  std::optional<model::Item> old_item;  // when plan.return_old and the item existed
  // Index write units and, for tables with LSIs, the item collection size
  // after the write (engine/item_collection.h).
  WriteMetrics metrics;
};

}  // namespace fdyno::engine

// batch: the engine side of BatchGetItem and BatchWriteItem.
//
// Database::getItems() reads every key of a BatchGetItem in ONE kv
// transaction, so the whole answer is one consistent snapshot (DynamoDB only
// promises per-item consistency; a snapshot is strictly stronger).
// Database::resolveTables() looks up the tables of a BatchWriteItem in one
// transaction so the api layer can validate the whole request (keys, index
// key types, duplicates) against the table definitions before anything is
// written.
// Database::writeItems() then writes every put/delete of the batch in ONE kv
// transaction (kv::runTransaction): per item, in request order, a
// conflict-tracked read of the old item and applyItemMutation (engine/
// item_mutation.h: the item, its secondary-index entries, the counters), so a
// batch costs one commit (one group-commit fsync wait under `sync`) instead
// of one per item. DynamoDB makes each request of a batch atomic on its own
// and promises nothing across them; committing them together is stronger
// and allowed. A conflict (another writer touched one of the batch's items
// or tables) retries the whole batch on a new snapshot.
//
// Contract:
// - Errors: kNotFound kItemTableNotFound (any table missing; nothing is
//   read or written), kInvalidArgument with the key reasons
//   (engine/item_key.h) or index key reasons (engine/index_keys.h) — from
//   writeItems() nothing of the batch is written then —, kConflict when
//   retries are exhausted (nothing written), kv errors.
// - Keys, items and names are borrowed: the caller keeps them alive for the
//   call. Retries re-read them, so they must not be consumed.
// - Thread safety: as Database (any thread); results are owned values.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/catalog.h"
#include "engine/item_collection.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

// DynamoDB caps a BatchGetItem response at 16 MB; keys whose items would go
// beyond it are returned as UnprocessedKeys for the client to retry.
inline constexpr size_t kBatchGetResponseLimitBytes = 16 * 1024 * 1024;

// The keys asked of one table, in request order.
struct BatchGetTable {
  std::string_view table;
  const std::vector<model::Item>* keys = nullptr;
};

struct BatchGetKeyResult {
  // False when the response budget ran out before this key: the api layer
  // lists it in UnprocessedKeys.
  bool read = false;
  std::optional<model::Item> item;  // nullopt: no such item
  size_t size = 0;                  // DynamoDB size of the item, 0 if none
};

struct BatchGetTableResult {
  TableRef table;
  std::vector<BatchGetKeyResult> keys;  // parallel to BatchGetTable::keys
};

// One PutRequest or DeleteRequest of a BatchWriteItem.
struct BatchWrite {
  bool put = false;
  // The Item of a put, the Key of a delete (borrowed).
  const model::Item* attrs = nullptr;
  // Puts: model::itemSize(*attrs) if the caller knows it (0 = compute).
  size_t item_size = 0;
};

// The writes to one table, in request order.
struct BatchWriteTable {
  std::string_view table;
  std::vector<BatchWrite> writes;
};

// Sizes of one written item, for its capacity (engine/capacity.h), and its
// index units and item collection size.
struct BatchWriteItemResult {
  bool old_existed = false;
  size_t old_size = 0;  // DynamoDB size of the replaced/deleted item, 0 if none
  size_t new_size = 0;  // of the item put, 0 for a delete
  WriteMetrics metrics;  // index write units, item collection size (engine/item_collection.h)
};

struct BatchWriteTableResult {
  TableRef table;
  std::vector<BatchWriteItemResult> writes;  // parallel to BatchWriteTable::writes
};

}  // namespace fdyno::engine

// batch: the engine side of BatchGetItem and BatchWriteItem.
//
// Database::getItems() reads every key of a BatchGetItem in ONE kv
// transaction, so the whole answer is one consistent snapshot (DynamoDB only
// promises per-item consistency; a snapshot is strictly stronger).
// Database::resolveTables() looks up the tables of a BatchWriteItem in one
// transaction so the api layer can validate the whole request (keys, index
// key types, duplicates) against the table definitions before anything is
// written; each item is then written through Database::writeItem(), the
// single-item write path, so everything that path maintains (counters, and
// secondary index entries once they exist) applies to batches unchanged.
//
// Contract:
// - Errors: kNotFound "Requested resource not found" (any table missing;
//   nothing is read), kInvalidArgument with DynamoDB's key texts
//   (engine/item_key.h, KeySource::kKey), kv errors.
// - Keys and names are borrowed: the caller keeps them alive for the call.
// - Thread safety: as Database (any thread); results are owned values.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/catalog.h"
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

}  // namespace fdyno::engine

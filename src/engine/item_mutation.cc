// applyItemMutation: the write step of every item write. Contract in
// engine/item_mutation.h.
#include "engine/item_mutation.h"

#include "engine/index_keys.h"
#include "engine/index_maintenance.h"
#include "engine/item_key.h"
#include "model/item_size.h"

namespace fdyno::engine {

namespace {

bool hasMaintainedIndexes(const TableDefinition& def) {
  for (const auto* list : {&def.global_indexes, &def.local_indexes}) {
    for (const auto& index : *list) {
      if (indexIsMaintained(index)) return true;
    }
  }
  return false;
}

bool hasLocalIndexes(const TableDefinition& def) {
  for (const auto& index : def.local_indexes) {
    if (indexIsMaintained(index)) return true;
  }
  return false;
}

}  // namespace

Status applyItemMutation(kv::Transaction& txn, const TableInfo& table, StoredItem& old, const WritePlan& plan,
                         WriteResult* result) {
  std::string key = table.item_prefix;
  const model::Item* source = nullptr;
  if (plan.op == WriteOp::kPut) {
    source = plan.item;
  } else if (plan.op == WriteOp::kDelete && old.exists()) {
    FDYNO_ASSIGN_OR_RETURN(source, old.item());
  }
  if (source) FDYNO_RETURN_IF_ERROR(appendItemKey(table.def, *source, KeySource::kItem, key));
  return applyItemMutation(txn, table, key, old, plan, result);
}

Status applyItemMutation(kv::Transaction& txn, const TableInfo& table, std::string_view item_key, StoredItem& old,
                         const WritePlan& plan, WriteResult* result) {
  const TableDefinition& def = table.def;
  WriteResult local;
  WriteResult& r = result ? *result : local;
  r.old_existed = old.exists();
  r.old_size = old.size();
  r.op = plan.op;
  r.new_size = 0;

  const bool indexed = hasMaintainedIndexes(def);
  if (plan.op == WriteOp::kPut) {
    if (!plan.item) return Status::Internal("applyItemMutation: kPut without an item");
    // Before anything is written: a rejected item must not reach the base
    // table either (DynamoDB rejects the whole write).
    if (indexed) {
      FDYNO_RETURN_IF_ERROR(checkIndexKeyAttributes(def, *plan.item));
      FDYNO_RETURN_IF_ERROR(checkIndexKeyLimits(def, *plan.item));
    }
  }
  // The old item is needed decoded to find its index entries, or by the caller.
  const model::Item* old_item = nullptr;
  if (old.exists() && (plan.return_old || (indexed && plan.op != WriteOp::kKeep))) {
    FDYNO_ASSIGN_OR_RETURN(old_item, old.item());
  }

  int64_t count_delta = 0;
  int64_t size_delta = 0;
  const model::Item* new_item = nullptr;
  switch (plan.op) {
    case WriteOp::kKeep:
      break;
    case WriteOp::kPut: {
      size_t size = plan.item_size ? plan.item_size : model::itemSize(*plan.item);
      std::string value;
      value.reserve(size + 16);
      encodeStoredItem(value, *plan.item, size);
      txn.set(item_key, value);
      r.new_size = size;
      new_item = plan.item;
      count_delta = old.exists() ? 0 : 1;
      size_delta = static_cast<int64_t>(size) - static_cast<int64_t>(r.old_size);
      break;
    }
    case WriteOp::kDelete:
      if (old.exists()) {
        txn.clear(item_key);
        count_delta = -1;
        size_delta = -static_cast<int64_t>(r.old_size);
      }
      break;
  }
  if (indexed && plan.op != WriteOp::kKeep && (old_item || new_item)) {
    IndexWriteDelta idx;
    FDYNO_RETURN_IF_ERROR(maintainIndexes(txn, table, old_item, r.old_size, new_item, r.new_size, &idx));
    if (hasLocalIndexes(def)) {
      // Item collection size: the partition's base items plus their LSI
      // entries (DynamoDB's 10 GB limit and ReturnItemCollectionMetrics).
      // TODO(lsi): ItemCollectionSizeLimitExceededException past 10 GB.
      int64_t collection_delta = size_delta + idx.collection_delta;
      const model::Item& any = new_item ? *new_item : *old_item;
      auto pk = any.find(def.hash_key.name);
      if (collection_delta != 0 && pk != any.end()) {
        txn.atomicAdd(collectionSizeKey(def.id, pk->second), collection_delta);
      }
    }
  }
  // Counters use atomicAdd: it adds no read conflict, so concurrent writers
  // of different items never conflict over the table's totals.
  if (count_delta != 0) txn.atomicAdd(table.item_count_key, count_delta);
  if (size_delta != 0) txn.atomicAdd(table.size_bytes_key, size_delta);
  if (plan.return_old) r.old_item = old.takeDecoded();
  return Status::OK();
}

}  // namespace fdyno::engine

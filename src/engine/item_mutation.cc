// applyItemMutation: the write step of every item write. Contract in
// engine/item_mutation.h.
#include "engine/item_mutation.h"

#include <optional>
#include <string>

#include "engine/index_keys.h"
#include "engine/index_maintenance.h"
#include "engine/item_key.h"
#include "engine/streams.h"
#include "model/item_size.h"
#include "model/key_codec.h"

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

int64_t decodeCounter(const std::optional<std::string>& raw) {
  if (!raw) return 0;
  uint64_t v = 0;
  for (size_t i = raw->size() < 8 ? raw->size() : 8; i-- > 0;) v = (v << 8) | static_cast<uint8_t>((*raw)[i]);
  return static_cast<int64_t>(v);
}

// Reads the item collection size of `item_key`'s partition, checks the limit
// for a growing write and adds `delta`. The read is a snapshot read: it adds
// no read conflict, so writers of one partition do not conflict over the
// counter (the size is then exact for this transaction's own writes and may
// miss concurrent ones; DynamoDB calls it an estimate too). It sees this
// transaction's earlier adds (read-your-writes), so a batch or transaction
// growing one collection several times is checked on the running total.
Status trackCollectionSize(kv::Transaction& txn, const TableInfo& table, std::string_view item_key, int64_t delta,
                           int64_t limit, WriteMetrics* metrics) {
  // The partition key is the first value after the table's item prefix. No
  // key (the key-building overload for a write of nothing) changes nothing.
  if (item_key.size() <= table.item_prefix.size()) {
    if (delta != 0) return Status::Internal("applyItemMutation: item key without a partition key");
    return Status::OK();
  }
  std::string_view rest = item_key.substr(table.item_prefix.size());
  FDYNO_ASSIGN_OR_RETURN(model::AttributeValue pk, model::decodeKeyValue(rest, table.def.hash_key.type));
  std::string key = collectionSizeKey(table.def.id, pk);
  FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key, /*snapshot=*/true));
  int64_t size = decodeCounter(raw) + delta;
  // Only growth is refused: DynamoDB still allows writes that shrink (or
  // keep) a collection that is over the limit.
  if (delta > 0 && size > limit) return Status::InvalidArgument(ErrorReason::kItemCollectionTooLarge);
  if (delta != 0) txn.atomicAdd(key, delta);
  metrics->collection_size = size < 0 ? 0 : size;
  return Status::OK();
}

}  // namespace

Status applyItemMutation(kv::Transaction& txn, const TableInfo& table, StoredItem& old, const WritePlan& plan,
                         WriteResult* result, int64_t collection_limit) {
  std::string key = table.item_prefix;
  const model::Item* source = nullptr;
  if (plan.op == WriteOp::kPut) {
    source = plan.item;
  } else if (plan.op == WriteOp::kDelete && old.exists()) {
    FDYNO_ASSIGN_OR_RETURN(source, old.item());
  }
  if (source) FDYNO_RETURN_IF_ERROR(appendItemKey(table.def, *source, KeySource::kItem, key));
  return applyItemMutation(txn, table, key, old, plan, result, collection_limit);
}

Status applyItemMutation(kv::Transaction& txn, const TableInfo& table, std::string_view item_key, StoredItem& old,
                         const WritePlan& plan, WriteResult* result, int64_t collection_limit) {
  const TableDefinition& def = table.def;
  WriteResult local;
  WriteResult& r = result ? *result : local;
  r.old_existed = old.exists();
  r.old_size = old.size();
  r.op = plan.op;
  r.new_size = 0;
  r.metrics.clear();

  const bool indexed = hasMaintainedIndexes(def);
  // DynamoDB Streams: the record needs the old item (image, no-op check).
  const bool streamed = streamEnabled(def) && plan.op != WriteOp::kKeep;
  if (plan.op == WriteOp::kPut) {
    if (!plan.item) return Status::Internal("applyItemMutation: kPut without an item");
    // Every stored item obeys DynamoDB's nesting limit, whoever built it:
    // request JSON is checked as it is parsed, but UpdateItem (SET a.b = a,
    // list_append), PartiQL UPDATE and transactions build values deeper than
    // any request value, and the item codec refuses to decode much deeper
    // items, so without this check such an item could be stored and never
    // read again.
    if (model::exceedsNestingDepth(*plan.item)) return Status::InvalidArgument(ErrorReason::kNestingTooDeep);
    // Before anything is written: a rejected item must not reach the base
    // table either (DynamoDB rejects the whole write).
    if (indexed) {
      FDYNO_RETURN_IF_ERROR(checkIndexKeyAttributes(def, *plan.item));
      FDYNO_RETURN_IF_ERROR(checkIndexKeyLimits(def, *plan.item));
    }
  }
  // The old item is needed decoded to find its index entries, or by the caller.
  const model::Item* old_item = nullptr;
  if (old.exists() && (plan.return_old || streamed || (indexed && plan.op != WriteOp::kKeep))) {
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
  int64_t lsi_delta = 0;
  if (indexed && plan.op != WriteOp::kKeep && (old_item || new_item)) {
    IndexWriteDelta idx;
    idx.index_units = std::move(r.metrics.index_units);  // reuse the caller's buffer
    FDYNO_RETURN_IF_ERROR(maintainIndexes(txn, table, old_item, r.old_size, new_item, r.new_size, &idx));
    r.metrics.index_units = std::move(idx.index_units);
    lsi_delta = idx.collection_delta;
  }
  if (hasLocalIndexes(def)) {
    // Item collection size: the partition's base items plus their LSI
    // entries (ReturnItemCollectionMetrics and the 10 GB limit).
    FDYNO_RETURN_IF_ERROR(
        trackCollectionSize(txn, table, item_key, size_delta + lsi_delta, collection_limit, &r.metrics));
  }
  // Counters use atomicAdd: it adds no read conflict, so concurrent writers
  // of different items never conflict over the table's totals.
  if (count_delta != 0) txn.atomicAdd(table.item_count_key, count_delta);
  if (size_delta != 0) txn.atomicAdd(table.size_bytes_key, size_delta);
  // Same transaction as the item change: the record commits (and orders,
  // by versionstamp) with it, or not at all.
  if (streamed) FDYNO_RETURN_IF_ERROR(appendStreamRecord(txn, def, old_item, new_item, plan.ttl_delete));
  if (plan.return_old) r.old_item = old.takeDecoded();
  return Status::OK();
}

}  // namespace fdyno::engine

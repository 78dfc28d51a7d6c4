// Secondary index entries and their maintenance on writes.
// Contract and layout: engine/index_maintenance.h, docs/storage-layout.md.
#include "engine/index_maintenance.h"

#include "engine/capacity.h"
#include "engine/storage_keys.h"
#include "engine/stored_item.h"
#include "model/item_size.h"
#include "model/key_codec.h"

namespace fdyno::engine {

namespace {

constexpr char kIndexCountCounter = '\x03';
constexpr char kIndexSizeCounter = '\x04';
constexpr char kCollectionSizeCounter = '\x05';

void appendU16BE(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

std::string counterKey(uint64_t table_id, char kind, uint16_t index_no) {
  std::string k = keys::tableBegin(table_id);
  k.push_back(keys::kCounterSpace);
  k.push_back(kind);
  appendU16BE(k, index_no);
  return k;
}

// Appends enc() of each attribute of `attrs` in `item`; false if one is missing.
bool appendValues(std::string& out, const std::vector<KeyAttribute>& attrs, const model::Item& item) {
  for (const auto& a : attrs) {
    auto it = item.find(a.name);
    if (it == item.end() || it->second.type != a.type) return false;
    // Empty S/B values cannot be keys (writes reject them; a backfill skips them).
    if (it->second.scalar.empty() && a.type != model::AttrType::kN) return false;
    model::encodeKeyValue(out, it->second);
  }
  return true;
}

constexpr size_t kMaxHashKeyBytes = 2048;
constexpr size_t kMaxRangeKeyBytes = 1024;

bool withinLimit(const std::vector<KeyAttribute>& attrs, const model::Item& item, size_t limit) {
  for (const auto& a : attrs) {
    auto it = item.find(a.name);
    if (it != item.end() && it->second.scalar.size() > limit) return false;
  }
  return true;
}

void copyAttr(model::Item& out, const model::Item& item, std::string_view name) {
  auto it = item.find(name);
  if (it != item.end()) out.emplace(it->first, it->second);
}

// True if `index` projects the same item from `a` as from `b` (the caller
// knows their entry keys are equal). KEYS_ONLY projects only key attributes,
// which equal keys already pin down.
bool projectionUnchanged(const IndexDefinition& index, const model::Item& a, size_t a_size, const model::Item& b,
                         size_t b_size) {
  switch (index.projection) {
    case ProjectionType::kKeysOnly:
      return true;
    case ProjectionType::kAll:
      return a_size == b_size && a == b;
    case ProjectionType::kInclude:
      for (const auto& n : index.non_key_attributes) {
        auto ia = a.find(n);
        auto ib = b.find(n);
        if ((ia == a.end()) != (ib == b.end())) return false;
        if (ia != a.end() && !(ia->second == ib->second)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace

std::string indexEntriesPrefix(uint64_t table_id, uint16_t index_no) { return keys::indexPrefix(table_id, index_no); }

std::string indexEntriesEnd(uint64_t table_id, uint16_t index_no) {
  if (index_no == 0xFFFF) return keys::streamPrefix(table_id);
  return keys::indexPrefix(table_id, static_cast<uint16_t>(index_no + 1));
}

std::string indexItemCountKey(uint64_t table_id, uint16_t index_no) {
  return counterKey(table_id, kIndexCountCounter, index_no);
}

std::string indexSizeBytesKey(uint64_t table_id, uint16_t index_no) {
  return counterKey(table_id, kIndexSizeCounter, index_no);
}

std::string collectionSizeKey(uint64_t table_id, const model::AttributeValue& pk) {
  std::string k = keys::tableBegin(table_id);
  k.push_back(keys::kCounterSpace);
  k.push_back(kCollectionSizeCounter);
  model::encodeKeyValue(k, pk);
  return k;
}

void appendIndexPartition(std::string& out, const std::vector<const model::AttributeValue*>& values) {
  for (const auto* v : values) model::encodeKeyValue(out, *v);
}

bool indexEntryKey(const TableDefinition& def, const IndexDefinition& index, const model::Item& item,
                   std::string& out) {
  out = keys::indexPrefix(def.id, index.number);
  if (!appendValues(out, index.hash_keys, item)) return false;
  if (!appendValues(out, index.range_keys, item)) return false;
  // The table key makes the entry unique; a stored item always has it.
  auto pk = item.find(def.hash_key.name);
  if (pk == item.end()) return false;
  model::encodeKeyValue(out, pk->second);
  if (def.range_key) {
    auto sk = item.find(def.range_key->name);
    if (sk == item.end()) return false;
    model::encodeKeyValue(out, sk->second);
  }
  return true;
}

model::Item projectForIndex(const TableDefinition& def, const IndexDefinition& index, const model::Item& item) {
  if (index.projection == ProjectionType::kAll) return item;
  model::Item out;
  copyAttr(out, item, def.hash_key.name);
  if (def.range_key) copyAttr(out, item, def.range_key->name);
  for (const auto& k : index.hash_keys) copyAttr(out, item, k.name);
  for (const auto& k : index.range_keys) copyAttr(out, item, k.name);
  if (index.projection == ProjectionType::kInclude) {
    for (const auto& n : index.non_key_attributes) copyAttr(out, item, n);
  }
  return out;
}

size_t encodeIndexEntryValue(const TableDefinition& def, const IndexDefinition& index, const model::Item& item,
                             size_t item_size, std::string& out) {
  out.clear();
  if (index.projection == ProjectionType::kAll) {
    // No copy of the item: ALL projects it whole.
    encodeStoredItem(out, item, item_size);
    return item_size;
  }
  model::Item projected = projectForIndex(def, index, item);
  size_t size = model::itemSize(projected);
  encodeStoredItem(out, projected, size);
  return size;
}

bool indexKeyWithinLimits(const IndexDefinition& index, const model::Item& item) {
  return withinLimit(index.hash_keys, item, kMaxHashKeyBytes) && withinLimit(index.range_keys, item, kMaxRangeKeyBytes);
}

Status checkIndexKeyLimits(const TableDefinition& def, const model::Item& item) {
  for (const auto* list : {&def.global_indexes, &def.local_indexes}) {
    for (const auto& index : *list) {
      if (!indexIsMaintained(index)) continue;
      // Same texts as for table keys (engine/item_key.cc).
      if (!withinLimit(index.hash_keys, item, kMaxHashKeyBytes)) {
        return Status::InvalidArgument(ErrorReason::kPartitionKeyTooLarge);
      }
      if (!withinLimit(index.range_keys, item, kMaxRangeKeyBytes)) {
        return Status::InvalidArgument(ErrorReason::kSortKeyTooLarge);
      }
    }
  }
  return Status::OK();
}

Result<IndexEntry> decodeIndexEntry(std::string_view value) {
  IndexEntry e;
  FDYNO_RETURN_IF_ERROR(readStoredItemSize(value, &e.size));
  FDYNO_ASSIGN_OR_RETURN(e.item, decodeStoredItem(value));
  return e;
}

Status maintainIndexes(kv::Transaction& txn, const TableInfo& table, const model::Item* old_item, size_t old_size,
                       const model::Item* new_item, size_t new_size, IndexWriteDelta* delta) {
  const TableDefinition& def = table.def;
  std::string old_key, new_key, value;
  int64_t lsi_delta = 0;
  for (const auto* list : {&def.global_indexes, &def.local_indexes}) {
    for (const auto& index : *list) {
      if (!indexIsMaintained(index)) continue;
      bool has_old = old_item && indexEntryKey(def, index, *old_item, old_key);
      bool has_new = new_item && indexEntryKey(def, index, *new_item, new_key);
      if (!has_old && !has_new) continue;
      size_t old_proj = 0;
      if (has_old) {
        if (index.status == IndexStatus::kCreating) {
          // The backfill may not have reached this item yet: the old entry
          // exists only if someone wrote it. Non-snapshot read, so a
          // concurrent backfill write of this key conflicts with us.
          FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(old_key));
          if (raw) {
            FDYNO_RETURN_IF_ERROR(readStoredItemSize(*raw, &old_proj));
          } else {
            has_old = false;
          }
        } else {
          old_proj = index.projection == ProjectionType::kAll ? old_size
                                                              : model::itemSize(projectForIndex(def, index, *old_item));
        }
      }
      const bool same_key = has_old && has_new && old_key == new_key;
      if (same_key && projectionUnchanged(index, *old_item, old_size, *new_item, new_size)) {
        continue;  // the entry already holds exactly this: nothing to write or charge
      }
      int64_t count_delta = 0;
      int64_t size_delta = 0;
      uint32_t units = 0;
      if (has_old && !same_key) {
        txn.clear(old_key);
        count_delta -= 1;
        size_delta -= static_cast<int64_t>(old_proj);
        units += indexEntryWriteUnits(old_proj);
      }
      if (has_new) {
        size_t new_proj = encodeIndexEntryValue(def, index, *new_item, new_size, value);
        txn.set(new_key, value);
        if (!same_key) count_delta += 1;
        size_delta += static_cast<int64_t>(new_proj);
        if (same_key) {
          size_delta -= static_cast<int64_t>(old_proj);
          // A rewrite in place is one write, sized like a base-table
          // overwrite: the larger of the old and new entries.
          units += indexEntryWriteUnits(old_proj > new_proj ? old_proj : new_proj);
        } else {
          units += indexEntryWriteUnits(new_proj);
        }
      }
      if (count_delta != 0) txn.atomicAdd(indexItemCountKey(def.id, index.number), count_delta);
      if (size_delta != 0) txn.atomicAdd(indexSizeBytesKey(def.id, index.number), size_delta);
      if (index.kind == IndexKind::kLocal) lsi_delta += size_delta;
      if (delta) delta->index_units.push_back({index.number, units});
    }
  }
  if (delta) delta->collection_delta = lsi_delta;
  return Status::OK();
}

}  // namespace fdyno::engine

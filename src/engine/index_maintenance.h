// index_maintenance: secondary index entries (GSIs and LSIs) in the kv store:
// how they are keyed, what they hold, how a write keeps them in step, and
// the read-side API Query/Scan on an IndexName use.
//
// Layout (docs/storage-layout.md, "Secondary index entries", is the system
// of record; tests/unit/engine/index_maintenance_test.cc has one test per rule):
//
//   02 <id> 01 <index no: u16 BE> <enc(h1)>..<enc(hN)> <enc(r1)>..<enc(rM)> <enc(table pk)> [<enc(table sk)>]
//     -> u32 LE projected size + model/item_codec.h encoding of the projected item
//        (the StoredItem format: decode with decodeStoredItem / readStoredItemSize)
//
//   h1..hN: the index's hash key attributes in KeySchema order (N = 1 except
//   for multi-attribute GSI keys), r1..rM its range key attributes (M = 0..4).
//   enc() is model/key_codec.h: order-preserving and self-delimiting, so
//   entries order by (index partition key, index sort key, table key) and the
//   table key at the end makes each entry unique.
//   Projected item: KEYS_ONLY = table key + index key attributes; INCLUDE =
//   those + NonKeyAttributes present in the item; ALL = the whole item.
//   Sparse: an item lacking any index key attribute has no entry.
//
// Counters (LE i64, kv atomicAdd; read with snapshot reads):
//   02 <id> 03 03 <index no: u16 BE>   index ItemCount
//   02 <id> 03 04 <index no: u16 BE>   IndexSizeBytes (sum of projected sizes)
//   02 <id> 03 05 <enc(table pk)>      item collection size (tables with LSIs):
//                                      base item sizes + their LSI entry sizes
//
// Write side contract (maintainIndexes):
// - Runs inside the caller's kv transaction, after the base write was decided.
//   Indexes in status ACTIVE/UPDATING are exact, so their old entry is known
//   from the old item alone (no read). Indexes CREATING (a backfill is
//   running) are maintained too, but their old entry may not exist yet, so
//   the writer reads it (non-snapshot: the backfill's write of that key then
//   conflicts with this write, keeping counters exact). DELETING indexes
//   are skipped.
// - Thread safety: one transaction, one thread.
//
// Read side contract (for Query/Scan with IndexName):
// - indexEntriesPrefix(): all entries of an index lie in
//   [prefix, keys-prefix-end(prefix)); a Scan of the index reads that range.
// - appendIndexPartition(): prefix + enc(index hash key values) = the prefix
//   of all entries of one index partition (key_range.h partition_prefix).
// - Sort key ranges: entries have the table key AFTER the index sort key, so
//   "sk = v" is [P+enc(v), prefixEnd(P+enc(v))) and "sk <= v" /
//   "sk > v" must use prefixEnd(P+enc(v)) instead of P+enc(v)+00.
// - decodeIndexEntry(): the projected item and its size from an entry's
//   value. The projected item always holds the table key and index key
//   attributes, so LastEvaluatedKey (table key + index key) comes from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/item_collection.h"
#include "engine/table_definition.h"
#include "kv/kv.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

// ---- keys ----
// 02 <id> 01 <no>: the prefix of every entry of index `no`.
std::string indexEntriesPrefix(uint64_t table_id, uint16_t index_no);
// End of that range: 02 <id> 01 <no+1> (or 02 <id> 02 for no = 0xFFFF).
std::string indexEntriesEnd(uint64_t table_id, uint16_t index_no);
std::string indexItemCountKey(uint64_t table_id, uint16_t index_no);
std::string indexSizeBytesKey(uint64_t table_id, uint16_t index_no);
// 02 <id> 03 05 <enc(pk)>: the item collection size counter of partition `pk`.
std::string collectionSizeKey(uint64_t table_id, const model::AttributeValue& pk);

// Appends enc(v) for each of `values` (the index hash key values in
// KeySchema order) to `out`, which holds indexEntriesPrefix(). Values must
// have the attribute types of the index's hash keys (caller checks).
void appendIndexPartition(std::string& out, const std::vector<const model::AttributeValue*>& values);

// The kv key of `item`'s entry in `index`, appended to `out` (which the
// caller leaves empty or pre-fills with nothing: the prefix is added here).
// Returns false (and leaves `out` unspecified) when the item lacks an index
// key attribute (sparse: no entry).
bool indexEntryKey(const TableDefinition& def, const IndexDefinition& index, const model::Item& item,
                   std::string& out);

// The projected item of `item` in `index` (KEYS_ONLY, INCLUDE, ALL).
model::Item projectForIndex(const TableDefinition& def, const IndexDefinition& index, const model::Item& item);

// Encodes the entry value of `item` in `index` into `out` (cleared first)
// and returns the projected size. `item_size` = itemSize(item), used as is
// for ALL projections.
size_t encodeIndexEntryValue(const TableDefinition& def, const IndexDefinition& index, const model::Item& item,
                             size_t item_size, std::string& out);

struct IndexEntry {
  model::Item item;  // the projected item (contains table key and index key)
  size_t size = 0;   // its DynamoDB size (capacity units, 1 MB page limit)
};
// Decodes an entry's value. kCorruption if it does not decode.
[[nodiscard]] Result<IndexEntry> decodeIndexEntry(std::string_view value);

// DynamoDB's key size limits applied to index keys: each hash key value at
// most 2048 bytes, each range key value at most 1024 bytes. Writes reject
// such items (checkIndexKeyLimits); a backfill skips them.
bool indexKeyWithinLimits(const IndexDefinition& index, const model::Item& item);
// kInvalidArgument kPartitionKeyTooLarge / kSortKeyTooLarge when an index key of
// `item` (in any maintained index of `def`) is too long.
[[nodiscard]] Status checkIndexKeyLimits(const TableDefinition& def, const model::Item& item);

// Whether a write must maintain `index` (not DELETING).
inline bool indexIsMaintained(const IndexDefinition& index) { return index.status != IndexStatus::kDeleting; }

// ---- write side ----
struct IndexWriteDelta {
  // Change of the item collection size of the written item's partition
  // (only computed when the table has LSIs): base size delta + LSI entries.
  int64_t collection_delta = 0;
  // Write units charged per index touched (engine/capacity.h rules), in
  // definition order; appended to, so the caller may pass a reused vector.
  std::vector<IndexWriteUnits> index_units;
};

// Keeps every maintained index of `table` in step with a write of one item:
// `old_item` (null if absent) becomes `new_item` (null for a delete), sizes
// by DynamoDB's rules. Adds/moves/removes/rewrites entries and adjusts the
// index counters in `txn`. An entry whose key and projected item are both
// unchanged is left as it is (no kv write, no index write units: DynamoDB
// charges an index only when the write changes what it holds). Index key
// types are NOT checked here
// (checkIndexKeyAttributes, before anything is written).
[[nodiscard]] Status maintainIndexes(kv::Transaction& txn, const TableInfo& table, const model::Item* old_item,
                                     size_t old_size, const model::Item* new_item, size_t new_size,
                                     IndexWriteDelta* delta);

}  // namespace fdyno::engine

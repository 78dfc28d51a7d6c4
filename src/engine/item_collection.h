// item_collection: DynamoDB's item collections (tables with local secondary
// indexes) and what a write reports beyond the base item.
//
// DynamoDB's rules (developerguide/LSI.html "Item collections in Local
// Secondary Indexes", API ItemCollectionMetrics):
// - An item collection is every item of a table with one partition key value
//   plus their entries in the table's LSIs. Only tables with LSIs have them.
//   fdyno's size of a collection = the base items' sizes + the projected
//   sizes of their LSI entries (the counter 02 <id> 03 05 <pk>,
//   engine/index_maintenance.h).
// - The size is limited to 10 GB. A write that makes a collection grow past
//   the limit fails with ItemCollectionSizeLimitExceededException, message
//   "Collection size exceeded." (developerguide/Programming.Errors.html);
//   writes that shrink or keep the size are still allowed. The engine
//   returns it as kInvalidArgument ErrorReason::kItemCollectionTooLarge (the
//   api layer turns that into the exception, or the
//   "ItemCollectionSizeLimitExceeded" cancellation reason of a transaction).
// - ReturnItemCollectionMetrics=SIZE answers SizeEstimateRangeGB, "a two-
//   element array containing a lower bound and an upper bound" of the size in
//   GB. DynamoDB answers [0.0, 1.0] for any collection under 1 GB (the AWS
//   guide's examples and every recorded answer): the whole-GB bracket that
//   holds the size. fdyno answers [floor(GB), floor(GB) + 1] with GB =
//   bytes / 2^30, so a 2.5 GB collection is [2.0, 3.0].
//
// The limit is DatabaseOptions::item_collection_limit_bytes, 10 * 2^30 by
// default. The CLI may lower it (--item-collection-limit-bytes, env
// FDYNO_ITEM_COLLECTION_LIMIT_BYTES, TOML item_collection_limit_bytes;
// src/cli/config.h) so that tests can reach it with small items; the engine
// reads no environment.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fdyno::engine {

inline constexpr int64_t kItemCollectionLimitBytes = int64_t{10} << 30;

// SizeEstimateRangeGB of a collection of `bytes` (see above).
struct SizeEstimateRange {
  double lower = 0;
  double upper = 1;
};
inline SizeEstimateRange sizeEstimateRangeGB(int64_t bytes) {
  int64_t whole = bytes <= 0 ? 0 : bytes >> 30;
  return {static_cast<double>(whole), static_cast<double>(whole + 1)};
}

// One secondary index's share of a write, for ReturnConsumedCapacity=INDEXES.
// DynamoDB charges an index one write per entry put (a new entry, or a
// changed projection under the same key) and one per entry removed, each by
// its projected size per started 1 KB; an index key change is both (a
// delete and a put). Indexes the write did not touch are not listed.
struct IndexWriteUnits {
  uint16_t index_number = 0;
  uint32_t units = 0;
};

// What one item write did beyond the base item. Carried by WriteResult (single-
// item writes and each TransactWriteItems action) and BatchWriteItemResult.
struct WriteMetrics {
  // Per touched index, in definition order (GSIs then LSIs); units > 0.
  std::vector<IndexWriteUnits> index_units;
  // Tables with LSIs: the item collection's size in bytes after the write
  // (including the earlier writes of the same kv transaction). nullopt for
  // tables without LSIs.
  std::optional<int64_t> collection_size;

  void clear() {
    index_units.clear();
    collection_size.reset();
  }
};

}  // namespace fdyno::engine

// streams: DynamoDB Streams in the engine. Records are written by every item
// write (applyItemMutation) in the same kv transaction as the item change,
// and read by the Database stream methods (engine/database.h) that back
// ListStreams, DescribeStream, GetShardIterator and GetRecords.
//
// Rules (DynamoDB's):
// - One record per changed item: INSERT (no old item), MODIFY (old and new
//   item, different), REMOVE (old item deleted). A write that changes
//   nothing (PutItem of an identical item, UpdateItem that sets what is
//   there, deleting an absent item, a ConditionCheck) writes no record.
// - Images follow the table's StreamViewType: KEYS_ONLY none, NEW_IMAGE the
//   item after, OLD_IMAGE the item before, NEW_AND_OLD_IMAGES both.
// - Deletions by Time to Live carry userIdentity {Type: Service,
//   PrincipalId: dynamodb.amazonaws.com} (WritePlan::ttl_delete).
// - One shard per stream (simplest model DynamoDB allows: a stream is a set
//   of shards). The shard is open while the stream is ENABLED; once the
//   stream is DISABLED it is closed (EndingSequenceNumber = its last record),
//   and a reader that drained it gets no NextShardIterator.
// - Retention: records older than 24 hours are not returned and are removed
//   lazily by readers (kStreamRetentionMs).
//
// Stream identity: (table name, label). The table's latest stream
// (TableDefinition::stream_label) and, for 24 hours after they were
// disabled, its older ones (per-stream metadata) are found; a stream
// disabled longer ago is not, and its records are cleared lazily.
//
// Thread safety: appendStreamRecord runs in the caller's transaction (one
// thread); the Database methods are thread-safe like the rest of Database.
// Errors: kNotFound for an unknown table/stream (the api words it), kCorruption
// for undecodable records, kv errors as they come.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/stream_records.h"
#include "kv/kv.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

inline constexpr int64_t kStreamRetentionMs = 24LL * 3600 * 1000;

// Appends the record of one item change to the table's current stream, if
// its stream is enabled (no-op otherwise, and for writes that change
// nothing). `old_item`/`new_item`: the item before/after (nullptr = absent).
[[nodiscard]] Status appendStreamRecord(kv::Transaction& txn, const TableDefinition& def, const model::Item* old_item,
                                        const model::Item* new_item, bool ttl_delete);

// CreateTable/UpdateTable, in their transaction, when the stream spec may
// have changed (before = the old spec and label; nothing before for a new
// table): writes the per-stream metadata (engine/stream_records.h) of the
// stream enabled (view type) or disabled (time), so that a disabled stream
// stays listed, describable and readable for 24 hours, also after a new one
// was enabled. `now` in epoch seconds.
void recordStreamChange(kv::Transaction& txn, uint64_t table_id, const StreamSpec& before,
                        std::string_view before_label, const StreamSpec& after, std::string_view after_label,
                        double now);

// `label`, or if it is not later than `previous` (re-enabled within the same
// millisecond, or a clock step back) the label 1 ms after `previous`: every
// stream of a table has its own label, hence its own records range.
std::string newerStreamLabel(std::string label, std::string_view previous);

// True if the table's stream is enabled: then the write path must decode the
// old item for appendStreamRecord.
inline bool streamEnabled(const TableDefinition& def) { return def.stream.enabled && !def.stream_label.empty(); }

struct StreamSummary {
  std::string table_name;
  std::string label;
};

struct ListStreamsResult {
  std::vector<StreamSummary> streams;
  // Set when the limit was reached: the last stream returned.
  std::optional<StreamSummary> last;
};

struct StreamInfo {
  TableRef table;  // the table's current definition
  std::string label;
  bool enabled = false;  // ENABLED, else DISABLED (shard closed)
  std::string view_type;
  std::string shard_id;
  std::string starting_sequence;                 // StartingSequenceNumber
  std::optional<std::string> ending_sequence;    // closed shard with records
};

struct StreamReadResult {
  TableRef table;  // the definition the read used (view type, key schema)
  std::string view_type;  // the stream's
  std::vector<StreamRecord> records;
  // Where the next read starts (just after the last record returned, or
  // unchanged when none was).
  StreamPosition next;
  // The shard is closed (stream disabled) and nothing is left after `next`.
  bool drained = false;
};

}  // namespace fdyno::engine

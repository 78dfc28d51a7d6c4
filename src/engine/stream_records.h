// stream_records: the on-disk form of DynamoDB Streams records and the
// numbers derived from it (sequence numbers, shard ids, stream labels).
//
// Layout (docs/storage-layout.md, "Stream records"):
//   key   = 02 <table id> 02 <stream no: u64 BE> <versionstamp: 10 bytes>
//   value = record encoding below
// The stream number is the label's time in epoch milliseconds: a table that
// disables and re-enables its stream gets a new label, hence a separate
// sub-range, so an old stream never shows records of a newer one.
// The versionstamp (kv.h: 8-byte BE commit version + 2-byte order in the
// transaction) is substituted at commit, so records sort in commit order and
// a reader never sees a record "appear" before an older one.
//
// Value (little-endian, engine/byte_codec.h primitives):
//   u8  format = 01
//   u8  event (StreamEvent)
//   u8  flags (bit 0: deleted by Time to Live)
//   i64 created_ms (epoch milliseconds, wall clock)
//   u32 size_bytes (DynamoDB's SizeBytes: keys + images kept)
//   str keys        (model/item_codec.h)
//   u8 has_new [str new image]
//   u8 has_old [str old image]
// Images are stored only as the stream's view type asks (KEYS_ONLY keeps
// none), so a reader renders exactly what is stored.
//
// Sequence numbers: decimal text of 10^25 + (commit version << 16 | order).
// 2^80 < 10^25, so every one has exactly 26 digits (DynamoDB's are 21..40
// digits, numeric only), text order equals numeric order equals commit
// order, and the leading "1" survives clients that treat it as a number.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "kv/kv.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

// On disk: DO NOT CHANGE the values.
enum class StreamEvent : uint8_t { kInsert = 1, kModify = 2, kRemove = 3 };
std::string_view streamEventName(StreamEvent e);  // "INSERT", "MODIFY", "REMOVE"

// A position in a stream: a 10-byte versionstamp (records at or after it).
using StreamPosition = std::string;
inline constexpr size_t kStreamPositionBytes = kv::kVersionstampSize;

struct StreamRecord {
  StreamPosition position;  // the record's versionstamp
  StreamEvent event = StreamEvent::kInsert;
  bool ttl_delete = false;
  int64_t created_ms = 0;
  uint32_t size_bytes = 0;
  model::Item keys;
  std::optional<model::Item> new_image;
  std::optional<model::Item> old_image;
};

void encodeStreamRecordValue(std::string& out, StreamEvent event, bool ttl_delete, int64_t created_ms,
                             uint32_t size_bytes, const model::Item& keys, const model::Item* new_image,
                             const model::Item* old_image);
// kCorruption if the bytes do not decode. `position` is the key's versionstamp.
[[nodiscard]] Result<StreamRecord> decodeStreamRecord(std::string_view position, std::string_view value);
// The created_ms of an encoded value without decoding the images (trimming).
[[nodiscard]] Result<int64_t> streamRecordCreatedMs(std::string_view value);

// 02 <id> 02 <stream no u64 BE>: the prefix of every record of one stream.
std::string streamRecordPrefix(uint64_t table_id, uint64_t stream_no);

// Stream labels are "YYYY-MM-DDTHH:MM:SS.mmm" (UTC, engine/table_ops.cc);
// the stream number is that time in epoch ms. nullopt if `label` is not one.
std::optional<uint64_t> streamNumberFromLabel(std::string_view label);

// DynamoDB-style shard id of the one shard of a stream (28..65 chars):
// "shardId-" + 20 digits + "-" + 8 hex.
std::string streamShardId(uint64_t table_id, uint64_t stream_no);

// Sequence number text of a position (see above), and back. A sequence
// number is accepted when it is 1..40 decimal digits; values below 10^25 map
// to the very first position, values past the 80-bit space to the last.
std::string sequenceNumberOf(std::string_view position);
std::optional<StreamPosition> positionOfSequenceNumber(std::string_view seq);
// The position just after `position` (AFTER_SEQUENCE_NUMBER, next page).
StreamPosition positionAfter(std::string_view position);
// The first position a commit at `version` can produce.
StreamPosition positionOfVersion(uint64_t version);

// The label of stream number `ms` ("YYYY-MM-DDTHH:MM:SS.mmm", UTC): the
// inverse of streamNumberFromLabel.
std::string streamLabelOf(uint64_t ms);

// Per-stream metadata, stored under the stream's bare prefix
// (streamRecordPrefix(id, no), which sorts before its records):
//   u8 format = 01, str view_type, i64 enabled_ms, i64 disabled_ms (0 = enabled)
// Written by CreateTable/UpdateTable (recordStreamChange, engine/streams.h),
// so that a disabled stream keeps its view type and is readable for 24 h.
struct StreamMeta {
  std::string view_type;
  int64_t enabled_ms = 0;
  int64_t disabled_ms = 0;
};
std::string encodeStreamMeta(const StreamMeta& m);
std::optional<StreamMeta> decodeStreamMeta(std::string_view v);

// DynamoDB's eventID: 32 hex characters, unique per table and record.
std::string streamEventId(uint64_t table_id, std::string_view position);

}  // namespace fdyno::engine

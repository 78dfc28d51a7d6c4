// IndexDefinition: one global or local secondary index of a table, as part
// of its TableDefinition (engine/table_definition.h).
//
// Contract:
// - A value type; thread-compatible. Shared read-only through the catalog.
// - Only the definition lives here. Index entries (key space `02 <id> 01
//   <index number>` in docs/storage-layout.md), their maintenance on writes,
//   Query/Scan on indexes and GSI backfill come later.
// - encodeIndexDefinition()/decodeIndexDefinition() are the on-disk form of
//   one index inside the table definition record (format 2). Each index is a
//   length-prefixed record, so a later format can append fields to it and an
//   older reader skips them. Enum values below are on disk: DO NOT CHANGE.
// - The api layer validates everything before it gets here (DynamoDB's
//   rules and messages are in api/index_request.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/byte_codec.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

struct KeyAttribute {
  std::string name;
  model::AttrType type = model::AttrType::kS;  // S, N or B only
};

struct Throughput {
  int64_t read = 0;
  int64_t write = 0;
};

// On disk: DO NOT CHANGE the values.
enum class IndexKind : uint8_t { kGlobal = 0, kLocal = 1 };
enum class ProjectionType : uint8_t { kAll = 0, kKeysOnly = 1, kInclude = 2 };
// A GSI added to an existing table is kCreating until its backfill is done
// (not implemented yet); indexes created with their table start kActive.
enum class IndexStatus : uint8_t { kActive = 0, kCreating = 1, kUpdating = 2, kDeleting = 3 };

std::string_view projectionTypeName(ProjectionType p);  // "ALL", "KEYS_ONLY", "INCLUDE"
std::string_view indexStatusName(IndexStatus s);        // "ACTIVE", "CREATING", ...

// DynamoDB's limits for index definitions.
inline constexpr size_t kMaxGlobalIndexes = 20;
inline constexpr size_t kMaxLocalIndexes = 5;
// Multi-attribute GSI keys: up to 4 partition and 4 sort key attributes.
inline constexpr size_t kMaxIndexKeyAttributesPerRole = 4;
// NonKeyAttributes summed over all indexes of a table (duplicates across
// indexes count twice).
inline constexpr size_t kMaxProjectedNonKeyAttributes = 100;

struct IndexDefinition {
  std::string name;
  IndexKind kind = IndexKind::kGlobal;
  // Unique within the table and never reused (TableDefinition::
  // next_index_number), so entries of a dropped index can never be mistaken
  // for those of a new one. Prefixes the index's entries: 02 <id> 01 <u16 BE>.
  uint16_t number = 0;
  // In KeySchema order. An LSI has exactly one of each, its hash key being
  // the table's. A GSI has 1..4 hash keys and 0..4 range keys (DynamoDB's
  // multi-attribute keys; a classic GSI has one of each at most).
  std::vector<KeyAttribute> hash_keys;
  std::vector<KeyAttribute> range_keys;
  ProjectionType projection = ProjectionType::kAll;
  std::vector<std::string> non_key_attributes;  // INCLUDE only, as given
  Throughput throughput;                        // GSI of a PROVISIONED table; zeros otherwise
  IndexStatus status = IndexStatus::kActive;
};

void encodeIndexDefinition(ByteWriter& w, const IndexDefinition& d);
// Reads one record written by encodeIndexDefinition(). kCorruption if the
// bytes do not decode.
Result<IndexDefinition> decodeIndexDefinition(ByteReader& r);

// "arn:aws:dynamodb:REGION:ACCOUNT:table/TABLE/index/INDEX"
std::string indexArn(std::string_view table_arn, std::string_view index);

}  // namespace fdyno::engine

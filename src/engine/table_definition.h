// TableDefinition: everything fdyno knows about a table except its contents.
//
// Contract:
// - A value type; thread-compatible. Shared read-only between threads through
//   the catalog (engine/catalog.h) as std::shared_ptr<const TableInfo>.
// - encodeTableDefinition()/decodeTableDefinition() are the on-disk form of
//   the catalog (docs/storage-layout.md). The encoding is versioned: a leading
//   format byte (2 since secondary indexes, 3 since Time to Live; formats 1
//   and 2 still decode),
//   then fields in a fixed order. New fields are appended at the end and
//   decoders treat a missing tail as defaults. Enum values below are written
//   to disk: DO NOT CHANGE them.
// - decodeTableDefinition() returns kCorruption if the bytes do not decode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/index_definition.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

// On disk: DO NOT CHANGE the values.
enum class BillingMode : uint8_t { kProvisioned = 0, kPayPerRequest = 1 };
enum class TableClass : uint8_t { kStandard = 0, kStandardInfrequentAccess = 1 };

std::string_view billingModeName(BillingMode m);   // "PROVISIONED", "PAY_PER_REQUEST"
std::string_view tableClassName(TableClass c);     // "STANDARD", "STANDARD_INFREQUENT_ACCESS"

struct AttributeDefinition {
  std::string name;
  model::AttrType type = model::AttrType::kS;  // S, N or B only
};

struct Tag {
  std::string key;
  std::string value;
};

struct StreamSpec {
  bool enabled = false;
  std::string view_type;  // NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY
};

struct SseSpec {
  bool specified = false;  // SSESpecification was given (otherwise DescribeTable omits it)
  bool enabled = false;
  std::string sse_type;    // "KMS" or "AES256"
  std::string kms_key;     // KMSMasterKeyId as given
};

struct TableDefinition {
  std::string name;
  // Internal id: prefixes every key of the table's data. Never reused, so a
  // table re-created under the same name never sees the old one's keys.
  uint64_t id = 0;
  // Bumped by every metadata change; (id, generation) identifies one version
  // of the definition, which is how cached copies are validated.
  uint64_t generation = 0;
  std::string table_uuid;  // TableId shown to clients
  KeyAttribute hash_key;
  std::optional<KeyAttribute> range_key;
  // As the client listed them (DescribeTable echoes this order).
  std::vector<AttributeDefinition> attribute_definitions;
  BillingMode billing_mode = BillingMode::kProvisioned;
  // DynamoDB shows BillingModeSummary for a provisioned table only if the
  // billing mode was given explicitly or changed at some point.
  bool billing_mode_explicit = false;
  double billing_mode_updated_at = 0;  // epoch seconds, fractional
  Throughput throughput;               // zeros for PAY_PER_REQUEST
  double last_increase_at = 0;         // 0: never
  double last_decrease_at = 0;
  int64_t decreases_today = 0;
  double creation_time = 0;            // epoch seconds, fractional
  bool deletion_protection = false;
  TableClass table_class = TableClass::kStandard;
  bool table_class_explicit = false;   // TableClassSummary shown only then
  // Legacy: tags live under the table's key range (engine/tags.h), not
  // here. Definitions written before that may still carry CreateTable's tags
  // in this field; engine/tags.cc reads them and moves them out.
  std::vector<Tag> tags;
  StreamSpec stream;
  // Set when a stream is enabled; kept when it is disabled, because
  // DynamoDB still shows LatestStreamLabel/LatestStreamArn then.
  std::string stream_label;
  SseSpec sse;
  // Secondary indexes, each list in the order the client gave them
  // (DescribeTable echoes it).
  std::vector<IndexDefinition> global_indexes;
  std::vector<IndexDefinition> local_indexes;
  // Last index number handed out (IndexDefinition::number); never reused.
  uint16_t last_index_number = 0;
  // Time to Live (format 3; engine/ttl.h): the attribute holding each item's
  // expiry in epoch seconds, empty while TTL is disabled. UpdateTimeToLive
  // sets it; the background sweeper (engine/ttl_sweeper.h) reads it.
  std::string ttl_attribute;
  double ttl_updated_at = 0;  // epoch seconds of the last UpdateTimeToLive; 0: never

  // The index called `name` (global or local), or nullptr.
  const IndexDefinition* findIndex(std::string_view index_name) const;
};

std::string encodeTableDefinition(const TableDefinition& def);
Result<TableDefinition> decodeTableDefinition(std::string_view bytes);

// "arn:aws:dynamodb:REGION:ACCOUNT:table/NAME"
std::string tableArn(std::string_view region, std::string_view account, std::string_view table);

}  // namespace fdyno::engine

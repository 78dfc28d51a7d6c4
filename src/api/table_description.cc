#include "api/table_description.h"

#include "api/capacity.h"

namespace fdyno::api {

namespace {

void writeDouble(JsonWriter& w, std::string_view key, double v) { w.key(key).number(v); }

void writeKeyElement(JsonWriter& w, std::string_view name, std::string_view type) {
  w.beginObject().field("AttributeName", name).field("KeyType", type).endObject();
}

void writeKeySchema(JsonWriter& w, const engine::TableDefinition& def) {
  w.key("KeySchema").beginArray();
  writeKeyElement(w, def.hash_key.name, "HASH");
  if (def.range_key) writeKeyElement(w, def.range_key->name, "RANGE");
  w.endArray();
}

// One element of GlobalSecondaryIndexes / LocalSecondaryIndexes, members in
// DynamoDB's order. IndexSizeBytes and ItemCount are exact (kv counters kept
// by every write; DynamoDB itself refreshes them only every ~6 hours).
void writeIndex(JsonWriter& w, const engine::IndexDefinition& index, std::string_view table_arn,
                const engine::TableDescription& d) {
  engine::TableStatus table_status = d.status;
  bool global = index.kind == engine::IndexKind::kGlobal;
  w.beginObject();
  w.field("IndexName", index.name);
  w.key("KeySchema").beginArray();
  for (const auto& k : index.hash_keys) writeKeyElement(w, k.name, "HASH");
  for (const auto& k : index.range_keys) writeKeyElement(w, k.name, "RANGE");
  w.endArray();
  w.key("Projection").beginObject();
  w.field("ProjectionType", engine::projectionTypeName(index.projection));
  if (!index.non_key_attributes.empty()) {
    w.key("NonKeyAttributes").beginArray();
    for (const auto& a : index.non_key_attributes) w.string(a);
    w.endArray();
  }
  w.endObject();
  if (global) {
    // A GSI created with its table is CREATING in the CreateTable answer,
    // like the table, and ACTIVE afterwards.
    engine::IndexStatus status = table_status == engine::TableStatus::kCreating ? engine::IndexStatus::kCreating
                                                                                 : index.status;
    w.field("IndexStatus", engine::indexStatusName(status));
    // A GSI added by UpdateTable is CREATING while its backfill runs.
    if (index.status == engine::IndexStatus::kCreating && table_status != engine::TableStatus::kCreating) {
      w.field("Backfilling", true);
    }
    // On-demand tables show zeros here, as DynamoDB does.
    w.key("ProvisionedThroughput").beginObject();
    w.field("NumberOfDecreasesToday", int64_t{0});
    w.field("ReadCapacityUnits", index.throughput.read);
    w.field("WriteCapacityUnits", index.throughput.write);
    w.endObject();
  }
  auto counters = d.indexCounters(index.number);
  w.field("IndexSizeBytes", counters.size_bytes);
  w.field("ItemCount", counters.item_count);
  w.field("IndexArn", engine::indexArn(table_arn, index.name));
  w.endObject();
}

void writeIndexes(JsonWriter& w, std::string_view member, const std::vector<engine::IndexDefinition>& indexes,
                  std::string_view table_arn, const engine::TableDescription& d) {
  if (indexes.empty()) return;
  w.key(member).beginArray();
  for (const auto& index : indexes) writeIndex(w, index, table_arn, d);
  w.endArray();
}

}  // namespace

void writeTableDescription(JsonWriter& w, const engine::TableDescription& d, const engine::DatabaseOptions& opts) {
  const engine::TableDefinition& def = d.table->def;
  std::string arn = engine::tableArn(opts.region, opts.account_id, def.name);
  // DeleteTable's answer leaves out the schema: no AttributeDefinitions,
  // KeySchema, CreationDateTime or indexes (ScyllaDB's test_table.py
  // test_delete_table_description*, recorded against DynamoDB).
  bool deleting = d.status == engine::TableStatus::kDeleting;
  w.beginObject();
  if (!deleting) {
    w.key("AttributeDefinitions").beginArray();
    for (const auto& a : def.attribute_definitions) {
      w.beginObject().field("AttributeName", a.name).field("AttributeType", model::attrTypeName(a.type)).endObject();
    }
    w.endArray();
  }
  w.field("TableName", def.name);
  if (!deleting) writeKeySchema(w, def);
  w.field("TableStatus", engine::tableStatusName(d.status));
  if (!deleting) writeDouble(w, "CreationDateTime", def.creation_time);

  w.key("ProvisionedThroughput").beginObject();
  if (def.last_increase_at > 0) writeDouble(w, "LastIncreaseDateTime", def.last_increase_at);
  if (def.last_decrease_at > 0) writeDouble(w, "LastDecreaseDateTime", def.last_decrease_at);
  w.field("NumberOfDecreasesToday", def.decreases_today);
  w.field("ReadCapacityUnits", def.throughput.read);
  w.field("WriteCapacityUnits", def.throughput.write);
  w.endObject();

  w.field("TableSizeBytes", d.size_bytes);
  w.field("ItemCount", d.item_count);
  w.field("TableArn", arn);
  w.field("TableId", def.table_uuid);
  if (!deleting) {
    writeIndexes(w, "LocalSecondaryIndexes", def.local_indexes, arn, d);
    writeIndexes(w, "GlobalSecondaryIndexes", def.global_indexes, arn, d);
  }

  // DynamoDB shows BillingModeSummary for on-demand tables, and for
  // provisioned ones only once the mode was given explicitly.
  if (def.billing_mode == engine::BillingMode::kPayPerRequest || def.billing_mode_explicit) {
    w.key("BillingModeSummary").beginObject();
    w.field("BillingMode", engine::billingModeName(def.billing_mode));
    if (def.billing_mode == engine::BillingMode::kPayPerRequest) {
      writeDouble(w, "LastUpdateToPayPerRequestDateTime", def.billing_mode_updated_at);
    }
    w.endObject();
  }

  if (def.stream.enabled) {
    w.key("StreamSpecification").beginObject();
    w.field("StreamEnabled", true);
    w.field("StreamViewType", def.stream.view_type);
    w.endObject();
  }
  // The latest stream stays visible after the stream is disabled.
  if (!def.stream_label.empty()) {
    w.field("LatestStreamLabel", def.stream_label);
    w.field("LatestStreamArn", arn + "/stream/" + def.stream_label);
  }

  if (def.sse.specified && def.sse.enabled) {
    w.key("SSEDescription").beginObject();
    w.field("Status", "ENABLED");
    w.field("SSEType", "KMS");
    std::string key = def.sse.kms_key;
    if (key.rfind("arn:", 0) != 0) {
      // DynamoDB answers with the key's ARN; an AWS-owned default key has a
      // fixed alias.
      std::string id = key.empty() ? "alias/aws/dynamodb" : (key.rfind("alias/", 0) == 0 ? key : "key/" + key);
      key = "arn:aws:kms:" + opts.region + ":" + opts.account_id + ":" + id;
    }
    w.field("KMSMasterKeyArn", key);
    w.endObject();
  }

  if (def.table_class_explicit) {
    w.key("TableClassSummary").beginObject();
    w.field("TableClass", engine::tableClassName(def.table_class));
    w.endObject();
  }
  w.field("DeletionProtectionEnabled", def.deletion_protection);
  w.endObject();
}

}  // namespace fdyno::api

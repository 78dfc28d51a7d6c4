#include "api/table_description.h"

#include "api/capacity.h"

namespace fdyno::api {

namespace {

void writeDouble(JsonWriter& w, std::string_view key, double v) { w.key(key).number(v); }

void writeKeySchema(JsonWriter& w, const engine::TableDefinition& def) {
  w.key("KeySchema").beginArray();
  w.beginObject().field("AttributeName", def.hash_key.name).field("KeyType", "HASH").endObject();
  if (def.range_key) {
    w.beginObject().field("AttributeName", def.range_key->name).field("KeyType", "RANGE").endObject();
  }
  w.endArray();
}

}  // namespace

void writeTableDescription(JsonWriter& w, const engine::TableDescription& d, const engine::DatabaseOptions& opts) {
  const engine::TableDefinition& def = d.table->def;
  std::string arn = engine::tableArn(opts.region, opts.account_id, def.name);
  w.beginObject();
  w.key("AttributeDefinitions").beginArray();
  for (const auto& a : def.attribute_definitions) {
    w.beginObject().field("AttributeName", a.name).field("AttributeType", model::attrTypeName(a.type)).endObject();
  }
  w.endArray();
  w.field("TableName", def.name);
  writeKeySchema(w, def);
  w.field("TableStatus", engine::tableStatusName(d.status));
  writeDouble(w, "CreationDateTime", def.creation_time);

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

// Backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
// RestoreTableFromBackup, DescribeContinuousBackups, UpdateContinuousBackups.
// Semantics and storage are the engine's (engine/backups.h); this file
// validates requests and shapes DynamoDB's answers.
//
// Errors: the backup API names its own exceptions instead of
// ResourceNotFound/ResourceInUse: TableNotFoundException "Table not found:
// NAME", BackupNotFoundException "Backup not found: ARN",
// TableAlreadyExistsException "Table already exists: NAME" (recorded by
// Alternator's test_backup.py for DescribeContinuousBackups).
#include <chrono>
#include <string>

#include "api/handlers.h"
#include "api/request.h"
#include "api/table_description.h"
#include "common/json_writer.h"
#include "engine/backups.h"
#include "engine/database.h"

namespace fdyno::api {

namespace {

void checkBackupArn(std::optional<std::string_view> arn, ConstraintErrors& errors) {
  if (!arn) {
    errors.notNull("backupArn");
    return;
  }
  if (arn->size() < 37) errors.lengthAtLeast(*arn, "backupArn", 37);
  if (arn->size() > 1024) errors.lengthAtMost(*arn, "backupArn", 1024);
}

void writeBackupDetails(JsonWriter& w, const engine::BackupInfo& b, std::string_view status) {
  w.key("BackupDetails").beginObject();
  w.field("BackupArn", b.arn).field("BackupName", b.name);
  w.field("BackupSizeBytes", b.size_bytes).field("BackupStatus", status).field("BackupType", "USER");
  w.key("BackupCreationDateTime").number(b.creation_time);
  w.endObject();
}

void writeBackupDescription(JsonWriter& w, const engine::BackupInfo& b, std::string_view status) {
  const auto& def = b.def;
  w.key("BackupDescription").beginObject();
  writeBackupDetails(w, b, status);
  w.key("SourceTableDetails").beginObject();
  w.field("TableName", b.table_name).field("TableId", b.table_uuid).field("TableArn", b.table_arn);
  w.field("TableSizeBytes", b.size_bytes).field("ItemCount", b.item_count);
  w.key("KeySchema").beginArray();
  w.beginObject().field("AttributeName", def.hash_key.name).field("KeyType", "HASH").endObject();
  if (def.range_key) {
    w.beginObject().field("AttributeName", def.range_key->name).field("KeyType", "RANGE").endObject();
  }
  w.endArray();
  w.key("TableCreationDateTime").number(def.creation_time);
  w.key("ProvisionedThroughput").beginObject();
  w.field("ReadCapacityUnits", def.throughput.read).field("WriteCapacityUnits", def.throughput.write);
  w.endObject();
  w.field("BillingMode", engine::billingModeName(def.billing_mode));
  w.endObject();
  // TODO(SourceTableFeatureDetails): indexes, stream, TTL, SSE of the source.
  w.endObject();
}

std::string continuousBackupsAnswer(const engine::PitrState& s) {
  JsonWriter w;
  w.beginObject().key("ContinuousBackupsDescription").beginObject();
  // Alternator's test_backup.py expects DISABLED for a table without PITR
  // (AWS itself reports ENABLED after a few seconds; not reproduced).
  w.field("ContinuousBackupsStatus", s.enabled ? "ENABLED" : "DISABLED");
  w.key("PointInTimeRecoveryDescription").beginObject();
  w.field("PointInTimeRecoveryStatus", s.enabled ? "ENABLED" : "DISABLED");
  if (s.enabled) {
    w.key("EarliestRestorableDateTime").number(s.enabled_at);
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    w.key("LatestRestorableDateTime").number(static_cast<double>(now_ms) / 1000.0);
  }
  w.endObject().endObject().endObject();
  return w.take();
}

}  // namespace

std::string createBackup(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto table = req.getString("TableName");
  auto name = req.getString("BackupName");
  ConstraintErrors errors;
  checkExistingTableName(table, errors);
  if (!name) {
    errors.notNull("backupName");
  } else {
    if (!isValidTableNameChars(*name)) errors.pattern(*name, "backupName", "[a-zA-Z0-9_.-]+");
    if (name->size() < 3) errors.lengthAtLeast(*name, "backupName", 3);
    if (name->size() > 255) errors.lengthAtMost(*name, "backupName", 255);
  }
  errors.throwIfAny();
  auto r = db.createBackup(*table, *name);
  if (!r.ok()) throwBackupStatus(r.status(), "TableNotFoundException");
  JsonWriter w;
  w.beginObject();
  writeBackupDetails(w, *r, "AVAILABLE");
  w.endObject();
  return w.take();
}

std::string describeBackup(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("BackupArn");
  ConstraintErrors errors;
  checkBackupArn(arn, errors);
  errors.throwIfAny();
  auto r = db.describeBackup(*arn);
  if (!r.ok()) throwBackupStatus(r.status(), "BackupNotFoundException");
  JsonWriter w;
  w.beginObject();
  writeBackupDescription(w, *r, "AVAILABLE");
  w.endObject();
  return w.take();
}

std::string deleteBackup(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("BackupArn");
  ConstraintErrors errors;
  checkBackupArn(arn, errors);
  errors.throwIfAny();
  auto r = db.deleteBackup(*arn);
  if (!r.ok()) throwBackupStatus(r.status(), "BackupNotFoundException");
  JsonWriter w;
  w.beginObject();
  writeBackupDescription(w, *r, "DELETED");
  w.endObject();
  return w.take();
}

std::string listBackups(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  // TODO(ListBackups): TimeRangeLowerBound / TimeRangeUpperBound filters.
  rejectUnsupported(req, "ListBackups", {"TimeRangeLowerBound", "TimeRangeUpperBound"});
  auto table = req.getString("TableName");
  auto limit = req.getLong("Limit");
  auto start = req.getString("ExclusiveStartBackupArn");
  auto type = req.getString("BackupType");
  ConstraintErrors errors;
  if (table) {
    if (!isValidTableNameChars(*table)) errors.pattern(*table, "tableName", "[a-zA-Z0-9_.-]+");
    if (table->size() < 3) errors.lengthAtLeast(*table, "tableName", 3);
    if (table->size() > 255) errors.lengthAtMost(*table, "tableName", 255);
  }
  if (limit && *limit < 1) errors.valueAtLeast(*limit, "limit", 1);
  if (limit && *limit > 100) errors.valueAtMost(*limit, "limit", 100);
  if (start && start->size() < 37) errors.lengthAtLeast(*start, "exclusiveStartBackupArn", 37);
  if (type && *type != "USER" && *type != "SYSTEM" && *type != "AWS_BACKUP" && *type != "ALL") {
    errors.enumValue(*type, "backupType", "[USER, SYSTEM, AWS_BACKUP, ALL]");
  }
  errors.throwIfAny();
  JsonWriter w;
  w.beginObject().key("BackupSummaries").beginArray();
  // Only USER backups exist here; SYSTEM and AWS_BACKUP lists are empty.
  if (type && (*type == "SYSTEM" || *type == "AWS_BACKUP")) {
    w.endArray().endObject();
    return w.take();
  }
  auto r = db.listBackups(table, start.value_or(""), limit ? static_cast<size_t>(*limit) : 0);
  if (!r.ok()) throwStatus(r.status());
  for (const auto& b : r->backups) {
    w.beginObject();
    w.field("TableName", b.table_name).field("TableId", b.table_uuid).field("TableArn", b.table_arn);
    w.field("BackupArn", b.arn).field("BackupName", b.name);
    w.key("BackupCreationDateTime").number(b.creation_time);
    w.field("BackupStatus", "AVAILABLE").field("BackupType", "USER").field("BackupSizeBytes", b.size_bytes);
    w.endObject();
  }
  w.endArray();
  if (r->last_evaluated_arn) w.field("LastEvaluatedBackupArn", *r->last_evaluated_arn);
  w.endObject();
  return w.take();
}

std::string restoreTableFromBackup(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  // TODO(restore overrides): BillingModeOverride, GSI/LSI overrides,
  // ProvisionedThroughputOverride, SSESpecificationOverride.
  rejectUnsupported(req, "RestoreTableFromBackup",
                    {"BillingModeOverride", "GlobalSecondaryIndexOverride", "LocalSecondaryIndexOverride",
                     "ProvisionedThroughputOverride", "SSESpecificationOverride", "OnDemandThroughputOverride"});
  auto target = req.getString("TargetTableName");
  auto arn = req.getString("BackupArn");
  ConstraintErrors errors;
  checkBackupArn(arn, errors);
  if (!target) {
    errors.notNull("targetTableName");
  } else {
    if (!isValidTableNameChars(*target)) errors.pattern(*target, "targetTableName", "[a-zA-Z0-9_.-]+");
    if (target->size() < 3) errors.lengthAtLeast(*target, "targetTableName", 3);
    if (target->size() > 255) errors.lengthAtMost(*target, "targetTableName", 255);
  }
  errors.throwIfAny();
  auto r = db.restoreTableFromBackup(*arn, *target);
  if (!r.ok()) throwBackupStatus(r.status(), "BackupNotFoundException");
  JsonWriter table;
  writeTableDescription(table, *r, db.options());
  std::string desc = table.take();
  // Splice RestoreSummary into the TableDescription object.
  if (!desc.empty() && desc.back() == '}') desc.pop_back();
  auto bi = db.describeBackup(*arn);
  JsonWriter summary;
  summary.beginObject();
  summary.field("SourceBackupArn", *arn);
  if (bi.ok()) summary.field("SourceTableArn", bi->table_arn);
  summary.key("RestoreDateTime").number(r->table->def.creation_time);
  summary.field("RestoreInProgress", false);
  summary.endObject();
  desc.append(",\"RestoreSummary\":").append(summary.take()).push_back('}');
  JsonWriter w;
  w.beginObject().key("TableDescription").raw(desc).endObject();
  return w.take();
}

std::string describeContinuousBackups(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto table = req.getString("TableName");
  ConstraintErrors errors;
  checkExistingTableName(table, errors);
  errors.throwIfAny();
  auto r = db.describePitr(*table);
  if (!r.ok()) throwBackupStatus(r.status(), "TableNotFoundException");
  return continuousBackupsAnswer(*r);
}

std::string updateContinuousBackups(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto table = req.getString("TableName");
  auto spec = req.getStruct("PointInTimeRecoverySpecification", "PointInTimeRecoverySpecification");
  std::optional<bool> enabled;
  if (spec) enabled = spec->getBool("PointInTimeRecoveryEnabled");
  // TODO(PITR): RecoveryPeriodInDays (1..35); RestoreTableToPointInTime.
  ConstraintErrors errors;
  checkExistingTableName(table, errors);
  if (!spec) {
    errors.notNull("pointInTimeRecoverySpecification");
  } else if (!enabled) {
    errors.notNull("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
  }
  errors.throwIfAny();
  auto r = db.updatePitr(*table, *enabled);
  if (!r.ok()) throwBackupStatus(r.status(), "TableNotFoundException");
  return continuousBackupsAnswer(*r);
}

}  // namespace fdyno::api

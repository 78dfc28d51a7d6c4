// Control-plane operations: CreateTable, DescribeTable, ListTables,
// DeleteTable, UpdateTable. Validation order and texts follow DynamoDB as
// recorded by dynalite's tests and nubo-db/dynamodb-conformance (tier3).
#include <algorithm>
#include <unordered_set>

#include "api/handlers.h"
#include "api/index_request.h"
#include "api/request.h"
#include "api/tag_rules.h"
#include "api/table_description.h"
#include "api/table_request.h"
#include "common/json_writer.h"
#include "engine/database.h"

namespace fdyno::api {

namespace {

std::string describeResponse(std::string_view member, const engine::TableDescription& d,
                             const engine::DatabaseOptions& opts) {
  JsonWriter w;
  w.beginObject().key(member);
  writeTableDescription(w, d, opts);
  w.endObject();
  return w.take();
}

std::optional<engine::BillingMode> readBillingMode(const RequestObject& req, ConstraintErrors& errors) {
  auto bm = req.getString("BillingMode");
  if (!bm) return std::nullopt;
  if (*bm == "PROVISIONED") return engine::BillingMode::kProvisioned;
  if (*bm == "PAY_PER_REQUEST") return engine::BillingMode::kPayPerRequest;
  errors.enumValue(*bm, "billingMode", "[PROVISIONED, PAY_PER_REQUEST]");
  return std::nullopt;
}

std::optional<engine::TableClass> readTableClass(const RequestObject& req, ConstraintErrors& errors) {
  auto tc = req.getString("TableClass");
  if (!tc) return std::nullopt;
  if (*tc == "STANDARD") return engine::TableClass::kStandard;
  if (*tc == "STANDARD_INFREQUENT_ACCESS") return engine::TableClass::kStandardInfrequentAccess;
  errors.enumValue(*tc, "tableClass", "[STANDARD, STANDARD_INFREQUENT_ACCESS]");
  return std::nullopt;
}

std::optional<engine::StreamSpec> readStreamSpec(const RequestObject& req, ConstraintErrors& errors) {
  auto s = req.getStruct("StreamSpecification", "StreamSpecification");
  if (!s) return std::nullopt;
  engine::StreamSpec spec;
  auto enabled = s->getBool("StreamEnabled");
  auto view = s->getString("StreamViewType");
  if (!enabled) errors.notNull("streamSpecification.streamEnabled");
  spec.enabled = enabled.value_or(false);
  if (view) {
    if (*view != "NEW_IMAGE" && *view != "OLD_IMAGE" && *view != "NEW_AND_OLD_IMAGES" && *view != "KEYS_ONLY") {
      errors.enumValue(*view, "streamSpecification.streamViewType",
                       "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]");
    }
    spec.view_type = std::string(*view);
  }
  return spec;
}

// CreateTable: the view type is required with a stream and forbidden
// without one. (Real DynamoDB's texts say "UpdateViewType".)
void checkCreateStreamSpec(const engine::StreamSpec& spec) {
  if (spec.enabled && spec.view_type.empty()) {
    throw ApiError::validation(
        "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType "
        "is required");
  }
  if (!spec.enabled && !spec.view_type.empty()) {
    throw ApiError::validation(
        "One or more parameter values were invalid: Table is being created with a stream disabled, "
        "UpdateViewType should not be specified");
  }
}

// UpdateTable: the same rule, UpdateTable's texts. Whether the table already
// has a stream is checked by the engine.
void checkUpdateStreamSpec(const engine::StreamSpec& spec) {
  if (spec.enabled && spec.view_type.empty()) {
    throw ApiError::validation(
        "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required");
  }
  if (!spec.enabled && !spec.view_type.empty()) {
    throw ApiError::validation(
        "One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must not be "
        "specified");
  }
}

std::optional<engine::SseSpec> readSse(const RequestObject& req, ConstraintErrors& errors) {
  auto s = req.getStruct("SSESpecification", "SSESpecification");
  if (!s) return std::nullopt;
  engine::SseSpec spec;
  spec.specified = true;
  spec.enabled = s->getBool("Enabled").value_or(false);
  if (auto t = s->getString("SSEType")) {
    if (*t != "AES256" && *t != "KMS") errors.enumValue(*t, "sSESpecification.sSEType", "[AES256, KMS]");
    spec.sse_type = std::string(*t);
  }
  if (auto k = s->getString("KMSMasterKeyId")) spec.kms_key = std::string(*k);
  return spec;
}

}  // namespace

std::string createTable(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  // Phase 1: shapes (each getter throws SerializationException).
  auto attr_defs = req.getList("AttributeDefinitions");
  auto name = req.getString("TableName");
  ConstraintErrors errors;

  // Phase 2: constraints, in DynamoDB's member order.
  struct RawDef {
    std::optional<std::string_view> name, type;
  };
  std::vector<RawDef> defs;
  if (!attr_defs) {
    errors.notNull("attributeDefinitions");
  } else {
    size_t i = 0;
    for (auto e : *attr_defs) {
      ++i;
      RequestObject d = asListStruct(e, "AttributeDefinition");
      RawDef rd{d.getString("AttributeName"), d.getString("AttributeType")};
      std::string path = "attributeDefinitions." + std::to_string(i) + ".member.";
      if (!rd.name) errors.notNull(path + "attributeName");
      else checkKeyAttributeName(*rd.name, path + "attributeName", errors);
      if (!rd.type) errors.notNull(path + "attributeType");
      else if (!keyAttrType(*rd.type)) errors.enumValue(*rd.type, path + "attributeType", "[B, N, S]");
      defs.push_back(rd);
    }
  }
  checkCreateTableName(name, errors);
  auto billing = readBillingMode(req, errors);
  auto throughput = readThroughput(req, "", errors);

  auto key_schema_read = readKeySchema(req, "KeySchema", "keySchema", /*check_key_type=*/true, 2, errors);
  auto lsis = readIndexes(req, engine::IndexKind::kLocal, errors);
  auto gsis = readIndexes(req, engine::IndexKind::kGlobal, errors);
  auto table_class = readTableClass(req, errors);
  auto stream = readStreamSpec(req, errors);
  auto sse = readSse(req, errors);
  auto deletion_protection = req.getBool("DeletionProtectionEnabled");
  std::vector<engine::Tag> tags;
  if (auto tl = req.getList("Tags")) {
    size_t i = 0;
    for (auto e : *tl) {
      ++i;
      RequestObject t = asListStruct(e, "Tag");
      auto k = t.getString("Key");
      auto v = t.getString("Value");
      std::string path = "tags." + std::to_string(i) + ".member.";
      if (!k) errors.notNull(path + "key");
      else if (k->empty()) errors.lengthAtLeast(*k, path + "key", 1);
      else if (k->size() > 128) errors.lengthAtMost(*k, path + "key", 128);
      if (!v) errors.notNull(path + "value");
      else if (v->size() > 256) errors.lengthAtMost(*v, path + "value", 256);
      if (k && v) tags.push_back({std::string(*k), std::string(*v)});
    }
  }
  errors.throwIfAny();

  // Phase 3: semantic checks, one message, in DynamoDB's order.
  bool on_demand = billing == engine::BillingMode::kPayPerRequest;
  if (on_demand) {
    if (throughput) {
      throw ApiError::validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
          "specified when BillingMode is PAY_PER_REQUEST");
    }
  } else {
    if (!throughput || !throughput->read || !throughput->write) {
      throw ApiError::validation(
          "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
          "specified when BillingMode is PROVISIONED");
    }
    checkThroughputBounds(*throughput);
  }
  std::vector<std::string> def_names;
  for (const auto& d : defs) def_names.emplace_back(*d.name);
  // AttributeDefinitions is a list, but names must be unique (which type
  // would apply otherwise?).
  for (size_t i = 0; i < def_names.size(); ++i) {
    if (std::find(def_names.begin(), def_names.begin() + static_cast<std::ptrdiff_t>(i), def_names[i]) !=
        def_names.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw ApiError::validation("Attribute Name is duplicated: " + def_names[i]);
    }
  }
  const std::vector<RawKeyElement>& key_schema = *key_schema_read;
  std::vector<std::string> key_names;
  for (const auto& k : key_schema) key_names.emplace_back(*k.name);
  if (key_names.size() > def_names.size()) {
    throw ApiError::validation("Invalid KeySchema: Some index key attribute have no definition");
  }
  for (const auto& k : key_names) {
    if (std::find(def_names.begin(), def_names.end(), k) == def_names.end()) {
      throw ApiError::validation(
          "One or more parameter values were invalid: Some index key attributes are not defined in "
          "AttributeDefinitions. Keys: " +
          joinNames(key_names) + ", AttributeDefinitions: " + joinNames(def_names));
    }
  }
  if (key_names.size() == 2 && key_names[0] == key_names[1]) {
    throw ApiError::validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (*key_schema[0].type != "HASH") {
    throw ApiError::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (key_schema.size() == 2 && *key_schema[1].type != "RANGE") {
    throw ApiError::validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  bool has_indexes = lsis.has_value() || gsis.has_value();
  if (!has_indexes && key_names.size() != def_names.size()) {
    throw ApiError::validation(
        "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match "
        "number of attributes defined in AttributeDefinitions");
  }

  engine::TableDefinition def;
  def.name = std::string(*name);
  auto typeOf = [&](const std::string& attr) {
    for (const auto& d : defs) {
      if (*d.name == attr) return *keyAttrType(*d.type);
    }
    return model::AttrType::kS;
  };
  def.hash_key = {key_names[0], typeOf(key_names[0])};
  if (key_names.size() == 2) def.range_key = engine::KeyAttribute{key_names[1], typeOf(key_names[1])};
  for (const auto& d : defs) def.attribute_definitions.push_back({std::string(*d.name), *keyAttrType(*d.type)});
  if (has_indexes) checkAndBuildIndexes(lsis, gsis, on_demand, def);
  if (stream) checkCreateStreamSpec(*stream);
  def.billing_mode = on_demand ? engine::BillingMode::kPayPerRequest : engine::BillingMode::kProvisioned;
  def.billing_mode_explicit = billing.has_value();
  if (!on_demand) def.throughput = {*throughput->read, *throughput->write};
  def.deletion_protection = deletion_protection.value_or(false);
  if (table_class) {
    def.table_class = *table_class;
    def.table_class_explicit = true;
  }
  def.tags = std::move(tags);
  if (stream) def.stream = *stream;
  if (sse) def.sse = *sse;

  // The same rules as TagResource's, checked last (as the engine did).
  if (Status st = checkCreateTableTags(def.tags); !st.ok()) throwStatus(st);
  auto r = db.createTable(std::move(def));
  if (!r.ok()) throwStatus(r.status());
  return describeResponse("TableDescription", *r, db.options());
}

std::string describeTable(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto name = req.getString("TableName");
  ConstraintErrors errors;
  checkExistingTableName(name, errors);
  errors.throwIfAny();
  auto r = db.describeTable(*name);
  if (!r.ok()) throwStatus(r.status());
  return describeResponse("Table", *r, db.options());
}

std::string listTables(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto start = req.getString("ExclusiveStartTableName");
  auto limit = req.getLong("Limit");
  ConstraintErrors errors;
  if (start) {
    if (!isValidTableNameChars(*start)) errors.pattern(*start, "exclusiveStartTableName", "[a-zA-Z0-9_.-]+");
    if (start->size() < 3) errors.lengthAtLeast(*start, "exclusiveStartTableName", 3);
    if (start->size() > 255) errors.lengthAtMost(*start, "exclusiveStartTableName", 255);
  }
  if (limit && *limit < 1) errors.valueAtLeast(*limit, "limit", 1);
  if (limit && *limit > 100) errors.valueAtMost(*limit, "limit", 100);
  errors.throwIfAny();

  auto r = db.listTables(start.value_or(""), static_cast<size_t>(limit.value_or(100)));
  if (!r.ok()) throwStatus(r.status());
  JsonWriter w;
  w.beginObject();
  if (r->last_evaluated) w.field("LastEvaluatedTableName", *r->last_evaluated);
  w.key("TableNames").beginArray();
  for (const auto& n : r->names) w.string(n);
  w.endArray();
  w.endObject();
  return w.take();
}

std::string deleteTable(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto name = req.getString("TableName");
  ConstraintErrors errors;
  checkExistingTableName(name, errors);
  errors.throwIfAny();
  auto r = db.deleteTable(*name);
  if (!r.ok()) throwStatus(r.status());
  return describeResponse("TableDescription", *r, db.options());
}

std::string updateTable(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto name = req.getString("TableName");
  ConstraintErrors errors;
  checkExistingTableName(name, errors);
  auto throughput = readThroughput(req, "", errors);
  auto billing = readBillingMode(req, errors);
  auto table_class = readTableClass(req, errors);
  auto stream = readStreamSpec(req, errors);
  auto sse = readSse(req, errors);
  auto deletion_protection = req.getBool("DeletionProtectionEnabled");
  auto update_defs = readUpdateAttributeDefinitions(req, errors);
  auto gsi_updates = readIndexUpdates(req, errors);
  errors.throwIfAny();

  bool any_gsi_update = gsi_updates && gsi_updates->size() > 0;
  if (!throughput && !billing && !stream && !any_gsi_update && !sse && !req.has("ReplicaUpdates") &&
      !deletion_protection && !table_class) {
    throw ApiError::validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or "
        "SSESpecification or ReplicaUpdates is required");
  }
  if (billing == engine::BillingMode::kProvisioned && !throughput) {
    throw ApiError::validation(
        "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is "
        "PROVISIONED");
  }
  if (throughput) checkThroughputBounds(*throughput);
  // TODO(global tables): replicas.
  rejectUnsupported(req, "UpdateTable", {"ReplicaUpdates"});
  if (stream) checkUpdateStreamSpec(*stream);

  engine::TableUpdate u;
  if (any_gsi_update) {
    // Checked against the table as it is now; the engine re-checks what may
    // change meanwhile inside its own transaction.
    auto current = db.describeTable(*name);
    if (!current.ok()) throwStatus(current.status());
    const engine::TableDefinition& def = current->table->def;
    bool on_demand = billing.value_or(def.billing_mode) == engine::BillingMode::kPayPerRequest;
    checkAndBuildIndexUpdates(*gsi_updates, update_defs, def, on_demand, u);
  }
  u.billing_mode = billing;
  if (throughput) u.throughput = engine::Throughput{*throughput->read, *throughput->write};
  u.deletion_protection = deletion_protection;
  u.table_class = table_class;
  u.stream = stream;
  u.sse = sse;
  auto r = db.updateTable(*name, u);
  if (!r.ok()) throwStatus(r.status());
  return describeResponse("TableDescription", *r, db.options());
}

}  // namespace fdyno::api

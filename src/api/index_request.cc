#include "api/index_request.h"

#include <algorithm>
#include <unordered_set>

#include "model/json_codec.h"

namespace fdyno::api {

namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";
constexpr std::string_view kNamePattern = "[a-zA-Z0-9_.-]+";

[[noreturn]] void invalid(std::string_view detail) {
  std::string m(kInvalid);
  m += detail;
  throw ApiError::validation(std::move(m));
}

std::optional<engine::ProjectionType> projectionTypeOf(std::string_view t) {
  if (t == "ALL") return engine::ProjectionType::kAll;
  if (t == "KEYS_ONLY") return engine::ProjectionType::kKeysOnly;
  if (t == "INCLUDE") return engine::ProjectionType::kInclude;
  return std::nullopt;
}

void readProjection(const RequestObject& index, const std::string& path, RawIndex& out, ConstraintErrors& errors) {
  auto p = index.getStruct("Projection", "Projection");
  if (!p) {
    errors.notNull(path + "projection");
    return;
  }
  out.has_projection = true;
  out.projection_type = p->getString("ProjectionType");
  if (out.projection_type && !projectionTypeOf(*out.projection_type)) {
    errors.enumValue(*out.projection_type, path + "projection.projectionType", "[ALL, INCLUDE, KEYS_ONLY]");
  }
  if (auto list = p->getList("NonKeyAttributes")) {
    std::vector<std::string_view> names;
    for (auto e : *list) names.push_back(asString(e));
    // API reference: 1..20 names per projection (100 across the table is a
    // separate, semantic check).
    std::string repr = "[";
    for (size_t i = 0; i < names.size(); ++i) {
      if (i) repr += ", ";
      repr += names[i];
    }
    repr += "]";
    if (names.empty()) errors.lengthAtLeast("[]", path + "projection.nonKeyAttributes", 1);
    if (names.size() > 20) errors.lengthAtMost(repr, path + "projection.nonKeyAttributes", 20);
    // Each name is a NonKeyAttributeName (1..255): Coral reports a failing
    // member once for the whole list, naming the member shape's constraints
    // (max, then min, as for BatchGetItem's map keys). AWS quotas: projected
    // attribute names are limited to 255 (Alternator test_limits.py
    // test_limit_attribute_length_gsi_lsi_projection_bad).
    bool bad_member = std::any_of(names.begin(), names.end(), [](std::string_view n) {
      size_t len = utf16Length(n);
      return len < 1 || len > model::kMaxKeyAttributeNameBytes;
    });
    if (bad_member) {
      errors.add(repr, path + "projection.nonKeyAttributes",
                 "Member must satisfy constraint: [Member must have length less than or equal to 255, Member must "
                 "have length greater than or equal to 1]");
    }
    out.non_key_attributes = std::move(names);
  }
}

// Context for phase 3: the table's keys and definitions.
struct TableKeys {
  std::vector<std::string> definition_names;  // in request order
  const engine::TableDefinition& def;

  bool defined(std::string_view n) const {
    return std::find(definition_names.begin(), definition_names.end(), n) != definition_names.end();
  }
  model::AttrType typeOf(std::string_view n) const {
    for (const auto& a : def.attribute_definitions) {
      if (a.name == n) return a.type;
    }
    return model::AttrType::kS;
  }
};

std::vector<std::string> namesOf(const std::vector<RawKeyElement>& ks) {
  std::vector<std::string> names;
  names.reserve(ks.size());
  for (const auto& k : ks) names.emplace_back(*k.name);
  return names;
}

void checkKeysDefined(const std::vector<RawKeyElement>& ks, const TableKeys& t) {
  for (const auto& k : ks) {
    if (!t.defined(*k.name)) {
      invalid("Some index key attributes are not defined in AttributeDefinitions. Keys: " + joinNames(namesOf(ks)) +
              ", AttributeDefinitions: " + joinNames(t.definition_names));
    }
  }
}

// The checks LSIs and GSIs share at the start of their key schema checks.
void checkLeadingKeyRules(const std::vector<RawKeyElement>& ks, const TableKeys& t) {
  checkKeysDefined(ks, t);
  if (ks.size() == 2 && *ks[0].name == *ks[1].name) {
    throw ApiError::validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
}

// Multi-attribute GSI keys: up to 4 HASH then up to 4 RANGE attributes,
// all distinct, HASH ones first.
void checkGlobalKeySchema(const std::vector<RawKeyElement>& ks, const TableKeys& t) {
  checkLeadingKeyRules(ks, t);
  if (ks.size() > 2) {
    std::unordered_set<std::string_view> seen;
    for (const auto& k : ks) {
      if (!seen.insert(*k.name).second) {
        throw ApiError::validation("The KeySchema contains multiple key attributes with the same name");
      }
    }
  }
  if (*ks[0].type != "HASH") throw ApiError::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  size_t hashes = 0, ranges = 0;
  for (size_t i = 0; i < ks.size(); ++i) {
    const auto& type = *ks[i].type;
    if (type == "HASH") {
      if (ranges > 0) invalid("All HASH key attributes must precede RANGE key attributes in the KeySchema");
      ++hashes;
    } else if (type == "RANGE") {
      ++ranges;
    } else {
      // Index key types are not enum-checked in phase 2 (as in DynamoDB).
      throw ApiError::validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
  }
  if (hashes > engine::kMaxIndexKeyAttributesPerRole) {
    invalid("The KeySchema exceeds the maximum allowed number of HASH key attributes");
  }
  if (ranges > engine::kMaxIndexKeyAttributesPerRole) {
    invalid("The KeySchema exceeds the maximum allowed number of RANGE key attributes");
  }
}

void checkLocalKeySchema(const RawIndex& index, const std::vector<RawKeyElement>& ks, const TableKeys& t) {
  checkLeadingKeyRules(ks, t);
  if (*ks[0].type != "HASH") throw ApiError::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (ks.size() == 2 && *ks[1].type != "RANGE") {
    throw ApiError::validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  if (ks.size() != 2) invalid("Index KeySchema does not have a range key for index: " + std::string(*index.name));
  if (*ks[0].name != t.def.hash_key.name) {
    invalid("Index KeySchema does not have the same leading hash key as table KeySchema for index: " +
            std::string(*index.name) + ". index hash key: " + std::string(*ks[0].name) +
            ", table hash key: " + t.def.hash_key.name);
  }
}

void checkProjection(const RawIndex& index) {
  if (!index.projection_type) invalid("Unknown ProjectionType: null");
  auto type = *projectionTypeOf(*index.projection_type);
  if (index.non_key_attributes && type != engine::ProjectionType::kInclude) {
    invalid("ProjectionType is " + std::string(*index.projection_type) + ", but NonKeyAttributes is specified");
  }
  if (!index.non_key_attributes && type == engine::ProjectionType::kInclude) {
    invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
  if (index.non_key_attributes) {
    std::unordered_set<std::string_view> seen;
    for (auto n : *index.non_key_attributes) {
      if (!seen.insert(n).second) invalid("Duplicate element in NonKeyAttributes: " + std::string(n));
    }
  }
}

engine::IndexDefinition buildIndex(const RawIndex& raw, engine::IndexKind kind, const TableKeys& t) {
  engine::IndexDefinition d;
  d.name = std::string(*raw.name);
  d.kind = kind;
  for (const auto& k : *raw.key_schema) {
    engine::KeyAttribute a{std::string(*k.name), t.typeOf(*k.name)};
    (*k.type == "HASH" ? d.hash_keys : d.range_keys).push_back(std::move(a));
  }
  d.projection = *projectionTypeOf(*raw.projection_type);
  if (raw.non_key_attributes) {
    for (auto n : *raw.non_key_attributes) d.non_key_attributes.emplace_back(n);
  }
  if (raw.throughput) d.throughput = {*raw.throughput->read, *raw.throughput->write};
  return d;
}

void checkUniqueName(const RawIndex& index, std::unordered_set<std::string_view>& names) {
  if (!names.insert(*index.name).second) invalid("Duplicate index name: " + std::string(*index.name));
}

}  // namespace

std::optional<std::vector<RawIndex>> readIndexes(const RequestObject& req, engine::IndexKind kind,
                                                 ConstraintErrors& errors) {
  bool global = kind == engine::IndexKind::kGlobal;
  auto list = req.getList(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes");
  if (!list) return std::nullopt;
  std::string_view member = global ? "globalSecondaryIndexes" : "localSecondaryIndexes";
  std::vector<RawIndex> out;
  size_t i = 0;
  for (auto e : *list) {
    ++i;
    RequestObject index = asListStruct(e, global ? "GlobalSecondaryIndex" : "LocalSecondaryIndex");
    std::string path = std::string(member) + "." + std::to_string(i) + ".member.";
    RawIndex raw;
    raw.name = index.getString("IndexName");
    if (!raw.name) {
      errors.notNull(path + "indexName");
    } else {
      if (!isValidTableNameChars(*raw.name)) errors.pattern(*raw.name, path + "indexName", kNamePattern);
      if (raw.name->size() < 3) errors.lengthAtLeast(*raw.name, path + "indexName", 3);
      if (raw.name->size() > 255) errors.lengthAtMost(*raw.name, path + "indexName", 255);
    }
    // An LSI key schema is (table hash key, one range key): at most 2. A GSI
    // may have up to 4 + 4 attributes; too many is a semantic error.
    raw.key_schema = readKeySchema(index, "KeySchema", path + "keySchema", /*check_key_type=*/false,
                                   global ? 0 : 2, errors);
    readProjection(index, path, raw, errors);
    if (global) raw.throughput = readThroughput(index, path, errors);
    out.push_back(std::move(raw));
  }
  return out;
}

void checkAndBuildIndexes(const std::optional<std::vector<RawIndex>>& lsis,
                          const std::optional<std::vector<RawIndex>>& gsis, bool on_demand,
                          engine::TableDefinition& def) {
  TableKeys t{{}, def};
  for (const auto& a : def.attribute_definitions) t.definition_names.push_back(a.name);
  std::unordered_set<std::string_view> index_names;
  std::vector<engine::IndexDefinition> local, global;

  if (lsis) {
    if (lsis->empty()) invalid("List of LocalSecondaryIndexes is empty");
    if (!def.range_key) {
      invalid("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
    }
    for (const auto& index : *lsis) {
      checkLocalKeySchema(index, *index.key_schema, t);
      checkProjection(index);
      checkUniqueName(index, index_names);
      local.push_back(buildIndex(index, engine::IndexKind::kLocal, t));
    }
    if (lsis->size() > engine::kMaxLocalIndexes) {
      invalid("Number of LocalSecondaryIndexes exceeds per-table limit of " + std::to_string(engine::kMaxLocalIndexes));
    }
  }

  if (gsis) {
    if (gsis->empty()) invalid("List of GlobalSecondaryIndexes is empty");
    for (const auto& index : *gsis) {
      checkGlobalKeySchema(*index.key_schema, t);
      checkProjection(index);
      if (on_demand && index.throughput) {
        invalid("ProvisionedThroughput should not be specified for index: " + std::string(*index.name) +
                " when BillingMode is PAY_PER_REQUEST");
      }
      if (!on_demand && !index.throughput) {
        invalid("ProvisionedThroughput is not specified for index: " + std::string(*index.name));
      }
      if (index.throughput) checkThroughputBounds(*index.throughput);
      checkUniqueName(index, index_names);
      global.push_back(buildIndex(index, engine::IndexKind::kGlobal, t));
    }
    if (gsis->size() > engine::kMaxGlobalIndexes) {
      invalid("GlobalSecondaryIndex count exceeds the per-table limit of " + std::to_string(engine::kMaxGlobalIndexes));
    }
  }

  size_t projected = 0;
  for (const auto* list : {&local, &global}) {
    for (const auto& index : *list) projected += index.non_key_attributes.size();
  }
  if (projected > engine::kMaxProjectedNonKeyAttributes) {
    // TODO(verify): DynamoDB's exact text for this limit is not recorded in
    // any suite we have; this wording is ours.
    invalid("The number of NonKeyAttributes summed across all secondary indexes (" + std::to_string(projected) +
            ") exceeds the limit of " + std::to_string(engine::kMaxProjectedNonKeyAttributes));
  }

  // Every AttributeDefinition must be a key of the table or of an index.
  // DynamoDB lists the keys from a Java HashSet, hence javaHashSetOrder().
  std::vector<std::string> used{def.hash_key.name};
  if (def.range_key) used.push_back(def.range_key->name);
  for (const auto* list : {&local, &global}) {
    for (const auto& index : *list) {
      for (const auto& k : index.hash_keys) used.push_back(k.name);
      for (const auto& k : index.range_keys) used.push_back(k.name);
    }
  }
  for (const auto& name : t.definition_names) {
    if (std::find(used.begin(), used.end(), name) == used.end()) {
      invalid("Some AttributeDefinitions are not used. AttributeDefinitions: " + joinNames(t.definition_names) +
              ", keys used: " + joinNames(javaHashSetOrder(used)));
    }
  }

  def.local_indexes = std::move(local);
  def.global_indexes = std::move(global);
}

namespace {

constexpr std::string_view kOnlineIndexLimit =
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table";

[[noreturn]] void indexNotFound(std::string_view name) {
  throw ApiError::resourceNotFound("Requested resource not found: Index: " + std::string(name) + " not found");
}

bool isGsi(const engine::TableDefinition& def, std::string_view name) {
  for (const auto& g : def.global_indexes) {
    if (g.name == name) return true;
  }
  return false;
}

void checkIndexName(std::optional<std::string_view> name, const std::string& path, ConstraintErrors& errors) {
  if (!name) {
    errors.notNull(path);
    return;
  }
  if (!isValidTableNameChars(*name)) errors.pattern(*name, path, kNamePattern);
  if (name->size() < 3) errors.lengthAtLeast(*name, path, 3);
  if (name->size() > 255) errors.lengthAtMost(*name, path, 255);
}

}  // namespace

std::vector<engine::AttributeDefinition> readUpdateAttributeDefinitions(const RequestObject& req,
                                                                        ConstraintErrors& errors) {
  std::vector<engine::AttributeDefinition> out;
  auto list = req.getList("AttributeDefinitions");
  if (!list) return out;
  size_t i = 0;
  for (auto e : *list) {
    ++i;
    RequestObject d = asListStruct(e, "AttributeDefinition");
    auto name = d.getString("AttributeName");
    auto type = d.getString("AttributeType");
    std::string path = "attributeDefinitions." + std::to_string(i) + ".member.";
    if (!name) errors.notNull(path + "attributeName");
    else checkKeyAttributeName(*name, path + "attributeName", errors);
    if (!type) errors.notNull(path + "attributeType");
    else if (!keyAttrType(*type)) errors.enumValue(*type, path + "attributeType", "[B, N, S]");
    if (name && type && keyAttrType(*type)) out.push_back({std::string(*name), *keyAttrType(*type)});
  }
  return out;
}

std::optional<std::vector<RawIndexUpdate>> readIndexUpdates(const RequestObject& req, ConstraintErrors& errors) {
  auto list = req.getList("GlobalSecondaryIndexUpdates");
  if (!list) return std::nullopt;
  std::vector<RawIndexUpdate> out;
  size_t i = 0;
  for (auto e : *list) {
    ++i;
    RequestObject update = asListStruct(e, "GlobalSecondaryIndexUpdate");
    std::string member = "globalSecondaryIndexUpdates." + std::to_string(i) + ".member.";
    RawIndexUpdate raw;
    if (auto c = update.getStruct("Create", "CreateGlobalSecondaryIndexAction")) {
      ++raw.actions;
      std::string path = member + "create.";
      RawIndex index;
      index.name = c->getString("IndexName");
      checkIndexName(index.name, path + "indexName", errors);
      index.key_schema = readKeySchema(*c, "KeySchema", path + "keySchema", /*check_key_type=*/false, 0, errors);
      readProjection(*c, path, index, errors);
      index.throughput = readThroughput(*c, path, errors);
      raw.create = std::move(index);
    }
    if (auto u = update.getStruct("Update", "UpdateGlobalSecondaryIndexAction")) {
      ++raw.actions;
      std::string path = member + "update.";
      raw.update_name = u->getString("IndexName");
      checkIndexName(raw.update_name, path + "indexName", errors);
      raw.update_throughput = readThroughput(*u, path, errors);
      if (!u->has("ProvisionedThroughput")) errors.notNull(path + "provisionedThroughput");
    }
    if (auto d = update.getStruct("Delete", "DeleteGlobalSecondaryIndexAction")) {
      ++raw.actions;
      raw.delete_name = d->getString("IndexName");
      checkIndexName(raw.delete_name, member + "delete.indexName", errors);
    }
    out.push_back(std::move(raw));
  }
  return out;
}

void checkAndBuildIndexUpdates(const std::vector<RawIndexUpdate>& updates,
                               const std::vector<engine::AttributeDefinition>& request_defs,
                               const engine::TableDefinition& current, bool on_demand, engine::TableUpdate& u) {
  size_t online = 0;
  for (const auto& up : updates) {
    if (up.actions != 1) {
      // TODO(verify): DynamoDB's exact text; the suites only record that it
      // names GlobalSecondaryIndexUpdate and says "one".
      invalid("Exactly one of Create, Update or Delete must be specified in each GlobalSecondaryIndexUpdate");
    }
    if (up.create || up.delete_name) ++online;
  }
  bool busy = false;
  for (const auto& g : current.global_indexes) {
    busy = busy || g.status == engine::IndexStatus::kCreating || g.status == engine::IndexStatus::kDeleting;
  }
  if (online > 1 || (online == 1 && busy)) {
    throw ApiError::dynamo("LimitExceededException", std::string(kOnlineIndexLimit));
  }
  TableKeys t{{}, current};
  for (const auto& a : request_defs) t.definition_names.push_back(a.name);
  for (const auto& up : updates) {
    if (up.create) {
      const RawIndex& index = *up.create;
      if (current.findIndex(*index.name)) {
        throw ApiError::validation("Attempting to create an index which already exists");
      }
      checkGlobalKeySchema(*index.key_schema, t);
      checkProjection(index);
      if (on_demand && index.throughput) {
        invalid("ProvisionedThroughput should not be specified for index: " + std::string(*index.name) +
                " when BillingMode is PAY_PER_REQUEST");
      }
      if (!on_demand && !index.throughput) {
        invalid("ProvisionedThroughput is not specified for index: " + std::string(*index.name));
      }
      if (index.throughput) checkThroughputBounds(*index.throughput);
      // The key types come from this request's definitions.
      engine::TableDefinition types = current;
      types.attribute_definitions = request_defs;
      TableKeys typed{t.definition_names, types};
      u.create_index = buildIndex(index, engine::IndexKind::kGlobal, typed);
      u.attribute_definitions = request_defs;
    } else if (up.delete_name) {
      if (!isGsi(current, *up.delete_name)) indexNotFound(*up.delete_name);
      u.delete_index = std::string(*up.delete_name);
    } else if (up.update_name) {
      if (!isGsi(current, *up.update_name)) indexNotFound(*up.update_name);
      if (up.update_throughput) {
        checkThroughputBounds(*up.update_throughput);
        u.index_throughput.emplace_back(std::string(*up.update_name),
                                        engine::Throughput{up.update_throughput->read.value_or(0),
                                                           up.update_throughput->write.value_or(0)});
      }
    }
  }
}

}  // namespace fdyno::api

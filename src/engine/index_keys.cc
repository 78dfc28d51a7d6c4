#include "engine/index_keys.h"

namespace fdyno::engine {

namespace {

// "One or more parameter values were invalid: Type mismatch for Index Key x
// Expected: S Actual: N IndexName: by_x" (DynamoDB; a NULL value reports
// "Actual: NULL").
Status typeMismatch(const KeyAttribute& key, const model::AttributeValue& v, const IndexDefinition& index) {
  std::string m = "One or more parameter values were invalid: Type mismatch for Index Key ";
  m.append(key.name).append(" Expected: ").append(model::attrTypeName(key.type));
  m.append(" Actual: ").append(model::attrTypeName(v.type));
  m.append(" IndexName: ").append(index.name);
  return Status::InvalidArgument(m);
}

// DynamoDB's text for an empty string index key.
// TODO(verify): the binary variant's wording is inferred from the string one.
Status emptyValue(const KeyAttribute& key, const IndexDefinition& index) {
  std::string m =
      "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
      "The AttributeValue for a key attribute cannot contain an empty ";
  m.append(key.type == model::AttrType::kB ? "binary" : "string");
  m.append(" value. IndexName: ").append(index.name).append(", IndexKey: ").append(key.name);
  return Status::InvalidArgument(m);
}

Status checkKeys(const std::vector<KeyAttribute>& keys, const IndexDefinition& index, const model::Item& item) {
  for (const auto& key : keys) {
    auto it = item.find(key.name);
    if (it == item.end()) continue;  // sparse: the item is just not indexed
    const model::AttributeValue& v = it->second;
    if (v.type != key.type) return typeMismatch(key, v, index);
    if (v.scalar.empty() && v.type != model::AttrType::kN) return emptyValue(key, index);
  }
  return Status::OK();
}

}  // namespace

Status checkIndexKeyAttributes(const TableDefinition& def, const model::Item& item) {
  for (const auto* list : {&def.global_indexes, &def.local_indexes}) {
    for (const auto& index : *list) {
      FDYNO_RETURN_IF_ERROR(checkKeys(index.hash_keys, index, item));
      FDYNO_RETURN_IF_ERROR(checkKeys(index.range_keys, index, item));
    }
  }
  return Status::OK();
}

}  // namespace fdyno::engine

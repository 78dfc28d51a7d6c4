#include "engine/index_keys.h"

namespace fdyno::engine {

namespace {

Status typeMismatch(const KeyAttribute& key, const model::AttributeValue& v, const IndexDefinition& index) {
  return Status::InvalidArgument(ErrorReason::kIndexKeyTypeMismatch,
                                 {key.name, std::string(model::attrTypeName(key.type)),
                                  std::string(model::attrTypeName(v.type)), index.name});
}

Status emptyValue(const KeyAttribute& key, const IndexDefinition& index) {
  return Status::InvalidArgument(ErrorReason::kIndexKeyEmpty,
                                 {key.name, key.type == model::AttrType::kB ? "B" : "S", index.name});
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

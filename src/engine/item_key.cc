#include "engine/item_key.h"

#include "model/key_codec.h"

namespace fdyno::engine {

namespace {

// DynamoDB's limits on key attribute values (bytes of the raw value).
constexpr size_t kMaxPartitionKeyBytes = 2048;
constexpr size_t kMaxSortKeyBytes = 1024;

Status keyMismatch() { return Status::InvalidArgument(ErrorReason::kKeyMismatch); }

Status emptyKeyValue(const KeyAttribute& k) {
  return Status::InvalidArgument(ErrorReason::kEmptyKeyValue, {k.name, k.type == model::AttrType::kB ? "B" : "S"});
}

// Finds and checks one key attribute; on success *found is the value.
Status checkOne(const KeyAttribute& k, const model::Item& attrs, KeySource source, bool is_partition,
                const model::AttributeValue** found) {
  auto it = attrs.find(k.name);
  if (it == attrs.end()) {
    if (source == KeySource::kKey) return keyMismatch();
    return Status::InvalidArgument(ErrorReason::kMissingKeyInItem, {k.name});
  }
  const model::AttributeValue& v = it->second;
  if (v.type != k.type) {
    if (source == KeySource::kKey) return keyMismatch();
    return Status::InvalidArgument(ErrorReason::kKeyTypeMismatch, {k.name, std::string(model::attrTypeName(k.type)),
                                                                   std::string(model::attrTypeName(v.type))});
  }
  if (v.scalar.empty() && k.type != model::AttrType::kN) return emptyKeyValue(k);
  if (is_partition && v.scalar.size() > kMaxPartitionKeyBytes) {
    return Status::InvalidArgument(ErrorReason::kPartitionKeyTooLarge);
  }
  if (!is_partition && v.scalar.size() > kMaxSortKeyBytes) {
    return Status::InvalidArgument(ErrorReason::kSortKeyTooLarge);
  }
  *found = &v;
  return Status::OK();
}

}  // namespace

Status appendItemKey(const TableDefinition& def, const model::Item& attrs, KeySource source, std::string& out) {
  if (source == KeySource::kKey) {
    size_t want = def.range_key ? 2 : 1;
    if (attrs.size() != want) return keyMismatch();
  }
  const model::AttributeValue* pk = nullptr;
  const model::AttributeValue* sk = nullptr;
  // A Key is checked for shape (all attributes present, right types) before
  // any value is judged empty: DynamoDB reports the schema mismatch first.
  if (source == KeySource::kKey) {
    for (const KeyAttribute* k : {&def.hash_key, def.range_key ? &*def.range_key : nullptr}) {
      if (!k) continue;
      auto it = attrs.find(k->name);
      if (it == attrs.end() || it->second.type != k->type) return keyMismatch();
    }
  }
  FDYNO_RETURN_IF_ERROR(checkOne(def.hash_key, attrs, source, true, &pk));
  if (def.range_key) FDYNO_RETURN_IF_ERROR(checkOne(*def.range_key, attrs, source, false, &sk));
  model::encodeKeyValue(out, *pk);
  if (sk) model::encodeKeyValue(out, *sk);
  return Status::OK();
}

model::Item extractKey(const TableDefinition& def, const model::Item& item) {
  model::Item key;
  if (auto it = item.find(def.hash_key.name); it != item.end()) key.emplace(it->first, it->second);
  if (def.range_key) {
    if (auto it = item.find(def.range_key->name); it != item.end()) key.emplace(it->first, it->second);
  }
  return key;
}

}  // namespace fdyno::engine

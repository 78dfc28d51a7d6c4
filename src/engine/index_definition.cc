#include "engine/index_definition.h"

namespace fdyno::engine {

namespace {

bool isKeyType(uint8_t t) {
  return t == static_cast<uint8_t>(model::AttrType::kS) || t == static_cast<uint8_t>(model::AttrType::kN) ||
         t == static_cast<uint8_t>(model::AttrType::kB);
}

void writeKeys(ByteWriter& w, const std::vector<KeyAttribute>& keys) {
  w.u8(static_cast<uint8_t>(keys.size()));
  for (const auto& k : keys) {
    w.str(k.name);
    w.u8(static_cast<uint8_t>(k.type));
  }
}

bool readKeys(ByteReader& r, std::vector<KeyAttribute>& out) {
  uint8_t n = r.u8();
  if (n > kMaxIndexKeyAttributesPerRole) return false;
  out.reserve(n);
  for (uint8_t i = 0; i < n; ++i) {
    KeyAttribute k;
    k.name = r.str();
    uint8_t t = r.u8();
    if (!r.ok() || !isKeyType(t)) return false;
    k.type = static_cast<model::AttrType>(t);
    out.push_back(std::move(k));
  }
  return r.ok();
}

}  // namespace

std::string_view projectionTypeName(ProjectionType p) {
  switch (p) {
    case ProjectionType::kAll: return "ALL";
    case ProjectionType::kKeysOnly: return "KEYS_ONLY";
    case ProjectionType::kInclude: return "INCLUDE";
  }
  return "ALL";
}

std::string_view indexStatusName(IndexStatus s) {
  switch (s) {
    case IndexStatus::kActive: return "ACTIVE";
    case IndexStatus::kCreating: return "CREATING";
    case IndexStatus::kUpdating: return "UPDATING";
    case IndexStatus::kDeleting: return "DELETING";
  }
  return "ACTIVE";
}

// Record: u32 LE length of the rest, then kind u8, number u16, name str,
// hash keys (u8 count, (str, u8 type)*), range keys (same), projection u8,
// non-key attributes (u32 count, str*), throughput i64 read, i64 write,
// status u8. Fields appended by later formats go at the end of the record.
void encodeIndexDefinition(ByteWriter& w, const IndexDefinition& d) {
  size_t len_at = w.beginLength();
  w.u8(static_cast<uint8_t>(d.kind));
  w.u16(d.number);
  w.str(d.name);
  writeKeys(w, d.hash_keys);
  writeKeys(w, d.range_keys);
  w.u8(static_cast<uint8_t>(d.projection));
  w.u32(static_cast<uint32_t>(d.non_key_attributes.size()));
  for (const auto& a : d.non_key_attributes) w.str(a);
  w.i64(d.throughput.read);
  w.i64(d.throughput.write);
  w.u8(static_cast<uint8_t>(d.status));
  w.patchLength(len_at);
}

Result<IndexDefinition> decodeIndexDefinition(ByteReader& outer) {
  std::string_view record = outer.view();
  if (!outer.ok()) return Status::Corruption("index definition: truncated");
  ByteReader r(record);
  IndexDefinition d;
  uint8_t kind = r.u8();
  if (kind > static_cast<uint8_t>(IndexKind::kLocal)) return Status::Corruption("index definition: bad kind");
  d.kind = static_cast<IndexKind>(kind);
  d.number = r.u16();
  d.name = r.str();
  if (!readKeys(r, d.hash_keys) || !readKeys(r, d.range_keys)) {
    return Status::Corruption("index definition: bad key schema");
  }
  uint8_t p = r.u8();
  if (p > static_cast<uint8_t>(ProjectionType::kInclude)) return Status::Corruption("index definition: bad projection");
  d.projection = static_cast<ProjectionType>(p);
  uint32_t n = r.u32();
  if (n > kMaxProjectedNonKeyAttributes) return Status::Corruption("index definition: too many projected attributes");
  d.non_key_attributes.reserve(n);
  for (uint32_t i = 0; i < n && r.ok(); ++i) d.non_key_attributes.push_back(r.str());
  d.throughput.read = r.i64();
  d.throughput.write = r.i64();
  uint8_t s = r.u8();
  if (s > static_cast<uint8_t>(IndexStatus::kDeleting)) return Status::Corruption("index definition: bad status");
  d.status = static_cast<IndexStatus>(s);
  if (!r.ok()) return Status::Corruption("index definition: truncated");
  // Anything left in `record` was appended by a later format: skipped.
  return d;
}

std::string indexArn(std::string_view table_arn, std::string_view index) {
  std::string arn;
  arn.reserve(table_arn.size() + 7 + index.size());
  arn.append(table_arn).append("/index/").append(index);
  return arn;
}

}  // namespace fdyno::engine

#include "engine/table_definition.h"

#include "engine/byte_codec.h"

namespace fdyno::engine {

namespace {

// Format 2 = format 1 + the secondary index section at the end. Fields in
// the order of encodeTableDefinition(); primitives in engine/byte_codec.h.
// Format 1 (before indexes) still decodes, as a table without indexes. A
// format-1 binary rejects format 2 instead of silently dropping the indexes
// (which would make it write items without maintaining them).
// Format 3 = format 2 + the Time to Live section. A format-2 binary rejects
// it rather than rewriting the definition without the TTL setting (an
// UpdateTable there would silently switch expiry off). Formats 1 and 2 decode
// as tables with TTL disabled.
constexpr uint8_t kFormatVersion = 3;
constexpr uint8_t kOldestReadableVersion = 1;

bool isKeyType(uint8_t t) {
  return t == static_cast<uint8_t>(model::AttrType::kS) || t == static_cast<uint8_t>(model::AttrType::kN) ||
         t == static_cast<uint8_t>(model::AttrType::kB);
}

}  // namespace

std::string_view billingModeName(BillingMode m) {
  return m == BillingMode::kPayPerRequest ? "PAY_PER_REQUEST" : "PROVISIONED";
}

std::string_view tableClassName(TableClass c) {
  return c == TableClass::kStandardInfrequentAccess ? "STANDARD_INFREQUENT_ACCESS" : "STANDARD";
}

std::string encodeTableDefinition(const TableDefinition& d) {
  std::string out;
  out.reserve(128 + d.name.size() * 2);
  ByteWriter w(out);
  w.u8(kFormatVersion);
  w.str(d.name);
  w.u64(d.id);
  w.u64(d.generation);
  w.str(d.table_uuid);
  w.str(d.hash_key.name);
  w.u8(static_cast<uint8_t>(d.hash_key.type));
  w.boolean(d.range_key.has_value());
  if (d.range_key) {
    w.str(d.range_key->name);
    w.u8(static_cast<uint8_t>(d.range_key->type));
  }
  w.u32(static_cast<uint32_t>(d.attribute_definitions.size()));
  for (const auto& a : d.attribute_definitions) {
    w.str(a.name);
    w.u8(static_cast<uint8_t>(a.type));
  }
  w.u8(static_cast<uint8_t>(d.billing_mode));
  w.boolean(d.billing_mode_explicit);
  w.f64(d.billing_mode_updated_at);
  w.i64(d.throughput.read);
  w.i64(d.throughput.write);
  w.f64(d.last_increase_at);
  w.f64(d.last_decrease_at);
  w.i64(d.decreases_today);
  w.f64(d.creation_time);
  w.boolean(d.deletion_protection);
  w.u8(static_cast<uint8_t>(d.table_class));
  w.boolean(d.table_class_explicit);
  w.u32(static_cast<uint32_t>(d.tags.size()));
  for (const auto& t : d.tags) {
    w.str(t.key);
    w.str(t.value);
  }
  w.boolean(d.stream.enabled);
  w.str(d.stream.view_type);
  w.str(d.stream_label);
  w.boolean(d.sse.specified);
  w.boolean(d.sse.enabled);
  w.str(d.sse.sse_type);
  w.str(d.sse.kms_key);
  // Format 2: secondary indexes.
  w.u16(d.last_index_number);
  w.u32(static_cast<uint32_t>(d.global_indexes.size()));
  for (const auto& i : d.global_indexes) encodeIndexDefinition(w, i);
  w.u32(static_cast<uint32_t>(d.local_indexes.size()));
  for (const auto& i : d.local_indexes) encodeIndexDefinition(w, i);
  // Format 3: Time to Live.
  w.str(d.ttl_attribute);
  w.f64(d.ttl_updated_at);
  return out;
}

Result<TableDefinition> decodeTableDefinition(std::string_view bytes) {
  ByteReader r(bytes);
  uint8_t version = r.u8();
  if (!r.ok() || version < kOldestReadableVersion || version > kFormatVersion) {
    return Status::Corruption("table definition: unknown format version");
  }
  TableDefinition d;
  d.name = r.str();
  d.id = r.u64();
  d.generation = r.u64();
  d.table_uuid = r.str();
  d.hash_key.name = r.str();
  uint8_t t = r.u8();
  if (!isKeyType(t)) return Status::Corruption("table definition: bad hash key type");
  d.hash_key.type = static_cast<model::AttrType>(t);
  if (r.boolean()) {
    KeyAttribute k;
    k.name = r.str();
    t = r.u8();
    if (!isKeyType(t)) return Status::Corruption("table definition: bad range key type");
    k.type = static_cast<model::AttrType>(t);
    d.range_key = std::move(k);
  }
  uint32_t n = r.u32();
  if (n > 1000) return Status::Corruption("table definition: too many attribute definitions");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    AttributeDefinition a;
    a.name = r.str();
    t = r.u8();
    if (!isKeyType(t)) return Status::Corruption("table definition: bad attribute type");
    a.type = static_cast<model::AttrType>(t);
    d.attribute_definitions.push_back(std::move(a));
  }
  d.billing_mode = r.u8() == 1 ? BillingMode::kPayPerRequest : BillingMode::kProvisioned;
  d.billing_mode_explicit = r.boolean();
  d.billing_mode_updated_at = r.f64();
  d.throughput.read = r.i64();
  d.throughput.write = r.i64();
  d.last_increase_at = r.f64();
  d.last_decrease_at = r.f64();
  d.decreases_today = r.i64();
  d.creation_time = r.f64();
  d.deletion_protection = r.boolean();
  d.table_class = r.u8() == 1 ? TableClass::kStandardInfrequentAccess : TableClass::kStandard;
  d.table_class_explicit = r.boolean();
  n = r.u32();
  if (n > 1000) return Status::Corruption("table definition: too many tags");
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    Tag tag;
    tag.key = r.str();
    tag.value = r.str();
    d.tags.push_back(std::move(tag));
  }
  d.stream.enabled = r.boolean();
  d.stream.view_type = r.str();
  d.stream_label = r.str();
  d.sse.specified = r.boolean();
  d.sse.enabled = r.boolean();
  d.sse.sse_type = r.str();
  d.sse.kms_key = r.str();
  if (!r.ok()) return Status::Corruption("table definition: truncated");
  if (version >= 2) {
    d.last_index_number = r.u16();
    for (auto* list : {&d.global_indexes, &d.local_indexes}) {
      n = r.u32();
      if (n > kMaxGlobalIndexes) return Status::Corruption("table definition: too many indexes");
      list->reserve(n);
      for (uint32_t i = 0; i < n; ++i) {
        FDYNO_ASSIGN_OR_RETURN(auto index, decodeIndexDefinition(r));
        list->push_back(std::move(index));
      }
    }
    if (!r.ok()) return Status::Corruption("table definition: truncated");
  }
  if (version >= 3) {
    d.ttl_attribute = r.str();
    d.ttl_updated_at = r.f64();
    if (!r.ok()) return Status::Corruption("table definition: truncated");
  }
  // Later formats append fields here; a shorter record simply keeps defaults.
  return d;
}

const IndexDefinition* TableDefinition::findIndex(std::string_view index_name) const {
  for (const auto* list : {&global_indexes, &local_indexes}) {
    for (const auto& i : *list) {
      if (i.name == index_name) return &i;
    }
  }
  return nullptr;
}

std::string tableArn(std::string_view region, std::string_view account, std::string_view table) {
  std::string arn;
  arn.reserve(32 + region.size() + account.size() + table.size());
  arn.append("arn:aws:dynamodb:").append(region).push_back(':');
  arn.append(account).append(":table/").append(table);
  return arn;
}

}  // namespace fdyno::engine

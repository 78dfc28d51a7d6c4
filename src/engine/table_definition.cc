#include "engine/table_definition.h"

#include <cstring>

namespace fdyno::engine {

namespace {

// Format 1. Fields in the order of encodeTableDefinition(); integers are
// fixed-width little-endian, strings are u32 length + bytes, doubles are their
// IEEE-754 bits as u64.
constexpr uint8_t kFormatVersion = 1;

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void boolean(bool b) { u8(b ? 1 : 0); }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  bool atEnd() const { return in_.empty(); }
  bool ok() const { return ok_; }
  uint8_t u8() {
    if (!need(1)) return 0;
    uint8_t v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return v;
  }
  uint32_t u32() {
    if (!need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(4);
    return v;
  }
  uint64_t u64() {
    if (!need(8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(8);
    return v;
  }
  int64_t i64() { return static_cast<int64_t>(u64()); }
  double f64() {
    uint64_t bits = u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    if (!need(n)) return {};
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  bool boolean() { return u8() != 0; }

 private:
  bool need(size_t n) {
    if (!ok_ || in_.size() < n) {
      ok_ = false;
      return false;
    }
    return true;
  }
  std::string_view in_;
  bool ok_ = true;
};

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
  return out;
}

Result<TableDefinition> decodeTableDefinition(std::string_view bytes) {
  ByteReader r(bytes);
  uint8_t version = r.u8();
  if (!r.ok() || version != kFormatVersion) {
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
  // Later formats append fields here; a shorter record simply keeps defaults.
  return d;
}

std::string tableArn(std::string_view region, std::string_view account, std::string_view table) {
  std::string arn;
  arn.reserve(32 + region.size() + account.size() + table.size());
  arn.append("arn:aws:dynamodb:").append(region).push_back(':');
  arn.append(account).append(":table/").append(table);
  return arn;
}

}  // namespace fdyno::engine

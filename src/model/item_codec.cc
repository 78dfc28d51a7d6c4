#include "model/item_codec.h"

namespace fdyno::model {

namespace {

constexpr uint8_t kFormatVersion = 1;
// Stored items are at most 32 levels deep; anything deeper is corrupt (and
// would risk the stack).
constexpr int kMaxDecodeDepth = 64;

void putVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void putBytes(std::string& out, std::string_view s) {
  putVarint(out, s.size());
  out.append(s);
}

void encodeMapBody(std::string& out, const AttributeMap& m);

void encodeValue(std::string& out, const AttributeValue& v) {
  out.push_back(static_cast<char>(v.type));
  switch (v.type) {
    case AttrType::kS:
    case AttrType::kN:  // normalized text: decoding is a copy, no formatting
    case AttrType::kB:
      putBytes(out, v.scalar);
      break;
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS:
      putVarint(out, v.set.size());
      for (const auto& s : v.set) putBytes(out, s);
      break;
    case AttrType::kM:
      encodeMapBody(out, v.map);
      break;
    case AttrType::kL:
      putVarint(out, v.list.size());
      for (const auto& e : v.list) encodeValue(out, e);
      break;
    case AttrType::kNull:
      break;
    case AttrType::kBool:
      out.push_back(v.boolean ? 1 : 0);
      break;
  }
}

void encodeMapBody(std::string& out, const AttributeMap& m) {
  putVarint(out, m.size());
  for (const auto& [name, value] : m) {
    putBytes(out, name);
    encodeValue(out, value);
  }
}

// Bounds-checked reader; every failure is kCorruption.
class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}

  bool atEnd() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  Status byte(uint8_t& b) {
    if (p_ == end_) return truncated();
    b = static_cast<uint8_t>(*p_++);
    return Status::OK();
  }

  Status varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return truncated();
      uint8_t b = static_cast<uint8_t>(*p_++);
      v |= uint64_t{b & 0x7Fu} << shift;
      if (b < 0x80) return Status::OK();
    }
    return Status::Corruption("item: varint too long");
  }

  // A count of elements each taking at least one byte: larger than what is
  // left means corruption (and must not drive a huge reserve()).
  Status count(uint64_t& n) {
    FDYNO_RETURN_IF_ERROR(varint(n));
    if (n > remaining()) return truncated();
    return Status::OK();
  }

  Status bytes(std::string_view& s) {
    uint64_t n;
    FDYNO_RETURN_IF_ERROR(varint(n));
    if (n > remaining()) return truncated();
    s = std::string_view(p_, n);
    p_ += n;
    return Status::OK();
  }

 private:
  static Status truncated() { return Status::Corruption("item: truncated"); }
  const char* p_;
  const char* end_;
};

Status decodeMapBody(Reader& r, AttributeMap& m, int depth);

Status decodeValue(Reader& r, AttributeValue& v, int depth) {
  if (depth > kMaxDecodeDepth) return Status::Corruption("item: nested too deep");
  uint8_t tag = 0;
  FDYNO_RETURN_IF_ERROR(r.byte(tag));
  if (tag > static_cast<uint8_t>(AttrType::kBool)) return Status::Corruption("item: unknown type tag");
  v.type = static_cast<AttrType>(tag);
  switch (v.type) {
    case AttrType::kS:
    case AttrType::kN:
    case AttrType::kB: {
      std::string_view s;
      FDYNO_RETURN_IF_ERROR(r.bytes(s));
      v.scalar.assign(s);
      return Status::OK();
    }
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS: {
      uint64_t n;
      FDYNO_RETURN_IF_ERROR(r.count(n));
      if (n == 0) return Status::Corruption("item: empty set");
      v.set.reserve(n);
      for (uint64_t i = 0; i < n; ++i) {
        std::string_view s;
        FDYNO_RETURN_IF_ERROR(r.bytes(s));
        v.set.emplace_back(s);
      }
      return Status::OK();
    }
    case AttrType::kM:
      return decodeMapBody(r, v.map, depth + 1);
    case AttrType::kL: {
      uint64_t n;
      FDYNO_RETURN_IF_ERROR(r.count(n));
      v.list.resize(n);
      for (auto& e : v.list) FDYNO_RETURN_IF_ERROR(decodeValue(r, e, depth + 1));
      return Status::OK();
    }
    case AttrType::kNull:
      return Status::OK();
    case AttrType::kBool: {
      uint8_t b = 0;
      FDYNO_RETURN_IF_ERROR(r.byte(b));
      if (b > 1) return Status::Corruption("item: bad boolean");
      v.boolean = b == 1;
      return Status::OK();
    }
  }
  return Status::Corruption("item: unknown type tag");
}

Status decodeMapBody(Reader& r, AttributeMap& m, int depth) {
  uint64_t n;
  FDYNO_RETURN_IF_ERROR(r.count(n));
  std::string_view prev;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view name;
    FDYNO_RETURN_IF_ERROR(r.bytes(name));
    // Names were written in std::map order: strictly increasing. Checking it
    // detects corruption and lets every insert be an O(1) append at end().
    if (i > 0 && !(prev < name)) return Status::Corruption("item: names out of order");
    prev = name;
    auto it = m.emplace_hint(m.end(), std::piecewise_construct, std::forward_as_tuple(name),
                             std::forward_as_tuple());
    FDYNO_RETURN_IF_ERROR(decodeValue(r, it->second, depth));
  }
  return Status::OK();
}

}  // namespace

void encodeItem(std::string& out, const Item& item) {
  out.push_back(static_cast<char>(kFormatVersion));
  encodeMapBody(out, item);
}

Result<Item> decodeItem(std::string_view bytes) {
  Reader r(bytes);
  uint8_t version = 0;
  if (!r.byte(version).ok()) return Status::Corruption("item: empty");
  if (version != kFormatVersion) return Status::Corruption("item: unknown format version");
  Item item;
  FDYNO_RETURN_IF_ERROR(decodeMapBody(r, item, 1));
  if (!r.atEnd()) return Status::Corruption("item: trailing bytes");
  return item;
}

}  // namespace fdyno::model

#include "api/table_request.h"

#include <algorithm>
#include <unordered_set>

#include "model/json_codec.h"

namespace fdyno::api {

std::optional<model::AttrType> keyAttrType(std::string_view t) {
  if (t == "S") return model::AttrType::kS;
  if (t == "N") return model::AttrType::kN;
  if (t == "B") return model::AttrType::kB;
  return std::nullopt;
}

std::optional<ParsedThroughput> readThroughput(const RequestObject& parent, std::string_view path_prefix,
                                               ConstraintErrors& errors) {
  auto pt = parent.getStruct("ProvisionedThroughput", "ProvisionedThroughput");
  if (!pt) return std::nullopt;
  ParsedThroughput t{pt->getLong("ReadCapacityUnits"), pt->getLong("WriteCapacityUnits")};
  std::string path(path_prefix);
  path += "provisionedThroughput.";
  if (!t.write) errors.notNull(path + "writeCapacityUnits");
  else if (*t.write < 1) errors.valueAtLeast(*t.write, path + "writeCapacityUnits", 1);
  if (!t.read) errors.notNull(path + "readCapacityUnits");
  else if (*t.read < 1) errors.valueAtLeast(*t.read, path + "readCapacityUnits", 1);
  return t;
}

void checkThroughputBounds(const ParsedThroughput& t) {
  if (t.read && *t.read > kMaxCapacityUnits) {
    throw ApiError::validation("Given value " + std::to_string(*t.read) + " for ReadCapacityUnits is out of bounds");
  }
  if (t.write && *t.write > kMaxCapacityUnits) {
    throw ApiError::validation("Given value " + std::to_string(*t.write) +
                               " for WriteCapacityUnits is out of bounds");
  }
}

size_t utf16Length(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xc0) != 0x80) ++n;  // a lead byte starts a code point
    if (c >= 0xf0) ++n;           // outside the BMP: a surrogate pair
  }
  return n;
}

void checkKeyAttributeName(std::string_view name, const std::string& path, ConstraintErrors& errors) {
  size_t len = utf16Length(name);
  if (len < 1) errors.lengthAtLeast(name, path, 1);
  else if (len > model::kMaxKeyAttributeNameBytes) errors.lengthAtMost(name, path, model::kMaxKeyAttributeNameBytes);
}

std::optional<std::vector<RawKeyElement>> readKeySchema(const RequestObject& parent, std::string_view field,
                                                        const std::string& path, bool check_key_type,
                                                        size_t max_len, ConstraintErrors& errors) {
  auto ks = parent.getList(field);
  if (!ks) {
    errors.notNull(path);
    return std::nullopt;
  }
  std::vector<RawKeyElement> out;
  size_t i = 0;
  for (auto e : *ks) {
    ++i;
    RequestObject k = asListStruct(e, "KeySchemaElement");
    RawKeyElement rk{k.getString("AttributeName"), k.getString("KeyType")};
    std::string member = path + "." + std::to_string(i) + ".member.";
    if (!rk.name) errors.notNull(member + "attributeName");
    else checkKeyAttributeName(*rk.name, member + "attributeName", errors);
    if (!rk.type) errors.notNull(member + "keyType");
    else if (check_key_type && *rk.type != "HASH" && *rk.type != "RANGE") {
      errors.enumValue(*rk.type, member + "keyType", "[HASH, RANGE]");
    }
    out.push_back(rk);
  }
  if (out.empty()) errors.lengthAtLeast("[]", path, 1);
  if (max_len != 0 && out.size() > max_len) {
    // Coral prints the list with each element's toString().
    std::string repr = "[";
    for (size_t j = 0; j < out.size(); ++j) {
      if (j) repr += ", ";
      repr += "KeySchemaElement(attributeName=" + std::string(out[j].name.value_or("null")) +
              ", keyType=" + std::string(out[j].type.value_or("null")) + ")";
    }
    repr += "]";
    errors.lengthAtMost(repr, path, max_len);
  }
  return out;
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string s = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) s += ", ";
    s += names[i];
  }
  return s + "]";
}

namespace {

// java.lang.String.hashCode(): s[0]*31^(n-1) + ... over UTF-16 code units.
uint32_t javaStringHash(std::string_view utf8) {
  uint32_t h = 0;
  auto addUnit = [&h](uint32_t unit) { h = 31 * h + unit; };
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6) {
      cp = c & 0x1f;
      len = 2;
    } else if ((c >> 4) == 0xe) {
      cp = c & 0x0f;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    }
    i += len;
    if (cp >= 0x10000) {  // surrogate pair
      cp -= 0x10000;
      addUnit(0xd800 + (cp >> 10));
      addUnit(0xdc00 + (cp & 0x3ff));
    } else {
      addUnit(cp);
    }
  }
  return h;
}

}  // namespace

std::vector<std::string> javaHashSetOrder(const std::vector<std::string>& names) {
  std::vector<std::string> unique;
  std::unordered_set<std::string_view> seen;
  for (const auto& n : names) {
    if (seen.insert(n).second) unique.push_back(n);
  }
  size_t capacity = 16;
  while (unique.size() > capacity * 3 / 4) capacity *= 2;
  // HashMap.hash(): h ^ (h >>> 16); bucket = hash & (capacity - 1). Resizes
  // keep the relative order of entries that share a bucket, so the final
  // order is a stable sort by final bucket.
  auto bucket = [capacity](const std::string& s) {
    uint32_t h = javaStringHash(s);
    return (h ^ (h >> 16)) & static_cast<uint32_t>(capacity - 1);
  };
  std::stable_sort(unique.begin(), unique.end(),
                   [&](const std::string& a, const std::string& b) { return bucket(a) < bucket(b); });
  return unique;
}

}  // namespace fdyno::api

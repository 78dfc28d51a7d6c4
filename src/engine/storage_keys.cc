#include "engine/storage_keys.h"

namespace fdyno::engine::keys {

void appendU64BE(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t readU64BE(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < in.size(); ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

std::string tableNameKey(std::string_view name) {
  std::string k;
  k.reserve(2 + name.size());
  k.push_back(kSystemSpace);
  k.push_back(kTableNamePrefix);
  k.append(name);
  return k;
}

std::string tableNamesBegin() { return std::string{kSystemSpace, kTableNamePrefix}; }
std::string tableNamesEnd() { return std::string{kSystemSpace, static_cast<char>(kTableNamePrefix + 1)}; }

std::string_view tableNameFromKey(std::string_view key) { return key.size() >= 2 ? key.substr(2) : key; }

std::string tableMetaKey(uint64_t table_id) {
  std::string k{kSystemSpace, kTableMetaPrefix};
  appendU64BE(k, table_id);
  return k;
}

std::string nextTableIdKey() {
  std::string k{kSystemSpace, kSequencePrefix};
  k.append("next_table_id");
  return k;
}

std::string encodeTableHandle(uint64_t id, uint64_t generation) {
  std::string v;
  v.reserve(16);
  appendU64BE(v, id);
  appendU64BE(v, generation);
  return v;
}

bool decodeTableHandle(std::string_view v, uint64_t* id, uint64_t* generation) {
  if (v.size() != 16) return false;
  *id = readU64BE(v.substr(0, 8));
  *generation = readU64BE(v.substr(8, 8));
  return true;
}

std::string tableBegin(uint64_t table_id) {
  std::string k{kTableSpace};
  appendU64BE(k, table_id);
  return k;
}

std::string tableEnd(uint64_t table_id) {
  // Ids never reach UINT64_MAX (they count tables ever created), so id + 1
  // never wraps; the range is exactly this table's keys.
  std::string k{kTableSpace};
  appendU64BE(k, table_id + 1);
  return k;
}

void appendItemPrefix(std::string& out, uint64_t table_id) {
  out.push_back(kTableSpace);
  appendU64BE(out, table_id);
  out.push_back(kItemsSpace);
}

std::string itemsBegin(uint64_t table_id) {
  std::string k;
  appendItemPrefix(k, table_id);
  return k;
}

std::string itemsEnd(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(static_cast<char>(kItemsSpace + 1));
  return k;
}

std::string indexPrefix(uint64_t table_id, uint16_t index_no) {
  std::string k = tableBegin(table_id);
  k.push_back(kIndexSpace);
  k.push_back(static_cast<char>(index_no >> 8));
  k.push_back(static_cast<char>(index_no & 0xff));
  return k;
}

std::string streamPrefix(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(kStreamSpace);
  return k;
}

std::string itemCountKey(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(kCounterSpace);
  k.push_back(kItemCountCounter);
  return k;
}

std::string sizeBytesKey(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(kCounterSpace);
  k.push_back(kSizeBytesCounter);
  return k;
}

}  // namespace fdyno::engine::keys

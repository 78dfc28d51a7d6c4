#include "engine/catalog.h"

#include <mutex>

#include "engine/storage_keys.h"

namespace fdyno::engine {

TableInfo::TableInfo(TableDefinition d)
    : def(std::move(d)),
      handle(keys::encodeTableHandle(def.id, def.generation)),
      item_prefix(keys::itemsBegin(def.id)),
      item_count_key(keys::itemCountKey(def.id)),
      size_bytes_key(keys::sizeBytesKey(def.id)) {}

std::string Catalog::nameKey(std::string_view name) { return keys::tableNameKey(name); }

TableRef Catalog::cached(std::string_view name) const {
  ReaderLock lock(mu_);
  auto it = cache_.find(name);
  return it == cache_.end() ? nullptr : it->second;
}

void Catalog::remember(TableRef info) {
  WriterLock lock(mu_);
  auto it = cache_.find(info->def.name);
  if (it == cache_.end()) {
    cache_.emplace(info->def.name, std::move(info));
    return;
  }
  // Never replace a newer version with an older one (two threads may race to
  // refresh the same entry after an UpdateTable).
  const auto& cur = it->second->def;
  if (cur.id != info->def.id || cur.generation <= info->def.generation) it->second = std::move(info);
}

void Catalog::forget(std::string_view name) {
  WriterLock lock(mu_);
  auto it = cache_.find(name);
  if (it != cache_.end()) cache_.erase(it);
}

Result<TableRef> Catalog::resolve(kv::Transaction& txn, std::string_view name) {
  FDYNO_ASSIGN_OR_RETURN(auto handle, txn.get(keys::tableNameKey(name)));
  if (!handle) return TableRef{};
  TableRef hint = cached(name);
  if (hint && hint->handle == *handle) return hint;

  uint64_t id = 0, generation = 0;
  if (!keys::decodeTableHandle(*handle, &id, &generation)) {
    return Status::Corruption("catalog: bad table handle");
  }
  FDYNO_ASSIGN_OR_RETURN(auto meta, txn.get(keys::tableMetaKey(id)));
  if (!meta) return Status::Corruption("catalog: table handle without definition");
  FDYNO_ASSIGN_OR_RETURN(auto def, decodeTableDefinition(*meta));
  if (def.generation != generation || def.name != name) {
    return Status::Corruption("catalog: table handle does not match definition");
  }
  auto info = std::make_shared<const TableInfo>(std::move(def));
  remember(info);
  return TableRef(std::move(info));
}

Result<TableRef> Catalog::load(kv::Transaction& txn, std::string_view name) {
  // Same as resolve(); kept separate so control-plane code reads as intended
  // and so the cache policy can differ later (e.g. never trusting the hint).
  return resolve(txn, name);
}

void Catalog::store(kv::Transaction& txn, const TableDefinition& def) {
  txn.set(keys::tableNameKey(def.name), keys::encodeTableHandle(def.id, def.generation));
  txn.set(keys::tableMetaKey(def.id), encodeTableDefinition(def));
}

void Catalog::erase(kv::Transaction& txn, const TableDefinition& def) {
  txn.clear(keys::tableNameKey(def.name));
  txn.clear(keys::tableMetaKey(def.id));
}

}  // namespace fdyno::engine

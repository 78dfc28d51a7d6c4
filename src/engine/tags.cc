// Table tags: the Database operations that read and change them. Contract
// and storage layout: engine/tags.h (the rules of a request's tags are the
// api layer's: api/tag_rules.h).
#include "engine/tags.h"

#include <map>

#include "engine/database.h"
#include "engine/storage_keys.h"

namespace fdyno::engine {

namespace {

// The table's tags as stored: legacy definition tags first, kv tags over
// them. `snapshot` false puts the whole tag range in the read-conflict set,
// so two concurrent tag changes of one table serialize.
Status readTags(kv::Transaction& txn, const TableInfo& t, bool snapshot, std::map<std::string, std::string>* out) {
  out->clear();
  for (const auto& tag : t.def.tags) (*out)[tag.key] = tag.value;
  FDYNO_ASSIGN_OR_RETURN(auto range,
                         txn.getRange(keys::tagsBegin(t.def.id), keys::tagsEnd(t.def.id), {}, snapshot));
  size_t prefix = keys::tagsBegin(t.def.id).size();
  for (auto& kv : range.pairs) (*out)[kv.key.substr(prefix)] = std::move(kv.value);
  return Status::OK();
}

// Moves legacy definition tags to kv (they are all in `current` already):
// the definition is rewritten without them, generation + 1.
std::optional<TableDefinition> migrateLegacyTags(kv::Transaction& txn, const TableInfo& t) {
  if (t.def.tags.empty()) return std::nullopt;
  for (const auto& tag : t.def.tags) txn.set(keys::tagKey(t.def.id, tag.key), tag.value);
  TableDefinition def = t.def;
  def.tags.clear();
  def.generation += 1;
  Catalog::store(txn, def);
  return def;
}

}  // namespace


namespace keys {

std::string tagsBegin(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(kTagSpace);
  return k;
}

std::string tagsEnd(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(static_cast<char>(kTagSpace + 1));
  return k;
}

std::string tagKey(uint64_t table_id, std::string_view tag_key) {
  std::string k = tagsBegin(table_id);
  k.append(tag_key);
  return k;
}

}  // namespace keys

Result<std::vector<Tag>> Database::listTags(std::string_view table) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(*txn, table));
  if (!t) return tableNotFound(table);
  std::map<std::string, std::string> tags;
  FDYNO_RETURN_IF_ERROR(readTags(*txn, *t, /*snapshot=*/true, &tags));
  std::vector<Tag> out;
  out.reserve(tags.size());
  for (auto& [k, v] : tags) out.push_back({k, std::move(v)});
  return out;  // read-only: one snapshot, no commit needed
}

Status Database::tagTable(std::string_view table, const std::vector<Tag>& tags) {
  std::optional<TableDefinition> migrated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    migrated.reset();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, table));
    if (!t) return tableNotFound(table);
    std::map<std::string, std::string> current;
    FDYNO_RETURN_IF_ERROR(readTags(txn, *t, /*snapshot=*/false, &current));
    // The limit applies to the merged set: re-tagging existing keys at 50 is
    // fine, any new key beyond 50 is not.
    size_t added = 0;
    for (const auto& tag : tags) added += current.count(tag.key) ? 0 : 1;
    if (current.size() + added > kMaxTagsPerTable) return Status::InvalidArgument(ErrorReason::kTagLimitExceeded);
    migrated = migrateLegacyTags(txn, *t);
    for (const auto& tag : tags) txn.set(keys::tagKey(t->def.id, tag.key), tag.value);
    return Status::OK();
  });
  if (st.ok() && migrated) catalog_.remember(std::make_shared<const TableInfo>(std::move(*migrated)));
  return st;
}

Status Database::untagTable(std::string_view table, const std::vector<std::string>& tag_keys) {
  std::optional<TableDefinition> migrated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    migrated.reset();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, table));
    if (!t) return tableNotFound(table);
    // Read (non-snapshot) so that a concurrent TagResource of one of these
    // keys is ordered with this removal rather than lost in a blind write.
    std::map<std::string, std::string> current;
    FDYNO_RETURN_IF_ERROR(readTags(txn, *t, /*snapshot=*/false, &current));
    migrated = migrateLegacyTags(txn, *t);
    // Removing a key that is not there is not an error (DynamoDB's rule).
    for (const auto& k : tag_keys) txn.clear(keys::tagKey(t->def.id, k));
    return Status::OK();
  });
  if (st.ok() && migrated) catalog_.remember(std::make_shared<const TableInfo>(std::move(*migrated)));
  return st;
}

}  // namespace fdyno::engine

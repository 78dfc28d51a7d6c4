// Catalog: table metadata stored in kv, with an in-process cache.
//
// Contract:
// - The kv store is the truth (keys in engine/storage_keys.h). The cache maps
//   a table name to an immutable TableInfo snapshot; it is only a hint.
// - resolve() validates the hint inside the caller's transaction by reading
//   the 16-byte table handle (id, generation) under the name key and comparing
//   it with the cached one. That read also enters the transaction's read
//   conflict set, so a concurrent DeleteTable/UpdateTable (in this process or
//   another one sharing the store) makes the caller's commit conflict and
//   retry, and the retry sees the new definition. Only on a mismatch is the
//   full definition read and decoded.
// - resolveAndGet() is resolve() plus one point read whose key depends on the
//   table (GetItem's and a single-item write's item): on a store that
//   batches reads (kv::Transaction::batchesReads) and with a cached hint,
//   the handle and the item are read together, one round trip; if the hint
//   turns out stale, the key is rebuilt from the current definition and
//   read again. Elsewhere it is exactly resolve() followed by get().
// - Thread safety: all methods may be called concurrently. Lookups take a
//   shared lock only long enough to copy a shared_ptr; TableInfo is immutable.
// - Errors: kNotFound (message set by the caller's layer), kCorruption, kv errors.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "engine/table_definition.h"
#include "kv/kv.h"

namespace fdyno::engine {

// One version of a table's definition plus keys precomputed for the hot path.
struct TableInfo {
  TableDefinition def;
  std::string handle;          // encodeTableHandle(id, generation)
  std::string item_prefix;     // 02 <id> 00
  std::string item_count_key;
  std::string size_bytes_key;

  explicit TableInfo(TableDefinition d);
};

using TableRef = std::shared_ptr<const TableInfo>;

// kNotFound kTableNotFound for a control-plane operation's missing table
// (item operations use kItemTableNotFound: DynamoDB words them differently).
inline Status tableNotFound(std::string_view name) {
  return Status::NotFound(ErrorReason::kTableNotFound, {std::string(name)});
}

class Catalog {
 public:
  Catalog() = default;
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // The current definition of `name` as seen by `txn`, or nullptr if there is
  // no such table. See the contract above for how the cache is validated.
  [[nodiscard]] Result<TableRef> resolve(kv::Transaction& txn, std::string_view name);

  // resolve(), then `key_of(table, key)` builds a key (appending to the
  // cleared `key`) and *value is get(key, snapshot); see the contract.
  // Errors of key_of are returned as they are, after the table resolved.
  template <class KeyOf>
  [[nodiscard]] Result<TableRef> resolveAndGet(kv::Transaction& txn, std::string_view name, bool snapshot,
                                               KeyOf&& key_of, std::string& key, std::optional<std::string>* value);

  // Reads the definition bypassing the cache (control-plane operations).
  [[nodiscard]] Result<TableRef> load(kv::Transaction& txn, std::string_view name);

  // Writes `def` (name key + meta key) in `txn`. Callers bump def.generation.
  static void store(kv::Transaction& txn, const TableDefinition& def);
  // Removes the catalog keys of `def` in `txn` (not its data).
  static void erase(kv::Transaction& txn, const TableDefinition& def);

  // Cache maintenance after a successful commit.
  void remember(TableRef info);
  void forget(std::string_view name);

 private:
  TableRef cached(std::string_view name) const;
  static std::string nameKey(std::string_view name);

  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable SharedMutex mu_;
  std::unordered_map<std::string, TableRef, NameHash, std::equal_to<>> cache_ GUARDED_BY(mu_);
};

template <class KeyOf>
Result<TableRef> Catalog::resolveAndGet(kv::Transaction& txn, std::string_view name, bool snapshot, KeyOf&& key_of,
                                        std::string& key, std::optional<std::string>* value) {
  if (txn.batchesReads()) {
    if (TableRef hint = cached(name)) {
      key.clear();
      // A key the hint cannot build (invalid key attributes) is judged by
      // the current definition below, after the table resolved.
      if (key_of(*hint, key).ok()) {
        const std::string name_key = nameKey(name);
        const kv::Transaction::PointRead reads[2] = {{name_key, false}, {key, snapshot}};
        std::vector<std::optional<std::string>> got;
        FDYNO_RETURN_IF_ERROR(txn.getMany(reads, &got));
        if (got[0] && *got[0] == hint->handle) {
          *value = std::move(got[1]);
          return hint;
        }
      }
    }
  }
  FDYNO_ASSIGN_OR_RETURN(TableRef t, resolve(txn, name));
  if (!t) return t;
  key.clear();
  FDYNO_RETURN_IF_ERROR(key_of(*t, key));
  FDYNO_ASSIGN_OR_RETURN(*value, txn.get(key, snapshot));
  return t;
}

}  // namespace fdyno::engine

// Database: single-item operations and the shared write path.
// See engine/database.h for the contract.
#include "engine/database.h"
#include "engine/storage_keys.h"
#include "model/item_size.h"

namespace fdyno::engine {

namespace {
// Item operations answer a missing table with this text alone (unlike the
// control-plane operations, which name the table).
constexpr std::string_view kItemTableNotFound = "Requested resource not found";
}  // namespace

Result<ReadResult> Database::getItem(std::string_view table, const model::Item& key, bool consistent) {
  // Every read sees the latest committed state, so ConsistentRead only
  // changes the capacity charged (api layer), not what is read.
  (void)consistent;
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(*txn, table));
  if (!t) return Status::NotFound(kItemTableNotFound);
  std::string k;
  k.reserve(t->item_prefix.size() + 64);
  k = t->item_prefix;
  FDYNO_RETURN_IF_ERROR(appendItemKey(t->def, key, KeySource::kKey, k));
  FDYNO_ASSIGN_OR_RETURN(auto raw, txn->get(k, /*snapshot=*/true));
  ReadResult r;
  r.table = std::move(t);
  if (raw) {
    FDYNO_RETURN_IF_ERROR(readStoredItemSize(*raw, &r.size));
    FDYNO_ASSIGN_OR_RETURN(auto item, decodeStoredItem(*raw));
    r.item = std::move(item);
  }
  // A read-only transaction needs no commit: it read one consistent snapshot.
  return r;
}

Result<WriteResult> Database::writeItem(std::string_view table, const model::Item& key_attrs, KeySource source,
                                        const WriteDecider& decide) {
  WriteResult result;
  std::string key;
  std::string value;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    result = WriteResult{};
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(txn, table));
    if (!t) return Status::NotFound(kItemTableNotFound);
    key.assign(t->item_prefix);
    FDYNO_RETURN_IF_ERROR(appendItemKey(t->def, key_attrs, source, key));

    FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
    StoredItem old(std::move(raw));
    WritePlan plan;
    FDYNO_RETURN_IF_ERROR(decide(*t, old, plan));

    result.old_existed = old.exists();
    result.old_size = old.size();
    result.op = plan.op;
    if (plan.return_old && old.exists()) {
      FDYNO_ASSIGN_OR_RETURN(const model::Item* unused, old.item());
      (void)unused;
    }

    int64_t count_delta = 0;
    int64_t size_delta = 0;
    switch (plan.op) {
      case WriteOp::kKeep:
        break;
      case WriteOp::kPut: {
        if (!plan.item) return Status::Internal("writeItem: kPut without an item");
        size_t size = plan.item_size ? plan.item_size : model::itemSize(*plan.item);
        value.clear();
        value.reserve(size + 16);
        encodeStoredItem(value, *plan.item, size);
        txn.set(key, value);
        result.new_size = size;
        count_delta = old.exists() ? 0 : 1;
        size_delta = static_cast<int64_t>(size) - static_cast<int64_t>(result.old_size);
        break;
      }
      case WriteOp::kDelete:
        if (old.exists()) {
          txn.clear(key);
          count_delta = -1;
          size_delta = -static_cast<int64_t>(result.old_size);
        }
        break;
    }
    // Counters use atomicAdd: it adds no read conflict, so concurrent writers
    // of different items never conflict over the table's totals.
    if (count_delta != 0) txn.atomicAdd(t->item_count_key, count_delta);
    if (size_delta != 0) txn.atomicAdd(t->size_bytes_key, size_delta);
    if (plan.return_old) result.old_item = old.takeDecoded();
    result.table = std::move(t);
    return Status::OK();
  });
  if (!st.ok()) return st;
  return result;
}

Result<WriteResult> Database::putItem(std::string_view table, const model::Item& item, size_t item_size,
                                      bool return_old) {
  return writeItem(table, item, KeySource::kItem,
                   [&](const TableInfo&, StoredItem&, WritePlan& plan) -> Status {
                     plan.op = WriteOp::kPut;
                     plan.item = &item;
                     plan.item_size = item_size;
                     plan.return_old = return_old;
                     return Status::OK();
                   });
}

Result<WriteResult> Database::deleteItem(std::string_view table, const model::Item& key, bool return_old) {
  return writeItem(table, key, KeySource::kKey, [&](const TableInfo&, StoredItem&, WritePlan& plan) -> Status {
    plan.op = WriteOp::kDelete;
    plan.return_old = return_old;
    return Status::OK();
  });
}

}  // namespace fdyno::engine

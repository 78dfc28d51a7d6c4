// Database: single-item operations and the shared write path.
// See engine/database.h for the contract.
#include "engine/database.h"
#include "engine/item_mutation.h"
#include "engine/storage_keys.h"
#include "model/item_size.h"

namespace fdyno::engine {

namespace {
// Item operations answer a missing table with this text alone (unlike the
// control-plane operations, which name the table).
}  // namespace

Result<ReadResult> Database::getItem(std::string_view table, const model::Item& key, bool consistent) {
  // Every read sees the latest committed state, so ConsistentRead only
  // changes the capacity charged (api layer), not what is read.
  (void)consistent;
  auto txn = store_.begin();
  std::string k;
  std::optional<std::string> raw;
  // The table handle and the item in one read where the store batches reads
  // (one round trip to PostgreSQL).
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolveAndGet(
                                         *txn, table, /*snapshot=*/true,
                                         [&](const TableInfo& info, std::string& out) {
                                           out.reserve(info.item_prefix.size() + 64);
                                           out.append(info.item_prefix);
                                           return appendItemKey(info.def, key, KeySource::kKey, out);
                                         },
                                         k, &raw));
  if (!t) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(table)});
  ReadResult r;
  r.table = std::move(t);
  if (raw) {
    Status st = readStoredItemSize(*raw, &r.size);
    auto item = st.ok() ? decodeStoredItem(*raw) : Result<model::Item>(st);
    if (!item.ok()) return reportUndecodableItem("single-item read", item.status());
    r.item = std::move(item).value();
  }
  // A read-only transaction needs no commit: it read one consistent snapshot.
  return r;
}

Result<WriteResult> Database::writeItem(std::string_view table, const model::Item& key_attrs, KeySource source,
                                        const WriteDecider& decide) {
  WriteResult result;
  std::string key;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    result = WriteResult{};
    std::optional<std::string> raw;
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolveAndGet(
                                           txn, table, /*snapshot=*/false,
                                           [&](const TableInfo& info, std::string& out) {
                                             out.append(info.item_prefix);
                                             return appendItemKey(info.def, key_attrs, source, out);
                                           },
                                           key, &raw));
    if (!t) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(table)});
    StoredItem old(std::move(raw));
    WritePlan plan;
    FDYNO_RETURN_IF_ERROR(decide(*t, old, plan));

    FDYNO_RETURN_IF_ERROR(applyItemMutation(txn, *t, key, old, plan, &result, opts_.item_collection_limit_bytes));
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

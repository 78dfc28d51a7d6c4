// Database::getItems, Database::resolveTables and Database::writeItems.
// See engine/batch.h.
#include "engine/batch.h"

#include <string>

#include "engine/database.h"
#include "engine/item_key.h"
#include "engine/item_mutation.h"
#include "engine/stored_item.h"
#include "kv/kv.h"

namespace fdyno::engine {

namespace {
}  // namespace

Result<std::vector<TableRef>> Database::resolveTables(const std::vector<std::string_view>& names) {
  auto txn = store_.begin();
  std::vector<TableRef> out;
  out.reserve(names.size());
  for (std::string_view name : names) {
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(*txn, name));
    if (!t) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(name)});
    out.push_back(std::move(t));
  }
  // Read-only: nothing to commit.
  return out;
}

Result<std::vector<BatchGetTableResult>> Database::getItems(const std::vector<BatchGetTable>& tables,
                                                            size_t byte_budget) {
  auto txn = store_.begin();
  std::vector<BatchGetTableResult> out(tables.size());
  // Every table must exist before anything is read (DynamoDB answers
  // ResourceNotFoundException for the whole batch), and every key must match
  // its table's schema: encode them all first.
  std::vector<std::vector<std::string>> encoded(tables.size());
  for (size_t t = 0; t < tables.size(); ++t) {
    FDYNO_ASSIGN_OR_RETURN(TableRef info, catalog_.resolve(*txn, tables[t].table));
    if (!info) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(tables[t].table)});
    out[t].table = std::move(info);
  }
  for (size_t t = 0; t < tables.size(); ++t) {
    const TableInfo& info = *out[t].table;
    encoded[t].reserve(tables[t].keys->size());
    for (const model::Item& key : *tables[t].keys) {
      std::string k;
      k.reserve(info.item_prefix.size() + 64);
      k = info.item_prefix;
      FDYNO_RETURN_IF_ERROR(appendItemKey(info.def, key, KeySource::kKey, k));
      encoded[t].push_back(std::move(k));
    }
  }
  // Snapshot reads: one consistent view, no read conflicts to track (the
  // transaction is never committed).
  // A store that batches reads gets every key in one round trip (at most 100
  // keys; what the byte budget leaves out is read and dropped); the others
  // read one key at a time and stop at the budget.
  std::vector<std::optional<std::string>> prefetched;
  if (txn->batchesReads()) {
    std::vector<kv::Transaction::PointRead> reads;
    for (const auto& keys : encoded) {
      for (const auto& k : keys) reads.push_back({k, /*snapshot=*/true});
    }
    FDYNO_RETURN_IF_ERROR(txn->getMany(reads, &prefetched));
  }
  size_t used = 0;
  size_t flat = 0;
  bool budget_left = true;
  for (size_t t = 0; t < tables.size(); ++t) {
    out[t].keys.resize(encoded[t].size());
    for (size_t i = 0; i < encoded[t].size() && budget_left; ++i, ++flat) {
      std::optional<std::string> raw;
      if (!prefetched.empty()) {
        raw = std::move(prefetched[flat]);
      } else {
        FDYNO_ASSIGN_OR_RETURN(raw, txn->get(encoded[t][i], /*snapshot=*/true));
      }
      BatchGetKeyResult& r = out[t].keys[i];
      if (raw) {
        size_t size = 0;
        // The item that would cross the limit is left for the next call,
        // unless nothing was returned yet (a call must make progress; one
        // item is at most 400 KB, far below the limit).
        if (readStoredItemSize(*raw, &size).ok() && used > 0 && used + size > byte_budget) {
          budget_left = false;
          break;
        }
        model::Item item;
        // An item that does not decode is reported and answered as absent,
        // so the rest of the batch is served (stored_item.h).
        if (decodeStoredItemOrSkip(*raw, "BatchGetItem", &item, &size)) {
          r.item = std::move(item);
          r.size = size;
          used += size;
        }
      }
      r.read = true;
    }
  }
  return out;
}

Result<std::vector<BatchWriteTableResult>> Database::writeItems(const std::vector<BatchWriteTable>& tables) {
  std::vector<BatchWriteTableResult> out(tables.size());
  std::string key;
  WriteResult written;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    // Every table first, in this attempt's snapshot: a table deleted since
    // the api layer validated the request fails the whole batch before any
    // item is read.
    for (size_t t = 0; t < tables.size(); ++t) {
      FDYNO_ASSIGN_OR_RETURN(TableRef info, catalog_.resolve(txn, tables[t].table));
      if (!info) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(tables[t].table)});
      out[t].table = std::move(info);
      out[t].writes.assign(tables[t].writes.size(), BatchWriteItemResult{});
    }
    // Read-then-apply item by item (not all reads first): should one item
    // appear twice (the same table named twice in RequestItems), the second
    // write sees the first through read-your-writes and the counters stay
    // exact.
    for (size_t t = 0; t < tables.size(); ++t) {
      const TableInfo& info = *out[t].table;
      const std::vector<BatchWrite>& writes = tables[t].writes;
      for (size_t i = 0; i < writes.size(); ++i) {
        const BatchWrite& w = writes[i];
        key.assign(info.item_prefix);
        FDYNO_RETURN_IF_ERROR(
            appendItemKey(info.def, *w.attrs, w.put ? KeySource::kItem : KeySource::kKey, key));
        // Conflict-tracked: the old item decides the counters and which index
        // entries to remove, so a concurrent change to it must retry us.
        FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
        StoredItem old(std::move(raw));
        WritePlan plan;
        if (w.put) {
          plan.op = WriteOp::kPut;
          plan.item = w.attrs;
          plan.item_size = w.item_size;
        } else {
          plan.op = WriteOp::kDelete;
        }
        // An index key error (already caught by the api layer's checks unless
        // an index was added since) abandons the attempt: nothing is written.
        FDYNO_RETURN_IF_ERROR(
            applyItemMutation(txn, info, key, old, plan, &written, opts_.item_collection_limit_bytes));
        BatchWriteItemResult& r = out[t].writes[i];
        r.old_existed = written.old_existed;
        r.old_size = written.old_size;
        r.new_size = written.new_size;
        r.metrics = std::move(written.metrics);
      }
    }
    return Status::OK();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace fdyno::engine

// IndexBuilder: GSI backfill and index drop in the background.
// Contract in engine/index_backfill.h.
#include "engine/index_backfill.h"

#include "common/log.h"
#include "engine/index_maintenance.h"
#include "engine/storage_keys.h"
#include "engine/stored_item.h"
#include "model/item_size.h"

namespace fdyno::engine {

namespace {

const IndexDefinition* findByNumber(const TableDefinition& def, uint16_t number) {
  for (const auto* list : {&def.global_indexes, &def.local_indexes}) {
    for (const auto& index : *list) {
      if (index.number == number) return &index;
    }
  }
  return nullptr;
}

// A table's definition as of `txn`, or nullptr if the job's table is gone
// (dropped, or re-created under the same name with a new id).
Result<TableRef> jobTable(Catalog& catalog, kv::Transaction& txn, const IndexBuilder::Job& job) {
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog.load(txn, job.table));
  if (!t || t->def.id != job.table_id) return TableRef{};
  return t;
}

}  // namespace

IndexBuilder::IndexBuilder(kv::Store& store, Catalog& catalog) : store_(store), catalog_(catalog) {}

IndexBuilder::~IndexBuilder() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void IndexBuilder::enqueue(Job job) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(job));
    if (!worker_.joinable()) worker_ = std::thread([this] { loop(); });
  }
  cv_.notify_all();
}

void IndexBuilder::waitIdle() {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait(lk, [&] { return stopping_ || (queue_.empty() && !running_job_); });
}

void IndexBuilder::resume() {
  // Table definitions live under 01 'm' <id>; scan them all once.
  auto txn = store_.begin();
  std::string begin{keys::kSystemSpace, keys::kTableMetaPrefix};
  std::string end{keys::kSystemSpace, static_cast<char>(keys::kTableMetaPrefix + 1)};
  // In pages, so that no single getRange holds the memory store's lock for
  // the whole catalog.
  kv::RangeOptions opts;
  opts.limit = 256;
  for (;;) {
    auto range = txn->getRange(begin, end, opts, /*snapshot=*/true);
    if (!range.ok()) {
      log::warn("index builder: cannot list tables: " + range.status().toString());
      return;
    }
    for (const auto& kv : range->pairs) {
      auto def = decodeTableDefinition(kv.value);
      if (!def.ok()) continue;
      for (const auto* list : {&def->global_indexes, &def->local_indexes}) {
        for (const auto& index : *list) {
          if (index.status == IndexStatus::kCreating) {
            enqueue({JobKind::kBackfill, def->name, def->id, index.number});
          } else if (index.status == IndexStatus::kDeleting) {
            enqueue({JobKind::kDrop, def->name, def->id, index.number});
          }
        }
      }
    }
    if (!range->more || range->pairs.empty()) break;
    begin = range->pairs.back().key;
    begin.push_back('\0');  // first key after the last one read
  }
}

void IndexBuilder::loop() {
  std::unique_lock<std::mutex> lk(mu_);
  while (true) {
    cv_.wait(lk, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Job job = std::move(queue_.front());
    queue_.pop_front();
    running_job_ = true;
    lk.unlock();
    Status st = run(job);
    if (!st.ok()) {
      // The index stays CREATING/DELETING; the next start resumes it.
      log::warn("index builder: job on table " + job.table + " index " + std::to_string(job.index_number) +
                " failed: " + st.toString());
    }
    lk.lock();
    running_job_ = false;
    cv_.notify_all();
  }
}

Status IndexBuilder::run(const Job& job) {
  return job.kind == JobKind::kBackfill ? backfill(job) : drop(job);
}

Status IndexBuilder::backfill(const Job& job) {
  std::string cursor = keys::itemsBegin(job.table_id);
  const std::string end = keys::itemsEnd(job.table_id);
  bool done = false;
  bool gone = false;
  while (!done && !gone) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (stopping_) return Status::OK();  // resumed at the next start
    }
    std::string next;
    Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
      FDYNO_ASSIGN_OR_RETURN(TableRef t, jobTable(catalog_, txn, job));
      const IndexDefinition* index = t ? findByNumber(t->def, job.index_number) : nullptr;
      if (!index || index->status != IndexStatus::kCreating) {
        gone = true;
        return Status::OK();
      }
      kv::RangeOptions opts;
      opts.limit = kBackfillChunk;
      // Non-snapshot: a concurrent write of any of these items conflicts
      // with this chunk, which then retries and sees the write.
      FDYNO_ASSIGN_OR_RETURN(auto range, txn.getRange(cursor, end, opts));
      std::string entry_key, value;
      for (const auto& kv : range.pairs) {
        model::Item item;
        size_t item_size = 0;
        // An item that does not decode cannot be indexed: reported and
        // skipped, so the index still becomes ACTIVE (stored_item.h).
        if (!decodeStoredItemOrSkip(kv.value, "index backfill", &item, &item_size)) continue;
        // Items whose index key is missing, mistyped, empty or too long were
        // legal before the index existed; they are simply not indexed.
        if (!indexEntryKey(t->def, *index, item, entry_key)) continue;
        if (!indexKeyWithinLimits(*index, item)) continue;
        FDYNO_ASSIGN_OR_RETURN(auto existing, txn.get(entry_key));
        if (existing) continue;  // a writer indexed it already
        size_t proj = encodeIndexEntryValue(t->def, *index, item, item_size, value);
        txn.set(entry_key, value);
        txn.atomicAdd(indexItemCountKey(job.table_id, index->number), 1);
        txn.atomicAdd(indexSizeBytesKey(job.table_id, index->number), static_cast<int64_t>(proj));
      }
      done = !range.more || range.pairs.empty();
      if (!range.pairs.empty()) {
        next = range.pairs.back().key;
        next.push_back('\0');  // first key after the last one read
      }
      return Status::OK();
    });
    if (st.code() == StatusCode::kConflict) continue;  // retry the same chunk
    FDYNO_RETURN_IF_ERROR(st);
    if (!next.empty()) cursor = std::move(next);
  }
  if (gone) return Status::OK();
  // Every item is indexed: the index becomes ACTIVE.
  TableRef updated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    updated.reset();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, jobTable(catalog_, txn, job));
    if (!t) return Status::OK();
    TableDefinition def = t->def;
    for (auto& index : def.global_indexes) {
      if (index.number == job.index_number && index.status == IndexStatus::kCreating) {
        index.status = IndexStatus::kActive;
        def.generation += 1;
        Catalog::store(txn, def);
        updated = std::make_shared<const TableInfo>(std::move(def));
        return Status::OK();
      }
    }
    return Status::OK();
  });
  FDYNO_RETURN_IF_ERROR(st);
  if (updated) catalog_.remember(updated);
  return Status::OK();
}

Status IndexBuilder::drop(const Job& job) {
  TableRef updated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    updated.reset();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, jobTable(catalog_, txn, job));
    if (!t) return Status::OK();
    TableDefinition def = t->def;
    auto& list = def.global_indexes;
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (it->number != job.index_number || it->status != IndexStatus::kDeleting) continue;
      // Writers stopped maintaining the index when it became DELETING (that
      // change bumped the generation, so no writer with the old definition
      // can commit after it), so nothing adds entries any more.
      // TODO(big indexes): clear in bounded chunks first.
      txn.clearRange(indexEntriesPrefix(def.id, job.index_number), indexEntriesEnd(def.id, job.index_number));
      txn.clear(indexItemCountKey(def.id, job.index_number));
      txn.clear(indexSizeBytesKey(def.id, job.index_number));
      list.erase(it);
      def.generation += 1;
      Catalog::store(txn, def);
      updated = std::make_shared<const TableInfo>(std::move(def));
      return Status::OK();
    }
    return Status::OK();
  });
  FDYNO_RETURN_IF_ERROR(st);
  if (updated) catalog_.remember(updated);
  return Status::OK();
}

}  // namespace fdyno::engine

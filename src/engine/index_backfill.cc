// IndexBuilder: GSI backfill and index drop in the background.
// Contract in engine/index_backfill.h.
#include "engine/index_backfill.h"

#include <algorithm>
#include <chrono>

#include "common/log.h"
#include "engine/index_maintenance.h"
#include "engine/storage_keys.h"
#include "engine/stored_item.h"
#include "model/item_size.h"

namespace fdyno::engine {

namespace {

// Job markers (docs/storage-layout.md, "Index jobs"). Kinds are on disk.
constexpr char kJobPrefix = 'j';
constexpr uint8_t kJobBackfill = 1;
constexpr uint8_t kJobDrop = 2;

std::string jobKey(uint64_t table_id, uint16_t index_no) {
  std::string k{keys::kSystemSpace, kJobPrefix};
  keys::appendU64BE(k, table_id);
  k.push_back(static_cast<char>(index_no >> 8));
  k.push_back(static_cast<char>(index_no & 0xff));
  return k;
}

uint8_t kindByte(IndexBuilder::JobKind kind) { return kind == IndexBuilder::JobKind::kBackfill ? kJobBackfill : kJobDrop; }

// Clears the job's marker, unless a later UpdateTable replaced it with a job
// of the other kind (a CREATING index deleted before its backfill ended).
Status clearJob(kv::Transaction& txn, const IndexBuilder::Job& job) {
  const std::string key = jobKey(job.table_id, job.index_number);
  FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
  if (raw && !raw->empty() && static_cast<uint8_t>((*raw)[0]) == kindByte(job.kind)) txn.clear(key);
  return Status::OK();
}

std::string leaseName(const IndexBuilder::Job& job) {
  return std::string(job.kind == IndexBuilder::JobKind::kBackfill ? "index-backfill/" : "index-drop/") +
         std::to_string(job.table_id) + "/" + std::to_string(job.index_number);
}

int64_t steadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

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

IndexBuilder::IndexBuilder(kv::Store& store, Catalog& catalog, LeaseManager& leases)
    : store_(store), catalog_(catalog), leases_(leases) {}

void IndexBuilder::recordJob(kv::Transaction& txn, const Job& job) {
  std::string v(1, static_cast<char>(kindByte(job.kind)));
  v.append(job.table);
  txn.set(jobKey(job.table_id, job.index_number), v);
}

IndexBuilder::~IndexBuilder() { stop(); }

void IndexBuilder::stop() {
  {
    MutexLock lk(mu_);
    stopping_ = true;
  }
  cv_.notifyAll();
  if (worker_.joinable()) worker_.join();
}

void IndexBuilder::enqueue(Job job) {
  {
    MutexLock lk(mu_);
    if (stopping_) return;
    if (!pending_.insert({job.table_id, job.index_number, job.kind}).second) return;
    queue_.push_back(std::move(job));
    if (!worker_.joinable()) worker_ = std::thread([this] { loop(); });
  }
  cv_.notifyAll();
}

void IndexBuilder::pollMarkers() {
  auto txn = store_.begin();
  std::string begin{keys::kSystemSpace, kJobPrefix};
  const std::string end{keys::kSystemSpace, static_cast<char>(kJobPrefix + 1)};
  kv::RangeOptions opts;
  opts.limit = 256;
  for (;;) {
    auto range = txn->getRange(begin, end, opts, /*snapshot=*/true);
    if (!range.ok()) {
      log::warn("index builder: cannot list index jobs: " + range.status().toString());
      return;
    }
    for (const auto& kv : range->pairs) {
      // 01 'j' <u64 BE> <u16 BE> -> kind byte + table name.
      if (kv.key.size() != 2 + 8 + 2 || kv.value.empty()) continue;
      Job job;
      job.table_id = keys::readU64BE(std::string_view(kv.key).substr(2, 8));
      job.index_number = static_cast<uint16_t>((static_cast<uint8_t>(kv.key[10]) << 8) |
                                               static_cast<uint8_t>(kv.key[11]));
      const auto kind = static_cast<uint8_t>(kv.value[0]);
      if (kind != kJobBackfill && kind != kJobDrop) continue;
      job.kind = kind == kJobBackfill ? JobKind::kBackfill : JobKind::kDrop;
      job.table = kv.value.substr(1);
      enqueue(std::move(job));
    }
    if (!range->more || range->pairs.empty()) break;
    begin = range->pairs.back().key;
    begin.push_back('\0');
  }
}

void IndexBuilder::waitIdle() {
  MutexLock lk(mu_);
  while (!stopping_ && (!queue_.empty() || running_job_)) cv_.wait(mu_);
}

void IndexBuilder::resume() {
  {
    MutexLock lk(mu_);
    if (stopping_) return;
    if (!worker_.joinable()) worker_ = std::thread([this] { loop(); });
  }
  pollMarkers();
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
  // Other servers' jobs (and this server's, when a poll found them before
  // their holder died) are found by polling the markers.
  const auto poll = std::chrono::milliseconds(std::clamp<int64_t>(leases_.duration().count() / 2, 50, 5000));
  MutexLock lk(mu_);
  while (true) {
    const auto deadline = std::chrono::steady_clock::now() + poll;
    while (!stopping_ && queue_.empty() && cv_.waitUntil(mu_, deadline)) {
    }
    if (!stopping_ && queue_.empty()) {
      lk.unlock();
      pollMarkers();
      lk.lock();
      continue;
    }
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
    pending_.erase({job.table_id, job.index_number, job.kind});
    cv_.notifyAll();
  }
}

Status IndexBuilder::run(const Job& job) {
  FDYNO_ASSIGN_OR_RETURN(bool held, leases_.tryAcquire(leaseName(job)));
  if (!held) return Status::OK();  // another live server runs it
  return job.kind == JobKind::kBackfill ? backfill(job) : drop(job);
}

Status IndexBuilder::finish(const Job& job) {
  // The job's table or index is gone (or in another state): nothing to do
  // but forget the job.
  return kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    FDYNO_RETURN_IF_ERROR(clearJob(txn, job));
    return leases_.release(txn, leaseName(job));
  });
}

Status IndexBuilder::backfill(const Job& job) {
  std::string cursor = keys::itemsBegin(job.table_id);
  const std::string end = keys::itemsEnd(job.table_id);
  bool done = false;
  bool gone = false;
  const std::string lease = leaseName(job);
  int64_t renewed_at = steadyMillis();
  while (!done && !gone) {
    {
      MutexLock lk(mu_);
      if (stopping_) return Status::OK();  // resumed at the next start
    }
    // Renew well before expiry; a lost lease (this server stalled past it
    // and another took over) ends this run: the other one finishes.
    if (steadyMillis() - renewed_at > leases_.duration().count() / 3) {
      FDYNO_ASSIGN_OR_RETURN(bool held, leases_.tryAcquire(lease));
      if (!held) return Status::OK();
      renewed_at = steadyMillis();
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
  if (gone) return finish(job);
  // Every item is indexed: the index becomes ACTIVE, and the job ends.
  TableRef updated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    updated.reset();
    FDYNO_RETURN_IF_ERROR(clearJob(txn, job));
    FDYNO_RETURN_IF_ERROR(leases_.release(txn, lease));
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
    FDYNO_RETURN_IF_ERROR(clearJob(txn, job));
    FDYNO_RETURN_IF_ERROR(leases_.release(txn, leaseName(job)));
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

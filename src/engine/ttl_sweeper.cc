// TtlSweeper: background deletion of expired items. Contract in
// engine/ttl_sweeper.h.
#include "engine/ttl_sweeper.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/log.h"
#include "engine/database.h"
#include "engine/item_mutation.h"
#include "engine/storage_keys.h"
#include "engine/stored_item.h"
#include "engine/ttl.h"

namespace fdyno::engine {

namespace {

constexpr size_t kCatalogScanPage = 256;

// Names of every table, read in one snapshot, in pages so that no single
// getRange holds the memory store's lock for the whole catalog.
Result<std::vector<std::string>> allTableNames(kv::Store& store) {
  auto txn = store.begin();
  std::string begin = keys::tableNamesBegin();
  const std::string end = keys::tableNamesEnd();
  kv::RangeOptions opts;
  opts.limit = kCatalogScanPage;
  std::vector<std::string> names;
  for (;;) {
    FDYNO_ASSIGN_OR_RETURN(auto range, txn->getRange(begin, end, opts, /*snapshot=*/true));
    for (const auto& kv : range.pairs) names.emplace_back(keys::tableNameFromKey(kv.key));
    if (!range.more || range.pairs.empty()) break;
    begin = range.pairs.back().key;
    begin.push_back('\0');  // first key after the last one read
  }
  return names;
}

// Deletes those of `candidates` (full item keys) that are still expired, in
// one transaction. Returns how many were deleted.
Result<size_t> deleteExpired(kv::Store& store, Catalog& catalog, std::string_view name, uint64_t table_id,
                             const std::vector<std::string>& candidates, int64_t now) {
  size_t deleted = 0;
  Status st = kv::runTransaction(store, [&](kv::Transaction& txn) -> Status {
    deleted = 0;
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog.resolve(txn, name));
    // Dropped, re-created (new id) or TTL switched off meanwhile: keep all.
    if (!t || t->def.id != table_id || t->def.ttl_attribute.empty()) return Status::OK();
    for (const auto& key : candidates) {
      FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
      if (!raw) continue;
      StoredItem old(std::move(raw));
      FDYNO_ASSIGN_OR_RETURN(const model::Item* item, old.item());
      if (!isExpired(*item, t->def.ttl_attribute, now)) continue;
      WritePlan plan;
      plan.op = WriteOp::kDelete;
      plan.ttl_delete = true;  // stream record: userIdentity Service
      FDYNO_RETURN_IF_ERROR(applyItemMutation(txn, *t, key, old, plan, nullptr,
                                              // A deletion never grows a collection.
                                              kItemCollectionLimitBytes));
      ++deleted;
    }
    return Status::OK();
  });
  if (!st.ok()) return st;
  return deleted;
}

}  // namespace

TtlSweeper::TtlSweeper(kv::Store& store, Catalog& catalog, LeaseManager& leases,
                       std::chrono::milliseconds interval)
    : store_(store), catalog_(catalog), leases_(leases), interval_(interval) {}

TtlSweeper::~TtlSweeper() {
  {
    MutexLock lk(mu_);
    stopping_ = true;
  }
  cv_.notifyAll();
  if (worker_.joinable()) worker_.join();
}

void TtlSweeper::start() {
  if (interval_.count() <= 0) return;
  MutexLock lk(mu_);
  if (!worker_.joinable() && !stopping_) worker_ = std::thread([this] { loop(); });
}

void TtlSweeper::wake() {
  {
    MutexLock lk(mu_);
    woken_ = true;
  }
  cv_.notifyAll();
}

bool TtlSweeper::stopping() const {
  MutexLock lk(mu_);
  return stopping_;
}

void TtlSweeper::loop() {
  for (;;) {
    {
      MutexLock lk(mu_);
      const auto deadline = std::chrono::steady_clock::now() + interval_;
      while (!stopping_ && !woken_ && cv_.waitUntil(mu_, deadline)) {
      }
      if (stopping_) break;
      woken_ = false;
    }
    auto r = sweepAll(ttlNowSeconds(), /*leased=*/true);
    if (!r.ok()) {
      log::warn("ttl sweep failed (retried next interval): " + r.status().toString());
    } else if (*r > 0) {
      log::debug("ttl sweep deleted " + std::to_string(*r) + " expired item(s)");
    }
  }
  releaseLeases();
}

void TtlSweeper::releaseLeases() {
  std::set<std::string> names;
  {
    MutexLock lk(mu_);
    names.swap(held_);
  }
  if (names.empty()) return;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    for (const auto& name : names) FDYNO_RETURN_IF_ERROR(leases_.release(txn, name));
    return Status::OK();
  });
  // Not fatal: the leases then expire as a dead server's would.
  if (!st.ok()) log::debug("ttl: leases not released at stop: " + st.toString());
}

Result<size_t> TtlSweeper::sweepAll(int64_t now, bool leased) {
  FDYNO_ASSIGN_OR_RETURN(auto names, allTableNames(store_));
  size_t deleted = 0;
  // Held across passes: a pass every interval renews it.
  const auto hold = std::max(leases_.duration(), 3 * interval_);
  for (const auto& name : names) {
    if (stopping()) break;
    if (leased) {
      uint64_t id = 0;
      {
        auto txn = store_.begin();
        FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(*txn, name));
        if (!t || t->def.ttl_attribute.empty()) continue;
        id = t->def.id;
      }
      std::string lease = "ttl/" + std::to_string(id);
      FDYNO_ASSIGN_OR_RETURN(bool held, leases_.tryAcquire(lease, hold));
      if (!held) continue;  // another server sweeps this table
      {
        MutexLock lk(mu_);
        held_.insert(std::move(lease));
      }
    }
    FDYNO_ASSIGN_OR_RETURN(size_t n, sweepTable(name, now));
    deleted += n;
  }
  return deleted;
}

Result<size_t> TtlSweeper::sweepTable(std::string_view name, int64_t now) {
  size_t deleted = 0;
  uint64_t table_id = 0;
  std::string begin;
  std::string end;
  for (bool first = true;; first = false) {
    if (stopping()) break;
    auto txn = store_.begin();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(*txn, name));
    if (!t || t->def.ttl_attribute.empty()) break;
    if (first) {
      table_id = t->def.id;
      begin = keys::itemsBegin(table_id);
      end = keys::itemsEnd(table_id);
    } else if (t->def.id != table_id) {
      break;  // dropped and re-created during the pass
    }
    kv::RangeOptions opts;
    opts.limit = kTtlScanChunk;
    FDYNO_ASSIGN_OR_RETURN(auto range, txn->getRange(begin, end, opts, /*snapshot=*/true));
    std::vector<std::string> candidates;
    for (const auto& kv : range.pairs) {
      model::Item item;
      size_t size = 0;
      // An item that does not decode has no readable TTL: reported, kept.
      if (!decodeStoredItemOrSkip(kv.value, "TTL sweep", &item, &size)) continue;
      if (isExpired(item, t->def.ttl_attribute, now)) candidates.push_back(kv.key);
    }
    if (!range.pairs.empty()) {
      begin = range.pairs.back().key;
      begin.push_back('\0');  // first key after the last one read
    }
    // End the read before the write commit: a live read transaction pins its
    // read version (and the memory store's history) while deleteExpired
    // waits on its commit.
    txn.reset();
    if (!candidates.empty()) {
      FDYNO_ASSIGN_OR_RETURN(size_t n, deleteExpired(store_, catalog_, name, table_id, candidates, now));
      deleted += n;
    }
    if (!range.more) break;
  }
  return deleted;
}

}  // namespace fdyno::engine

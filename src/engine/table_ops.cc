// Database: control-plane operations (CreateTable, DescribeTable, ListTables,
// DeleteTable, UpdateTable). See engine/database.h for the contract.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "engine/database.h"
#include "engine/index_backfill.h"
#include "engine/index_maintenance.h"
#include "engine/lease.h"
#include "engine/storage_keys.h"
#include "engine/streams.h"
#include "engine/tags.h"
#include "engine/ttl.h"
#include "engine/ttl_sweeper.h"

namespace fdyno::engine {

namespace {

double nowSeconds() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return static_cast<double>(ms) / 1000.0;
}

std::string newUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

// DynamoDB's stream label: the ISO 8601 time the stream was enabled.
std::string streamLabel(double t) {
  auto secs = static_cast<time_t>(t);
  int ms = static_cast<int>(std::lround((t - static_cast<double>(secs)) * 1000)) % 1000;
  std::tm tm;
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

int64_t decodeCounter(const std::optional<std::string>& v) {
  if (!v || v->size() != 8) return 0;
  uint64_t x = 0;
  for (int i = 7; i >= 0; --i) x = (x << 8) | static_cast<uint8_t>((*v)[i]);
  return static_cast<int64_t>(x);
}

// GlobalSecondaryIndexUpdates against the stored definition. The api layer
// has checked the request alone (one create/delete, attribute definitions
// for the new keys, projections) and, on a snapshot, most of these; they
// are checked again here, inside the transaction, because the definition
// may have changed since.
Status applyIndexUpdates(TableDefinition& def, const TableUpdate& u, BillingMode target) {
  bool busy = false;
  for (const auto& index : def.global_indexes) {
    busy = busy || index.status == IndexStatus::kCreating || index.status == IndexStatus::kDeleting;
  }
  if ((u.create_index || u.delete_index) && busy) {
    // LimitExceededException in the api layer's pre-check; here only on a race.
    return Status::InvalidArgument(ErrorReason::kOneIndexChangeAtATime);
  }
  for (const auto& [name, tp] : u.index_throughput) {
    IndexDefinition* found = nullptr;
    for (auto& index : def.global_indexes) {
      if (index.name == name) found = &index;
    }
    if (!found) return Status::NotFound(ErrorReason::kIndexNotFound, {name});
    if (target == BillingMode::kProvisioned) found->throughput = tp;
  }
  if (u.delete_index) {
    IndexDefinition* found = nullptr;
    for (auto& index : def.global_indexes) {
      if (index.name == *u.delete_index) found = &index;
    }
    if (!found) return Status::NotFound(ErrorReason::kIndexNotFound, {*u.delete_index});
    found->status = IndexStatus::kDeleting;
  }
  if (u.create_index) {
    if (def.findIndex(u.create_index->name)) {
      return Status::InvalidArgument(ErrorReason::kIndexAlreadyExists);
    }
    // A key attribute keeps its type: the table's and other indexes' key
    // attributes are defined already.
    for (const auto& ad : u.attribute_definitions) {
      for (auto& existing : def.attribute_definitions) {
        if (existing.name == ad.name && existing.type != ad.type) {
          return Status::InvalidArgument(ErrorReason::kAttributeRedefined, {ad.name});
        }
      }
    }
    if (def.global_indexes.size() >= kMaxGlobalIndexes) {
      return Status::InvalidArgument(ErrorReason::kTooManyGlobalIndexes, {std::to_string(kMaxGlobalIndexes)});
    }
    if (def.last_index_number == 0xFFFF) return Status::InvalidArgument(ErrorReason::kTooManyIndexesCreated);
    for (const auto& ad : u.attribute_definitions) {
      bool known = false;
      for (const auto& existing : def.attribute_definitions) known = known || existing.name == ad.name;
      if (!known) def.attribute_definitions.push_back(ad);
    }
    IndexDefinition index = *u.create_index;
    index.kind = IndexKind::kGlobal;
    // Numbers are never reused (docs/storage-layout.md).
    index.number = ++def.last_index_number;
    index.status = IndexStatus::kCreating;
    if (target == BillingMode::kPayPerRequest) index.throughput = {};
    def.global_indexes.push_back(std::move(index));
  }
  return Status::OK();
}

}  // namespace

std::string_view tableStatusName(TableStatus s) {
  switch (s) {
    case TableStatus::kCreating: return "CREATING";
    case TableStatus::kActive: return "ACTIVE";
    case TableStatus::kUpdating: return "UPDATING";
    case TableStatus::kDeleting: return "DELETING";
  }
  return "ACTIVE";
}

Database::Database(kv::Store& store, DatabaseOptions opts)
    : store_(store),
      opts_(std::move(opts)),
      leases_(std::make_unique<LeaseManager>(store_, std::chrono::milliseconds(opts_.lease_ms))),
      index_builder_(std::make_unique<IndexBuilder>(store_, catalog_, *leases_)),
      ttl_sweeper_(std::make_unique<TtlSweeper>(store_, catalog_, *leases_,
                                                std::chrono::milliseconds(opts_.ttl_interval_ms))) {
  // Backfills and drops interrupted by a shutdown or crash go on now.
  index_builder_->resume();
  ttl_sweeper_->start();
}

Database::~Database() = default;


Status Database::readCounters(kv::Transaction& txn, const TableInfo& t, TableDescription* out) {
  // Snapshot reads: counters change with every write and must not make a
  // control-plane transaction conflict with item writers.
  FDYNO_ASSIGN_OR_RETURN(auto count, txn.get(t.item_count_key, /*snapshot=*/true));
  FDYNO_ASSIGN_OR_RETURN(auto size, txn.get(t.size_bytes_key, /*snapshot=*/true));
  out->item_count = std::max<int64_t>(0, decodeCounter(count));
  out->size_bytes = std::max<int64_t>(0, decodeCounter(size));
  out->index_counters.clear();
  for (const auto* list : {&t.def.global_indexes, &t.def.local_indexes}) {
    for (const auto& index : *list) {
      FDYNO_ASSIGN_OR_RETURN(auto ic, txn.get(indexItemCountKey(t.def.id, index.number), /*snapshot=*/true));
      FDYNO_ASSIGN_OR_RETURN(auto is, txn.get(indexSizeBytesKey(t.def.id, index.number), /*snapshot=*/true));
      out->index_counters.push_back(
          {index.number, std::max<int64_t>(0, decodeCounter(ic)), std::max<int64_t>(0, decodeCounter(is))});
    }
  }
  return Status::OK();
}

Result<TableDescription> Database::createTable(TableDefinition def) {
  // Tags (checked by the api layer, api/tag_rules.h) are stored under the
  // table's key range, not in the definition (engine/tags.h).
  std::vector<Tag> tags = std::move(def.tags);
  def.tags.clear();
  double now = nowSeconds();
  def.table_uuid = newUuid();
  def.creation_time = now;
  def.billing_mode_updated_at = now;
  def.generation = 1;
  if (def.billing_mode == BillingMode::kPayPerRequest) def.throughput = {};
  if (def.stream.enabled) def.stream_label = streamLabel(now);
  // Index numbers prefix index entries (docs/storage-layout.md); GSIs first,
  // then LSIs, in request order. Indexes created with the table need no
  // backfill, so they are ACTIVE at once.
  def.last_index_number = 0;
  for (auto* list : {&def.global_indexes, &def.local_indexes}) {
    for (auto& index : *list) {
      index.number = ++def.last_index_number;
      index.status = IndexStatus::kActive;
      if (def.billing_mode == BillingMode::kPayPerRequest) index.throughput = {};
    }
  }

  TableRef created;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    FDYNO_ASSIGN_OR_RETURN(auto existing, txn.get(keys::tableNameKey(def.name)));
    if (existing) return Status::AlreadyExists(ErrorReason::kTableAlreadyExists, {def.name});
    // Table ids come from a counter in the store so that processes sharing
    // the store never hand out the same id; concurrent creates conflict here
    // and retry, which is fine for a control-plane operation.
    FDYNO_ASSIGN_OR_RETURN(auto last, txn.get(keys::nextTableIdKey()));
    uint64_t id = (last ? keys::readU64BE(*last) : 0) + 1;
    std::string next;
    keys::appendU64BE(next, id);
    txn.set(keys::nextTableIdKey(), next);
    def.id = id;
    Catalog::store(txn, def);
    recordStreamChange(txn, id, StreamSpec{}, {}, def.stream, def.stream_label, now);
    for (const auto& tag : tags) txn.set(keys::tagKey(id, tag.key), tag.value);
    return Status::OK();
  });
  if (!st.ok()) return st;
  created = std::make_shared<const TableInfo>(std::move(def));
  catalog_.remember(created);
  TableDescription d;
  d.table = std::move(created);
  d.status = TableStatus::kCreating;
  return d;
}

Result<TableDescription> Database::describeTable(std::string_view name) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(*txn, name));
  if (!t) return tableNotFound(name);
  TableDescription d;
  d.table = std::move(t);
  d.status = TableStatus::kActive;
  FDYNO_RETURN_IF_ERROR(readCounters(*txn, *d.table, &d));
  return d;
}

Result<ListTablesResult> Database::listTables(std::string_view exclusive_start, size_t limit) {
  auto txn = store_.begin();
  std::string begin = keys::tableNamesBegin();
  if (!exclusive_start.empty()) {
    begin = keys::tableNameKey(exclusive_start);
    begin.push_back('\0');  // first key strictly after the start name
  }
  kv::RangeOptions opts;
  opts.limit = limit;
  FDYNO_ASSIGN_OR_RETURN(auto range, txn->getRange(begin, keys::tableNamesEnd(), opts, /*snapshot=*/true));
  ListTablesResult out;
  out.names.reserve(range.pairs.size());
  for (const auto& kv : range.pairs) out.names.emplace_back(keys::tableNameFromKey(kv.key));
  if (range.more && !out.names.empty()) out.last_evaluated = out.names.back();
  return out;
}

Result<TableDescription> Database::deleteTable(std::string_view name) {
  TableDescription d;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, name));
    if (!t) return tableNotFound(name);
    if (t->def.deletion_protection) {
      return Status::InvalidArgument(ErrorReason::kDeletionProtected);
    }
    d = TableDescription{};
    d.table = t;
    d.status = TableStatus::kDeleting;
    FDYNO_RETURN_IF_ERROR(readCounters(txn, *t, &d));
    Catalog::erase(txn, t->def);
    // TODO(big tables): clear in the background in bounded chunks; one
    // clearRange is fine for the memory and RocksDB backends. The range
    // holds the table's tags too (engine/tags.h), so they go with it.
    txn.clearRange(keys::tableBegin(t->def.id), keys::tableEnd(t->def.id));
    return Status::OK();
  });
  if (!st.ok()) return st;
  catalog_.forget(name);
  return d;
}

Result<TableDescription> Database::updateTable(std::string_view name, const TableUpdate& u) {
  TableDescription d;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, name));
    if (!t) return tableNotFound(name);
    TableDefinition def = t->def;
    double now = nowSeconds();
    bool becomes_updating = false;
    BillingMode target = u.billing_mode.value_or(def.billing_mode);
    if (u.throughput && target == BillingMode::kPayPerRequest) {
      return Status::InvalidArgument(ErrorReason::kThroughputWithPayPerRequest);
    }
    if (u.throughput && def.billing_mode == BillingMode::kProvisioned && target == BillingMode::kProvisioned &&
        u.throughput->read == def.throughput.read && u.throughput->write == def.throughput.write) {
      return Status::InvalidArgument(ErrorReason::kThroughputUnchanged,
                                     {std::to_string(def.throughput.read), std::to_string(u.throughput->read),
                                      std::to_string(def.throughput.write), std::to_string(u.throughput->write)});
    }
    if (target == BillingMode::kProvisioned && def.billing_mode == BillingMode::kPayPerRequest && !u.throughput) {
      return Status::InvalidArgument(ErrorReason::kThroughputRequired);
    }
    // Switching to PROVISIONED needs a throughput for every GSI, given in
    // GlobalSecondaryIndexUpdates (Update).
    if (target == BillingMode::kProvisioned && def.billing_mode == BillingMode::kPayPerRequest) {
      for (const auto& index : def.global_indexes) {
        bool given = false;
        for (const auto& [n, tp] : u.index_throughput) given = given || n == index.name;
        if (!given) {
          return Status::InvalidArgument(ErrorReason::kIndexThroughputRequired, {index.name});
        }
      }
    }
    FDYNO_RETURN_IF_ERROR(applyIndexUpdates(def, u, target));
    if (u.create_index || u.delete_index || !u.index_throughput.empty()) becomes_updating = true;
    if (u.stream) {
      // DynamoDB refuses no-op stream changes, and changing the view type of
      // an enabled stream (disable it first).
      if (u.stream->enabled && def.stream.enabled) {
        return Status::InvalidArgument(ErrorReason::kStreamAlreadyEnabled, {def.name});
      }
      if (!u.stream->enabled && !def.stream.enabled) {
        return Status::InvalidArgument(ErrorReason::kNoStreamToDisable, {def.name});
      }
    }
    if (u.billing_mode) {
      def.billing_mode_explicit = true;
      if (*u.billing_mode != def.billing_mode) {
        def.billing_mode = *u.billing_mode;
        def.billing_mode_updated_at = now;
        if (def.billing_mode == BillingMode::kPayPerRequest) {
          def.throughput = {};
          for (auto& index : def.global_indexes) index.throughput = {};
        }
        becomes_updating = true;
      }
    }
    if (u.throughput) {
      if (u.throughput->read > def.throughput.read || u.throughput->write > def.throughput.write) {
        def.last_increase_at = now;
      }
      if (u.throughput->read < def.throughput.read || u.throughput->write < def.throughput.write) {
        def.last_decrease_at = now;
        def.decreases_today += 1;
      }
      def.throughput = *u.throughput;
      becomes_updating = true;
    }
    if (u.deletion_protection) def.deletion_protection = *u.deletion_protection;
    if (u.table_class) {
      becomes_updating = becomes_updating || *u.table_class != def.table_class;
      def.table_class = *u.table_class;
      def.table_class_explicit = true;
    }
    if (u.stream) {
      // A new stream gets a new label; disabling keeps the old label, which
      // DescribeTable goes on showing as LatestStreamLabel/LatestStreamArn.
      const StreamSpec before = def.stream;
      const std::string before_label = def.stream_label;
      if (u.stream->enabled) def.stream_label = newerStreamLabel(streamLabel(now), before_label);
      def.stream = *u.stream;
      // Per-stream metadata: a disabled stream stays readable for 24 h.
      recordStreamChange(txn, def.id, before, before_label, def.stream, def.stream_label, now);
      becomes_updating = true;  // DynamoDB answers UPDATING for stream changes too
    }
    if (u.sse) def.sse = *u.sse;
    def.generation += 1;
    Catalog::store(txn, def);
    // The index work is recorded with the definition, so that any server of
    // a cluster can do it (and take it over) if this one dies first.
    if (u.create_index) {
      if (const IndexDefinition* index = def.findIndex(u.create_index->name)) {
        IndexBuilder::recordJob(txn, {IndexBuilder::JobKind::kBackfill, def.name, def.id, index->number});
      }
    }
    if (u.delete_index) {
      if (const IndexDefinition* index = def.findIndex(*u.delete_index)) {
        IndexBuilder::recordJob(txn, {IndexBuilder::JobKind::kDrop, def.name, def.id, index->number});
      }
    }
    d = TableDescription{};
    d.table = std::make_shared<const TableInfo>(std::move(def));
    d.status = becomes_updating ? TableStatus::kUpdating : TableStatus::kActive;
    return readCounters(txn, *d.table, &d);
  });
  if (!st.ok()) return st;
  catalog_.remember(d.table);
  // The index work starts once the new definition is committed: from then
  // on every writer maintains a CREATING index / ignores a DELETING one.
  const TableDefinition& committed = d.table->def;
  if (u.create_index) {
    if (const IndexDefinition* index = committed.findIndex(u.create_index->name)) {
      index_builder_->enqueue({IndexBuilder::JobKind::kBackfill, committed.name, committed.id, index->number});
    }
  }
  if (u.delete_index) {
    if (const IndexDefinition* index = committed.findIndex(*u.delete_index)) {
      index_builder_->enqueue({IndexBuilder::JobKind::kDrop, committed.name, committed.id, index->number});
    }
  }
  return d;
}

}  // namespace fdyno::engine

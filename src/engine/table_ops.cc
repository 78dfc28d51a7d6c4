// Database: control-plane operations (CreateTable, DescribeTable, ListTables,
// DeleteTable, UpdateTable). See engine/database.h for the contract.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "engine/database.h"
#include "engine/storage_keys.h"

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

std::string tableNotFound(std::string_view name) {
  std::string m = "Requested resource not found: Table: ";
  m.append(name).append(" not found");
  return m;
}

int64_t decodeCounter(const std::optional<std::string>& v) {
  if (!v || v->size() != 8) return 0;
  uint64_t x = 0;
  for (int i = 7; i >= 0; --i) x = (x << 8) | static_cast<uint8_t>((*v)[i]);
  return static_cast<int64_t>(x);
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

Database::Database(kv::Store& store, DatabaseOptions opts) : store_(store), opts_(std::move(opts)) {}

Status Database::readCounters(kv::Transaction& txn, const TableInfo& t, TableDescription* out) {
  // Snapshot reads: counters change with every write and must not make a
  // control-plane transaction conflict with item writers.
  FDYNO_ASSIGN_OR_RETURN(auto count, txn.get(t.item_count_key, /*snapshot=*/true));
  FDYNO_ASSIGN_OR_RETURN(auto size, txn.get(t.size_bytes_key, /*snapshot=*/true));
  out->item_count = std::max<int64_t>(0, decodeCounter(count));
  out->size_bytes = std::max<int64_t>(0, decodeCounter(size));
  return Status::OK();
}

Result<TableDescription> Database::createTable(TableDefinition def) {
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
    if (existing) return Status::AlreadyExists("Table already exists: " + def.name);
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
  if (!t) return Status::NotFound(tableNotFound(name));
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
    if (!t) return Status::NotFound(tableNotFound(name));
    if (t->def.deletion_protection) {
      return Status::InvalidArgument(
          "Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
          "protection first.");
    }
    d = TableDescription{};
    d.table = t;
    d.status = TableStatus::kDeleting;
    FDYNO_RETURN_IF_ERROR(readCounters(txn, *t, &d));
    Catalog::erase(txn, t->def);
    // TODO(big tables): clear in the background in bounded chunks; one
    // clearRange is fine for the memory and RocksDB backends.
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
    if (!t) return Status::NotFound(tableNotFound(name));
    TableDefinition def = t->def;
    double now = nowSeconds();
    bool becomes_updating = false;
    BillingMode target = u.billing_mode.value_or(def.billing_mode);
    if (u.throughput && target == BillingMode::kPayPerRequest) {
      return Status::InvalidArgument(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
          "specified when BillingMode is PAY_PER_REQUEST");
    }
    if (u.throughput && def.billing_mode == BillingMode::kProvisioned && target == BillingMode::kProvisioned &&
        u.throughput->read == def.throughput.read && u.throughput->write == def.throughput.write) {
      return Status::InvalidArgument(
          "The provisioned throughput for the table will not change. The requested value equals the current "
          "value. Current ReadCapacityUnits provisioned for the table: " +
          std::to_string(def.throughput.read) +
          ". Requested ReadCapacityUnits: " + std::to_string(u.throughput->read) +
          ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(def.throughput.write) +
          ". Requested WriteCapacityUnits: " + std::to_string(u.throughput->write) +
          ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
    }
    if (target == BillingMode::kProvisioned && def.billing_mode == BillingMode::kPayPerRequest && !u.throughput) {
      return Status::InvalidArgument(
          "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode "
          "is PROVISIONED");
    }
    // Switching to PROVISIONED needs a throughput for every GSI, given in
    // GlobalSecondaryIndexUpdates.
    // TODO(indexes): accept it there once GlobalSecondaryIndexUpdates exist.
    if (target == BillingMode::kProvisioned && def.billing_mode == BillingMode::kPayPerRequest &&
        !def.global_indexes.empty()) {
      return Status::InvalidArgument(
          "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " +
          def.global_indexes.front().name);
    }
    if (u.stream) {
      // DynamoDB refuses no-op stream changes, and changing the view type of
      // an enabled stream (disable it first).
      if (u.stream->enabled && def.stream.enabled) {
        return Status::InvalidArgument("Table already has an enabled stream: TableName: " + def.name);
      }
      if (!u.stream->enabled && !def.stream.enabled) {
        return Status::InvalidArgument("Table has no stream to disable: TableName: " + def.name);
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
      if (u.stream->enabled) def.stream_label = streamLabel(now);
      def.stream = *u.stream;
      becomes_updating = true;  // DynamoDB answers UPDATING for stream changes too
    }
    if (u.sse) def.sse = *u.sse;
    def.generation += 1;
    Catalog::store(txn, def);
    d = TableDescription{};
    d.table = std::make_shared<const TableInfo>(std::move(def));
    d.status = becomes_updating ? TableStatus::kUpdating : TableStatus::kActive;
    return readCounters(txn, *d.table, &d);
  });
  if (!st.ok()) return st;
  catalog_.remember(d.table);
  return d;
}

}  // namespace fdyno::engine

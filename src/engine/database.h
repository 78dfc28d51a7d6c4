// Database: fdyno's engine. Tables (a catalog in kv) and their items.
//
// Contract:
// - Does not own the kv::Store; the store must outlive the Database.
// - Thread safety: every method may be called from many threads at once.
//   Item operations take no process-wide lock: the catalog cache is read
//   under a shared lock and each operation is one kv transaction.
// - Several fdyno processes may share one store: every item operation
//   validates the cached table definition inside its own transaction (see
//   engine/catalog.h), so it never writes into a deleted or changed table.
// - Tables are usable as soon as createTable() returns (no CREATING phase in
//   practice; the CreateTable answer still says CREATING, like DynamoDB).
// - Errors: Status codes with typed reasons (common/status.h); src/api
//   (api/errors.h) maps them to DynamoDB's exceptions and owns every text:
//     kNotFound        ResourceNotFoundException (kTableNotFound,
//                      kItemTableNotFound, kIndexNotFound, kStreamNotFound),
//                      BackupNotFoundException / TableNotFoundException
//                      for the backup family (engine/backups.h)
//     kAlreadyExists   ResourceInUseException (kTableAlreadyExists)
//     kInvalidArgument ValidationException, or the exception its reason
//                      names (kConditionFailed, kItemCollectionTooLarge, ...)
//     kConflict        retried inside the engine (kv::runTransaction); in
//                      a TransactWriteItems, a TransactionConflict
//                      cancellation reason
//     others           InternalServerError (storage full and undecodable
//                      items with their own texts)
//   Names, key schemas etc. are validated by the api layer before they get
//   here; the engine checks what needs the stored state (key types against
//   the table schema, deletion protection, unchanged throughput...).
// - Every operation family is a group of members below, defined in its own
//   file (engine/<family>.cc) with its types and rules in engine/<family>.h.
// - Limits come in through DatabaseOptions (filled by the CLI); the engine
//   reads no environment variable.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/batch.h"
#include "engine/catalog.h"
#include "engine/item_collection.h"
#include "engine/item_key.h"
#include "engine/query_scan.h"
#include "engine/stored_item.h"
#include "engine/table_definition.h"
#include "engine/write_plan.h"
#include "kv/kv.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

struct DatabaseOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  // DynamoDB's 10 GB item collection limit (tables with LSIs); the CLI may
  // lower it (engine/item_collection.h), never raise it.
  int64_t item_collection_limit_bytes = kItemCollectionLimitBytes;
  // Time to Live: milliseconds between two passes of the background sweeper
  // (engine/ttl_sweeper.h); 0 = no background sweeping. The default keeps
  // expiry prompt (tests wait for it) on small data; see the sweeper's cost
  // note before raising data sizes. CLI: --ttl-interval-ms.
  int64_t ttl_interval_ms = 5000;
  // Background work shared by several servers on one store (GSI backfill,
  // index drops, TTL sweeping) runs under leases of this duration
  // (engine/lease.h): a dead server's work moves to another after at most
  // about this long. CLI: --lease-ms.
  int64_t lease_ms = 10000;
  // DescribeEndpoints' Address ("host:port" clients should use); empty =
  // "dynamodb.<region>.amazonaws.com". The CLI sets its --listen address.
  std::string endpoint_address;
};

enum class TableStatus { kCreating, kActive, kUpdating, kDeleting };
std::string_view tableStatusName(TableStatus s);

struct TableDescription {
  TableRef table;
  TableStatus status = TableStatus::kActive;
  int64_t item_count = 0;
  int64_t size_bytes = 0;
  // Per secondary index (engine/index_maintenance.h counters), any order.
  struct IndexCounters {
    uint16_t number = 0;
    int64_t item_count = 0;
    int64_t size_bytes = 0;
  };
  std::vector<IndexCounters> index_counters;
  // The counters of index `number` (zeros if unknown).
  IndexCounters indexCounters(uint16_t number) const {
    for (const auto& c : index_counters) {
      if (c.number == number) return c;
    }
    return IndexCounters{number, 0, 0};
  }
};

struct ListTablesResult {
  std::vector<std::string> names;
  std::optional<std::string> last_evaluated;  // set when more names follow
};

// UpdateTable: absent fields stay as they are.
struct TableUpdate {
  std::optional<BillingMode> billing_mode;
  std::optional<Throughput> throughput;
  std::optional<bool> deletion_protection;
  std::optional<TableClass> table_class;
  std::optional<StreamSpec> stream;
  std::optional<SseSpec> sse;
  // GlobalSecondaryIndexUpdates (validated by the api layer; at most one
  // create or delete). create_index: name, keys, projection, throughput;
  // the engine assigns its number and status CREATING and starts the
  // backfill (engine/index_backfill.h). attribute_definitions: the
  // request's, merged into the table's (new names appended).
  std::optional<IndexDefinition> create_index;
  std::vector<AttributeDefinition> attribute_definitions;
  // The GSI to delete: DELETING, then its entries are cleared in the background.
  std::optional<std::string> delete_index;
  // GSI Update: new provisioned throughput per index name.
  std::vector<std::pair<std::string, Throughput>> index_throughput;
};

struct ReadResult {
  TableRef table;
  std::optional<model::Item> item;
  size_t size = 0;  // DynamoDB size of the item read, 0 if none
};

// TransactGetItems / TransactWriteItems (engine/transact.h).
struct TransactGetAction;
struct TransactGetOutcome;
struct TransactWriteRequest;
struct TransactWriteOutcome;

// DynamoDB Streams (engine/streams.h).
struct ListStreamsResult;
struct StreamInfo;
struct StreamReadResult;

// On-demand backups and the point-in-time recovery flag (engine/backups.h).
struct BackupInfo;
struct ListBackupsResult;
struct PitrState;

class IndexBuilder;  // engine/index_backfill.h
class LeaseManager;  // engine/lease.h
class TtlSweeper;    // engine/ttl_sweeper.h
struct TtlDescription;  // engine/ttl.h

class Database {
 public:
  Database(kv::Store& store, DatabaseOptions opts);
  // Stops the index builder (a running backfill resumes at the next start).
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const DatabaseOptions& options() const { return opts_; }

  // --- control plane (engine/table_ops.cc) ---
  // `def` carries the client's choices; id, generation, uuid and times are
  // assigned here. kAlreadyExists kTableAlreadyExists. The other table
  // operations: kNotFound kTableNotFound, and kInvalidArgument with the
  // reasons of the rule they break (common/status.h).
  [[nodiscard]] Result<TableDescription> createTable(TableDefinition def);
  [[nodiscard]] Result<TableDescription> describeTable(std::string_view name);
  // Names in DynamoDB order (byte order), starting after `exclusive_start`.
  [[nodiscard]] Result<ListTablesResult> listTables(std::string_view exclusive_start, size_t limit);
  [[nodiscard]] Result<TableDescription> deleteTable(std::string_view name);
  [[nodiscard]] Result<TableDescription> updateTable(std::string_view name, const TableUpdate& update);

  // --- items (engine/item_ops.cc) ---
  // kNotFound kItemTableNotFound for a missing table (so for every item
  // operation below).
  [[nodiscard]] Result<ReadResult> getItem(std::string_view table, const model::Item& key, bool consistent);
  [[nodiscard]] Result<WriteResult> writeItem(std::string_view table, const model::Item& key_attrs,
                                              KeySource source, const WriteDecider& decide);
  // `item_size` = model::itemSize(item), already checked against the limit.
  [[nodiscard]] Result<WriteResult> putItem(std::string_view table, const model::Item& item, size_t item_size,
                                            bool return_old);
  [[nodiscard]] Result<WriteResult> deleteItem(std::string_view table, const model::Item& key, bool return_old);

  // --- Query and Scan (engine/query_scan.cc; contract in engine/query_scan.h) ---
  // One page: `plan` fills the ReadPlan from the table definition, `visit`
  // sees each item read. kNotFound kItemTableNotFound.
  [[nodiscard]] Result<PageResult> readPage(std::string_view table, const ReadPlanner& plan,
                                            const ItemVisitor& visit);

  // --- batches (engine/batch.cc; contract in engine/batch.h) ---
  // Every key of a BatchGetItem in one snapshot; stops reading once the
  // items read reach `byte_budget` (the rest come back with read = false).
  [[nodiscard]] Result<std::vector<BatchGetTableResult>> getItems(const std::vector<BatchGetTable>& tables,
                                                                  size_t byte_budget);
  // The current definitions of `names`, in order, in one transaction.
  // kNotFound kItemTableNotFound if any is missing.
  [[nodiscard]] Result<std::vector<TableRef>> resolveTables(const std::vector<std::string_view>& names);
  // Every put/delete of a BatchWriteItem in ONE kv transaction (retried
  // whole on conflict); any error writes nothing. The api layer validates
  // the request first (resolveTables).
  [[nodiscard]] Result<std::vector<BatchWriteTableResult>> writeItems(const std::vector<BatchWriteTable>& tables);

  // --- transactions (engine/transact.cc; contract in engine/transact.h) ---
  // Every Get in ONE kv snapshot.
  [[nodiscard]] Result<TransactGetOutcome> transactGet(const std::vector<TransactGetAction>& actions);
  // Every condition and write in ONE serializable kv transaction (retried
  // whole on conflict), with ClientRequestToken idempotency.
  [[nodiscard]] Result<TransactWriteOutcome> transactWrite(const TransactWriteRequest& request);

  // --- tags (engine/tags.cc; rules and layout in engine/tags.h) ---
  // kNotFound kTableNotFound for a missing table (the api layer words it
  // for the ARN).
  [[nodiscard]] Result<std::vector<Tag>> listTags(std::string_view table);
  // Adds or overwrites `tags` (already checked by the api layer, api/tag_rules.h). kInvalidArgument
  // ErrorReason::kTagLimitExceeded if the merged set would exceed 50 tags.
  [[nodiscard]] Status tagTable(std::string_view table, const std::vector<Tag>& tags);
  // Removes `tag_keys` (absent keys are fine; already checked by the api layer).
  [[nodiscard]] Status untagTable(std::string_view table, const std::vector<std::string>& tag_keys);

  // --- Time to Live (engine/ttl.cc; rules in engine/ttl.h) ---
  [[nodiscard]] Result<TtlDescription> describeTimeToLive(std::string_view table);
  [[nodiscard]] Status updateTimeToLive(std::string_view table, std::string_view attribute, bool enabled);

  // --- DynamoDB Streams (engine/streams.cc; rules in engine/streams.h) ---
  // Streams (engine/streams.h: the latest of each table, and disabled ones
  // for 24 h) ordered by (table name, label), starting after the stream
  // (exclusive_table, exclusive_label) (empty: from the start), at most
  // `limit`; only those of `table` when given. Snapshot reads.
  [[nodiscard]] Result<ListStreamsResult> listStreams(std::optional<std::string_view> table,
                                                      std::string_view exclusive_table,
                                                      std::string_view exclusive_label, size_t limit);
  // kNotFound if the table is missing or `label` is not its latest stream.
  [[nodiscard]] Result<StreamInfo> describeStream(std::string_view table, std::string_view label);
  // The position of the next record to be committed (LATEST).
  [[nodiscard]] Result<std::string> streamLatestPosition(std::string_view table, std::string_view label);
  // Up to `limit` records at or after `from` (a 10-byte position), stopping
  // after about `byte_limit` bytes; records past retention are skipped and
  // removed. kNotFound like describeStream.
  [[nodiscard]] Result<StreamReadResult> readStream(std::string_view table, std::string_view label,
                                                    std::string_view from, size_t limit, size_t byte_limit);

  // --- backups and the PITR flag (engine/backups.cc; rules in engine/backups.h) ---
  // A consistent copy of `table` (one kv snapshot). kNotFound kTableNotFound.
  [[nodiscard]] Result<BackupInfo> createBackup(std::string_view table, std::string_view backup_name);
  // kNotFound kBackupNotFound for an unknown ARN (so for deleteBackup and
  // restoreTableFromBackup too).
  [[nodiscard]] Result<BackupInfo> describeBackup(std::string_view arn);
  // Removes the record and every copied item; returns the record as it was.
  [[nodiscard]] Result<BackupInfo> deleteBackup(std::string_view arn);
  // Backups of `table` (all when nullopt), oldest first, starting after the
  // backup `exclusive_start_arn` (empty: from the start), at most `limit`.
  [[nodiscard]] Result<ListBackupsResult> listBackups(std::optional<std::string_view> table,
                                                      std::string_view exclusive_start_arn, size_t limit);
  // A new table `target_table` holding the backup's items.
  // kAlreadyExists kTableAlreadyExists.
  [[nodiscard]] Result<TableDescription> restoreTableFromBackup(std::string_view arn,
                                                                std::string_view target_table);
  [[nodiscard]] Result<PitrState> describePitr(std::string_view table);
  [[nodiscard]] Result<PitrState> updatePitr(std::string_view table, bool enabled);

 private:
  // Tests reach the catalog, the index builder and the TTL sweeper through
  // tests/unit/engine/database_test_peer.h; no production code needs them.
  friend class DatabaseTestPeer;

  [[nodiscard]] Status readCounters(kv::Transaction& txn, const TableInfo& t, TableDescription* out);

  kv::Store& store_;
  DatabaseOptions opts_;
  Catalog catalog_;
  // Leases on background work shared by the servers of a cluster
  // (engine/lease.h). Declared before its users: destroyed after them.
  std::unique_ptr<LeaseManager> leases_;
  // Background GSI backfills and index drops (engine/index_backfill.h).
  // Declared after the catalog: destroyed (thread joined) before it.
  std::unique_ptr<IndexBuilder> index_builder_;
  // Background deletion of expired items (engine/ttl_sweeper.h). After the
  // index builder: destroyed (thread joined) before it and the catalog.
  std::unique_ptr<TtlSweeper> ttl_sweeper_;
};

}  // namespace fdyno::engine

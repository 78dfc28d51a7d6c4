#include "api/operations.h"

#include <algorithm>
#include <array>

#include "api/handlers.h"
#include "api/query_ops.h"

namespace fdyno::api {
namespace {

// A row as written below; operations() numbers them (metrics_slot).
struct Row {
  std::string_view name;
  Handler handler;
  bool write_pool;
  std::string_view note = {};
};

// Not implemented yet: answered "fdyno does not support <name> yet".
constexpr Handler kNotYet = nullptr;
// The handler may wait for a commit's fsync: run it on the write pool.
constexpr bool kWrites = true;
// Never waits for a commit: run it on the I/O thread that read the request.
constexpr bool kReads = false;

constexpr std::string_view kStatementMayWrite =
    "a PartiQL statement may write (INSERT, UPDATE, DELETE); which it does is only known once it is parsed, "
    "so it may block on a commit";
constexpr std::string_view kStreamReadTrims =
    "DynamoDB Streams; a read to the client, but reading a stream trims it lazily (records past the 24-hour "
    "retention, streams disabled for over 24 hours) in a write transaction, so it may block on a commit";
constexpr std::string_view kStream = "DynamoDB Streams (target prefix DynamoDBStreams_20120810)";

// Sorted by name (checked below). A row without a handler keeps the pool
// the operation will need once implemented (DynamoDB's writes write).
// clang-format off
constexpr Row kRows[] = {
    // name                                 handler                       pool
    {"BatchExecuteStatement",               &batchExecuteStatement,       kWrites, kStatementMayWrite},
    {"BatchGetItem",                        &batchGetItem,                kReads},
    {"BatchWriteItem",                      &batchWriteItem,              kWrites},
    {"CreateBackup",                        &createBackup,                kWrites},
    {"CreateGlobalTable",                   kNotYet,                      kWrites},
    {"CreateTable",                         &createTable,                 kWrites},
    {"DeleteBackup",                        &deleteBackup,                kWrites},
    {"DeleteItem",                          &deleteItem,                  kWrites},
    {"DeleteResourcePolicy",                kNotYet,                      kWrites},
    {"DeleteTable",                         &deleteTable,                 kWrites},
    {"DescribeBackup",                      &describeBackup,              kReads},
    {"DescribeContinuousBackups",           &describeContinuousBackups,   kReads},
    {"DescribeContributorInsights",         kNotYet,                      kReads},
    {"DescribeEndpoints",                   &describeEndpoints,           kReads},
    {"DescribeExport",                      kNotYet,                      kReads},
    {"DescribeGlobalTable",                 kNotYet,                      kReads},
    {"DescribeGlobalTableSettings",         kNotYet,                      kReads},
    {"DescribeImport",                      kNotYet,                      kReads},
    {"DescribeKinesisStreamingDestination", kNotYet,                      kReads},
    {"DescribeLimits",                      &describeLimits,              kReads},
    {"DescribeStream",                      &describeStream,              kReads, kStream},
    {"DescribeTable",                       &describeTable,               kReads},
    {"DescribeTableReplicaAutoScaling",     kNotYet,                      kReads},
    {"DescribeTimeToLive",                  &describeTimeToLive,          kReads},
    {"DisableKinesisStreamingDestination",  kNotYet,                      kWrites},
    {"EnableKinesisStreamingDestination",   kNotYet,                      kWrites},
    {"ExecuteStatement",                    &executeStatement,            kWrites, kStatementMayWrite},
    {"ExecuteTransaction",                  &executeTransaction,          kWrites, kStatementMayWrite},
    {"ExportTableToPointInTime",            kNotYet,                      kWrites},
    {"GetItem",                             &getItem,                     kReads},
    {"GetRecords",                          &getRecords,                  kWrites, kStreamReadTrims},
    {"GetResourcePolicy",                   kNotYet,                      kReads},
    {"GetShardIterator",                    &getShardIterator,            kReads, kStream},
    {"ImportTable",                         kNotYet,                      kWrites},
    {"ListBackups",                         &listBackups,                 kReads},
    {"ListContributorInsights",             kNotYet,                      kReads},
    {"ListExports",                         kNotYet,                      kReads},
    {"ListGlobalTables",                    kNotYet,                      kReads},
    {"ListImports",                         kNotYet,                      kReads},
    {"ListStreams",                         &listStreams,                 kWrites, kStreamReadTrims},
    {"ListTables",                          &listTables,                  kReads},
    {"ListTagsOfResource",                  &listTagsOfResource,          kReads},
    {"PutItem",                             &putItem,                     kWrites},
    {"PutResourcePolicy",                   kNotYet,                      kWrites},
    {"Query",                               &query,                       kReads},
    {"RestoreTableFromBackup",              &restoreTableFromBackup,      kWrites},
    {"RestoreTableToPointInTime",           kNotYet,                      kWrites},
    {"Scan",                                &scan,                        kReads},
    {"TagResource",                         &tagResource,                 kWrites},
    {"TransactGetItems",                    &transactGetItems,            kReads},
    {"TransactWriteItems",                  &transactWriteItems,          kWrites},
    {"UntagResource",                       &untagResource,               kWrites},
    {"UpdateContinuousBackups",             &updateContinuousBackups,     kWrites},
    {"UpdateContributorInsights",           kNotYet,                      kWrites},
    {"UpdateGlobalTable",                   kNotYet,                      kWrites},
    {"UpdateGlobalTableSettings",           kNotYet,                      kWrites},
    {"UpdateItem",                          &updateItem,                  kWrites},
    {"UpdateKinesisStreamingDestination",   kNotYet,                      kWrites},
    {"UpdateTable",                         &updateTable,                 kWrites},
    {"UpdateTableReplicaAutoScaling",       kNotYet,                      kWrites},
    {"UpdateTimeToLive",                    &updateTimeToLive,            kWrites},
};
// clang-format on

constexpr bool sortedAndUnique() {
  for (size_t i = 1; i < std::size(kRows); ++i)
    if (!(kRows[i - 1].name < kRows[i].name)) return false;
  return true;
}
static_assert(sortedAndUnique(), "kRows must be sorted by name, each name once");

constexpr std::array<Operation, std::size(kRows)> numbered() {
  std::array<Operation, std::size(kRows)> out{};
  for (size_t i = 0; i < std::size(kRows); ++i) {
    const Row& r = kRows[i];
    out[i] = Operation{r.name, r.handler, r.write_pool, static_cast<int>(i) + 1, r.note};
  }
  return out;
}

constexpr std::array<Operation, std::size(kRows)> kOperations = numbered();

}  // namespace

std::span<const Operation> operations() { return kOperations; }

size_t metricsSlotCount() { return kOperations.size() + 1; }

const Operation* findOperation(std::string_view name) {
  auto it = std::lower_bound(kOperations.begin(), kOperations.end(), name,
                             [](const Operation& op, std::string_view n) { return op.name < n; });
  return it != kOperations.end() && it->name == name ? &*it : nullptr;
}

}  // namespace fdyno::api

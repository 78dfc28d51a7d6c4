// backups: on-demand backups (CreateBackup, DescribeBackup, ListBackups,
// DeleteBackup, RestoreTableFromBackup) and the point-in-time recovery flag
// (DescribeContinuousBackups, UpdateContinuousBackups).
//
// Contract:
// - The operations are Database members (declared in engine/database.h,
//   defined in engine/backups.cc), like every other operation family; this
//   header holds their data types and rules. Thread safety: like Database,
//   any thread at any time.
// - Layout (docs/storage-layout.md, "Backups"):
//     01 'b' <backup id: u64 BE>               -> encoded backup record
//     01 'c' <backup id: u64 BE> <pk> [<sk>]   -> stored item value, as in the table
//     01 's' "next_backup_id"                  -> u64 BE, last backup id handed out
//     02 <table id> 05 01                      -> PITR: f64 LE enable time (absent = disabled)
//   Backups live outside the table's range, so they survive DeleteTable.
// - createBackup() reads the definition and every item from ONE kv snapshot
//   (one read transaction) and copies the items in chunks, each chunk its
//   own write transaction; the record is written last, so a backup is
//   visible only once complete (BackupStatus AVAILABLE).
// - restoreTableFromBackup() creates the target table (createTable: new id,
//   uuid, index numbers; no stream, TTL, tags or deletion protection, as in
//   DynamoDB), then writes every item back through applyItemMutation, so
//   index entries and all counters are rebuilt.
// - Errors (typed reasons, common/status.h; api/errors.h words them and
//   names the exception):
//     kNotFound       kTableNotFound (TableNotFoundException "Table not found:
//                     NAME") or kBackupNotFound (BackupNotFoundException)
//     kAlreadyExists  kTableAlreadyExists (TableAlreadyExistsException)
//     others          kv / corruption errors
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/table_definition.h"

namespace fdyno::engine {

struct BackupInfo {
  uint64_t id = 0;
  std::string arn;          // arn:aws:dynamodb:R:A:table/NAME/backup/<14-digit epoch ms>-<8 hex>
  std::string name;         // BackupName
  std::string table_name;   // source table, as it was named then
  std::string table_arn;
  std::string table_uuid;   // TableId of the source table
  double creation_time = 0; // epoch seconds, fractional (ms)
  int64_t size_bytes = 0;   // sum of the items' DynamoDB sizes
  int64_t item_count = 0;
  TableDefinition def;      // the source table's definition at backup time
};

struct ListBackupsResult {
  std::vector<BackupInfo> backups;              // oldest first
  std::optional<std::string> last_evaluated_arn; // set when more follow
};

struct PitrState {
  bool enabled = false;
  double enabled_at = 0;  // epoch seconds; EarliestRestorableDateTime
};

// Items copied per write transaction (create and restore).
inline constexpr size_t kBackupChunkItems = 500;

}  // namespace fdyno::engine

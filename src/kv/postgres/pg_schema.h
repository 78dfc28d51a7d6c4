// pg_schema: the PostgreSQL store's tables, its commit function and the
// statements it prepares. Layout and rules in docs/kv.md ("PostgreSQL
// store"). Internal to src/kv/postgres/.
//
// Tables (in the connection's current schema, so one database can hold
// several stores in separate schemas):
//   fdyno_meta    one row (id = 1): schema_version, version (the last commit
//                 version handed out) and gc_version (history below it is
//                 gone: a transaction reading below it is too old).
//   fdyno_kv      (key bytea, version bigint, value bytea NULL): every
//                 committed write as a new row version; value NULL = the key
//                 was cleared at that version (a tombstone). A read at
//                 version R sees, per key, the row with the greatest
//                 version <= R, if its value is not NULL.
//   fdyno_servers one row per live fdyno server: the oldest read version it
//                 still uses, and a heartbeat; history is kept down to the
//                 smallest of those (see PgStore's collector).
//
// Contract:
// - ensureSchema() creates the tables and functions on first start (under
//   an advisory lock, so servers starting together create them once),
//   upgrades an older schema version step by step, and refuses a newer one
//   (kInvalidArgument): a server never writes a layout it does not know.
//   Schema versions only grow; a migration is one step per version.
// - Statement names are stable within a process; every PgConn prepares all
//   of them on connect.
#pragma once

#include <string_view>

#include "common/status.h"

namespace fdyno::kv::pg {

class PgConn;

inline constexpr int kSchemaVersion = 1;

struct PreparedStatement {
  const char* name;
  const char* sql;
  int params;
};

// Statement names.
inline constexpr const char* kStmtGetLatest = "fdyno_get_latest";   // (key) -> version, value
inline constexpr const char* kStmtGetAt = "fdyno_get_at";           // (key, rv) -> gc_version, value
// Several keys in one statement: one row per key, in the order given.
inline constexpr const char* kStmtGetManyLatest = "fdyno_get_many_latest";  // (keys[]) -> version, value
inline constexpr const char* kStmtGetManyAt = "fdyno_get_many_at";          // (keys[], rv) -> gc_version, value
inline constexpr const char* kStmtVersion = "fdyno_version";        // () -> version
inline constexpr const char* kStmtScanFwd = "fdyno_scan_fwd";       // (begin, end, rv, limit)
inline constexpr const char* kStmtScanRev = "fdyno_scan_rev";       // (begin, end, rv, limit)
inline constexpr const char* kStmtCommit = "fdyno_commit";          // the group commit function
// The same for a group of independent requests (fdyno_commit_set's comment).
inline constexpr const char* kStmtCommitSet = "fdyno_commit_set";
inline constexpr const char* kStmtHeartbeat = "fdyno_heartbeat";    // (server id, oldest rv or -1) -> reported
inline constexpr const char* kStmtCollect = "fdyno_collect";        // (dead after seconds) -> new gc_version

// Every statement a connection prepares.
const PreparedStatement* preparedStatements(size_t* count);

// Creates or upgrades the schema (see the contract above).
[[nodiscard]] Status ensureSchema(PgConn& conn);

}  // namespace fdyno::kv::pg

// Server settings and where they come from.
//
// Precedence, highest first: command-line flag > FDYNO_* environment variable
// > TOML config file (--config or FDYNO_CONFIG) > built-in default.
// Thread safety: plain data, filled once at start-up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fdyno::cli {

// DynamoDB's item collection limit, 10 GiB (engine/item_collection.h).
inline constexpr int64_t kMaxItemCollectionLimitBytes = int64_t{10} << 30;


struct ServeConfig {
  std::string listen = "127.0.0.1:8000";
  std::string data_dir = "./fdyno-data";
  bool in_memory = false;
  // A shared store instead of the embedded ones: postgres://user@host:port/db
  // (or postgresql://); "" = RocksDB in data_dir, or memory.
  std::string store;
  int store_connections = 0;         // PostgreSQL connections per server; 0 = 2 x cores, 4..16
  int store_timeout_ms = 10000;      // longest wait on the store per statement
  int threads = 0;                 // 0 = the store's default (main.cc: cores, or 32 on a network store)
  int write_threads = -1;          // > 0: a pool of that many threads for writes' handlers; 0 or -1 (default): none, handlers that wait run on fibers
  std::string auth;                // "open", "verify" or "" (choose by address)
  std::string credentials;         // path of ACCESS_KEY_ID:SECRET lines
  std::string log_level = "info";
  std::string durability = "sync"; // "sync" or "relaxed"
  bool allow_open_remote = false;  // open auth on a non-loopback address
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  int ttl_interval_ms = 5000;      // TTL sweeper pass interval; 0 = no background expiry
  // Leases on background work shared by the servers of one store
  // (engine/lease.h): a dead server's work moves to another after this.
  int lease_ms = 10000;
  int max_connections = 0;         // connections served at once; 0 = from RLIMIT_NOFILE
  int idle_timeout_seconds = 60;   // keep-alive connection without a request
  int request_timeout_seconds = 60;  // first byte of a request to its last
  // DynamoDB's 10 GiB item collection limit (tables with LSIs); may be
  // lowered (tests reach it with small items), never raised.
  int64_t item_collection_limit_bytes = kMaxItemCollectionLimitBytes;
};

// One layer of settings: only the fields it sets are present.
struct ConfigLayer {
  std::optional<std::string> listen, data_dir, store, auth, credentials, log_level, durability, region,
      account_id;
  std::optional<bool> in_memory, allow_open_remote;
  std::optional<int> store_connections, store_timeout_ms, threads, write_threads, ttl_interval_ms, lease_ms, max_connections,
      idle_timeout_seconds, request_timeout_seconds;
  std::optional<int64_t> item_collection_limit_bytes;
};

// Applies `layer` over `cfg` (set fields win).
void applyLayer(ServeConfig& cfg, const ConfigLayer& layer);

// Reads FDYNO_LISTEN, FDYNO_DATA_DIR, FDYNO_STORE, FDYNO_STORE_CONNECTIONS,
// FDYNO_STORE_TIMEOUT_MS, FDYNO_IN_MEMORY, FDYNO_THREADS, FDYNO_WRITE_THREADS,
// FDYNO_AUTH, FDYNO_CREDENTIALS, FDYNO_LOG_LEVEL, FDYNO_DURABILITY,
// FDYNO_ALLOW_OPEN_REMOTE, FDYNO_REGION, FDYNO_ACCOUNT_ID,
// FDYNO_TTL_INTERVAL_MS, FDYNO_LEASE_MS, FDYNO_MAX_CONNECTIONS, FDYNO_IDLE_TIMEOUT_SECONDS,
// FDYNO_REQUEST_TIMEOUT_SECONDS, FDYNO_ITEM_COLLECTION_LIMIT_BYTES. False +
// *error on a malformed value.
bool layerFromEnv(ConfigLayer* out, std::string* error);

// Reads a TOML file whose top-level keys use the flag names with '_' or '-'
// (listen, data_dir, store, store_connections, store_timeout_ms, in_memory, threads, write_threads, auth, credentials, log_level,
// durability, allow_open_remote, region, account_id, ttl_interval_ms, lease_ms, max_connections,
// idle_timeout_seconds, request_timeout_seconds, item_collection_limit_bytes). False + *error on a parse error or an
// unknown key.
bool layerFromToml(const std::string& path, ConfigLayer* out, std::string* error);

// Splits "HOST:PORT" (also "[::1]:PORT"). False if malformed.
bool splitHostPort(const std::string& s, std::string* host, uint16_t* port);

// True for 127.0.0.0/8, ::1 and "localhost".
bool isLoopbackHost(const std::string& host);

// Bounds finalize() enforces (every setting is bounded input).
inline constexpr int kMaxConnectionsSetting = 1'000'000;
inline constexpr int kMaxTimeoutSeconds = 86'400;

// Checks cross-field rules (e.g. --store is a postgres:// URL and excludes
// --in-memory) and resolves auth "" to "open" or "verify".
// False + *error when the settings cannot be served.
bool finalize(ServeConfig& cfg, std::string* error);

}  // namespace fdyno::cli

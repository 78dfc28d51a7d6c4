#include "cli/config.h"

#include <toml++/toml.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace fdyno::cli {

void applyLayer(ServeConfig& cfg, const ConfigLayer& l) {
  if (l.listen) cfg.listen = *l.listen;
  if (l.data_dir) cfg.data_dir = *l.data_dir;
  if (l.in_memory) cfg.in_memory = *l.in_memory;
  if (l.store) cfg.store = *l.store;
  if (l.store_connections) cfg.store_connections = *l.store_connections;
  if (l.store_timeout_ms) cfg.store_timeout_ms = *l.store_timeout_ms;
  if (l.threads) cfg.threads = *l.threads;
  if (l.write_threads) cfg.write_threads = *l.write_threads;
  if (l.auth) cfg.auth = *l.auth;
  if (l.credentials) cfg.credentials = *l.credentials;
  if (l.log_level) cfg.log_level = *l.log_level;
  if (l.durability) cfg.durability = *l.durability;
  if (l.allow_open_remote) cfg.allow_open_remote = *l.allow_open_remote;
  if (l.region) cfg.region = *l.region;
  if (l.account_id) cfg.account_id = *l.account_id;
  if (l.ttl_interval_ms) cfg.ttl_interval_ms = *l.ttl_interval_ms;
  if (l.lease_ms) cfg.lease_ms = *l.lease_ms;
  if (l.max_connections) cfg.max_connections = *l.max_connections;
  if (l.idle_timeout_seconds) cfg.idle_timeout_seconds = *l.idle_timeout_seconds;
  if (l.request_timeout_seconds) cfg.request_timeout_seconds = *l.request_timeout_seconds;
  if (l.item_collection_limit_bytes) cfg.item_collection_limit_bytes = *l.item_collection_limit_bytes;
}

namespace {

bool parseBool(std::string_view s, bool* out) {
  if (s == "1" || s == "true" || s == "yes" || s == "on") { *out = true; return true; }
  if (s == "0" || s == "false" || s == "no" || s == "off" || s.empty()) { *out = false; return true; }
  return false;
}

template <typename Int>
bool parseInt(std::string_view s, Int* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

bool layerFromEnv(ConfigLayer* out, std::string* error) {
  auto get = [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (!v) return std::nullopt;
    return std::string(v);
  };
  out->listen = get("FDYNO_LISTEN");
  out->data_dir = get("FDYNO_DATA_DIR");
  out->store = get("FDYNO_STORE");
  out->auth = get("FDYNO_AUTH");
  out->credentials = get("FDYNO_CREDENTIALS");
  out->log_level = get("FDYNO_LOG_LEVEL");
  out->durability = get("FDYNO_DURABILITY");
  out->region = get("FDYNO_REGION");
  out->account_id = get("FDYNO_ACCOUNT_ID");
  if (auto v = get("FDYNO_IN_MEMORY")) {
    bool b;
    if (!parseBool(*v, &b)) { *error = "FDYNO_IN_MEMORY: expected true or false, got '" + *v + "'"; return false; }
    out->in_memory = b;
  }
  if (auto v = get("FDYNO_ALLOW_OPEN_REMOTE")) {
    bool b;
    if (!parseBool(*v, &b)) { *error = "FDYNO_ALLOW_OPEN_REMOTE: expected true or false, got '" + *v + "'"; return false; }
    out->allow_open_remote = b;
  }
  if (auto v = get("FDYNO_THREADS")) {
    int n;
    if (!parseInt(*v, &n)) { *error = "FDYNO_THREADS: expected a number, got '" + *v + "'"; return false; }
    out->threads = n;
  }
  if (auto v = get("FDYNO_WRITE_THREADS")) {
    int n;
    if (!parseInt(*v, &n)) { *error = "FDYNO_WRITE_THREADS: expected a number, got '" + *v + "'"; return false; }
    out->write_threads = n;
  }
  auto number = [&](const char* name, std::optional<int>& dst) {
    auto v = get(name);
    if (!v) return true;
    int n;
    if (!parseInt(*v, &n)) { *error = std::string(name) + ": expected a number, got '" + *v + "'"; return false; }
    dst = n;
    return true;
  };
  if (auto v = get("FDYNO_ITEM_COLLECTION_LIMIT_BYTES")) {
    int64_t n;
    if (!parseInt(*v, &n)) {
      *error = "FDYNO_ITEM_COLLECTION_LIMIT_BYTES: expected a number, got '" + *v + "'";
      return false;
    }
    out->item_collection_limit_bytes = n;
  }
  return number("FDYNO_STORE_CONNECTIONS", out->store_connections) &&
         number("FDYNO_STORE_TIMEOUT_MS", out->store_timeout_ms) &&
         number("FDYNO_TTL_INTERVAL_MS", out->ttl_interval_ms) &&
         number("FDYNO_LEASE_MS", out->lease_ms) &&
         number("FDYNO_MAX_CONNECTIONS", out->max_connections) &&
         number("FDYNO_IDLE_TIMEOUT_SECONDS", out->idle_timeout_seconds) &&
         number("FDYNO_REQUEST_TIMEOUT_SECONDS", out->request_timeout_seconds);
}

bool layerFromToml(const std::string& path, ConfigLayer* out, std::string* error) {
  toml::table tbl;
  try {
    tbl = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    *error = "config file " + path + ": " + std::string(e.description());
    return false;
  }
  for (auto&& [k, entry] : tbl) {
    // A plain reference: clang before 16 cannot capture a structured binding.
    auto& node = entry;
    std::string key(k.str());
    for (auto& c : key) if (c == '-') c = '_';
    auto str = [&](std::optional<std::string>& dst) {
      if (auto v = node.value<std::string>()) { dst = *v; return true; }
      *error = "config file " + path + ": '" + key + "' must be a string";
      return false;
    };
    auto boolean = [&](std::optional<bool>& dst) {
      if (auto v = node.value<bool>()) { dst = *v; return true; }
      *error = "config file " + path + ": '" + key + "' must be true or false";
      return false;
    };
    bool ok = true;
    if (key == "listen") ok = str(out->listen);
    else if (key == "data_dir") ok = str(out->data_dir);
    else if (key == "store") ok = str(out->store);
    else if (key == "auth") ok = str(out->auth);
    else if (key == "credentials") ok = str(out->credentials);
    else if (key == "log_level") ok = str(out->log_level);
    else if (key == "durability") ok = str(out->durability);
    else if (key == "region") ok = str(out->region);
    else if (key == "account_id") ok = str(out->account_id);
    else if (key == "in_memory") ok = boolean(out->in_memory);
    else if (key == "allow_open_remote") ok = boolean(out->allow_open_remote);
    else if (key == "threads" || key == "write_threads") {
      if (auto v = node.value<int64_t>()) (key == "threads" ? out->threads : out->write_threads) = static_cast<int>(*v);
      else { *error = "config file " + path + ": '" + key + "' must be an integer"; ok = false; }
    } else if (key == "ttl_interval_ms" || key == "lease_ms" || key == "max_connections" || key == "idle_timeout_seconds" ||
               key == "request_timeout_seconds" || key == "store_connections" || key == "store_timeout_ms") {
      std::optional<int>& dst = key == "ttl_interval_ms"        ? out->ttl_interval_ms
                                : key == "lease_ms"             ? out->lease_ms
                                : key == "store_connections"    ? out->store_connections
                                : key == "store_timeout_ms"     ? out->store_timeout_ms
                                : key == "max_connections"      ? out->max_connections
                                : key == "idle_timeout_seconds" ? out->idle_timeout_seconds
                                                                : out->request_timeout_seconds;
      // Range-checked here so a huge value cannot wrap into a valid one.
      auto v = node.value<int64_t>();
      if (v && *v >= INT32_MIN && *v <= INT32_MAX) dst = static_cast<int>(*v);
      else { *error = "config file " + path + ": '" + key + "' must be an integer"; ok = false; }
    } else if (key == "item_collection_limit_bytes") {
      if (auto v = node.value<int64_t>()) out->item_collection_limit_bytes = *v;
      else { *error = "config file " + path + ": '" + key + "' must be an integer"; ok = false; }
    } else {
      *error = "config file " + path + ": unknown setting '" + key + "'";
      ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

bool splitHostPort(const std::string& s, std::string* host, uint16_t* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon + 1 >= s.size()) return false;
  std::string h = s.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.empty()) return false;
  int p;
  std::string_view ps(s.data() + colon + 1, s.size() - colon - 1);
  if (!parseInt(ps, &p) || p < 0 || p > 65535) return false;
  *host = h;
  *port = static_cast<uint16_t>(p);
  return true;
}

bool isLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

bool finalize(ServeConfig& cfg, std::string* error) {
  std::string host;
  uint16_t port;
  if (!splitHostPort(cfg.listen, &host, &port)) {
    *error = "--listen: expected HOST:PORT, got '" + cfg.listen + "'";
    return false;
  }
  if (!cfg.store.empty()) {
    if (cfg.store.rfind("postgres://", 0) != 0 && cfg.store.rfind("postgresql://", 0) != 0) {
      // The URL may carry a password: it is never echoed.
      *error = "--store: expected a postgres://user@host:port/database URL";
      return false;
    }
    if (cfg.in_memory) {
      *error = "--store and --in-memory cannot be combined";
      return false;
    }
  }
  if (cfg.store_connections != 0 && (cfg.store_connections < 2 || cfg.store_connections > 1000)) {
    *error = "--store-connections: expected 0 (twice the cores) or 2 to 1000";
    return false;
  }
  if (cfg.store_timeout_ms < 100 || cfg.store_timeout_ms > 600000) {
    *error = "--store-timeout-ms: expected 100 to 600000";
    return false;
  }
  if (cfg.durability != "sync" && cfg.durability != "relaxed") {
    *error = "--durability: expected sync or relaxed, got '" + cfg.durability + "'";
    return false;
  }
  if (cfg.threads < 0 || cfg.threads > 1024) {
    *error = "--threads: expected 0 to 1024";
    return false;
  }
  if (cfg.write_threads < -1 || cfg.write_threads > 1024) {
    *error = "--write-threads: expected 0 to 1024";
    return false;
  }
  if (cfg.ttl_interval_ms < 0) {
    *error = "--ttl-interval-ms: expected 0 (no background expiry) or more";
    return false;
  }
  if (cfg.lease_ms < 100 || cfg.lease_ms > 3600000) {
    *error = "--lease-ms: expected 100 to 3600000";
    return false;
  }
  if (cfg.item_collection_limit_bytes < 1 || cfg.item_collection_limit_bytes > kMaxItemCollectionLimitBytes) {
    *error = "--item-collection-limit-bytes: expected 1 to " + std::to_string(kMaxItemCollectionLimitBytes) +
             " (DynamoDB's 10 GiB)";
    return false;
  }
  if (cfg.max_connections < 0 || cfg.max_connections > kMaxConnectionsSetting) {
    *error = "--max-connections: expected 0 (derived from the descriptor limit) to " +
             std::to_string(kMaxConnectionsSetting);
    return false;
  }
  if (cfg.idle_timeout_seconds < 1 || cfg.idle_timeout_seconds > kMaxTimeoutSeconds) {
    *error = "--idle-timeout-seconds: expected 1 to " + std::to_string(kMaxTimeoutSeconds);
    return false;
  }
  if (cfg.request_timeout_seconds < 1 || cfg.request_timeout_seconds > kMaxTimeoutSeconds) {
    *error = "--request-timeout-seconds: expected 1 to " + std::to_string(kMaxTimeoutSeconds);
    return false;
  }
  bool loopback = isLoopbackHost(host);
  if (cfg.auth.empty()) {
    // DynamoDB Local's behaviour (any key accepted) is only a safe default
    // when nobody else can reach the port and no credentials were given.
    cfg.auth = (loopback && cfg.credentials.empty()) ? "open" : "verify";
  }
  if (cfg.auth != "open" && cfg.auth != "verify") {
    *error = "--auth: expected open or verify, got '" + cfg.auth + "'";
    return false;
  }
  if (cfg.auth == "verify" && cfg.credentials.empty()) {
    *error = "--auth verify needs --credentials FILE (lines ACCESS_KEY_ID:SECRET)";
    return false;
  }
  if (cfg.auth == "open" && !loopback && !cfg.allow_open_remote) {
    *error = "refusing to serve " + cfg.listen +
             " without authentication: use --auth verify --credentials FILE, or pass "
             "--allow-open-remote to accept any access key from the network";
    return false;
  }
  return true;
}

}  // namespace fdyno::cli

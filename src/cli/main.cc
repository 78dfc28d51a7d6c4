// fdyno entry point: `fdyno serve ...` and `fdyno version`.
//
// Start-up is on the measured path (target: under 50 ms to a listening
// socket), so nothing here does work proportional to the data.
#include <malloc.h>
#include <sched.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "common/descriptors.h"
#include "api/dispatcher.h"
#include "auth/authenticator.h"
#include "cli/config.h"
#include "common/log.h"
#include "engine/database.h"
#include "http/server.h"
#include "kv/kv.h"

#ifndef FDYNO_VERSION
#define FDYNO_VERSION "0.1.0"
#endif

namespace fdyno::cli {
namespace {

// The cores this process may run on (taskset, cgroup cpusets), which
// std::thread::hardware_concurrency() does not see.
int availableCores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Allocations at least this large get their own mapping, returned to the
// system when freed.
constexpr int kMmapThresholdBytes = 256 * 1024;

// glibc raises its mmap threshold (up to 32 MB) each time a mapped block is
// freed, so after the first large request every later large buffer (bodies,
// parser buffers, responses) came from the per-thread arenas, which keep
// freed memory: a burst of 15 MB requests left the server at gigabytes of
// RSS for good (issue 8). Setting the threshold fixes it (and the trim
// threshold) for the process. Requests below it reuse arena memory as before.
void tuneMalloc() { mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes); }

int runServe(ServeConfig cfg) {
  auto t0 = std::chrono::steady_clock::now();
  tuneMalloc();
  // The soft open-files limit is often 1024 with a hard limit far above: a
  // server takes what it may (as Go's runtime does), before the store and
  // the connection limit are sized from it (common/descriptors.h).
  raiseDescriptorLimit();
  std::string err;
  if (!finalize(cfg, &err)) {
    std::fprintf(stderr, "fdyno: %s\n", err.c_str());
    return 2;
  }
  log::Level lvl;
  if (!log::parseLevel(cfg.log_level, &lvl)) {
    std::fprintf(stderr, "fdyno: --log-level: expected debug, info, warn, error or off\n");
    return 2;
  }
  log::setLevel(lvl);

  // Block the stop signals in every thread; one thread waits for them below.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto mode = auth::AuthMode::kOpen;
  if (cfg.auth == "verify") mode = auth::AuthMode::kVerify;
  auto authr = auth::Authenticator::create(mode, cfg.credentials);
  if (!authr.ok()) {
    std::fprintf(stderr, "fdyno: %s\n", authr.status().message().c_str());
    return 2;
  }
  std::unique_ptr<auth::Authenticator> authenticator = std::move(authr).value();

  kv::StoreOptions sopts;
  sopts.durability = cfg.durability == "relaxed" ? kv::DurabilityMode::kRelaxed : kv::DurabilityMode::kSync;
  Result<std::unique_ptr<kv::Store>> storer = Status::Internal("no store");
  if (!cfg.store.empty()) {
    kv::PostgresOptions pg;
    // Few connections serve many requests: a statement holds one for a
    // round trip only, and commits share one per group. More connections
    // than the database has cores make its backends contend (measured:
    // 16 connections to a 2-core PostgreSQL gave GetItem a p99 over 1 s,
    // 3 gave 8 ms; docs/performance.md), so the default follows the cores.
    pg.pool_size = cfg.store_connections > 0
                       ? static_cast<size_t>(cfg.store_connections)
                       : std::clamp<size_t>(2 * std::max(1u, std::thread::hardware_concurrency()), 4, 16);
    pg.statement_timeout_ms = cfg.store_timeout_ms;
    storer = kv::openPostgresStore(cfg.store, sopts, pg);
  } else if (cfg.in_memory) {
    storer = kv::openMemoryStore(sopts);
  } else {
    storer = kv::openRocksDbStore(cfg.data_dir, sopts);
  }
  if (!storer.ok()) {
    std::fprintf(stderr, "fdyno: cannot open storage: %s\n", storer.status().toString().c_str());
    return 1;
  }
  std::unique_ptr<kv::Store> store = std::move(storer).value();

  engine::DatabaseOptions dopts;
  dopts.region = cfg.region;
  dopts.account_id = cfg.account_id;
  dopts.ttl_interval_ms = cfg.ttl_interval_ms;
  dopts.lease_ms = cfg.lease_ms;
  dopts.item_collection_limit_bytes = cfg.item_collection_limit_bytes;
  {
    // DescribeEndpoints sends clients back to the address we serve on.
    std::string ep_host;
    uint16_t ep_port = 0;
    if (splitHostPort(cfg.listen, &ep_host, &ep_port) && ep_port != 0) dopts.endpoint_address = cfg.listen;
  }
  engine::Database db(*store, dopts);
  api::Dispatcher dispatcher(db);

  http::ServerOptions hopts;
  if (!splitHostPort(cfg.listen, &hopts.host, &hopts.port)) return 2;  // checked in finalize
  // Each I/O thread (one per core this process may run on) runs its own
  // event loop, and a handler that waits runs on a fiber: a write waiting
  // for its group commit (the fsync runs on a helper thread), or on a
  // network store any request waiting for the database, suspends itself
  // and its thread goes on with the others; no hand-off between threads, no
  // thread per waiting request (http/server.h ServerOptions::own_loops and
  // fibers, docs/http.md). On the embedded stores reads never wait and run
  // inline. --write-threads N > 0 brings back the shared loop and a pool of
  // N threads for the handlers of writes (on a network store, of all).
  const bool network_store = !cfg.store.empty();
  const int write_threads = std::max(0, cfg.write_threads);
  hopts.write_threads = write_threads;
  hopts.reads_block = network_store && write_threads > 0;
  hopts.own_loops = write_threads == 0;
  hopts.fibers = hopts.own_loops;
  hopts.reads_inline = hopts.own_loops && !network_store;
  hopts.threads = cfg.threads > 0 ? cfg.threads : availableCores();
  hopts.max_connections = cfg.max_connections;
  hopts.idle_timeout_seconds = cfg.idle_timeout_seconds;
  hopts.request_timeout_seconds = cfg.request_timeout_seconds;
  // The router looked the operation up in the registry already: the
  // dispatcher gets its row.
  http::Server server(
      hopts,
      [&dispatcher](const api::Operation* op, std::string_view, std::string_view body) {
        return dispatcher.handle(op, body);
      },
      authenticator.get());
  if (!server.listen(&err)) {
    std::fprintf(stderr, "fdyno: cannot listen on %s: %s\n", cfg.listen.c_str(), err.c_str());
    return 1;
  }
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::string host = hopts.host.find(':') != std::string::npos ? "[" + hopts.host + "]" : hopts.host;
  std::printf("fdyno %s serving DynamoDB API on http://%s:%u\n", FDYNO_VERSION, host.c_str(),
              static_cast<unsigned>(server.port()));
  const std::string threads_text =
      std::to_string(hopts.threads) +
      (hopts.own_loops ? " (an event loop each, handlers on fibers)" : " (+" + std::to_string(hopts.write_threads) + " for writes)");
  std::printf("storage: %s, durability %s; auth: %s; threads: %s; ready in %.1f ms\n", store->describe().c_str(),
              cfg.durability.c_str(), cfg.auth.c_str(), threads_text.c_str(), ms);
  std::fflush(stdout);

  std::thread signal_waiter([&] {
    int sig = 0;
    sigwait(&sigs, &sig);
    log::info(sig == SIGINT ? "SIGINT: shutting down" : "SIGTERM: shutting down");
    server.stop();
  });
  server.run();
  // run() returned: either a signal arrived or the server stopped by itself.
  // Wake the waiter if it is still blocked so it can be joined.
  if (signal_waiter.joinable()) {
    pthread_kill(signal_waiter.native_handle(), SIGTERM);
    signal_waiter.join();
  }
  Status fs = store->flush();
  if (!fs.ok()) {
    std::fprintf(stderr, "fdyno: flush at shutdown failed: %s\n", fs.toString().c_str());
    return 1;
  }
  log::info("stopped cleanly");
  return 0;
}

}  // namespace
}  // namespace fdyno::cli

int main(int argc, char** argv) {
  using namespace fdyno::cli;
  CLI::App app{"fdyno: a DynamoDB-compatible database server"};
  app.require_subcommand(1);

  auto* version = app.add_subcommand("version", "Print the version");
  auto* serve = app.add_subcommand("serve", "Serve the DynamoDB API");

  std::string config_file, listen, data_dir, store_url, auth, credentials, log_level, durability, region, account;
  int store_connections = 0, store_timeout_ms = 0;
  int threads = 0, write_threads = -1, ttl_interval_ms = 0, lease_ms = 0, max_connections = 0, idle_timeout = 0,
      request_timeout = 0;
  int64_t collection_limit = 0;
  bool in_memory = false, allow_open_remote = false;
  auto* o_config = serve->add_option("--config", config_file, "TOML config file");
  auto* o_listen = serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8000)");
  auto* o_data = serve->add_option("--data-dir", data_dir, "Data directory (default ./fdyno-data)");
  auto* o_mem = serve->add_flag("--in-memory", in_memory, "Keep data in memory only");
  auto* o_store = serve->add_option("--store", store_url,
                                    "A shared store for several servers: postgres://user@host:port/database "
                                    "(default: RocksDB in --data-dir)");
  auto* o_store_conns = serve->add_option("--store-connections", store_connections,
                                          "PostgreSQL connections per server (default 0 = twice the cores, 4 to 16)")
                            ->check(CLI::Range(0, 1000));
  auto* o_store_timeout = serve->add_option("--store-timeout-ms", store_timeout_ms,
                                            "Longest wait on the store per statement; a request fails with "
                                            "InternalServerError after it (default 10000)")
                              ->check(CLI::Range(100, 600000));
  auto* o_threads = serve->add_option("--threads", threads,
                                      "I/O threads (default: the number of cores; 32 with --store, each with its own "
                                      "event loop)");
  auto* o_write_threads = serve->add_option("--write-threads", write_threads,
                    "A pool of N threads for the handlers of writing operations (with --store: of every "
                    "operation) instead of fibers on the I/O threads (default 0: fibers)")
      ->check(CLI::Range(0, 1024));
  auto* o_auth = serve->add_option("--auth", auth, "open or verify (default: open on loopback without credentials)");
  auto* o_cred = serve->add_option("--credentials", credentials, "File of ACCESS_KEY_ID:SECRET lines");
  auto* o_log = serve->add_option("--log-level", log_level, "debug, info, warn, error or off");
  auto* o_dur = serve->add_option("--durability", durability, "sync (default) or relaxed");
  auto* o_remote = serve->add_flag("--allow-open-remote", allow_open_remote,
                                   "Allow --auth open on a non-loopback address");
  auto* o_region = serve->add_option("--region", region, "Region shown in ARNs (default us-east-1)");
  auto* o_account = serve->add_option("--account-id", account, "Account id shown in ARNs");
  auto* o_ttl = serve->add_option("--ttl-interval-ms", ttl_interval_ms,
                                  "Milliseconds between Time to Live sweeps that delete expired items (default "
                                  "5000; 0 = never)")
                    ->check(CLI::NonNegativeNumber);
  auto* o_lease = serve->add_option("--lease-ms", lease_ms,
                                    "Servers sharing one store: how long background work (GSI backfill, TTL "
                                    "sweeping) of a dead server waits before another takes it over (default "
                                    "10000)")
                      ->check(CLI::Range(100, 3600000));
  auto* o_max_conn = serve->add_option("--max-connections", max_connections,
                                       "Client connections served at once; more are answered 503 and closed "
                                       "(default: the open-files limit minus 64; 0 = that default)")
                         ->check(CLI::Range(0, kMaxConnectionsSetting));
  auto* o_idle = serve->add_option("--idle-timeout-seconds", idle_timeout,
                                   "Close a keep-alive connection after this long without a request (default 60)")
                     ->check(CLI::Range(1, kMaxTimeoutSeconds));
  auto* o_req_timeout = serve->add_option("--request-timeout-seconds", request_timeout,
                                          "Time a request may take to arrive, from its first byte to its last "
                                          "(default 60)")
                            ->check(CLI::Range(1, kMaxTimeoutSeconds));
  auto* o_collection = serve->add_option("--item-collection-limit-bytes", collection_limit,
                                         "Item collection size limit of tables with local secondary indexes "
                                         "(default and maximum: DynamoDB's 10 GiB; lower it for tests)")
                           ->check(CLI::Range(int64_t{1}, kMaxItemCollectionLimitBytes));
  o_data->excludes(o_mem);
  o_store->excludes(o_mem);

  CLI11_PARSE(app, argc, argv);

  if (version->parsed()) {
    std::printf("fdyno %s\n", FDYNO_VERSION);
    return 0;
  }

  ServeConfig cfg;
  std::string err;
  // Lowest precedence first: config file, then environment, then flags.
  if (o_config->count() == 0) {
    if (const char* c = std::getenv("FDYNO_CONFIG")) config_file = c;
  }
  if (!config_file.empty()) {
    ConfigLayer file;
    if (!layerFromToml(config_file, &file, &err)) {
      std::fprintf(stderr, "fdyno: %s\n", err.c_str());
      return 2;
    }
    applyLayer(cfg, file);
  }
  ConfigLayer env;
  if (!layerFromEnv(&env, &err)) {
    std::fprintf(stderr, "fdyno: %s\n", err.c_str());
    return 2;
  }
  applyLayer(cfg, env);
  ConfigLayer flags;
  if (o_listen->count()) flags.listen = listen;
  if (o_data->count()) { flags.data_dir = data_dir; flags.in_memory = false; }
  if (o_mem->count()) flags.in_memory = in_memory;
  if (o_store->count()) flags.store = store_url;
  if (o_store_conns->count()) flags.store_connections = store_connections;
  if (o_store_timeout->count()) flags.store_timeout_ms = store_timeout_ms;
  if (o_threads->count()) flags.threads = threads;
  if (o_write_threads->count()) flags.write_threads = write_threads;
  if (o_auth->count()) flags.auth = auth;
  if (o_cred->count()) flags.credentials = credentials;
  if (o_log->count()) flags.log_level = log_level;
  if (o_dur->count()) flags.durability = durability;
  if (o_remote->count()) flags.allow_open_remote = allow_open_remote;
  if (o_region->count()) flags.region = region;
  if (o_account->count()) flags.account_id = account;
  if (o_ttl->count()) flags.ttl_interval_ms = ttl_interval_ms;
  if (o_lease->count()) flags.lease_ms = lease_ms;
  if (o_max_conn->count()) flags.max_connections = max_connections;
  if (o_idle->count()) flags.idle_timeout_seconds = idle_timeout;
  if (o_req_timeout->count()) flags.request_timeout_seconds = request_timeout;
  if (o_collection->count()) flags.item_collection_limit_bytes = collection_limit;
  applyLayer(cfg, flags);
  return runServe(cfg);
}

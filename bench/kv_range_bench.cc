// kv_range_bench: what one Query costs at the kv layer, against table size,
// without HTTP, JSON or the load generator in the way (docs/performance.md,
// "Query of 100 items vs table size").
//
// Loads N items shaped like bench/query_load.lua's (partitions of 100 keys,
// ~80-byte values, committed 25 per transaction like BatchWriteItem), then
// times R "queries" on one thread: begin() + one point get (the catalog
// lookup) + getRange of one random whole partition with limit 100 (the
// engine's read, which looks one pair past the limit). Prints thread CPU
// time and wall time per query with p50/p90/p99, so figures are comparable
// even while other processes load the machine.
//
// Usage: kv_range_bench memory|rocksdb N [R] [--reopen]
//   --reopen  close and reopen the store after loading (RocksDB: everything
//             flushed to SST files, cold block cache), then warm up.
// RocksDB data goes to a fresh directory under $TMPDIR (or /tmp), removed at
// exit.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "kv/kv.h"

namespace {

using fdyno::kv::Store;

// Item key shaped like the engine's: table prefix, escaped partition key
// with its 00 00 terminator, then an 8-byte sort key.
std::string itemKey(int partition, int sort) {
  std::string k("\x02\x00\x00\x00\x07\x00", 6);
  k += "p" + std::to_string(partition);
  k.append("\x00\x00", 2);
  char sk[8];
  for (int i = 0; i < 8; ++i) sk[i] = static_cast<char>(i == 7 ? sort : 0);
  k.append(sk, 8);
  return k;
}

std::string partitionBegin(int partition) {
  std::string k("\x02\x00\x00\x00\x07\x00", 6);
  k += "p" + std::to_string(partition);
  k.append("\x00\x00", 2);
  return k;
}

std::string partitionEnd(int partition) {
  std::string k = partitionBegin(partition);
  k.back() = '\x01';
  return k;
}

double threadCpuUs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

std::unique_ptr<Store> openStore(bool memory, const std::string& dir) {
  fdyno::kv::StoreOptions opts;
  opts.durability = fdyno::kv::DurabilityMode::kRelaxed;
  auto r = memory ? fdyno::kv::openMemoryStore(opts) : fdyno::kv::openRocksDbStore(dir, opts);
  if (!r.ok()) {
    std::fprintf(stderr, "open: %s\n", r.status().toString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "%s failed\n", what);
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: kv_range_bench memory|rocksdb N [R] [--reopen]\n");
    return 2;
  }
  const bool memory = std::strcmp(argv[1], "memory") == 0;
  const int n = std::atoi(argv[2]);
  const int rounds = argc > 3 && argv[3][0] != '-' ? std::atoi(argv[3]) : 100000;
  bool reopen = false;
  for (int i = 3; i < argc; ++i) reopen |= std::strcmp(argv[i], "--reopen") == 0;
  const int partitions = n / 100;
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("fdyno-kv-range-" + std::to_string(::getpid()))).string();

  auto store = openStore(memory, dir);
  const std::string catalog_key("\x01table/qbench", 13);
  const std::string value(80, 'v');
  auto t0 = std::chrono::steady_clock::now();
  {
    auto txn = store->begin();
    txn->set(catalog_key, std::string(200, 'c'));
    check(txn->commit().ok(), "commit");
  }
  for (int base = 0; base < n; base += 25) {
    auto txn = store->begin();
    for (int i = base; i < std::min(n, base + 25); ++i) txn->set(itemKey(i / 100, i % 100), value);
    check(txn->commit().ok(), "commit");
  }
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (reopen) {
    check(store->flush().ok(), "flush");
    store.reset();
    store = openStore(memory, dir);
  }

  std::mt19937 rng(42);
  std::vector<double> cpu;
  std::vector<double> wall;
  cpu.reserve(rounds);
  wall.reserve(rounds);
  size_t pairs = 0;
  for (int pass = 0; pass < 2; ++pass) {  // pass 0 warms up
    const int count = pass == 0 ? std::min(rounds, 20000) : rounds;
    for (int r = 0; r < count; ++r) {
      const int p = static_cast<int>(rng() % partitions);
      double c0 = threadCpuUs();
      auto w0 = std::chrono::steady_clock::now();
      auto txn = store->begin();
      auto def = txn->get(catalog_key, /*snapshot=*/true);
      check(def.ok() && def.value().has_value(), "catalog get");
      fdyno::kv::RangeOptions opts;
      opts.limit = 100;
      auto rr = txn->getRange(partitionBegin(p), partitionEnd(p), opts, /*snapshot=*/true);
      check(rr.ok() && rr.value().pairs.size() == 100 && !rr.value().more, "range read");
      txn.reset();
      if (pass == 1) {
        cpu.push_back(threadCpuUs() - c0);
        wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - w0).count());
        pairs += rr.value().pairs.size();
      }
    }
  }
  auto pct = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(q * (v.size() - 1))];
  };
  double cpu_sum = 0;
  for (double c : cpu) cpu_sum += c;
  std::printf("%s N=%d%s load %.1fs: %d queries of %zu pairs, cpu %.2f us/query (p50 %.1f p90 %.1f p99 %.1f), "
              "wall p50 %.1f p90 %.1f p99 %.1f us\n",
              argv[1], n, reopen ? " reopened" : "", load_s, rounds, pairs / std::max(1, rounds),
              cpu_sum / rounds, pct(cpu, 0.5), pct(cpu, 0.9), pct(cpu, 0.99), pct(wall, 0.5), pct(wall, 0.9),
              pct(wall, 0.99));
  store.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}

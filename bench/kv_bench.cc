// kv_bench: micro-benchmarks of the storage layer (docs/kv.md, "Performance").
//
// Measures what GetItem and PutItem cost at the kv layer: a point read in a
// fresh transaction, and a single-key commit, for the memory backend and for
// RocksDB in kSync and kRelaxed modes; multi-threaded commits show how much
// group commit shares fsyncs. RocksDB data goes to a fresh directory under
// $TMPDIR (or /tmp), removed at exit.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <unistd.h>

#include "kv/kv.h"

namespace {

using fdyno::kv::DurabilityMode;
using fdyno::kv::Store;

constexpr int kKeys = 100000;

std::string keyFor(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "item/%08d", i);
  return buf;
}

const std::filesystem::path& benchDir() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("fdyno-kv-bench-" + std::to_string(::getpid()));
  return dir;
}

// One preloaded store per configuration, shared by all threads of a benchmark.
std::mutex stores_mu;
std::unique_ptr<Store> stores[3];

Store& storeFor(int config) {
  std::lock_guard lock(stores_mu);
  if (!stores[config]) {
    fdyno::kv::StoreOptions opts;
    opts.durability = config == 2 ? DurabilityMode::kRelaxed : DurabilityMode::kSync;
    auto r = config == 0 ? fdyno::kv::openMemoryStore(opts)
                         : fdyno::kv::openRocksDbStore((benchDir() / std::to_string(config)).string(), opts);
    if (!r.ok()) std::abort();
    stores[config] = std::move(r).value();
    std::string value(400, 'v');  // a typical small DynamoDB item
    for (int base = 0; base < kKeys; base += 1000) {
      auto txn = stores[config]->begin();
      for (int i = base; i < base + 1000; ++i) txn->set(keyFor(i), value);
      if (!txn->commit().ok()) std::abort();
    }
  }
  return *stores[config];
}

// config: 0 = memory, 1 = rocksdb kSync, 2 = rocksdb kRelaxed
void BM_PointGet(benchmark::State& state) {
  Store& store = storeFor(static_cast<int>(state.range(0)));
  std::minstd_rand rng(static_cast<unsigned>(state.thread_index() + 1));
  std::string key = keyFor(0);
  for (auto _ : state) {
    std::snprintf(key.data(), key.size() + 1, "item/%08d", static_cast<int>(rng() % kKeys));
    auto txn = store.begin();
    auto v = txn->get(key);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SingleKeyCommit(benchmark::State& state) {
  Store& store = storeFor(static_cast<int>(state.range(0)));
  std::minstd_rand rng(static_cast<unsigned>(state.thread_index() + 7));
  std::string value(400, 'w');
  for (auto _ : state) {
    auto txn = store.begin();
    txn->set(keyFor(static_cast<int>(rng() % kKeys)), value);
    auto r = txn->commit();
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_PointGet)->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(BM_PointGet)->Arg(0)->Arg(1)->Threads(4)->UseRealTime();
BENCHMARK(BM_SingleKeyCommit)->Arg(0)->Arg(1)->Arg(2)->UseRealTime();
BENCHMARK(BM_SingleKeyCommit)->Arg(0)->Arg(1)->Arg(2)->Threads(8)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (auto& s : stores) s.reset();  // close RocksDB before removing its files
  std::filesystem::remove_all(benchDir());
  return 0;
}

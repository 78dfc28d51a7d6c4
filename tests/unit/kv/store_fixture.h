// store_fixture.h: a GoogleTest fixture parameterized over every kv backend,
// so each behaviour in kv.h is tested once and run against all of them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "kv/kv.h"
#include "pg_test_cluster.h"

namespace fdyno::kv::testing {

// kPostgresPerRequest: the PostgreSQL store with its set-based group commit
// switched off, so both commit functions are held to the whole contract.
enum class BackendKind { kMemory, kRocksDb, kPostgres, kPostgresPerRequest };

inline std::string backendName(const ::testing::TestParamInfo<BackendKind>& info) {
  switch (info.param) {
    case BackendKind::kMemory: return "Memory";
    case BackendKind::kRocksDb: return "RocksDb";
    case BackendKind::kPostgres: return "Postgres";
    case BackendKind::kPostgresPerRequest: return "PostgresPerRequest";
  }
  return "?";
}

// Every backend, for the suites that test kv.h's contract.
#define FDYNO_ALL_BACKENDS ::testing::Values(BackendKind::kMemory, BackendKind::kRocksDb, BackendKind::kPostgres, \
                                            BackendKind::kPostgresPerRequest)

// A fresh, unique directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("fdyno-kv-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::remove_all(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

class StoreTest : public ::testing::TestWithParam<BackendKind> {
 protected:
  void SetUp() override { reopen(); }

  // (Re)opens the store; for RocksDB the same directory and for PostgreSQL
  // the same schema, so data persists.
  void reopen(DurabilityMode mode = DurabilityMode::kSync) { reopenStore(&store_, mode); }

  // Opens a(nother) store on the same data into *out (PostgreSQL: a second
  // process's view of one database; memory: a new, empty store).
  void reopenStore(std::unique_ptr<Store>* out, DurabilityMode mode = DurabilityMode::kSync) {
    out->reset();
    StoreOptions opts;
    opts.durability = mode;
    Result<std::unique_ptr<Store>> r = Status::Internal("no backend");
    switch (GetParam()) {
      case BackendKind::kMemory: r = openMemoryStore(opts); break;
      case BackendKind::kRocksDb: r = openRocksDbStore(dir_.path() + "/db", opts); break;
      case BackendKind::kPostgres:
      case BackendKind::kPostgresPerRequest: {
        if (pg_url_.empty()) {
          std::string error;
          pg_url_ = freshPostgresUrl(&error);
          ASSERT_FALSE(pg_url_.empty()) << error;
        }
        PostgresOptions pg;
        pg.set_based_commit = GetParam() == BackendKind::kPostgres;
        r = openPostgresStore(pg_url_, opts, pg);
        break;
      }
    }
    ASSERT_TRUE(r.ok()) << r.status().message();
    *out = std::move(r).value();
  }

  // Commits key=value in its own transaction and returns the commit version.
  uint64_t put(std::string_view key, std::string_view value) {
    auto txn = store_->begin();
    txn->set(key, value);
    Result<uint64_t> v = txn->commit();
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : 0;
  }

  std::optional<std::string> read(std::string_view key) {
    auto txn = store_->begin();
    Result<std::optional<std::string>> v = txn->get(key);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : std::nullopt;
  }

  TempDir dir_;
  std::string pg_url_;
  std::unique_ptr<Store> store_;
};

inline std::vector<std::string> keysOf(const RangeResult& r) {
  std::vector<std::string> keys;
  for (const KeyValue& kv : r.pairs) keys.push_back(kv.key);
  return keys;
}

inline std::string encodeCounter(int64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xFF);
  return out;
}

inline int64_t decodeCounter(const std::string& v) {
  int64_t out = 0;
  for (size_t i = 0; i < 8 && i < v.size(); ++i) {
    out |= static_cast<int64_t>(static_cast<unsigned char>(v[i])) << (8 * i);
  }
  return out;
}

}  // namespace fdyno::kv::testing

// openRocksDbStore: the RocksDB store factory (kv.h).
#include "kv/kv.h"
#include "kv/occ_store.h"
#include "kv/rocksdb/rocksdb_backend.h"

namespace fdyno::kv {

Result<std::unique_ptr<Store>> openRocksDbStore(const std::string& dir, const StoreOptions& opts) {
  if (dir.empty()) return Status::InvalidArgument("rocksdb data directory must not be empty");
  FDYNO_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbBackend> backend, RocksDbBackend::open(dir));
  return std::unique_ptr<Store>(std::make_unique<OccStore>(std::move(backend), opts));
}

}  // namespace fdyno::kv

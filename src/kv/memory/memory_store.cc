// openMemoryStore: the in-memory store factory (kv.h).
#include "kv/kv.h"
#include "kv/memory/memory_backend.h"
#include "kv/occ_store.h"

namespace fdyno::kv {

Result<std::unique_ptr<Store>> openMemoryStore(const StoreOptions& opts) {
  return std::unique_ptr<Store>(std::make_unique<OccStore>(std::make_unique<MemoryBackend>(), opts));
}

}  // namespace fdyno::kv

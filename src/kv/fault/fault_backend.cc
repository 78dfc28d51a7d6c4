// The fault layer behind kv/fault_injection.h: a Backend decorator.
#include <thread>

#include "common/fiber.h"
#include "kv/backend.h"
#include "kv/fault_injection.h"
#include "kv/memory/memory_backend.h"
#include "kv/occ_store.h"
#include "kv/rocksdb/rocksdb_backend.h"

namespace fdyno::kv {

bool FaultInjector::take(std::atomic<int>& counter) {
  int n = counter.load(std::memory_order_acquire);
  while (n != 0) {
    if (n < 0) return true;  // armed until cleared
    if (counter.compare_exchange_weak(n, n - 1, std::memory_order_acq_rel)) return true;
  }
  return false;
}

Status FaultInjector::takeCommitFault() {
  if (!take(commit_faults_)) return Status::OK();
  failed_commits_.fetch_add(1);
  StatusCode code = commit_code_.load(std::memory_order_relaxed);
  return Status(code, code == StatusCode::kNoSpace ? "injected fault: no space left on device"
                                                   : "injected fault: write failed");
}

Status FaultInjector::takeReadFault() {
  if (!take(read_faults_)) return Status::OK();
  failed_reads_.fetch_add(1);
  return Status::IOError("injected fault: read failed");
}

namespace {

class FaultCursor final : public ReadCursor {
 public:
  FaultCursor(std::unique_ptr<ReadCursor> inner, Status fault) : inner_(std::move(inner)), fault_(std::move(fault)) {}
  bool valid() const override { return fault_.ok() && inner_->valid(); }
  std::string_view key() const override { return inner_->key(); }
  std::string_view value() const override { return inner_->value(); }
  void next() override { inner_->next(); }
  Status status() const override { return fault_.ok() ? inner_->status() : fault_; }

 private:
  std::unique_ptr<ReadCursor> inner_;
  Status fault_;
};

class FaultView final : public ReadView {
 public:
  FaultView(std::unique_ptr<ReadView> inner, FaultInjector& faults) : inner_(std::move(inner)), faults_(faults) {}
  uint64_t version() const override { return inner_->version(); }
  Result<std::optional<std::string>> get(std::string_view key) override {
    FDYNO_RETURN_IF_ERROR(faults_.takeReadFault());
    return inner_->get(key);
  }
  std::unique_ptr<ReadCursor> scan(std::string_view begin, std::string_view end, bool reverse) override {
    return std::make_unique<FaultCursor>(inner_->scan(begin, end, reverse), faults_.takeReadFault());
  }

 private:
  std::unique_ptr<ReadView> inner_;
  FaultInjector& faults_;
};

class FaultBackend final : public Backend {
 public:
  FaultBackend(std::unique_ptr<Backend> inner, std::shared_ptr<FaultInjector> faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}

  std::unique_ptr<ReadView> openView() override { return std::make_unique<FaultView>(inner_->openView(), *faults_); }
  uint64_t publishedVersion() const override { return inner_->publishedVersion(); }
  Result<std::optional<std::string>> readLatest(std::string_view key) override { return inner_->readLatest(key); }
  Status applyGroup(std::span<const Mutation> mutations, uint64_t last_version, bool sync,
                    uint64_t oldest_read_version) override {
    if (auto d = faults_->commitDelay(); d.count() > 0) sleepFor(std::chrono::duration_cast<std::chrono::microseconds>(d));
    FDYNO_RETURN_IF_ERROR(faults_->takeCommitFault());
    return inner_->applyGroup(mutations, last_version, sync, oldest_read_version);
  }
  void publishUnchanged(uint64_t last_version) override { inner_->publishUnchanged(last_version); }
  Status flush() override { return inner_->flush(); }
  std::string describe() const override { return inner_->describe() + " (with fault injection)"; }

 private:
  std::unique_ptr<Backend> inner_;
  std::shared_ptr<FaultInjector> faults_;
};

}  // namespace

Result<std::unique_ptr<Store>> openFaultInjectingStore(std::shared_ptr<FaultInjector> faults,
                                                       const std::string& rocksdb_dir, const StoreOptions& opts) {
  std::unique_ptr<Backend> inner;
  if (rocksdb_dir.empty()) {
    inner = std::make_unique<MemoryBackend>();
  } else {
    FDYNO_ASSIGN_OR_RETURN(std::unique_ptr<RocksDbBackend> r, RocksDbBackend::open(rocksdb_dir));
    inner = std::move(r);
  }
  auto backend = std::make_unique<FaultBackend>(std::move(inner), std::move(faults));
  return std::unique_ptr<Store>(std::make_unique<OccStore>(std::move(backend), opts));
}

}  // namespace fdyno::kv

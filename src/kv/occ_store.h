// occ_store.h: the Store and Transaction implementation shared by every
// backend: optimistic concurrency control over a Backend (backend.h).
//
// Contract:
// - OccStore owns its Backend. Every Transaction must be destroyed before the
//   store (they hold views into the backend).
// - Transactions read the backend through a ReadView pinned at begin(); their
//   writes stay in a WriteBuffer until commit() hands them to the
//   CommitPipeline.
// - Reads, the write buffer and key validation are BufferedTransaction's
//   (buffered_transaction.h), shared with the PostgreSQL store.
// - A read-only transaction's commit never conflicts: all its reads come from
//   one snapshot, so it is serializable at its read version.
// - Thread safety: OccStore is thread-safe; an OccTransaction is used by one
//   thread at a time.
#pragma once

#include <memory>
#include <string>

#include "kv/backend.h"
#include "kv/buffered_transaction.h"
#include "kv/commit_pipeline.h"
#include "kv/conflict_tracker.h"
#include "kv/kv.h"
#include "kv/read_version_registry.h"
#include "kv/write_buffer.h"

namespace fdyno::kv {

class OccStore final : public Store {
 public:
  OccStore(std::unique_ptr<Backend> backend, const StoreOptions& opts);
  ~OccStore() override;

  std::unique_ptr<Transaction> begin() override;
  Status flush() override;
  std::string describe() const override;

  Backend& backend() { return *backend_; }
  ReadVersionRegistry& registry() { return registry_; }
  CommitPipeline& pipeline() { return pipeline_; }

 private:
  std::unique_ptr<Backend> backend_;
  ReadVersionRegistry registry_;
  CommitPipeline pipeline_;
};

class OccTransaction final : public BufferedTransaction {
 public:
  explicit OccTransaction(OccStore& store);
  ~OccTransaction() override;

  uint64_t readVersion() const override { return ticket_.version; }
  Result<uint64_t> commit() override;

 private:
  ReadView& view() override { return *view_; }
  void release();

  OccStore& store_;
  ReadVersionRegistry::Ticket ticket_;
  std::unique_ptr<ReadView> view_;
};

}  // namespace fdyno::kv

// occ_store.h: the Store and Transaction implementation shared by every
// backend: optimistic concurrency control over a Backend (backend.h).
//
// Contract:
// - OccStore owns its Backend. Every Transaction must be destroyed before the
//   store (they hold views into the backend).
// - Transactions read the backend through a ReadView pinned at begin(); their
//   writes stay in a WriteBuffer until commit() hands them to the
//   CommitPipeline.
// - Invalid writes (empty or reserved keys) cannot report an error from the
//   void setters of kv.h, so the first one is remembered and commit() returns
//   it as kInvalidArgument without writing anything.
// - A read-only transaction's commit never conflicts: all its reads come from
//   one snapshot, so it is serializable at its read version.
// - Thread safety: OccStore is thread-safe; an OccTransaction is used by one
//   thread at a time.
#pragma once

#include <memory>
#include <string>

#include "kv/backend.h"
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

class OccTransaction final : public Transaction {
 public:
  explicit OccTransaction(OccStore& store);
  ~OccTransaction() override;

  Result<std::optional<std::string>> get(std::string_view key, bool snapshot) override;
  Result<RangeResult> getRange(std::string_view begin, std::string_view end, const RangeOptions& opts,
                               bool snapshot) override;
  void set(std::string_view key, std::string_view value) override;
  void clear(std::string_view key) override;
  void clearRange(std::string_view begin, std::string_view end) override;
  void atomicAdd(std::string_view key, int64_t delta) override;
  void setVersionstampedKey(std::string_view prefix, std::string_view suffix,
                            std::string_view value) override;
  void addReadConflictRange(std::string_view begin, std::string_view end) override;
  uint64_t readVersion() const override { return ticket_.version; }
  Result<uint64_t> commit() override;

 private:
  // Validates a key written by a void setter; remembers the first error.
  bool acceptWriteKey(std::string_view key);
  void release();

  OccStore& store_;
  ReadVersionRegistry::Ticket ticket_;
  std::unique_ptr<ReadView> view_;
  WriteBuffer writes_;
  ReadConflicts reads_;
  Status deferred_error_;
  bool finished_ = false;
};

}  // namespace fdyno::kv

#include "kv/occ_store.h"

namespace fdyno::kv {

OccStore::OccStore(std::unique_ptr<Backend> backend, const StoreOptions& opts)
    : backend_(std::move(backend)), pipeline_(*backend_, registry_, opts.durability) {}

OccStore::~OccStore() { pipeline_.close(); }

std::unique_ptr<Transaction> OccStore::begin() { return std::make_unique<OccTransaction>(*this); }

Status OccStore::flush() { return backend_->flush(); }

std::string OccStore::describe() const { return backend_->describe(); }

OccTransaction::OccTransaction(OccStore& store) : store_(store) {
  view_ = store.registry().enter([&] { return store.backend().openView(); }, &ticket_);
}

OccTransaction::~OccTransaction() { release(); }

void OccTransaction::release() {
  if (view_ == nullptr) return;
  view_.reset();
  store_.registry().leave(ticket_);
}

Result<uint64_t> OccTransaction::commit() {
  if (Status st = startCommit(); !st.ok()) {
    release();
    return st;
  }
  uint64_t read_version = ticket_.version;
  if (writes_.empty()) {
    release();
    return read_version;
  }
  CommitRequest request;
  request.read_version = read_version;
  request.reads = &reads_;
  request.writes = &writes_;
  // Stay registered until validated: our read version pins conflict history.
  Result<uint64_t> result = store_.pipeline().commit(request);
  release();
  return result;
}

}  // namespace fdyno::kv

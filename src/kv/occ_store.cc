#include "kv/occ_store.h"

#include <algorithm>

#include "kv/key_encoding.h"
#include "kv/range_read.h"

namespace fdyno::kv {
namespace {

// Versionstamps carry a 2-byte order within the transaction.
constexpr size_t kMaxVersionstampedPerTxn = 65536;

Status checkReadKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("key must not be empty");
  if (isReservedKey(key)) return Status::InvalidArgument("key is in the reserved 0xFF key space");
  return Status::OK();
}

// Reserved keys are invisible: ranges are cut at the start of 0xFF space.
std::string_view clampEnd(std::string_view end) { return end > kUserKeyEnd ? kUserKeyEnd : end; }

}  // namespace

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

Result<std::optional<std::string>> OccTransaction::get(std::string_view key, bool snapshot) {
  if (finished_) return Status::InvalidArgument("transaction already committed");
  FDYNO_RETURN_IF_ERROR(checkReadKey(key));
  if (const PointWrite* write = writes_.findPoint(key)) {
    switch (write->kind) {
      case PointWrite::Kind::kSet:
        return std::optional<std::string>(write->value);
      case PointWrite::Kind::kClear:
        return std::optional<std::string>();
      case PointWrite::Kind::kAdd: {
        // The answer now depends on the stored value, so it is a real read.
        FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> base, view_->get(key));
        if (!snapshot) reads_.keys.emplace_back(key);
        std::optional<std::string_view> base_view;
        if (base) base_view = *base;
        return std::optional<std::string>(applyAdd(base_view, write->delta));
      }
    }
  }
  // A buffered clear decides the answer without looking at the store.
  if (writes_.isCleared(key)) return std::optional<std::string>();
  Result<std::optional<std::string>> value = view_->get(key);
  if (value.ok() && !snapshot) reads_.keys.emplace_back(key);
  return value;
}

Result<RangeResult> OccTransaction::getRange(std::string_view begin, std::string_view end,
                                             const RangeOptions& opts, bool snapshot) {
  if (finished_) return Status::InvalidArgument("transaction already committed");
  return readRangeMerged(*view_, writes_, begin, clampEnd(end), opts, snapshot ? nullptr : &reads_);
}

bool OccTransaction::acceptWriteKey(std::string_view key) {
  Status st = finished_ ? Status::InvalidArgument("transaction already committed") : checkReadKey(key);
  if (st.ok()) return true;
  if (deferred_error_.ok()) deferred_error_ = std::move(st);
  return false;
}

void OccTransaction::set(std::string_view key, std::string_view value) {
  if (acceptWriteKey(key)) writes_.set(key, value);
}

void OccTransaction::clear(std::string_view key) {
  if (acceptWriteKey(key)) writes_.clear(key);
}

void OccTransaction::clearRange(std::string_view begin, std::string_view end) {
  if (finished_) {
    acceptWriteKey({});
    return;
  }
  writes_.clearRange(begin, clampEnd(end));
}

void OccTransaction::atomicAdd(std::string_view key, int64_t delta) {
  if (acceptWriteKey(key)) writes_.atomicAdd(key, delta);
}

void OccTransaction::setVersionstampedKey(std::string_view prefix, std::string_view suffix,
                                          std::string_view value) {
  if (isReservedKey(prefix)) {
    acceptWriteKey(prefix);
    return;
  }
  if (writes_.versionstamped().size() >= kMaxVersionstampedPerTxn) {
    if (deferred_error_.ok()) {
      deferred_error_ = Status::InvalidArgument("too many versionstamped keys in one transaction (max 65536)");
    }
    return;
  }
  writes_.setVersionstamped(prefix, suffix, value);
}

void OccTransaction::addReadConflictRange(std::string_view begin, std::string_view end) {
  end = clampEnd(end);
  if (begin < end) reads_.ranges.emplace_back(std::string(begin), std::string(end));
}

Result<uint64_t> OccTransaction::commit() {
  if (finished_) return Status::InvalidArgument("transaction already committed");
  finished_ = true;
  if (!deferred_error_.ok()) {
    release();
    return deferred_error_;
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

// BufferedTransaction: the store-independent half of a kv transaction.
// Contract in buffered_transaction.h.
#include "kv/buffered_transaction.h"

#include "kv/key_encoding.h"
#include "kv/range_read.h"

namespace fdyno::kv {
namespace {

Status checkKey(std::string_view key) {
  if (key.empty()) return Status::InvalidArgument("key must not be empty");
  if (isReservedKey(key)) return Status::InvalidArgument("key is in the reserved 0xFF key space");
  return Status::OK();
}

// Reserved keys are invisible: ranges are cut at the start of 0xFF space.
std::string_view clampEnd(std::string_view end) { return end > kUserKeyEnd ? kUserKeyEnd : end; }

Status alreadyCommitted() { return Status::InvalidArgument("transaction already committed"); }

}  // namespace

Result<std::optional<std::string>> BufferedTransaction::get(std::string_view key, bool snapshot) {
  if (finished_) return alreadyCommitted();
  FDYNO_RETURN_IF_ERROR(checkKey(key));
  if (const PointWrite* write = writes_.findPoint(key)) {
    switch (write->kind) {
      case PointWrite::Kind::kSet:
        return std::optional<std::string>(write->value);
      case PointWrite::Kind::kClear:
        return std::optional<std::string>();
      case PointWrite::Kind::kAdd: {
        // The answer now depends on the stored value, so it is a real read.
        FDYNO_ASSIGN_OR_RETURN(std::optional<std::string> base, view().get(key));
        if (!snapshot) reads_.keys.emplace_back(key);
        std::optional<std::string_view> base_view;
        if (base) base_view = *base;
        return std::optional<std::string>(applyAdd(base_view, write->delta));
      }
    }
  }
  // A buffered clear decides the answer without looking at the store.
  if (writes_.isCleared(key)) return std::optional<std::string>();
  Result<std::optional<std::string>> value = view().get(key);
  if (value.ok() && !snapshot) reads_.keys.emplace_back(key);
  return value;
}

Status BufferedTransaction::getMany(std::span<const PointRead> reads, std::vector<std::optional<std::string>>* out) {
  if (finished_) return alreadyCommitted();
  out->assign(reads.size(), std::nullopt);
  // Which reads the store must answer; the buffer answers the others (a
  // pending atomicAdd is rare here: such keys take the one-by-one path).
  std::vector<std::string_view> remote;
  std::vector<size_t> slots;
  remote.reserve(reads.size());
  slots.reserve(reads.size());
  for (size_t i = 0; i < reads.size(); ++i) {
    std::string_view key = reads[i].key;
    FDYNO_RETURN_IF_ERROR(checkKey(key));
    if (writes_.findPoint(key) != nullptr) {
      FDYNO_ASSIGN_OR_RETURN((*out)[i], get(key, reads[i].snapshot));
      continue;
    }
    if (writes_.isCleared(key)) continue;
    remote.push_back(key);
    slots.push_back(i);
  }
  if (remote.empty()) return Status::OK();
  std::vector<std::optional<std::string>> values;
  FDYNO_RETURN_IF_ERROR(view().getMany(remote, &values));
  for (size_t j = 0; j < slots.size(); ++j) {
    (*out)[slots[j]] = std::move(values[j]);
    if (!reads[slots[j]].snapshot) reads_.keys.emplace_back(remote[j]);
  }
  return Status::OK();
}

Result<RangeResult> BufferedTransaction::getRange(std::string_view begin, std::string_view end,
                                                  const RangeOptions& opts, bool snapshot) {
  if (finished_) return alreadyCommitted();
  return readRangeMerged(view(), writes_, begin, clampEnd(end), opts, snapshot ? nullptr : &reads_);
}

bool BufferedTransaction::acceptWriteKey(std::string_view key) {
  Status st = finished_ ? alreadyCommitted() : checkKey(key);
  if (st.ok()) return true;
  defer(std::move(st));
  return false;
}

void BufferedTransaction::defer(Status st) {
  if (deferred_error_.ok()) deferred_error_ = std::move(st);
}

void BufferedTransaction::set(std::string_view key, std::string_view value) {
  if (acceptWriteKey(key)) writes_.set(key, value);
}

void BufferedTransaction::clear(std::string_view key) {
  if (acceptWriteKey(key)) writes_.clear(key);
}

void BufferedTransaction::clearRange(std::string_view begin, std::string_view end) {
  if (finished_) {
    acceptWriteKey({});
    return;
  }
  writes_.clearRange(begin, clampEnd(end));
}

void BufferedTransaction::atomicAdd(std::string_view key, int64_t delta) {
  if (acceptWriteKey(key)) writes_.atomicAdd(key, delta);
}

void BufferedTransaction::setVersionstampedKey(std::string_view prefix, std::string_view suffix,
                                               std::string_view value) {
  if (isReservedKey(prefix)) {
    acceptWriteKey(prefix);
    return;
  }
  if (writes_.versionstamped().size() >= kMaxVersionstampedPerTxn) {
    defer(Status::InvalidArgument("too many versionstamped keys in one transaction (max 65536)"));
    return;
  }
  writes_.setVersionstamped(prefix, suffix, value);
}

void BufferedTransaction::addReadConflictRange(std::string_view begin, std::string_view end) {
  end = clampEnd(end);
  if (begin >= end) return;
  pinReadVersion();
  reads_.ranges.emplace_back(std::string(begin), std::string(end));
}

Status BufferedTransaction::startCommit() {
  if (finished_) return alreadyCommitted();
  finished_ = true;
  return deferred_error_;
}

}  // namespace fdyno::kv

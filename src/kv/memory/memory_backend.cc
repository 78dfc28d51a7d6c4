#include "kv/memory/memory_backend.h"

#include <mutex>

namespace fdyno::kv {
namespace {

class MemoryCursor final : public ReadCursor {
 public:
  MemoryCursor(const MemoryBackend& backend, uint64_t version, std::string_view begin, std::string_view end,
               bool reverse)
      : lock_(backend.mutex()), map_(backend.data()), version_(version), reverse_(reverse) {
    if (reverse) {
      it_ = map_.lower_bound(end);
      stop_ = map_.lower_bound(begin);
      stepBackward();
    } else {
      it_ = map_.lower_bound(begin);
      stop_ = map_.lower_bound(end);
      skipInvisibleForward();
    }
  }

  bool valid() const override { return entry_ != nullptr; }
  std::string_view key() const override { return it_->first; }
  std::string_view value() const override { return entry_->value; }
  void next() override {
    if (reverse_) {
      stepBackward();
    } else {
      ++it_;
      skipInvisibleForward();
    }
  }
  Status status() const override { return Status::OK(); }

 private:
  void skipInvisibleForward() {
    entry_ = nullptr;
    for (; it_ != stop_; ++it_) {
      entry_ = MemoryBackend::visibleAt(it_->second, version_);
      if (entry_ != nullptr) return;
    }
  }
  // Moves to the previous visible key; `it_` points one past the candidate.
  void stepBackward() {
    entry_ = nullptr;
    while (it_ != stop_) {
      --it_;
      entry_ = MemoryBackend::visibleAt(it_->second, version_);
      if (entry_ != nullptr) return;
    }
  }

  // Held for the cursor's life: a getRange is short, and the leader's
  // exclusive section is short too (no I/O inside it).
  std::shared_lock<std::shared_mutex> lock_;
  const MemoryBackend::Map& map_;
  uint64_t version_;
  bool reverse_;
  MemoryBackend::Map::const_iterator it_;
  MemoryBackend::Map::const_iterator stop_;
  const MemoryBackend::Entry* entry_ = nullptr;
};

class MemoryView final : public ReadView {
 public:
  MemoryView(const MemoryBackend& backend, uint64_t version) : backend_(backend), version_(version) {}

  uint64_t version() const override { return version_; }

  Result<std::optional<std::string>> get(std::string_view key) override {
    std::shared_lock lock(backend_.mutex());
    const MemoryBackend::Chain* chain = backend_.findChain(key);
    if (chain == nullptr) return std::optional<std::string>();
    const MemoryBackend::Entry* entry = MemoryBackend::visibleAt(*chain, version_);
    if (entry == nullptr) return std::optional<std::string>();
    return std::optional<std::string>(entry->value);
  }

  std::unique_ptr<ReadCursor> scan(std::string_view begin, std::string_view end, bool reverse) override {
    return std::make_unique<MemoryCursor>(backend_, version_, begin, end, reverse);
  }

 private:
  const MemoryBackend& backend_;
  uint64_t version_;
};

}  // namespace

std::unique_ptr<ReadView> MemoryBackend::openView() {
  return std::make_unique<MemoryView>(*this, publishedVersion());
}

Result<std::optional<std::string>> MemoryBackend::readLatest(std::string_view key) {
  std::shared_lock lock(mu_);
  const Chain* chain = findChain(key);
  if (chain == nullptr || chain->empty() || !chain->back().present) return std::optional<std::string>();
  return std::optional<std::string>(chain->back().value);
}

MemoryBackend::Map::iterator MemoryBackend::findOrInsert(const std::string& key) {
  auto [it, inserted] = data_.try_emplace(key);
  if (inserted) index_.emplace(std::string_view(it->first), &it->second);
  return it;
}

void MemoryBackend::push(Map::iterator it, uint64_t version, bool present, std::string_view value) {
  Chain& chain = it->second;
  if (!chain.empty() && chain.back().version == version) {
    // Same transaction wrote the key twice (e.g. clearRange then set).
    chain.back().present = present;
    chain.back().value.assign(value);
    return;
  }
  bool had_history = !chain.empty();
  chain.push_back(Entry{version, present, std::string(value)});
  // Trim later: either an older entry became garbage or a tombstone can go.
  if (had_history || !present) gc_queue_.emplace_back(version, it->first);
}

Status MemoryBackend::applyGroup(std::span<const Mutation> mutations, uint64_t last_version, bool /*sync*/,
                                 uint64_t oldest_read_version) {
  {
    std::unique_lock lock(mu_);
    for (const Mutation& m : mutations) {
      switch (m.kind) {
        case Mutation::Kind::kSet: {
          push(findOrInsert(m.key), m.version, true, m.value);
          break;
        }
        case Mutation::Kind::kClear: {
          auto it = data_.find(m.key);
          if (it != data_.end() && !it->second.empty() && it->second.back().present) {
            push(it, m.version, false, {});
          }
          break;
        }
        case Mutation::Kind::kClearRange: {
          auto stop = data_.lower_bound(m.value);
          for (auto it = data_.lower_bound(m.key); it != stop; ++it) {
            if (!it->second.empty() && it->second.back().present) push(it, m.version, false, {});
          }
          break;
        }
      }
    }
    collectGarbage(oldest_read_version);
    // Publish only after the whole group is in place.
    published_.store(last_version, std::memory_order_release);
  }
  return Status::OK();
}

void MemoryBackend::collectGarbage(uint64_t oldest) {
  while (!gc_queue_.empty() && gc_queue_.front().first <= oldest) {
    auto it = data_.find(gc_queue_.front().second);
    gc_queue_.pop_front();
    if (it == data_.end()) continue;
    Chain& chain = it->second;
    // Keep the newest entry <= oldest (every reader still needs it) and all newer ones.
    size_t keep_from = 0;
    for (size_t i = 0; i < chain.size(); ++i) {
      if (chain[i].version <= oldest) keep_from = i;
    }
    if (keep_from > 0) chain.erase(chain.begin(), chain.begin() + static_cast<std::ptrdiff_t>(keep_from));
    if (chain.size() == 1 && !chain.front().present) {
      index_.erase(std::string_view(it->first));
      data_.erase(it);
    }
  }
}

}  // namespace fdyno::kv

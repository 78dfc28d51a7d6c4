#include "kv/commit_pipeline.h"

#include <chrono>
#include <map>
#include <optional>
#include <thread>

#include "common/counters.h"
#include "common/fiber.h"
#include "kv/key_encoding.h"

namespace fdyno::kv {
namespace {

// Turns accepted transactions' buffered writes into backend mutations, in
// apply order, resolving atomicAdds against everything before them: the
// committed state plus earlier writes of the same group (the overlay).
class GroupWriter {
 public:
  GroupWriter(Backend& backend, bool track_overlay) : backend_(backend), track_overlay_(track_overlay) {}

  // Appends one transaction at `version`, and records its write set in `tracker`.
  Status addTransaction(const WriteBuffer& writes, uint64_t version, ConflictTracker& tracker) {
    tracker.beginCommit(version);
    // Range clears first: point writes still in the buffer came after them
    // (an earlier point write inside a later clearRange was dropped).
    for (const auto& [begin, end] : writes.clearedRanges().ranges()) {
      tracker.addWrittenRange(begin, end);
      if (track_overlay_) {
        overlay_.erase(overlay_.lower_bound(begin), overlay_.lower_bound(end));
        cleared_.add(begin, end);
      }
      mutations_.push_back(Mutation{Mutation::Kind::kClearRange, version, begin, end});
    }
    for (const auto& [key, write] : writes.points()) {
      tracker.addWrittenKey(key);
      switch (write.kind) {
        case PointWrite::Kind::kSet:
          put(key, write.value, version);
          break;
        case PointWrite::Kind::kClear:
          if (track_overlay_) overlay_.insert_or_assign(key, std::nullopt);
          mutations_.push_back(Mutation{Mutation::Kind::kClear, version, key, {}});
          break;
        case PointWrite::Kind::kAdd: {
          Result<std::optional<std::string>> base = latest(key);
          if (!base.ok()) return base.status();
          std::optional<std::string_view> base_view;
          if (base->has_value()) base_view = **base;
          put(key, applyAdd(base_view, write.delta), version);
          break;
        }
      }
    }
    const auto& stamped = writes.versionstamped();
    for (size_t i = 0; i < stamped.size(); ++i) {
      const VersionstampedSet& vs = stamped[i];
      std::string key;
      key.reserve(vs.prefix.size() + kVersionstampSize + vs.suffix.size());
      key.append(vs.prefix);
      appendBigEndian64(&key, version);
      key.push_back(static_cast<char>((i >> 8) & 0xFF));
      key.push_back(static_cast<char>(i & 0xFF));
      key.append(vs.suffix);
      tracker.addWrittenKey(key);
      put(key, vs.value, version);
    }
    return Status::OK();
  }

  const std::vector<Mutation>& mutations() const { return mutations_; }

 private:
  void put(const std::string& key, const std::string& value, uint64_t version) {
    if (track_overlay_) overlay_.insert_or_assign(key, value);
    mutations_.push_back(Mutation{Mutation::Kind::kSet, version, key, value});
  }

  Result<std::optional<std::string>> latest(const std::string& key) {
    if (track_overlay_) {
      auto it = overlay_.find(key);
      if (it != overlay_.end()) return it->second;
      if (cleared_.contains(key)) return std::optional<std::string>();
    }
    return backend_.readLatest(key);
  }

  Backend& backend_;
  const bool track_overlay_;
  std::vector<Mutation> mutations_;
  std::map<std::string, std::optional<std::string>, std::less<>> overlay_;
  RangeSet cleared_;
};

bool hasPendingAdd(const WriteBuffer& writes) {
  for (const auto& [key, write] : writes.points()) {
    if (write.kind == PointWrite::Kind::kAdd) return true;
  }
  return false;
}

}  // namespace

CommitPipeline::CommitPipeline(Backend& backend, ReadVersionRegistry& registry, DurabilityMode durability)
    : backend_(backend),
      registry_(registry),
      sync_(durability == DurabilityMode::kSync),
      last_version_(backend.publishedVersion()) {}

Result<uint64_t> CommitPipeline::commit(CommitRequest& request) {
  // Counted in before closed_ is read, and close() sets closed_ before it
  // reads the count (both sequentially consistent): either this commit sees
  // closed_, or close() waits for it.
  active_.fetch_add(1);
  if (closed_.load()) {
    active_.fetch_sub(1);
    return Status::Busy("store is closing");
  }
  groups_.run(request, [this](const std::vector<CommitRequest*>& group) { processGroup(group); });
  active_.fetch_sub(1);
  if (!request.status.ok()) return request.status;
  return request.version;
}

void CommitPipeline::close() {
  closed_.store(true);
  // Once, at shutdown: the running group (an fsync at most) is short.
  while (active_.load() != 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void CommitPipeline::processGroup(const std::vector<CommitRequest*>& group) {
  // Every request in the group is still registered, so its read version is
  // >= oldest and pruning here cannot hide a conflict it needs to see.
  uint64_t oldest = registry_.oldest(backend_.publishedVersion());
  tracker_.prune(oldest);

  bool any_add = false;
  for (const CommitRequest* r : group) any_add = any_add || hasPendingAdd(*r->writes);
  GroupWriter writer(backend_, any_add);

  std::vector<CommitRequest*> accepted;
  accepted.reserve(group.size());
  uint64_t next = last_version_;
  Status failure;
  for (CommitRequest* r : group) {
    if (!failure.ok()) {
      r->status = failure;
      continue;
    }
    if (r->read_version < tracker_.horizon()) {
      r->status = Status::Conflict("transaction is too old to commit (conflict history was discarded); retry");
      continue;
    }
    if (tracker_.conflicts(r->read_version, *r->reads)) {
      r->status = Status::Conflict("transaction conflicts with a concurrent commit; retry");
      continue;
    }
    uint64_t version = ++next;
    Status st = writer.addTransaction(*r->writes, version, tracker_);
    if (!st.ok()) {
      failure = st;
      r->status = st;
      continue;
    }
    r->version = version;
    accepted.push_back(r);
  }
  // Versions are never reused, even if the batch below fails: a version that
  // failed to apply simply never becomes visible.
  last_version_ = next;
  if (failure.ok() && !accepted.empty()) {
    if (sync_) {
      // The fsync blocks: on a fiber it runs on a helper thread, so the
      // leader's event loop goes on serving (and queueing the next group).
      runBlocking([&] { failure = backend_.applyGroup(writer.mutations(), next, sync_, oldest); });
    } else {
      failure = backend_.applyGroup(writer.mutations(), next, sync_, oldest);
    }
  }
  if (!failure.ok()) {
    if (!accepted.empty()) backend_.publishUnchanged(next);
    if (failure.code() == StatusCode::kNoSpace) {
      counters::add(counters::Counter::kStorageFullWrites, accepted.size());
    }
    for (CommitRequest* r : accepted) r->status = failure;
  }
}

}  // namespace fdyno::kv

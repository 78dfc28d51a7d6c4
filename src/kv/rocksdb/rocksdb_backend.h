// rocksdb_backend.h: a durable Backend on RocksDB. The only header that names
// RocksDB types; nothing outside src/kv/rocksdb/ includes it.
//
// Contract:
// - Layout: user keys are stored verbatim; the reserved key
//   kCommitVersionKey ("\xff\x01version", value: 8-byte big-endian) holds the
//   last commit version and is written inside every group's WriteBatch, so
//   versions keep increasing after a restart.
// - Reads: the leader publishes, after each group's batch, one shared
//   rocksdb::Snapshot tagged with that group's last version; views hold a
//   reference to it. A Snapshot taken between two single-writer batches shows
//   exactly the groups up to its version.
// - Writes: one WriteBatch per group; WriteOptions.sync = true under kSync
//   (WAL fsynced before any committer is answered), false under kRelaxed (WAL
//   written to the OS, survives a process kill but not a machine crash).
// - Thread safety: as Backend (backend.h). Every view must be destroyed before
//   the backend (its snapshot is released against the open DB).
// - Errors: RocksDB failures map to kIOError (kCorruption for corruption,
//   kNoSpace for a full disk), carrying RocksDB's message.
// - Failed writes: a write RocksDB could not log is not applied, and RocksDB
//   then refuses writes (a "background error") until resumed. The backend
//   answers writes with kNoSpace meanwhile and, at most every
//   kResumeIntervalMs and only with kResumeMinFreeBytes free, asks RocksDB
//   to resume (which flushes the memtables first) (RocksDB's own automatic
//   recovery is turned off: it waits for 64 MB free, polling every 5 s):
//   writes succeed again once space is freed, without a restart.
//   Reads are served throughout.
// - RocksDB's own log is forwarded to fdyno's (warnings and errors); no LOG
//   file is written.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include <rocksdb/db.h>

#include "common/mutex.h"
#include "kv/backend.h"

namespace fdyno::kv {

inline constexpr std::string_view kCommitVersionKey{"\xff\x01version", 9};

// One published read point: a RocksDB snapshot and the commit version it shows.
// Owns the snapshot: released when the last view drops its reference.
struct PublishedSnapshot {
  PublishedSnapshot(rocksdb::DB* d, uint64_t v) : db(d), snapshot(d->GetSnapshot()), version(v) {}
  ~PublishedSnapshot() { db->ReleaseSnapshot(snapshot); }
  PublishedSnapshot(const PublishedSnapshot&) = delete;
  PublishedSnapshot& operator=(const PublishedSnapshot&) = delete;

  rocksdb::DB* const db;
  const rocksdb::Snapshot* const snapshot;
  const uint64_t version;
};

class RocksDbBackend final : public Backend {
 public:
  // Opens (creating if missing) the database in `dir`.
  static Result<std::unique_ptr<RocksDbBackend>> open(const std::string& dir);
  ~RocksDbBackend() override;

  std::unique_ptr<ReadView> openView() override;
  uint64_t publishedVersion() const override;
  Result<std::optional<std::string>> readLatest(std::string_view key) override;
  Status applyGroup(std::span<const Mutation> mutations, uint64_t last_version, bool sync,
                    uint64_t oldest_read_version) override;
  void publishUnchanged(uint64_t last_version) override { publish(last_version); }
  Status flush() override;
  std::string describe() const override { return "rocksdb at " + dir_; }

 private:
  RocksDbBackend(std::string dir, std::unique_ptr<rocksdb::DB> db, uint64_t version);
  void publish(uint64_t version);
  // After a failed write: OK once RocksDB accepts writes again.
  [[nodiscard]] Status resumeAfterFailure();

  static constexpr int64_t kResumeIntervalMs = 500;
  static constexpr uint64_t kResumeMinFreeBytes = 1 << 20;

  std::string dir_;
  std::unique_ptr<rocksdb::DB> db_;
  // Swapped by the leader; copied by begin(). A plain mutex: the critical
  // section is one shared_ptr copy.
  mutable Mutex published_mu_;
  std::shared_ptr<const PublishedSnapshot> published_ GUARDED_BY(published_mu_);
  // Leader only (applyGroup): a write failed and RocksDB was not resumed yet.
  bool failed_ = false;
  int64_t last_resume_ms_ = 0;
};

// Maps a RocksDB status to ours (OK stays OK).
Status fromRocksDb(const rocksdb::Status& s, std::string_view context);

}  // namespace fdyno::kv

#include "kv/rocksdb/rocksdb_backend.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>

#include "common/descriptors.h"
#include "common/log.h"
#include "kv/key_encoding.h"

namespace fdyno::kv {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}


class RocksDbCursor final : public ReadCursor {
 public:
  RocksDbCursor(rocksdb::DB* db, std::shared_ptr<const PublishedSnapshot> snap, std::string_view begin,
                std::string_view end, bool reverse)
      : snap_(std::move(snap)), begin_(begin), end_(end), lower_(begin_), upper_(end_), reverse_(reverse) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap_->snapshot;
    ro.iterate_lower_bound = &lower_;
    ro.iterate_upper_bound = &upper_;
    it_.reset(db->NewIterator(ro));
    if (reverse) {
      it_->SeekToLast();  // bounded by iterate_upper_bound: the last key < end
    } else {
      it_->SeekToFirst();
    }
  }

  bool valid() const override { return it_->Valid(); }
  std::string_view key() const override { return toView(it_->key()); }
  std::string_view value() const override { return toView(it_->value()); }
  void next() override {
    if (reverse_) {
      it_->Prev();
    } else {
      it_->Next();
    }
  }
  Status status() const override { return fromRocksDb(it_->status(), "range read"); }

 private:
  static std::string_view toView(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

  std::shared_ptr<const PublishedSnapshot> snap_;
  std::string begin_;
  std::string end_;
  rocksdb::Slice lower_;  // point into begin_/end_, which outlive the iterator
  rocksdb::Slice upper_;
  bool reverse_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

class RocksDbView final : public ReadView {
 public:
  explicit RocksDbView(std::shared_ptr<const PublishedSnapshot> snap) : snap_(std::move(snap)) {}

  uint64_t version() const override { return snap_->version; }

  Result<std::optional<std::string>> get(std::string_view key) override {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap_->snapshot;
    rocksdb::PinnableSlice value;
    rocksdb::Status s = snap_->db->Get(ro, snap_->db->DefaultColumnFamily(), rocksdb::Slice(key.data(), key.size()),
                                       &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return fromRocksDb(s, "get");
    return std::optional<std::string>(std::string(value.data(), value.size()));
  }

  std::unique_ptr<ReadCursor> scan(std::string_view begin, std::string_view end, bool reverse) override {
    return std::make_unique<RocksDbCursor>(snap_->db, snap_, begin, end, reverse);
  }

 private:
  std::shared_ptr<const PublishedSnapshot> snap_;
};

// RocksDB's own log goes to fdyno's log, warnings and errors only. Without
// this RocksDB writes a LOG file in the data directory, and the Debian build
// of the library has assertions on: once a LOG write failed on a full disk,
// the next LOG line aborted the process (at start-up too), which is how a
// full disk used to kill the server (issue 8, defect 3).
class ForwardingLogger final : public rocksdb::Logger {
 public:
  ForwardingLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
    // A failing disk can make RocksDB repeat itself: one line a second.
    uint64_t suppressed = 0;
    if (!limit_.admit(&suppressed)) return;
    char buf[1024];
    int n = std::vsnprintf(buf, sizeof buf, format, ap);
    if (n < 0) return;
    std::string_view text(buf, std::min(static_cast<size_t>(n), sizeof buf - 1));
    std::string line = "rocksdb: " + std::string(text);
    if (suppressed) line += " (" + std::to_string(suppressed) + " similar lines suppressed)";
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
      log::error(line);
    } else {
      log::warn(line);
    }
  }

 private:
  log::RateLimit limit_{std::chrono::seconds(1)};
};

// RocksDB's automatic recovery from a full disk waits until a whole
// memtable's worth (64 MB) is free and polls every 5 s: a small volume
// would never recover, and a manual Resume() is refused meanwhile. fdyno
// resumes itself instead (RocksDbBackend::resumeAfterFailure).
class ManualRecovery final : public rocksdb::EventListener {
 public:
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status, bool* auto_recovery) override {
    *auto_recovery = false;
  }
};

rocksdb::Options makeOptions() {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.info_log = std::make_shared<ForwardingLogger>();
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.listeners.push_back(std::make_shared<ManualRecovery>());
  // RocksDB keeps every table file open by default: on a large database
  // that would take the descriptors client connections count on. Its share
  // of RLIMIT_NOFILE (common/descriptors.h) bounds it; beyond it RocksDB
  // reopens files through its table cache.
  options.max_open_files = static_cast<int>(descriptorBudget().store_files);
  // Two cores on the target machines: one flush plus one compaction thread.
  options.max_background_jobs = 2;
  options.bytes_per_sync = 1 << 20;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(128 << 20);
  // Point reads (GetItem) are the hot path: a whole-key bloom filter skips
  // SST files that cannot hold the key.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  // 16 KB data blocks (RocksDB's default is 4 KB): a Query page of 100
  // ~100-byte items is ~10-13 KB of contiguous keys, which spans 3-4 blocks
  // of 4 KB (a block-cache lookup, a block iterator and a cold cache line
  // walk each) but usually 1-2 of 16 KB, and the index is 4x smaller. On a
  // 1,000,000-item table this cut a 100-pair range read from ~32 to ~27 us
  // (bench/kv_range_bench, docs/performance.md); 10,000 items unchanged.
  table.block_size = 16 << 10;
  // Larger blocks would make point reads (GetItem) binary-search more
  // restart points; a per-block hash index finds the key in one probe.
  table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  table.data_block_hash_table_util_ratio = 0.75;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  table.format_version = 5;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // Memtable bloom for keys not yet flushed.
  options.memtable_prefix_bloom_size_ratio = 0.02;
  options.memtable_whole_key_filtering = true;
  // Cheap LZ4 for upper levels, denser ZSTD at the bottom, if compiled in.
  auto supported = rocksdb::GetSupportedCompressions();
  auto has = [&](rocksdb::CompressionType t) {
    for (auto s : supported) {
      if (s == t) return true;
    }
    return false;
  };
  if (has(rocksdb::kLZ4Compression)) {
    options.compression = rocksdb::kLZ4Compression;
  } else if (has(rocksdb::kSnappyCompression)) {
    options.compression = rocksdb::kSnappyCompression;
  }
  if (has(rocksdb::kZSTD)) options.bottommost_compression = rocksdb::kZSTD;
  return options;
}

}  // namespace

Status fromRocksDb(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status::OK();
  std::string msg = "rocksdb " + std::string(context) + ": " + s.ToString();
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsNoSpace()) return Status::NoSpace(msg);
  if (s.IsShutdownInProgress()) return Status::Busy(msg);
  return Status::IOError(msg);
}

Result<std::unique_ptr<RocksDbBackend>> RocksDbBackend::open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create data directory " + dir + ": " + ec.message());
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(makeOptions(), dir, &raw);
  if (s.IsNoSpace()) {
    return Status::NoSpace("cannot open " + dir + ": the storage is out of space (free some space and start again)");
  }
  if (!s.ok()) return fromRocksDb(s, "open " + dir);
  std::unique_ptr<rocksdb::DB> db(raw);
  std::string stored;
  s = db->Get(rocksdb::ReadOptions(), rocksdb::Slice(kCommitVersionKey.data(), kCommitVersionKey.size()), &stored);
  uint64_t version = 0;
  if (s.ok()) {
    if (stored.size() != 8) return Status::Corruption("stored commit version is not 8 bytes");
    version = decodeBigEndian64(stored);
  } else if (!s.IsNotFound()) {
    return fromRocksDb(s, "read commit version");
  }
  return std::unique_ptr<RocksDbBackend>(new RocksDbBackend(dir, std::move(db), version));
}

RocksDbBackend::RocksDbBackend(std::string dir, std::unique_ptr<rocksdb::DB> db, uint64_t version)
    : dir_(std::move(dir)), db_(std::move(db)) {
  publish(version);
}

RocksDbBackend::~RocksDbBackend() {
  published_.reset();  // release the snapshot before closing
  if (db_) {
    rocksdb::Status s = db_->Close();
    (void)s;  // nothing useful to do with a close error in a destructor
  }
}

void RocksDbBackend::publish(uint64_t version) {
  auto snap = std::make_shared<const PublishedSnapshot>(db_.get(), version);
  std::shared_ptr<const PublishedSnapshot> old;
  {
    MutexLock lock(published_mu_);
    old = std::move(published_);
    published_ = std::move(snap);
  }
  // `old` is released outside the lock (ReleaseSnapshot takes RocksDB's mutex).
}

std::unique_ptr<ReadView> RocksDbBackend::openView() {
  std::shared_ptr<const PublishedSnapshot> snap;
  {
    MutexLock lock(published_mu_);
    snap = published_;
  }
  return std::make_unique<RocksDbView>(std::move(snap));
}

uint64_t RocksDbBackend::publishedVersion() const {
  MutexLock lock(published_mu_);
  return published_->version;
}

Result<std::optional<std::string>> RocksDbBackend::readLatest(std::string_view key) {
  rocksdb::PinnableSlice value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return fromRocksDb(s, "get");
  return std::optional<std::string>(std::string(value.data(), value.size()));
}

Status RocksDbBackend::applyGroup(std::span<const Mutation> mutations, uint64_t last_version, bool sync,
                                  uint64_t /*oldest_read_version*/) {
  rocksdb::WriteBatch batch;
  for (const Mutation& m : mutations) {
    rocksdb::Slice key(m.key.data(), m.key.size());
    rocksdb::Status s;
    switch (m.kind) {
      case Mutation::Kind::kSet:
        s = batch.Put(key, rocksdb::Slice(m.value.data(), m.value.size()));
        break;
      case Mutation::Kind::kClear:
        s = batch.Delete(key);
        break;
      case Mutation::Kind::kClearRange:
        s = batch.DeleteRange(key, rocksdb::Slice(m.value.data(), m.value.size()));
        break;
    }
    if (!s.ok()) return fromRocksDb(s, "build write batch");
  }
  std::string version;
  appendBigEndian64(&version, last_version);
  rocksdb::Status s = batch.Put(rocksdb::Slice(kCommitVersionKey.data(), kCommitVersionKey.size()), version);
  if (!s.ok()) return fromRocksDb(s, "build write batch");
  if (failed_) FDYNO_RETURN_IF_ERROR(resumeAfterFailure());
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  s = db_->Write(wo, &batch);
  if (!s.ok()) {
    // The batch was not applied (RocksDB writes the WAL first and applies a
    // batch only once it is logged). RocksDB now refuses every write until
    // resumed: remember it, and try again later (resumeAfterFailure).
    Status st = fromRocksDb(s, "write");
    if (!failed_) {
      failed_ = true;
      last_resume_ms_ = nowMs();
      log::error(st.code() == StatusCode::kNoSpace
                     ? "storage: " + dir_ + " is out of space; writes are refused until space is freed (" +
                           st.message() + ")"
                     : "storage: write failed, writes are refused until the store recovers (" + st.message() + ")");
    }
    return st;
  }
  publish(last_version);
  return Status::OK();
}

Status RocksDbBackend::resumeAfterFailure() {
  // At most one attempt per interval: a resume flushes the memtables, which
  // is wasted work (and log noise) while the disk is still full.
  const int64_t now = nowMs();
  if (now - last_resume_ms_ < kResumeIntervalMs) {
    return Status::NoSpace("storage is out of space (waiting for free space)");
  }
  last_resume_ms_ = now;
  // Resuming flushes the memtables to a new table file first (compressed,
  // so its size is not known before): try once a little space is free; a
  // flush that does not fit fails cleanly and is tried again later.
  struct statvfs fs {};
  if (::statvfs(dir_.c_str(), &fs) == 0 &&
      static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize < kResumeMinFreeBytes) {
    return Status::NoSpace("storage is out of space");
  }
  // RocksDB may be resuming on its own (it retries a failed WAL write every
  // second): then Resume() is Busy, and OK once that recovery has succeeded.
  rocksdb::Status rs = db_->Resume();
  if (rs.IsBusy()) return Status::NoSpace("storage is recovering from a failed write");
  if (!rs.ok()) return fromRocksDb(rs, "resume after a failed write");
  failed_ = false;
  log::warn("storage: " + dir_ + " accepts writes again");
  return Status::OK();
}

Status RocksDbBackend::flush() {
  FDYNO_RETURN_IF_ERROR(fromRocksDb(db_->FlushWAL(/*sync=*/true), "flush WAL"));
  rocksdb::FlushOptions fo;
  fo.wait = true;
  return fromRocksDb(db_->Flush(fo), "flush memtable");
}

}  // namespace fdyno::kv

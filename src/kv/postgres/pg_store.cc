// pg_store: transactions, reads and group commit over PostgreSQL.
// Contract in pg_store.h; design in docs/kv.md ("PostgreSQL store").
#include "kv/postgres/pg_store.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <random>
#include <set>

#include "common/counters.h"
#include "common/log.h"
#include "kv/backend.h"
#include "kv/buffered_transaction.h"
#include "kv/key_encoding.h"
#include "kv/postgres/pg_schema.h"

namespace fdyno::kv::pg {
namespace {

constexpr size_t kFirstPage = 128;
constexpr size_t kMaxPage = 1024;

Status tooOld() { return Status::Conflict("transaction too old: its read version's history was collected"); }

class PgTransaction;

// A range read in pages of rows at one read version.
class PgCursor final : public ReadCursor {
 public:
  PgCursor(PgTransaction& txn, std::string_view begin, std::string_view end, bool reverse, size_t hint)
      : txn_(txn), begin_(begin), end_(end), reverse_(reverse),
        page_size_(hint == 0 ? kFirstPage : std::min(hint, kMaxPage)) {
    fetch();
  }
  bool valid() const override { return status_.ok() && pos_ < rows_.size(); }
  std::string_view key() const override { return rows_[pos_].key; }
  std::string_view value() const override { return rows_[pos_].value; }
  void next() override {
    if (++pos_ < rows_.size() || exhausted_) return;
    // Continue after the last key of the page.
    if (reverse_) {
      end_ = rows_.back().key;
    } else {
      begin_ = keyAfter(rows_.back().key);
    }
    page_size_ = std::min(page_size_ * 2, kMaxPage);
    fetch();
  }
  Status status() const override { return status_; }

 private:
  void fetch();

  PgTransaction& txn_;
  std::string begin_;
  std::string end_;
  bool reverse_;
  size_t page_size_;
  std::vector<KeyValue> rows_;
  size_t pos_ = 0;
  bool exhausted_ = false;
  Status status_;
};

class PgView final : public ReadView {
 public:
  explicit PgView(PgTransaction& txn) : txn_(txn) {}
  uint64_t version() const override;
  Result<std::optional<std::string>> get(std::string_view key) override;
  Status getMany(std::span<const std::string_view> keys, std::vector<std::optional<std::string>>* out) override;
  std::unique_ptr<ReadCursor> scan(std::string_view begin, std::string_view end, bool reverse) override {
    return std::make_unique<PgCursor>(txn_, begin, end, reverse, 0);
  }
  std::unique_ptr<ReadCursor> scanHinted(std::string_view begin, std::string_view end, bool reverse,
                                         size_t hint) override {
    return std::make_unique<PgCursor>(txn_, begin, end, reverse, hint);
  }

 private:
  PgTransaction& txn_;
};

class PgTransaction final : public BufferedTransaction {
 public:
  explicit PgTransaction(PgStore& store) : store_(store), view_(*this) {}
  ~PgTransaction() override { release(); }

  uint64_t readVersion() const override;
  Result<uint64_t> commit() override;
  bool batchesReads() const override { return true; }

  // For the view and cursor: the read version, fetched if not known yet.
  [[nodiscard]] Result<uint64_t> ensureVersion();
  // A point read at the read version (fetching it in the same statement
  // when unknown).
  [[nodiscard]] Result<std::optional<std::string>> readPoint(std::string_view key);
  // Several point reads in one statement (the same way).
  [[nodiscard]] Status readPoints(std::span<const std::string_view> keys, std::vector<std::optional<std::string>>* out);
  // The transaction's first point reads: through the store's read groups,
  // adopting the version they return.
  [[nodiscard]] Status firstReads(const std::string_view* keys, size_t count, std::optional<std::string>* out);
  // Runs a point-read statement at the known read version (appended to
  // `params`). `rows`: the rows expected.
  [[nodiscard]] Result<PgResult> pointStatement(const char* statement, PgParams& params, int rows);
  PgStore& store() { return store_; }
  uint64_t knownVersion() const { return rv_; }

 private:
  ReadView& view() override { return view_; }
  // A conflict range counts from when it is added: pin the read version if
  // no read did yet (an error is reported by commit()).
  void pinReadVersion() override {
    if (!have_rv_) {
      Result<uint64_t> v = ensureVersion();
      if (!v.ok()) defer(v.status());
    }
  }
  void adopt(uint64_t version);
  void release();

  PgStore& store_;
  PgView view_;
  uint64_t rv_ = 0;
  bool have_rv_ = false;
};

uint64_t PgView::version() const { return txn_.knownVersion(); }

Result<std::optional<std::string>> PgView::get(std::string_view key) { return txn_.readPoint(key); }

Status PgView::getMany(std::span<const std::string_view> keys, std::vector<std::optional<std::string>>* out) {
  if (keys.size() == 1) {
    FDYNO_ASSIGN_OR_RETURN(auto v, txn_.readPoint(keys[0]));
    out->assign(1, std::move(v));
    return Status::OK();
  }
  return txn_.readPoints(keys, out);
}

void PgCursor::fetch() {
  rows_.clear();
  pos_ = 0;
  if (begin_ >= end_) {
    exhausted_ = true;
    return;
  }
  Result<uint64_t> rv = txn_.ensureVersion();
  if (!rv.ok()) {
    status_ = rv.status();
    return;
  }
  auto lease = txn_.store().pool().acquire();
  if (!lease.ok()) {
    status_ = lease.status();
    return;
  }
  PgParams p;
  p.addBytes(begin_);
  p.addBytes(end_);
  p.addInt8(static_cast<int64_t>(*rv));
  p.addInt8(static_cast<int64_t>(page_size_));
  counters::add(counters::Counter::kStoreReadRoundTrips);
  Result<PgResult> r = (*lease)->execPrepared(reverse_ ? kStmtScanRev : kStmtScanFwd, p);
  if (!r.ok()) {
    status_ = r.status();
    return;
  }
  if (r->rows() == 0 || r->int8(0, 0) > static_cast<int64_t>(*rv)) {
    status_ = tooOld();
    return;
  }
  rows_.reserve(static_cast<size_t>(r->rows()));
  for (int i = 0; i < r->rows(); ++i) {
    if (r->isNull(i, 1)) continue;  // the LEFT JOIN's row of an empty page
    KeyValue kv;
    kv.key.assign(r->bytes(i, 1));
    kv.value.assign(r->bytes(i, 2));
    rows_.push_back(std::move(kv));
  }
  exhausted_ = rows_.size() < page_size_;
}

void PgTransaction::adopt(uint64_t version) {
  rv_ = version;
  have_rv_ = true;
  store_.enterReader(version);
}

void PgTransaction::release() {
  if (have_rv_) {
    store_.leaveReader(rv_);
    have_rv_ = false;
  }
}

Result<uint64_t> PgTransaction::ensureVersion() {
  if (have_rv_) return rv_;
  store_.pendingReader(1);
  auto lease = store_.pool().acquire();
  if (!lease.ok()) {
    store_.pendingReader(-1);
    return lease.status();
  }
  counters::add(counters::Counter::kStoreReadRoundTrips);
  Result<PgResult> r = (*lease)->execPrepared(kStmtVersion, PgParams());
  if (!r.ok() || r->rows() != 1) {
    store_.pendingReader(-1);
    return r.ok() ? Status::Corruption("postgres: fdyno_meta has no row") : r.status();
  }
  adopt(static_cast<uint64_t>(r->int8(0, 0)));
  store_.pendingReader(-1);
  return rv_;
}

uint64_t PgTransaction::readVersion() const {
  // kv.h's readVersion() cannot fail; a database error leaves 0 (no commit
  // can have read at 0, and the next read or commit reports the error).
  auto* self = const_cast<PgTransaction*>(this);
  Result<uint64_t> v = self->ensureVersion();
  return v.ok() ? *v : 0;
}

Result<PgResult> PgTransaction::pointStatement(const char* statement, PgParams& params, int rows) {
  // Only reads after the first come here (the first go through the store's
  // read groups, which fetch the version): they read at rv_ and check the
  // history horizon returned with the rows.
  auto lease = store_.pool().acquire();
  if (!lease.ok()) return lease.status();
  params.addInt8(static_cast<int64_t>(rv_));
  counters::add(counters::Counter::kStoreReadRoundTrips);
  FDYNO_ASSIGN_OR_RETURN(PgResult r, (*lease)->execPrepared(statement, params));
  if (r.rows() != rows) return Status::Corruption("postgres: fdyno_gc has no row");
  if (r.int8(0, 0) > static_cast<int64_t>(rv_)) return tooOld();
  return r;
}

Status PgTransaction::firstReads(const std::string_view* keys, size_t count, std::optional<std::string>* out) {
  store_.pendingReader(1);
  PgReadRequest request;
  request.keys = keys;
  request.count = count;
  request.out = out;
  store_.readLatest(request);
  if (request.status.ok()) adopt(request.version);
  store_.pendingReader(-1);
  return request.status;
}

Result<std::optional<std::string>> PgTransaction::readPoint(std::string_view key) {
  if (!have_rv_) {
    std::optional<std::string> value;
    FDYNO_RETURN_IF_ERROR(firstReads(&key, 1, &value));
    return value;
  }
  PgParams p;
  p.addBytes(key);
  FDYNO_ASSIGN_OR_RETURN(PgResult r, pointStatement(kStmtGetAt, p, 1));
  if (r.isNull(0, 1)) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r.bytes(0, 1)));
}

Status PgTransaction::readPoints(std::span<const std::string_view> keys,
                                 std::vector<std::optional<std::string>>* out) {
  out->clear();
  if (!have_rv_) {
    out->resize(keys.size());
    return firstReads(keys.data(), keys.size(), out->data());
  }
  PgParams p;
  p.addByteaArray(std::vector<std::string_view>(keys.begin(), keys.end()));
  FDYNO_ASSIGN_OR_RETURN(PgResult r,
                         pointStatement(kStmtGetManyAt, p, static_cast<int>(keys.size())));
  out->reserve(keys.size());
  for (int i = 0; i < r.rows(); ++i) {
    if (r.isNull(i, 1)) {
      out->emplace_back();
    } else {
      out->emplace_back(std::string(r.bytes(i, 1)));
    }
  }
  return Status::OK();
}

Result<uint64_t> PgTransaction::commit() {
  if (Status st = startCommit(); !st.ok()) {
    release();
    return st;
  }
  if (writes_.empty()) {
    Result<uint64_t> v = ensureVersion();
    release();
    return v;
  }
  PgCommitRequest request;
  // Without reads there is nothing to validate, so no read version is needed.
  request.read_version = rv_;
  request.reads = reads_.empty() ? nullptr : &reads_;
  request.writes = &writes_;
  Result<uint64_t> result = store_.commit(request);
  release();
  return result;
}

// Collects one group's arrays for fdyno_commit, and decides whether the
// group's requests are independent (fdyno_commit_set's rule in
// pg_schema.cc), which lets the database commit them set-based.
struct GroupArrays {
  std::vector<int64_t> rvs;
  std::vector<int32_t> rr_off{1}, cr_off{1}, pw_off{1}, vs_off{1};
  // The request (1-based) of each point and versionstamped write, and a
  // versionstamped write's position within its request.
  std::vector<int32_t> pw_req, vs_req, vs_ord;
  // keyAfter() of point reads; a deque, so views into it stay valid.
  std::deque<std::string> owned;
  std::vector<std::string_view> rr_begin, rr_end, cr_begin, cr_end, pw_key, pw_value, vs_prefix, vs_suffix,
      vs_value;
  std::vector<bool> pw_value_null;
  std::vector<int16_t> pw_kind;
  std::vector<int64_t> pw_delta;

  bool independent = true;
  // What earlier requests of the group write: keys set or cleared, keys
  // added to, prefixes of versionstamped keys.
  std::set<std::string_view> set_keys, add_keys;
  std::vector<std::string_view> vs_prefixes;

  // True if an earlier request writes a key in [b, e).
  bool writtenIn(std::string_view b, std::string_view e) const {
    auto hit = [&](const std::set<std::string_view>& keys) {
      auto it = keys.lower_bound(b);
      return it != keys.end() && *it < e;
    };
    if (hit(set_keys) || hit(add_keys)) return true;
    // Keys with prefix p are [p, strinc(p)); that meets [b, e) iff p < e and
    // b < strinc(p), that is b < p or b starts with p.
    for (std::string_view p : vs_prefixes) {
      if (p < e && (b < p || b.substr(0, p.size()) == p)) return true;
    }
    return false;
  }

  void add(const PgCommitRequest& r) {
    rvs.push_back(static_cast<int64_t>(r.read_version));
    const auto req = static_cast<int32_t>(rvs.size());
    if (r.reads != nullptr) {
      // A point read is the range [key, keyAfter(key)).
      for (const std::string& k : r.reads->keys) {
        rr_begin.push_back(k);
        rr_end.push_back(owned.emplace_back(keyAfter(k)));
        if (independent && req > 1 && writtenIn(rr_begin.back(), rr_end.back())) independent = false;
      }
      for (const auto& [b, e] : r.reads->ranges) {
        rr_begin.push_back(b);
        rr_end.push_back(e);
        if (independent && req > 1 && writtenIn(b, e)) independent = false;
      }
    }
    rr_off.push_back(static_cast<int32_t>(rr_begin.size() + 1));
    for (const auto& [b, e] : r.writes->clearedRanges().ranges()) {
      cr_begin.push_back(b);
      cr_end.push_back(e);
      independent = false;
    }
    cr_off.push_back(static_cast<int32_t>(cr_begin.size() + 1));
    for (const auto& [k, w] : r.writes->points()) {
      pw_key.push_back(k);
      pw_req.push_back(req);
      pw_kind.push_back(w.kind == PointWrite::Kind::kSet ? 0 : w.kind == PointWrite::Kind::kClear ? 1 : 2);
      pw_value.push_back(w.value);
      pw_value_null.push_back(w.kind != PointWrite::Kind::kSet);
      pw_delta.push_back(w.delta);
      if (!independent) continue;
      // An add and a set of one key in one group would need their order.
      if (w.kind == PointWrite::Kind::kAdd) {
        if (set_keys.count(pw_key.back()) != 0) independent = false;
        add_keys.insert(pw_key.back());
      } else {
        if (add_keys.count(pw_key.back()) != 0) independent = false;
        set_keys.insert(pw_key.back());
      }
    }
    pw_off.push_back(static_cast<int32_t>(pw_key.size() + 1));
    int32_t ord = 0;
    for (const VersionstampedSet& vs : r.writes->versionstamped()) {
      vs_prefix.push_back(vs.prefix);
      vs_suffix.push_back(vs.suffix);
      vs_value.push_back(vs.value);
      vs_req.push_back(req);
      vs_ord.push_back(ord++);
      if (independent) vs_prefixes.push_back(vs.prefix);
    }
    vs_off.push_back(static_cast<int32_t>(vs_prefix.size() + 1));
  }
};

}  // namespace

// ---- PgStore ----

PgStore::PgStore(PgSettings settings, std::string server_id)
    : pool_(std::move(settings)),
      server_id_(std::move(server_id)),
      reads_(std::clamp<size_t>(pool_.settings().read_groups, 1, std::max<size_t>(1, pool_.settings().pool_size - 1))) {}

PgStore::~PgStore() {
  {
    MutexLock lock(bg_mu_);
    stopping_ = true;
  }
  bg_cv_.notifyAll();
  if (bg_.joinable()) bg_.join();
}

Status PgStore::start() {
  {
    FDYNO_ASSIGN_OR_RETURN(std::unique_ptr<PgConn> conn, PgConn::open(pool_.settings()));
    FDYNO_RETURN_IF_ERROR(ensureSchema(*conn));
    auto where = conn->exec("SELECT current_database()::text || '/' || current_schema()::text");
    describe_ = "postgres";
    if (where.ok() && where->rows() == 1) describe_ += " " + std::string(where->bytes(0, 0));
    describe_ += std::string(" (") + (pool_.settings().synchronous_commit ? "synchronous_commit on" : "synchronous_commit off") +
                 ", pool " + std::to_string(pool_.settings().pool_size) + ")";
  }
  // Registered before the first read, so collectors elsewhere keep our history.
  FDYNO_RETURN_IF_ERROR(heartbeat());
  bg_ = std::thread([this] { background(); });
  return Status::OK();
}

std::unique_ptr<Transaction> PgStore::begin() { return std::make_unique<PgTransaction>(*this); }

void PgStore::enterReader(uint64_t version) {
  MutexLock lock(readers_mu_);
  readers_.insert(version);
}

void PgStore::leaveReader(uint64_t version) {
  MutexLock lock(readers_mu_);
  auto it = readers_.find(version);
  if (it != readers_.end()) readers_.erase(it);
}

void PgStore::pendingReader(int delta) {
  MutexLock lock(readers_mu_);
  pending_readers_ += delta;
}

Status PgStore::heartbeat() {
  // What this process still reads: its oldest registered read version; with
  // none and none being fetched, everything up to now is free (-1 lets the
  // database use its current version); while one is being fetched, no
  // further than what was reported last.
  int64_t oldest;
  {
    MutexLock lock(readers_mu_);
    if (!readers_.empty()) {
      oldest = static_cast<int64_t>(*readers_.begin());
      if (pending_readers_ > 0 && last_reported_ >= 0) oldest = std::min(oldest, last_reported_);
    } else if (pending_readers_ > 0 && last_reported_ >= 0) {
      oldest = last_reported_;
    } else {
      oldest = -1;
    }
  }
  FDYNO_ASSIGN_OR_RETURN(PgLease lease, pool_.acquire());
  PgParams p;
  p.addBytes(server_id_);
  p.addInt8(oldest);
  FDYNO_ASSIGN_OR_RETURN(PgResult r, lease->execPrepared(kStmtHeartbeat, p));
  if (r.rows() == 1) {
    MutexLock lock(readers_mu_);
    last_reported_ = r.int8(0, 0);
  }
  return Status::OK();
}

void PgStore::background() {
  static log::RateLimit limit(std::chrono::seconds(10));
  MutexLock lock(bg_mu_);
  while (!stopping_) {
    const auto next = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!stopping_ && bg_cv_.waitUntil(bg_mu_, next)) {
    }
    if (stopping_) break;
    lock.unlock();
    Status st = heartbeat();
    if (st.ok()) {
      auto lease = pool_.acquire();
      if (lease.ok()) {
        PgParams p;
        p.addInt4(kDeadAfterSeconds);
        auto r = (*lease)->execPrepared(kStmtCollect, p);
        if (!r.ok()) st = r.status();
      } else {
        st = lease.status();
      }
    }
    if (!st.ok()) log::warn(limit, "kv: postgres background work failed: " + st.toString());
    lock.lock();
  }
}

Result<uint64_t> PgStore::commit(PgCommitRequest& request) {
  // The group is everything queued while the previous group's round trip
  // was in flight: the longer it took, the more this one carries.
  commits_.run(request, [this](const std::vector<PgCommitRequest*>& group) { processGroup(group); });
  if (!request.status.ok()) return request.status;
  return request.version;
}

void PgStore::readLatest(PgReadRequest& request) {
  reads_.run(request, [this](const std::vector<PgReadRequest*>& group) { processReadGroup(group); });
}

void PgStore::processReadGroup(const std::vector<PgReadRequest*>& group) {
  size_t total = 0;
  for (const PgReadRequest* r : group) total += r->count;
  PgParams p;
  const char* statement = kStmtGetLatest;
  if (total == 1) {
    p.addBytes(group[0]->keys[0]);
  } else {
    std::vector<std::string_view> keys;
    keys.reserve(total);
    for (const PgReadRequest* r : group) keys.insert(keys.end(), r->keys, r->keys + r->count);
    p.addByteaArray(keys);
    statement = kStmtGetManyLatest;
  }
  Status failed;
  auto lease = pool_.acquire();
  std::optional<PgResult> r;
  if (!lease.ok()) {
    failed = lease.status();
  } else {
    counters::add(counters::Counter::kStoreReadRoundTrips);
    Result<PgResult> got = (*lease)->execPrepared(statement, p);
    if (!got.ok()) {
      failed = got.status();
    } else if (got->rows() != static_cast<int>(total)) {
      failed = Status::Corruption("postgres: fdyno_meta has no row");
    } else {
      r.emplace(std::move(got).value());
    }
  }
  int row = 0;
  for (PgReadRequest* req : group) {
    if (!failed.ok()) {
      req->status = failed;
      continue;
    }
    req->version = static_cast<uint64_t>(r->int8(0, 0));
    for (size_t i = 0; i < req->count; ++i, ++row) {
      if (r->isNull(row, 1)) {
        req->out[i].reset();
      } else {
        req->out[i].emplace(r->bytes(row, 1));
      }
    }
  }
}

void PgStore::processGroup(const std::vector<PgCommitRequest*>& group) {
  GroupArrays a;
  for (const PgCommitRequest* r : group) a.add(*r);
  PgParams p;
  const char* statement = kStmtCommit;
  if (a.independent && pool_.settings().set_based_commit) {
    statement = kStmtCommitSet;
    p.addInt8Array(a.rvs);
    p.addInt4Array(a.rr_off);
    p.addByteaArray(a.rr_begin);
    p.addByteaArray(a.rr_end);
    p.addInt4Array(a.pw_req);
    p.addByteaArray(a.pw_key);
    p.addInt2Array(a.pw_kind);
    p.addByteaArray(a.pw_value, &a.pw_value_null);
    p.addInt8Array(a.pw_delta);
    p.addInt4Array(a.vs_req);
    p.addInt4Array(a.vs_ord);
    p.addByteaArray(a.vs_prefix);
    p.addByteaArray(a.vs_suffix);
    p.addByteaArray(a.vs_value);
  } else {
    p.addInt8Array(a.rvs);
    p.addInt4Array(a.rr_off);
    p.addByteaArray(a.rr_begin);
    p.addByteaArray(a.rr_end);
    p.addInt4Array(a.cr_off);
    p.addByteaArray(a.cr_begin);
    p.addByteaArray(a.cr_end);
    p.addInt4Array(a.pw_off);
    p.addByteaArray(a.pw_key);
    p.addInt2Array(a.pw_kind);
    p.addByteaArray(a.pw_value, &a.pw_value_null);
    p.addInt8Array(a.pw_delta);
    p.addInt4Array(a.vs_off);
    p.addByteaArray(a.vs_prefix);
    p.addByteaArray(a.vs_suffix);
    p.addByteaArray(a.vs_value);
  }

  Status failed;
  std::vector<int64_t> verdicts;
  auto lease = pool_.acquire();
  if (!lease.ok()) {
    failed = lease.status();
  } else {
    counters::add(counters::Counter::kStoreCommitRoundTrips);
    if (statement == kStmtCommitSet) counters::add(counters::Counter::kStoreSetBasedCommitGroups);
    Result<PgResult> r = (*lease)->execPrepared(statement, p);
    if (!r.ok()) {
      failed = r.status();
    } else if (r->rows() != 1) {
      failed = Status::Corruption("postgres: fdyno_commit returned no row");
    } else {
      verdicts = r->int8Array(0, 0);
      if (verdicts.size() != group.size()) failed = Status::Corruption("postgres: fdyno_commit answer size");
    }
  }
  for (size_t i = 0; i < group.size(); ++i) {
    PgCommitRequest* r = group[i];
    if (!failed.ok()) {
      r->status = failed;
    } else if (verdicts[i] > 0) {
      r->version = static_cast<uint64_t>(verdicts[i]);
    } else if (verdicts[i] == 0) {
      r->status = Status::Conflict("transaction conflicts with a concurrent commit; retry");
    } else {
      r->status = tooOld();
    }
  }
}

}  // namespace fdyno::kv::pg

namespace fdyno::kv {

Result<std::unique_ptr<Store>> openPostgresStore(const std::string& url, const StoreOptions& opts,
                                                 const PostgresOptions& pg_opts) {
  pg::PgSettings s;
  s.url = url;
  s.synchronous_commit = opts.durability == DurabilityMode::kSync;
  s.statement_timeout_ms = pg_opts.statement_timeout_ms;
  s.pool_size = std::max<size_t>(pg_opts.pool_size, 2);
  s.set_based_commit = pg_opts.set_based_commit;
  s.read_groups = pg_opts.read_groups;
  // A server id unique across restarts and hosts: host name, pid, random.
  char host[256] = {0};
  ::gethostname(host, sizeof(host) - 1);
  std::random_device rd;
  std::string id = std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(rd());
  auto store = std::make_unique<pg::PgStore>(std::move(s), std::move(id));
  FDYNO_RETURN_IF_ERROR(store->start());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace fdyno::kv

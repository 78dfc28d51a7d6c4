// pg_conn: libpq connections and their pool. Contract in pg_conn.h.
#include "kv/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "common/fiber.h"
#include "kv/postgres/pg_schema.h"

namespace fdyno::kv::pg {
namespace {

void putBE32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
  out->append(b, 4);
}

void putBE64(std::string* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t getBE32(const char* p) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(p[0])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(p[1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(p[2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(p[3]));
}

uint64_t getBE64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// The binary array header: ndim, has-null flag, element type, then for a
// non-empty 1-D array its length and lower bound 1.
std::string arrayHeader(size_t n, bool has_null, unsigned elem_oid) {
  std::string out;
  putBE32(&out, n == 0 ? 0 : 1);
  putBE32(&out, has_null ? 1 : 0);
  putBE32(&out, elem_oid);
  if (n != 0) {
    putBE32(&out, static_cast<uint32_t>(n));
    putBE32(&out, 1);
  }
  return out;
}

// PostgreSQL's words, prefixed with the SQLSTATE; trailing newline dropped.
std::string errorText(const PGresult* r, const PGconn* c) {
  std::string msg;
  if (r != nullptr) {
    if (const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE)) msg = std::string(state) + " ";
    msg += PQresultErrorMessage(r);
  }
  if ((r == nullptr || msg.empty()) && c != nullptr) msg += PQerrorMessage(c);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return "postgres: " + msg;
}

}  // namespace

// ---- PgParams ----

void PgParams::addBytes(std::string_view v) { storage_.emplace_back(v); }

void PgParams::addInt8(int64_t v) {
  std::string s;
  putBE64(&s, static_cast<uint64_t>(v));
  storage_.push_back(std::move(s));
}

void PgParams::addInt4(int32_t v) {
  std::string s;
  putBE32(&s, static_cast<uint32_t>(v));
  storage_.push_back(std::move(s));
}

void PgParams::addByteaArray(const std::vector<std::string_view>& v, const std::vector<bool>* nulls) {
  bool has_null = nulls != nullptr && std::find(nulls->begin(), nulls->end(), true) != nulls->end();
  std::string s = arrayHeader(v.size(), has_null, kOidBytea);
  size_t total = 0;
  for (auto e : v) total += e.size() + 4;
  s.reserve(s.size() + total);
  for (size_t i = 0; i < v.size(); ++i) {
    if (nulls != nullptr && (*nulls)[i]) {
      putBE32(&s, 0xFFFFFFFFu);
      continue;
    }
    putBE32(&s, static_cast<uint32_t>(v[i].size()));
    s.append(v[i]);
  }
  storage_.push_back(std::move(s));
}

// Big-endian integers of `Int`'s width, each with its 4-byte length.
template <typename Int>
std::string intArray(const std::vector<Int>& v, unsigned elem_oid) {
  std::string s = arrayHeader(v.size(), false, elem_oid);
  s.reserve(s.size() + v.size() * (4 + sizeof(Int)));
  for (Int e : v) {
    putBE32(&s, sizeof(Int));
    auto u = static_cast<std::make_unsigned_t<Int>>(e);
    for (int i = static_cast<int>(sizeof(Int)) - 1; i >= 0; --i) s.push_back(static_cast<char>((u >> (8 * i)) & 0xFF));
  }
  return s;
}

void PgParams::addInt8Array(const std::vector<int64_t>& v) { storage_.push_back(intArray(v, kOidInt8)); }
void PgParams::addInt4Array(const std::vector<int32_t>& v) { storage_.push_back(intArray(v, kOidInt4)); }
void PgParams::addInt2Array(const std::vector<int16_t>& v) { storage_.push_back(intArray(v, kOidInt2)); }

void PgParams::view(std::vector<const char*>* values, std::vector<int>* lengths, std::vector<int>* formats) const {
  values->clear();
  lengths->clear();
  formats->assign(storage_.size(), 1);
  for (const auto& s : storage_) {
    values->push_back(s.data());
    lengths->push_back(static_cast<int>(s.size()));
  }
}

// ---- PgResult ----

PgResult::~PgResult() {
  if (r_ != nullptr) PQclear(r_);
}

PgResult& PgResult::operator=(PgResult&& o) noexcept {
  if (this != &o) {
    if (r_ != nullptr) PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}

int PgResult::rows() const { return r_ == nullptr ? 0 : PQntuples(r_); }

bool PgResult::isNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

std::string_view PgResult::bytes(int row, int col) const {
  return std::string_view(PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col)));
}

int64_t PgResult::int8(int row, int col) const {
  if (PQgetlength(r_, row, col) != 8) return 0;
  return static_cast<int64_t>(getBE64(PQgetvalue(r_, row, col)));
}

std::vector<int64_t> PgResult::int8Array(int row, int col) const {
  std::vector<int64_t> out;
  std::string_view b = bytes(row, col);
  if (b.size() < 12) return out;
  uint32_t ndim = getBE32(b.data());
  if (ndim == 0) return out;
  if (b.size() < 20) return out;
  uint32_t n = getBE32(b.data() + 12);
  size_t pos = 20;
  out.reserve(n);
  for (uint32_t i = 0; i < n && pos + 4 <= b.size(); ++i) {
    uint32_t len = getBE32(b.data() + pos);
    pos += 4;
    if (len == 0xFFFFFFFFu) {
      out.push_back(0);
      continue;
    }
    if (len != 8 || pos + 8 > b.size()) break;
    out.push_back(static_cast<int64_t>(getBE64(b.data() + pos)));
    pos += 8;
  }
  return out;
}

// ---- PgConn ----

Result<std::unique_ptr<PgConn>> PgConn::open(const PgSettings& settings) {
  // Connecting without blocking: on a fiber only the fiber waits (for the
  // TCP handshake, TLS and authentication round trips).
  PGconn* c = PQconnectStart(settings.url.c_str());
  if (c == nullptr) return Status::IOError("postgres: out of memory");
  std::unique_ptr<PgConn> conn(new PgConn(c));
  if (PQstatus(c) == CONNECTION_BAD) return Status::IOError(errorText(nullptr, c));
  for (PostgresPollingStatusType st = PGRES_POLLING_WRITING;;) {
    if (st == PGRES_POLLING_OK) break;
    if (st == PGRES_POLLING_FAILED) return Status::IOError(errorText(nullptr, c));
    // The socket may change between attempts (several addresses).
    waitFd(PQsocket(c), st == PGRES_POLLING_WRITING);
    st = PQconnectPoll(c);
  }
  if (PQsetnonblocking(c, 1) != 0) return Status::IOError(errorText(nullptr, c));
  std::string setup = "SET synchronous_commit = ";
  setup += settings.synchronous_commit ? "on" : "off";
  setup += "; SET statement_timeout = " + std::to_string(settings.statement_timeout_ms);
  // fdyno's own advisory waits and lock waits are bounded the same way.
  setup += "; SET lock_timeout = " + std::to_string(settings.statement_timeout_ms);
  // The commit function's reads must see other servers' commits.
  setup += "; SET default_transaction_isolation = 'read committed'";
  // NOTICEs ("relation already exists, skipping") are not for our stderr.
  setup += "; SET client_min_messages = warning";
  FDYNO_RETURN_IF_ERROR(conn->execScript(setup));
  // fdyno's statements have one good plan whatever their parameters (index
  // lookups by key): planning them again for each execution, as PostgreSQL
  // does by default when a custom plan looks cheaper, cost about a quarter
  // of the database's CPU per write (measured, docs/performance.md).
  // PostgreSQL 12 and later know this setting; a database that does not
  // plans as it likes, so a failure here is not an error.
  (void)conn->execScript("SET plan_cache_mode = force_generic_plan");
  return conn;
}

Status PgConn::prepareAll() {
  size_t n = 0;
  const PreparedStatement* stmts = preparedStatements(&n);
  for (size_t i = 0; i < n; ++i) {
    if (PQsendPrepare(c_, stmts[i].name, stmts[i].sql, stmts[i].params, nullptr) == 0) return sendFailed();
    Result<PgResult> res = awaitOne();
    if (!res.ok()) return res.status();
  }
  return Status::OK();
}

PgConn::~PgConn() {
  if (c_ != nullptr) PQfinish(c_);
}

Result<PgResult> PgConn::finish(PGresult* r) {
  ExecStatusType st = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return PgResult(r);
  std::string msg = errorText(r, c_);
  if (r != nullptr) PQclear(r);
  if (PQstatus(c_) != CONNECTION_OK) broken_ = true;
  return Status::IOError(msg);
}

Status PgConn::sendFailed() {
  if (PQstatus(c_) != CONNECTION_OK) broken_ = true;
  return Status::IOError(errorText(nullptr, c_));
}

// The connection is non-blocking: a send only queues the message, then this
// writes it out, waiting (on a fiber: suspending) while the socket is full.
Status PgConn::flushOut() {
  for (;;) {
    const int f = PQflush(c_);
    if (f == 0) return Status::OK();
    if (f < 0) return sendFailed();
    waitFd(PQsocket(c_), /*for_write=*/true);
  }
}

PGresult* PgConn::nextResult() {
  while (PQisBusy(c_) != 0) {
    waitFd(PQsocket(c_), /*for_write=*/false);
    // On failure the connection is marked bad and PQgetResult reports it.
    if (PQconsumeInput(c_) == 0) break;
  }
  return PQgetResult(c_);
}

Result<PgResult> PgConn::awaitOne() {
  Status sent = flushOut();
  if (!sent.ok()) {
    while (PGresult* r = PQgetResult(c_)) PQclear(r);
    return sent;
  }
  PGresult* first = nextResult();
  // A single statement gives one result, then null: read up to the null
  // before the connection takes the next command.
  if (first != nullptr) {
    while (PGresult* more = nextResult()) PQclear(more);
  }
  return finish(first);
}

Result<PgResult> PgConn::execPrepared(const char* name, const PgParams& params) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  params.view(&values, &lengths, &formats);
  if (PQsendQueryPrepared(c_, name, params.count(), values.data(), lengths.data(), formats.data(),
                          /*resultFormat=*/1) == 0) {
    return sendFailed();
  }
  return awaitOne();
}

Result<PgResult> PgConn::exec(std::string_view sql, const PgParams& params) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  params.view(&values, &lengths, &formats);
  std::string text(sql);
  if (PQsendQueryParams(c_, text.c_str(), params.count(), nullptr, values.data(), lengths.data(), formats.data(),
                        /*resultFormat=*/1) == 0) {
    return sendFailed();
  }
  return awaitOne();
}

Status PgConn::execScript(std::string_view sql) {
  std::string text(sql);
  if (PQsendQuery(c_, text.c_str()) == 0) return sendFailed();
  Status first = flushOut();
  while (PGresult* r = first.ok() ? nextResult() : PQgetResult(c_)) {
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && first.ok()) first = Status::IOError(errorText(r, c_));
    PQclear(r);
  }
  if (PQstatus(c_) != CONNECTION_OK) broken_ = true;
  return first;
}

// ---- PgPool ----

PgLease::~PgLease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->release(std::move(conn_));
}

PgLease& PgLease::operator=(PgLease&& o) noexcept {
  if (this != &o) {
    if (pool_ != nullptr && conn_ != nullptr) pool_->release(std::move(conn_));
    pool_ = o.pool_;
    conn_ = std::move(o.conn_);
    o.pool_ = nullptr;
  }
  return *this;
}

bool PgPool::waitForHandOff(Waiter& me, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const uint32_t token = me.parker->prepare();
    if (me.ready.load(std::memory_order_acquire)) return true;
    if (!me.parker->parkUntil(token, deadline) && !me.ready.load(std::memory_order_acquire)) {
      MutexLock lock(mu_);
      if (me.ready.load(std::memory_order_relaxed)) return true;  // handed over just now
      waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &me));
      return false;
    }
  }
}

Result<PgLease> PgPool::acquire() {
  using Clock = std::chrono::steady_clock;
  MutexLock lock(mu_);
  // Idle connections exist only while nobody waits (release() hands them
  // to waiters first), so taking one never jumps the queue.
  if (!idle_.empty()) {
    std::unique_ptr<PgConn> c = std::move(idle_.back());
    idle_.pop_back();
    return PgLease(this, std::move(c));
  }
  if (open_ >= settings_.pool_size) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(settings_.statement_timeout_ms);
    Waiter me;
    me.parker = Parker::current();
    waiters_.push_back(&me);
    lock.unlock();
    if (!waitForHandOff(me, deadline)) {
      return Status::IOError("postgres: no free connection within the statement timeout (pool of " +
                             std::to_string(settings_.pool_size) + ")");
    }
    if (me.conn) return PgLease(this, std::move(me.conn));
    // A connection was dropped: this waiter opens its replacement (the slot
    // in open_ was passed on to it).
    lock.lock();
    --open_;
  }
  // Open a new connection, unless a recent attempt failed (fail fast).
  auto now = Clock::now();
  if (now < next_connect_attempt_) {
    // The free slot goes on to the next waiter, which fails fast too.
    std::unique_ptr<PgConn> none;
    if (handOff(none)) ++open_;
    return Status::IOError("postgres: database unreachable (retrying)");
  }
  ++open_;
  lock.unlock();
  Result<std::unique_ptr<PgConn>> c = PgConn::open(settings_);
  if (c.ok()) {
    Status st = (*c)->prepareAll();
    if (!st.ok()) c = st;
  }
  lock.lock();
  if (!c.ok()) {
    --open_;
    backoff_ = backoff_.count() == 0 ? std::chrono::milliseconds(100)
                                     : std::min(backoff_ * 2, std::chrono::milliseconds(2000));
    next_connect_attempt_ = Clock::now() + backoff_;
    // The slot is free again: the next waiter may try (and fail fast).
    std::unique_ptr<PgConn> none;
    if (handOff(none)) ++open_;
    return c.status();
  }
  backoff_ = std::chrono::milliseconds(0);
  next_connect_attempt_ = {};
  return PgLease(this, std::move(c).value());
}

bool PgPool::handOff(std::unique_ptr<PgConn>& conn) {
  if (waiters_.empty()) return false;
  Waiter* w = waiters_.front();
  waiters_.pop_front();
  if (conn) {
    w->conn = std::move(conn);
  } else {
    w->may_open = true;
  }
  Parker* p = w->parker;  // w may be gone once ready is set
  w->ready.store(true, std::memory_order_release);
  p->unpark();
  return true;
}

void PgPool::release(std::unique_ptr<PgConn> conn) {
  MutexLock lock(mu_);
  if (conn->broken()) {
    conn.reset();
    // The oldest waiter opens the replacement; its slot stays counted.
    std::unique_ptr<PgConn> none;
    if (!handOff(none)) --open_;
    return;
  }
  if (!handOff(conn)) idle_.push_back(std::move(conn));
}

}  // namespace fdyno::kv::pg

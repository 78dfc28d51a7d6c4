// pg_conn: libpq connections for the PostgreSQL store, and a pool of them.
// Internal to src/kv/postgres/; no libpq type leaves this folder.
//
// Contract:
// - PgConn owns one PGconn. On connect it sets the session settings the
//   store relies on (synchronous_commit from the durability mode,
//   statement_timeout and lock_timeout; search_path comes from the URL's
//   options); connections from the pool also prepare the store's
//   statements (pg_schema.h). One thread (or fiber) at a time.
// - Waits: the connection is non-blocking and every wait for the database
//   (connecting, sending, the answer) goes through common/fiber.h's
//   waitFd(): on a fiber only the fiber is suspended, elsewhere the thread
//   blocks in poll(). There is no client-side deadline: the server's
//   statement_timeout bounds a statement.
// - Statements are run with binary parameters and binary results
//   (PgParams builds them; PgResult reads them), so keys and values are
//   raw bytes, never escaped text.
// - Errors: a failed statement returns kIOError carrying PostgreSQL's
//   SQLSTATE and message (never the password: libpq's messages do not carry
//   it, and the URL is never logged); a broken connection marks the PgConn
//   broken() so the pool drops it.
// - PgPool: at most `size` connections. acquire() hands out an idle one, or
//   opens a new one; when the database is unreachable it fails at once
//   (kIOError "database unreachable") and retries the connect at most once
//   per backoff interval (100 ms doubling to 2 s), so a down database costs
//   requests no waiting and the server keeps running; once the database is
//   back, the next acquire after the backoff succeeds. When all `size`
//   connections are busy, acquire() waits up to the statement timeout, in
//   FIFO order: a released connection is handed to the oldest waiter, never
//   taken by a newcomer first (without that, a waiter can lose the race again
//   and again, and a few requests wait for seconds under load).
//   Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/mutex.h"
#include "common/parker.h"
#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace fdyno::kv::pg {

// PostgreSQL type OIDs used in binary parameters.
inline constexpr unsigned kOidBytea = 17;
inline constexpr unsigned kOidInt8 = 20;
inline constexpr unsigned kOidInt2 = 21;
inline constexpr unsigned kOidInt4 = 23;
inline constexpr unsigned kOidByteaArray = 1001;
inline constexpr unsigned kOidInt8Array = 1016;
inline constexpr unsigned kOidInt2Array = 1005;
inline constexpr unsigned kOidInt4Array = 1007;

// Binary parameters of one statement. Values are copied in.
class PgParams {
 public:
  void addBytes(std::string_view v);
  void addInt8(int64_t v);
  void addInt4(int32_t v);
  // 1-D arrays (binary array format: header, then length-prefixed elements).
  void addByteaArray(const std::vector<std::string_view>& v, const std::vector<bool>* nulls = nullptr);
  void addInt8Array(const std::vector<int64_t>& v);
  void addInt4Array(const std::vector<int32_t>& v);
  void addInt2Array(const std::vector<int16_t>& v);

  int count() const { return static_cast<int>(storage_.size()); }
  // Pointers for PQexecPrepared; valid until the next add.
  void view(std::vector<const char*>* values, std::vector<int>* lengths, std::vector<int>* formats) const;

 private:
  std::vector<std::string> storage_;
};

// One statement's result (binary format). Move-only.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* r) : r_(r) {}
  ~PgResult();
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&& o) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  int rows() const;
  bool isNull(int row, int col) const;
  std::string_view bytes(int row, int col) const;
  int64_t int8(int row, int col) const;
  // A 1-D int8[] column.
  std::vector<int64_t> int8Array(int row, int col) const;

 private:
  pg_result* r_ = nullptr;
};

struct PgSettings {
  std::string url;                 // libpq URI or key=value conninfo
  bool synchronous_commit = true;  // DurabilityMode::kSync
  int statement_timeout_ms = 10000;
  size_t pool_size = 16;
  bool set_based_commit = true;  // PostgresOptions::set_based_commit
  size_t read_groups = 1;        // PostgresOptions::read_groups
};

class PgConn {
 public:
  // Connects and prepares; kIOError if the database cannot be reached.
  [[nodiscard]] static Result<std::unique_ptr<PgConn>> open(const PgSettings& settings);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Prepares every statement of pg_schema.h (the schema must exist).
  [[nodiscard]] Status prepareAll();
  // A prepared statement (pg_schema.h names them) with binary parameters.
  [[nodiscard]] Result<PgResult> execPrepared(const char* name, const PgParams& params);
  // A statement text with binary parameters (no preparation).
  [[nodiscard]] Result<PgResult> exec(std::string_view sql, const PgParams& params = {});
  // Several statements without parameters (schema set-up), text protocol.
  [[nodiscard]] Status execScript(std::string_view sql);

  bool broken() const { return broken_; }

 private:
  explicit PgConn(pg_conn* c) : c_(c) {}
  [[nodiscard]] Result<PgResult> finish(pg_result* r);
  // The non-blocking steps of a statement (pg_conn.cc).
  [[nodiscard]] Status sendFailed();
  [[nodiscard]] Status flushOut();
  pg_result* nextResult();
  [[nodiscard]] Result<PgResult> awaitOne();

  pg_conn* c_ = nullptr;
  bool broken_ = false;
};

class PgPool;

// A connection on loan from the pool; returned (or dropped if broken) on
// destruction.
class PgLease {
 public:
  PgLease() = default;
  PgLease(PgPool* pool, std::unique_ptr<PgConn> conn) : pool_(pool), conn_(std::move(conn)) {}
  ~PgLease();
  PgLease(PgLease&& o) noexcept = default;
  PgLease& operator=(PgLease&& o) noexcept;
  PgConn* operator->() { return conn_.get(); }
  PgConn& operator*() { return *conn_; }

 private:
  PgPool* pool_ = nullptr;
  std::unique_ptr<PgConn> conn_;
};

class PgPool {
 public:
  explicit PgPool(PgSettings settings) : settings_(std::move(settings)) {}
  [[nodiscard]] Result<PgLease> acquire() EXCLUDES(mu_);
  const PgSettings& settings() const { return settings_; }

 private:
  friend class PgLease;
  void release(std::unique_ptr<PgConn> conn) EXCLUDES(mu_);

  // A thread waiting in acquire(): release() hands it a connection, or wakes
  // it to open one in place of a dropped connection.
  // It sleeps on its thread's Parker and, once `ready`, takes `conn`
  // without touching mu_ (a woken waiter that ran into the mutex still held
  // by release() slept twice).
  struct Waiter {
    Parker* parker = nullptr;
    std::unique_ptr<PgConn> conn;
    bool may_open = false;
    std::atomic<bool> ready{false};  // set last by handOff()
  };
  // Gives `conn` (or, when null, the right to open one) to the oldest
  // waiter; false if nobody waits. Caller holds mu_.
  bool handOff(std::unique_ptr<PgConn>& conn) REQUIRES(mu_);
  // Parks `me` (queued in waiters_) until handed a connection or a slot
  // (true), or until the deadline (false, and `me` is off the queue).
  bool waitForHandOff(Waiter& me, std::chrono::steady_clock::time_point deadline) EXCLUDES(mu_);

  const PgSettings settings_;
  Mutex mu_;
  std::deque<Waiter*> waiters_ GUARDED_BY(mu_);
  std::vector<std::unique_ptr<PgConn>> idle_ GUARDED_BY(mu_);
  size_t open_ GUARDED_BY(mu_) = 0;  // connections existing (idle + on loan + being opened)
  std::chrono::steady_clock::time_point next_connect_attempt_ GUARDED_BY(mu_){};
  std::chrono::milliseconds backoff_ GUARDED_BY(mu_){0};
};

}  // namespace fdyno::kv::pg

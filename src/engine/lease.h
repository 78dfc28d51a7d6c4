// Leases: which server of a cluster does a piece of background work.
//
// Several fdyno servers may share one store (the PostgreSQL store). Work
// that is not part of a request (GSI backfill, index drops, TTL sweeping)
// should then run once per table across the cluster, and move to another
// server when the one doing it dies. A lease is a key in the store naming
// its holder and an expiry time.
//
// Contract:
// - Key `01 'l' <lease name>`, value: format byte 1, `u64 LE expiry` (wall-
//   clock milliseconds since the epoch), `str holder` (docs/storage-layout.md,
//   "Leases"). Names are ASCII, e.g. "index/<table id>/<index no>".
// - tryAcquire(name, duration) takes the lease when it is absent, expired or
//   already held by this manager's holder, and sets its expiry to now +
//   duration; all in one serializable kv transaction, so two servers racing
//   for a free lease never both win. Returns whether this holder holds it.
//   Calling it again before expiry renews it; work longer than the duration
//   renews between steps and stops when a renewal returns false.
// - Safety never rests on a lease: every piece of background work is
//   transactional and idempotent (a second runner only repeats checks). A
//   lease keeps N servers from doing the same work N times, and makes
//   takeover automatic: a holder that dies stops renewing, and once the
//   expiry has passed any server takes the lease over.
// - Expiry is wall-clock: the servers' clocks must agree to well within the
//   duration (NTP on every host). A clock that jumps only costs duplicate
//   work, never correctness (above).
// - Holder ids are unique per manager (host name, pid and 64 random bits),
//   so a restarted server never mistakes a lease of its previous life for
//   its own; that one expires.
// - Errors: kv errors of the transaction are returned; a lease value that
//   does not decode counts as free (it is overwritten).
// - Thread safety: all methods may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "kv/kv.h"

namespace fdyno::engine {

std::string leaseKey(std::string_view name);

struct LeaseValue {
  int64_t expiry_ms = 0;
  std::string holder;
};
std::string encodeLease(const LeaseValue& v);
bool decodeLease(std::string_view in, LeaseValue* out);

class LeaseManager {
 public:
  LeaseManager(kv::Store& store, std::chrono::milliseconds duration);
  LeaseManager(const LeaseManager&) = delete;
  LeaseManager& operator=(const LeaseManager&) = delete;

  const std::string& holder() const { return holder_; }
  std::chrono::milliseconds duration() const { return duration_; }

  // Takes or renews `name` for duration() (or `duration` when given).
  [[nodiscard]] Result<bool> tryAcquire(std::string_view name);
  [[nodiscard]] Result<bool> tryAcquire(std::string_view name, std::chrono::milliseconds duration);
  // Gives the lease up if this holder holds it, so another server can take
  // it at once. Writes into `txn` (the transaction that ends the work).
  [[nodiscard]] Status release(kv::Transaction& txn, std::string_view name);
  // The live holder of `name`; empty when free or expired.
  [[nodiscard]] Result<std::string> holderOf(std::string_view name);

 private:
  kv::Store& store_;
  const std::chrono::milliseconds duration_;
  const std::string holder_;
};

}  // namespace fdyno::engine

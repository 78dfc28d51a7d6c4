// Leases for background work. Contract in engine/lease.h.
#include "engine/lease.h"

#include <unistd.h>

#include <random>

#include "engine/byte_codec.h"
#include "engine/storage_keys.h"

namespace fdyno::engine {

namespace {

constexpr char kLeasePrefix = 'l';
constexpr uint8_t kLeaseFormat = 1;

int64_t wallMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string makeHolderId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device rd;
  uint64_t r = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  char buf[32];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + buf;
}

}  // namespace

std::string leaseKey(std::string_view name) {
  std::string k{keys::kSystemSpace, kLeasePrefix};
  k.append(name);
  return k;
}

std::string encodeLease(const LeaseValue& v) {
  std::string out;
  ByteWriter w(out);
  w.u8(kLeaseFormat);
  w.i64(v.expiry_ms);
  w.str(v.holder);
  return out;
}

bool decodeLease(std::string_view in, LeaseValue* out) {
  ByteReader r(in);
  if (r.u8() != kLeaseFormat) return false;
  out->expiry_ms = r.i64();
  out->holder = std::string(r.str());
  return r.ok() && r.atEnd();
}

LeaseManager::LeaseManager(kv::Store& store, std::chrono::milliseconds duration)
    : store_(store), duration_(duration), holder_(makeHolderId()) {}

Result<bool> LeaseManager::tryAcquire(std::string_view name) { return tryAcquire(name, duration_); }

Result<bool> LeaseManager::tryAcquire(std::string_view name, std::chrono::milliseconds duration) {
  const std::string key = leaseKey(name);
  bool held = false;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    held = false;
    // Non-snapshot: two servers taking one free lease conflict, and the
    // retried one then sees the winner's live lease.
    FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
    const int64_t now = wallMillis();
    LeaseValue cur;
    if (raw && decodeLease(*raw, &cur) && cur.holder != holder_ && cur.expiry_ms > now) {
      return Status::OK();  // someone else's, still live
    }
    txn.set(key, encodeLease({now + duration.count(), holder_}));
    held = true;
    return Status::OK();
  });
  if (!st.ok()) return st;
  return held;
}

Status LeaseManager::release(kv::Transaction& txn, std::string_view name) {
  const std::string key = leaseKey(name);
  FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(key));
  LeaseValue cur;
  if (raw && decodeLease(*raw, &cur) && cur.holder == holder_) txn.clear(key);
  return Status::OK();
}

Result<std::string> LeaseManager::holderOf(std::string_view name) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(auto raw, txn->get(leaseKey(name), /*snapshot=*/true));
  LeaseValue cur;
  if (!raw || !decodeLease(*raw, &cur) || cur.expiry_ms <= wallMillis()) return std::string();
  return cur.holder;
}

}  // namespace fdyno::engine

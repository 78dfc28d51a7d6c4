#include "engine/idempotency.h"

#include <chrono>
#include <cstring>

#include "engine/byte_codec.h"
#include "engine/storage_keys.h"

namespace fdyno::engine {

namespace {

// System-space prefixes (docs/storage-layout.md, "Idempotency tokens").
constexpr char kTokenPrefix = 't';
constexpr char kExpiryPrefix = 'x';
constexpr uint8_t kRecordFormat = 1;
constexpr size_t kRecordHeader = 1 + 8 + 8 + 8;

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;

uint64_t rotl(uint64_t v, int r) { return (v << r) | (v >> (64 - r)); }

// A 64-bit finalizer (xor-shift-multiply): every input bit affects every
// output bit.
uint64_t finalize(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

uint64_t loadLE(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

}  // namespace

RequestDigest digestBytes(std::string_view bytes) {
  // Two 64-bit lanes fed with every 8-byte word, cross-mixed so that the
  // 128 bits do not degrade to two copies of one 64-bit hash.
  uint64_t h1 = 0x243F6A8885A308D3ull ^ bytes.size();
  uint64_t h2 = 0x13198A2E03707344ull ^ (bytes.size() * kMul1);
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t k = loadLE(bytes.data() + i, 8);
    h1 ^= rotl(k * kMul1, 31) * kMul2;
    h1 = rotl(h1, 27) + h2;
    h1 = h1 * 5 + 0x52DCE729;
    h2 ^= rotl(k * kMul2, 33) * kMul1;
    h2 = rotl(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495AB5;
  }
  if (i < bytes.size()) {
    uint64_t k = loadLE(bytes.data() + i, bytes.size() - i);
    h1 ^= rotl(k * kMul1, 31) * kMul2;
    h2 ^= rotl(k * kMul2, 33) * kMul1;
  }
  h1 += h2;
  h2 += h1;
  h1 = finalize(h1);
  h2 = finalize(h2);
  h1 += h2;
  h2 += h1;
  return RequestDigest{h1, h2};
}

std::string idempotencyTokenKey(std::string_view token) {
  std::string k;
  k.reserve(2 + token.size());
  k.push_back(keys::kSystemSpace);
  k.push_back(kTokenPrefix);
  k.append(token);
  return k;
}

std::string idempotencyExpiryKey(uint64_t expiry_ms, std::string_view token) {
  std::string k;
  k.reserve(10 + token.size());
  k.push_back(keys::kSystemSpace);
  k.push_back(kExpiryPrefix);
  keys::appendU64BE(k, expiry_ms);
  k.append(token);
  return k;
}

std::string idempotencyExpiryBegin() { return std::string{keys::kSystemSpace, kExpiryPrefix}; }
std::string idempotencyExpiryEnd() { return std::string{keys::kSystemSpace, static_cast<char>(kExpiryPrefix + 1)}; }

std::string encodeTokenRecord(const TokenRecord& r) {
  std::string out;
  out.reserve(kRecordHeader + r.response.size());
  ByteWriter w(out);
  w.u8(kRecordFormat);
  w.u64(r.expiry_ms);
  w.u64(r.digest.hi);
  w.u64(r.digest.lo);
  out.append(r.response);
  return out;
}

Result<TokenRecord> decodeTokenRecord(std::string_view v) {
  if (v.size() < kRecordHeader || static_cast<uint8_t>(v[0]) != kRecordFormat) {
    return Status::Corruption("idempotency token record does not decode");
  }
  ByteReader r(v.substr(1, kRecordHeader - 1));
  TokenRecord t;
  t.expiry_ms = r.u64();
  t.digest.hi = r.u64();
  t.digest.lo = r.u64();
  t.response.assign(v.substr(kRecordHeader));
  return t;
}

uint64_t wallClockMillis() {
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

Status purgeExpiredTokens(kv::Store& store, uint64_t now_ms, size_t limit) {
  return kv::runTransaction(
      store,
      [&](kv::Transaction& txn) -> Status {
        // The index is read with a snapshot read: cleaners racing on the same
        // entries only clear the same keys twice, which is harmless.
        std::string end = idempotencyExpiryKey(now_ms, "");
        kv::RangeOptions opts;
        opts.limit = limit;
        FDYNO_ASSIGN_OR_RETURN(kv::RangeResult rr,
                               txn.getRange(idempotencyExpiryBegin(), end, opts, /*snapshot=*/true));
        for (const kv::KeyValue& kvp : rr.pairs) {
          if (kvp.key.size() < 10) continue;
          uint64_t expiry = keys::readU64BE(std::string_view(kvp.key).substr(2, 8));
          std::string_view token = std::string_view(kvp.key).substr(10);
          std::string tk = idempotencyTokenKey(token);
          // Conflict-tracked: a request that re-creates this token concurrently
          // makes this cleanup conflict instead of losing its record.
          FDYNO_ASSIGN_OR_RETURN(auto rec, txn.get(tk));
          if (rec) {
            auto r = decodeTokenRecord(*rec);
            if (r.ok() && r->expiry_ms == expiry) txn.clear(tk);
          }
          txn.clear(kvp.key);
        }
        return Status::OK();
      },
      /*max_attempts=*/3);
}

}  // namespace fdyno::engine

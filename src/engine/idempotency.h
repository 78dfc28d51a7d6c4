// idempotency: ClientRequestToken records of TransactWriteItems.
//
// DynamoDB keeps a client token for 10 minutes after the first request that
// used it: a retry with the same token and the same parameters succeeds
// without writing again; the same token with different parameters fails with
// IdempotentParameterMismatchException. fdyno keeps the records in the kv
// store (docs/storage-layout.md, "Idempotency tokens"), so they survive
// restarts and are shared by every server on one store:
//
//   01 't' <token>                     -> TokenRecord (below)
//   01 'x' <expiry ms: u64 BE> <token> -> empty: expiry index for lazy cleanup
//
// The record is written in the SAME kv transaction as the transaction's
// writes, after a conflict-tracked read of the token key. Two concurrent
// requests with one token therefore both read "absent" and both write the
// key: the second to commit conflicts, retries, finds the record and replays
// it. Exactly one of them writes the items.
//
// Thread safety: pure functions, except purgeExpiredTokens (its own kv
// transaction; safe from any thread).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "kv/kv.h"

namespace fdyno::engine {

// DynamoDB: "A client request token is valid for 10 minutes after the first
// request that uses it is completed."
inline constexpr uint64_t kIdempotencyWindowMs = 10 * 60 * 1000;

// A 128-bit digest of a request's parameters. Not cryptographic: it tells a
// retry from a different request, nothing more (a client that wants to
// collide its own tokens only hurts itself).
struct RequestDigest {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const RequestDigest&) const = default;
};

// Digest of `bytes`, stable across processes, builds and machines (the
// records are shared by several servers and survive upgrades).
RequestDigest digestBytes(std::string_view bytes);

// What is stored under the token key. Value layout (little-endian):
//   u8 format (1) | u64 expiry_ms | u64 digest.hi | u64 digest.lo | response bytes
struct TokenRecord {
  uint64_t expiry_ms = 0;
  RequestDigest digest;
  std::string response;  // the first call's response members that a replay repeats
};

std::string idempotencyTokenKey(std::string_view token);
std::string idempotencyExpiryKey(uint64_t expiry_ms, std::string_view token);
// [begin, end) of the expiry index.
std::string idempotencyExpiryBegin();
std::string idempotencyExpiryEnd();

std::string encodeTokenRecord(const TokenRecord& r);
// kCorruption if `v` is not a record.
[[nodiscard]] Result<TokenRecord> decodeTokenRecord(std::string_view v);

// Milliseconds since the Unix epoch (wall clock: several servers compare it).
uint64_t wallClockMillis();

// Best effort: removes up to `limit` records whose expiry is before `now_ms`
// (in their own transaction). A record re-created after expiring (a new
// first use of the token) is left alone: its key is read with a conflict
// check and its expiry compared before it is cleared.
[[nodiscard]] Status purgeExpiredTokens(kv::Store& store, uint64_t now_ms, size_t limit);

}  // namespace fdyno::engine

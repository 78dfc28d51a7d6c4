// ttl: DynamoDB Time to Live: the per-table setting (UpdateTimeToLive,
// DescribeTimeToLive) and the rule deciding when an item has expired.
//
// Setting: TableDefinition::ttl_attribute (format 3 of the definition,
// docs/storage-layout.md); empty means disabled. Changing it is a catalog
// write (generation + 1) in one kv transaction.
//
// Status: fdyno answers ENABLED or DISABLED at once. DynamoDB passes through
// ENABLING/DISABLING for up to an hour; fdyno's sweeper (ttl_sweeper.h)
// honours a change at its next pass, so there is no window worth reporting,
// and clients that wait for ENABLED (most do) need not poll. DynamoDB also
// refuses a second change within about an hour ("Time to live has been
// modified multiple times within a fixed interval"); fdyno does not enforce
// that cooldown (TODO if a client needs the error).
//
// UpdateTimeToLive rules (DynamoDB's order, kInvalidArgument; the reasons'
// texts are in api/errors.cc):
//   TTL active on attribute A, request names B != A (enable or disable):
//     kTtlOnOtherAttribute(A)
//   TTL active, enable again with A:  kTtlAlreadyEnabled
//   TTL disabled, disable:            kTtlAlreadyDisabled
// Missing table: kNotFound kTableNotFound.
// Any attribute may be chosen, key attributes included (DynamoDB accepts it).
//
// Expiry (isExpired): an item expires when its TTL attribute is a Number
// holding epoch seconds at or before now. Items whose attribute is missing
// or not a Number never expire, and neither do items whose time is more than
// five years in the past: DynamoDB ignores such values (its documentation:
// TTL values older than five years are not processed), which protects
// tables whose attribute holds something other than an expiry time.
//
// Thread safety: isExpired is pure; Database methods are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace fdyno::engine {

// Five years of seconds (365-day years; DynamoDB does not say which).
inline constexpr int64_t kTtlMaxPastSeconds = 5LL * 365 * 24 * 3600;

struct TtlDescription {
  bool enabled = false;
  std::string attribute;  // empty when disabled
};

// True if `item` has expired at `now_seconds` under attribute `attr`.
bool isExpired(const model::Item& item, std::string_view attr, int64_t now_seconds);
// The same rule on a number in model/number.h's normalized form.
bool isExpiredNumber(std::string_view normalized, int64_t now_seconds);

// Wall clock, epoch seconds.
int64_t ttlNowSeconds();

}  // namespace fdyno::engine

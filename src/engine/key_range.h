// key_range: Query key conditions and Scan segments as ranges [begin, end)
// of encoded kv keys, over the keys of one key space: a table's items
// (<prefix> <enc(pk)> [<enc(sk)>]) or a secondary index's entries
// (<prefix> <enc(h1..hN)> <enc(r1..rM)> <enc(table key)>, index_maintenance.h).
//
// Why ranges: model/key_codec.h encodings are order-preserving and
// prefix-free (self-delimiting) within one type, so every DynamoDB key
// condition on one partition selects one contiguous run of keys:
//   P = prefix + enc(pk)           all items of the partition start with P,
//                                  and no item of another partition does
//                                  (prefix-freedom). On an index P also
//                                  holds the equality-matched leading sort
//                                  key attributes (multi-attribute keys).
//   sk = v        [P+enc(v), end(P+enc(v)))
//   sk < v        [P, P+enc(v))
//   sk <= v       [P, end(P+enc(v)))
//   sk > v        [end(P+enc(v)), end(P))
//   sk >= v       [P+enc(v), end(P))
//   BETWEEN a, b  [P+enc(a), end(P+enc(b)))
//   begins_with(sk, s)  (S and B only)
//                 [P+esc(s), end(P+esc(s))) where esc(s) is enc(s) without
//                 its 00 00 terminator. Sound because esc() maps byte by byte
//                 (00 -> 00 FF, others unchanged) and parses unambiguously
//                 left to right: a key starts with P+esc(s) exactly when its
//                 sort key starts with s. esc(s) may end in FF (s ending in
//                 00 or FF), so end() must carry past trailing FF bytes.
// Upper bounds use end(P+enc(v)), never P+enc(v)+00: index entries carry
// more bytes after the sort key (further sort key attributes, then the
// table key), so "sk <= v" must include every key that *starts* with
// P+enc(v). On a table the two bounds select the same keys.
// end(x) is the smallest key greater than every key starting with x
// (prefixEnd below).
//
// Scan segments (parallel scan): the key space is cut into TotalSegments
// contiguous ranges of the *encoded key space*: segment i covers the keys
// whose first four bytes after the prefix, read as a big-endian u32 u, satisfy
// floor(i * 2^32 / T) <= u < floor((i+1) * 2^32 / T), with segment 0 also
// taking everything below and the last everything above. Properties:
// disjoint and covering by construction, stable (boundaries depend only on
// T, never on the data, so a segment's pages can be resumed with
// ExclusiveStartKey), and a segment's page costs a range read of that page
// only. Trade-off: segments are balanced by key bytes, not by item count.
// DynamoDB hashes partition keys, so its segments are balanced for any key
// distribution; here keys sharing a long common first bytes (e.g.
// "user#...") fall in few segments, so parallel scan is correct but gives
// little parallelism for such tables. A hash-prefixed item layout would fix
// that at the cost of Query range reads; the item key layout is fixed
// (docs/storage-layout.md), so this is the only split with pages
// proportional to their size.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/attribute_value.h"

namespace fdyno::engine {

// On the sort key; mirrors expr::KeyOp without depending on expr.
enum class SortKeyOp : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

struct SortKeyCondition {
  SortKeyOp op = SortKeyOp::kEq;
  const model::AttributeValue* value = nullptr;   // BETWEEN: the low bound
  const model::AttributeValue* value2 = nullptr;  // BETWEEN: the high bound
};

struct KeyRange {
  std::string begin;
  std::string end;  // exclusive
  bool empty() const { return begin >= end; }
  bool contains(std::string_view k) const { return k >= begin && k < end; }
};

// The smallest key greater than every key starting with `prefix`: drop
// trailing FF bytes, then increment the last byte. A prefix of only FF bytes
// has no such key; the result is then "\xFF" (kv cuts ranges there anyway).
std::string prefixEnd(std::string_view prefix);

// Range of the keys under `partition_prefix` (= space prefix + enc(pk)) that
// satisfy `sort`, or the whole partition when `sort` is null. The values must
// have the sort key's type (begins_with: S or B), as checked by the caller.
KeyRange sortKeyRange(const std::string& partition_prefix, const SortKeyCondition* sort);

// Segment `segment` of `total` (1 <= total <= 2^32, segment < total) of the
// key space [prefix, prefixEnd(prefix)).
KeyRange segmentRange(std::string_view prefix, uint32_t segment, uint32_t total);

// Intersection of two ranges (possibly empty).
KeyRange intersect(const KeyRange& a, const KeyRange& b);

}  // namespace fdyno::engine

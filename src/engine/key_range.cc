#include "engine/key_range.h"

#include <algorithm>

#include "model/key_codec.h"

namespace fdyno::engine {

namespace {

std::string withValue(const std::string& p, const model::AttributeValue& v) {
  std::string k;
  k.reserve(p.size() + v.scalar.size() + 8);
  k = p;
  model::encodeKeyValue(k, v);
  return k;
}

// Just above every key starting with k (k = P + enc(v)): on an index, the
// entries of sort key v continue with more bytes (see the header).
std::string justAbove(const std::string& k) { return prefixEnd(k); }

void appendU32BE(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

}  // namespace

std::string prefixEnd(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::string(1, '\xFF');
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

KeyRange sortKeyRange(const std::string& partition_prefix, const SortKeyCondition* sort) {
  const std::string& p = partition_prefix;
  KeyRange r{p, prefixEnd(p)};
  if (!sort) return r;
  const model::AttributeValue& v = *sort->value;
  switch (sort->op) {
    case SortKeyOp::kEq:
      r.begin = withValue(p, v);
      r.end = justAbove(r.begin);
      break;
    case SortKeyOp::kLt:
      r.end = withValue(p, v);
      break;
    case SortKeyOp::kLe:
      r.end = justAbove(withValue(p, v));
      break;
    case SortKeyOp::kGt:
      r.begin = justAbove(withValue(p, v));
      break;
    case SortKeyOp::kGe:
      r.begin = withValue(p, v);
      break;
    case SortKeyOp::kBetween:
      r.begin = withValue(p, v);
      r.end = justAbove(withValue(p, *sort->value2));
      break;
    case SortKeyOp::kBeginsWith: {
      // enc(s) minus its 00 00 terminator is esc(s); see the header.
      std::string k = withValue(p, v);
      k.resize(k.size() - 2);
      r.end = prefixEnd(k);
      r.begin = std::move(k);
      break;
    }
  }
  return r;
}

KeyRange segmentRange(std::string_view prefix, uint32_t segment, uint32_t total) {
  KeyRange r{std::string(prefix), prefixEnd(prefix)};
  if (total <= 1) return r;
  auto boundary = [&](uint64_t i) {
    std::string b(prefix);
    appendU32BE(b, static_cast<uint32_t>((i << 32) / total));
    return b;
  };
  if (segment > 0) r.begin = boundary(segment);
  if (segment + 1 < total) r.end = boundary(uint64_t{segment} + 1);
  return r;
}

KeyRange intersect(const KeyRange& a, const KeyRange& b) {
  return KeyRange{std::max(a.begin, b.begin), std::min(a.end, b.end)};
}

}  // namespace fdyno::engine

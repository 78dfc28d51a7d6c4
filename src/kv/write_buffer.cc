#include "kv/write_buffer.h"

#include "kv/key_encoding.h"

namespace fdyno::kv {

void RangeSet::add(std::string_view begin, std::string_view end) {
  if (begin >= end) return;
  std::string new_begin(begin);
  std::string new_end(end);
  // Absorb a range starting at or before `begin` that reaches it.
  auto it = ranges_.upper_bound(begin);
  if (it != ranges_.begin()) {
    auto prev = std::prev(it);
    if (prev->second >= begin) {
      new_begin = prev->first;
      if (prev->second > new_end) new_end = prev->second;
      it = ranges_.erase(prev);
    }
  }
  // Absorb every range starting inside [begin, end].
  while (it != ranges_.end() && it->first <= new_end) {
    if (it->second > new_end) new_end = it->second;
    it = ranges_.erase(it);
  }
  ranges_.emplace(std::move(new_begin), std::move(new_end));
}

bool RangeSet::contains(std::string_view key) const {
  auto it = ranges_.upper_bound(key);
  if (it == ranges_.begin()) return false;
  --it;
  return key < it->second;
}

void WriteBuffer::set(std::string_view key, std::string_view value) {
  auto [it, inserted] = points_.try_emplace(std::string(key));
  it->second.kind = PointWrite::Kind::kSet;
  it->second.value.assign(value);
  it->second.delta = 0;
}

void WriteBuffer::clear(std::string_view key) {
  auto [it, inserted] = points_.try_emplace(std::string(key));
  it->second.kind = PointWrite::Kind::kClear;
  it->second.value.clear();
  it->second.delta = 0;
}

void WriteBuffer::clearRange(std::string_view begin, std::string_view end) {
  if (begin >= end) return;
  // Later range clears win over earlier point writes inside them.
  auto first = points_.lower_bound(begin);
  auto last = points_.lower_bound(end);
  points_.erase(first, last);
  cleared_.add(begin, end);
}

void WriteBuffer::atomicAdd(std::string_view key, int64_t delta) {
  auto it = points_.find(key);
  if (it == points_.end()) {
    PointWrite w;
    if (cleared_.contains(key)) {
      // The base is known to be absent: the result is fully determined.
      w.kind = PointWrite::Kind::kSet;
      w.value = encodeLittleEndian64(delta);
    } else {
      w.kind = PointWrite::Kind::kAdd;
      w.delta = delta;
    }
    points_.emplace(std::string(key), std::move(w));
    return;
  }
  PointWrite& w = it->second;
  switch (w.kind) {
    case PointWrite::Kind::kSet:
      w.value = applyAdd(std::string_view(w.value), delta);
      break;
    case PointWrite::Kind::kClear:
      w.kind = PointWrite::Kind::kSet;
      w.value = encodeLittleEndian64(delta);
      break;
    case PointWrite::Kind::kAdd:
      w.delta = wrappingAdd(w.delta, delta);
      break;
  }
}

void WriteBuffer::setVersionstamped(std::string_view prefix, std::string_view suffix,
                                    std::string_view value) {
  versionstamped_.push_back(
      VersionstampedSet{std::string(prefix), std::string(suffix), std::string(value)});
}

std::string applyAdd(const std::optional<std::string_view>& base, int64_t delta) {
  int64_t current = base ? decodeLittleEndian64(*base) : 0;
  return encodeLittleEndian64(wrappingAdd(current, delta));
}

}  // namespace fdyno::kv

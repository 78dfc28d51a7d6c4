#include "expr/cache.h"

#include <functional>

namespace fdyno::expr {

ExpressionCache::ExpressionCache(size_t capacity)
    : per_shard_(capacity / kShards > 0 ? capacity / kShards : 1) {}

ExpressionCache& ExpressionCache::global() {
  static ExpressionCache* cache = new ExpressionCache();  // never destroyed: usable during shutdown
  return *cache;
}

ExpressionCache::Shard& ExpressionCache::shardFor(const std::string& key) {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

Result<std::shared_ptr<const ParsedExpression>> ExpressionCache::get(Grammar grammar, std::string_view text) {
  // Key: one grammar byte then the text (conditions, filters and key
  // conditions share the condition grammar and so share entries).
  std::string key;
  key.reserve(text.size() + 1);
  key.push_back(static_cast<char>('0' + static_cast<int>(grammar)));
  key.append(text);
  Shard& shard = shardFor(key);
  {
    MutexLock lock(shard.mu);
    auto it = shard.map.find(key);
    if (it != shard.map.end()) {
      ++shard.hits;
      shard.lru.splice(shard.lru.begin(), shard.lru, it->second.pos);
      return it->second.parsed;
    }
    ++shard.misses;
  }
  // Parse outside the lock: parsing is the slow part; two threads may parse
  // the same text at once, which is harmless (the first insert wins).
  auto parsed = parseExpression(grammar, text);
  if (!parsed.ok()) return parsed.status();
  std::shared_ptr<const ParsedExpression> shared(std::move(parsed).value());
  MutexLock lock(shard.mu);
  auto it = shard.map.find(key);
  if (it != shard.map.end()) return it->second.parsed;
  shard.lru.push_front(key);
  shard.map.emplace(std::move(key), Shard::Entry{shared, shard.lru.begin()});
  while (shard.map.size() > per_shard_) {
    shard.map.erase(shard.lru.back());
    shard.lru.pop_back();
  }
  return shared;
}

size_t ExpressionCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    MutexLock lock(s.mu);
    n += s.map.size();
  }
  return n;
}

uint64_t ExpressionCache::hits() const {
  uint64_t n = 0;
  for (const Shard& s : shards_) {
    MutexLock lock(s.mu);
    n += s.hits;
  }
  return n;
}

uint64_t ExpressionCache::misses() const {
  uint64_t n = 0;
  for (const Shard& s : shards_) {
    MutexLock lock(s.mu);
    n += s.misses;
  }
  return n;
}

}  // namespace fdyno::expr

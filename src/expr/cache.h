// ExpressionCache: parsed expressions keyed by (grammar, text).
//
// Why: applications send the same few expressions over and over; parsing
// and the text-only checks are then done once. Only successful parses are
// cached (a stream of distinct bad expressions cannot evict good ones any
// faster than distinct good ones could).
//
// Contract:
// - Thread-safe: lookups and inserts take one mutex per shard (16 shards,
//   picked by hash, so concurrent requests rarely contend).
// - Bounded: each shard keeps at most capacity/16 entries, evicting the
//   least recently used.
// - Entries are shared_ptr<const ParsedExpression>: a request keeps its tree
//   alive even if the cache evicts it meanwhile. Trees are immutable.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/mutex.h"
#include "common/status.h"
#include "expr/ast.h"
#include "expr/parser.h"

namespace fdyno::expr {

class ExpressionCache {
 public:
  explicit ExpressionCache(size_t capacity = 4096);
  ExpressionCache(const ExpressionCache&) = delete;
  ExpressionCache& operator=(const ExpressionCache&) = delete;

  // The parse of `text`, from the cache or freshly parsed (and then cached).
  // Errors as parseExpression() (no "Invalid XExpression: " prefix).
  Result<std::shared_ptr<const ParsedExpression>> get(Grammar grammar, std::string_view text);

  size_t size() const;
  uint64_t hits() const;
  uint64_t misses() const;

  // The process-wide cache used by default.
  static ExpressionCache& global();

 private:
  struct Shard {
    mutable Mutex mu;
    std::list<std::string> lru GUARDED_BY(mu);  // front = most recent; keys
    struct Entry {
      std::shared_ptr<const ParsedExpression> parsed;
      std::list<std::string>::iterator pos;
    };
    std::unordered_map<std::string, Entry> map GUARDED_BY(mu);
    uint64_t hits GUARDED_BY(mu) = 0;
    uint64_t misses GUARDED_BY(mu) = 0;
  };
  static constexpr size_t kShards = 16;
  Shard& shardFor(const std::string& key);

  size_t per_shard_;
  Shard shards_[kShards];
};

}  // namespace fdyno::expr

// query_scan: one page of a Query or Scan (Database::readPage), read from
// one kv snapshot.
//
// Contract:
// - A page is read in a read-only kv transaction with snapshot reads: it
//   sees one consistent state, adds no read conflicts and never commits
//   anything (so it can neither conflict nor slow writers down). Every read
//   is strongly consistent; ConsistentRead only changes the capacity charged
//   (api layer).
// - Cost: a page reads only its own keys (one range read per ~256 items),
//   never the rest of the table: the key condition or the Scan segment is
//   turned into a kv range by engine/key_range.h.
// - Limits: `limit` counts items read (before any filter: DynamoDB's Limit),
//   `byte_limit` the DynamoDB sizes (model/item_size.h) of the items read
//   (1 MB page limit); the item that reaches the byte limit is included, as
//   in DynamoDB. A page stopped by either limit returns LastEvaluatedKey
//   (even if nothing follows, like DynamoDB); a page that ran out of keys
//   does not.
// - The planner runs inside the read, with the table definition, before any
//   item is read: it checks what needs the schema and fills the ReadPlan.
//   A non-OK Status ends the read and is returned as is.
// - Errors: kNotFound kItemTableNotFound (missing table),
//   kInvalidArgument with the ExclusiveStartKey reasons (below),
//   kCorruption, kv errors.
// - Thread safety: readPage may run concurrently with anything; the planner
//   and visitor are called on the calling thread.
//
// Secondary indexes: a KeySpace is the thing a page reads: its kv prefix
// and key schema. The base table is one; each GSI/LSI is another (prefix
// 02 <id> 01 <index no>, keys = index key + table key, values = projected
// items; engine/index_maintenance.h), chosen by ReadPlan::index. Ranges,
// paging, limits and start keys are shared. Index entries are written in
// the same kv transaction as their base item, so an index page is exactly
// as fresh as a table page (strongly consistent, GSIs included).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/key_range.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

// DynamoDB's page limit on data read: 1 MB.
inline constexpr size_t kPageByteLimit = 1024 * 1024;

// An ordered space of items that Query and Scan read. Holds pointers into
// the TableInfo it was made from (the caller keeps that TableRef alive).
class KeySpace {
 public:
  // The table's items: 02 <id> 00 <pk> [<sk>].
  static KeySpace baseTable(const TableInfo& t);
  // The entries of secondary index `ix` (one of t.def's indexes).
  static KeySpace secondaryIndex(const TableInfo& t, const IndexDefinition& ix);

  const std::string& prefix() const { return prefix_; }
  const IndexDefinition* index() const { return index_; }
  // Partition key attributes in KeySchema order (one, or up to four for a
  // multi-attribute GSI key) and sort key attributes (zero to four).
  const std::vector<const KeyAttribute*>& hashKeys() const { return hash_; }
  const std::vector<const KeyAttribute*>& rangeKeys() const { return range_; }
  // The attributes an ExclusiveStartKey / LastEvaluatedKey holds: the table
  // key, then (index) the index key attributes not already in it.
  const std::vector<const KeyAttribute*>& startKeyAttributes() const { return start_attrs_; }

  // prefix + enc(values...): the prefix of every key of one partition (plus,
  // for an index, of the leading sort key values in `sort_prefix`).
  std::string partitionPrefix(const std::vector<const model::AttributeValue*>& values,
                              const std::vector<const model::AttributeValue*>& sort_prefix = {}) const;
  // The key of `key` (a start key holding startKeyAttributes(), valid types)
  // in this space, appended to `out` (which holds prefix()).
  [[nodiscard]] Status appendKey(const model::Item& key, std::string& out) const;
  // The LastEvaluatedKey of an item read from this space.
  model::Item keyOf(const model::Item& item) const;

 private:
  std::string prefix_;
  const TableDefinition* def_ = nullptr;
  const IndexDefinition* index_ = nullptr;
  std::vector<const KeyAttribute*> hash_;
  std::vector<const KeyAttribute*> range_;
  std::vector<const KeyAttribute*> start_attrs_;
};

enum class ReadKind { kQuery, kScan };

struct ReadPlan {
  ReadKind kind = ReadKind::kScan;
  // The secondary index read (one of the table's, ACTIVE or UPDATING), or
  // null for the table itself.
  const IndexDefinition* index = nullptr;
  // Index reads only: the visitor gets the base item instead of the index
  // entry (an LSI asked for attributes it does not project). Each fetch is
  // one snapshot point read of the item, its size reported in
  // PageResult::fetched_units.
  bool fetch_base = false;
  // Query: the partition key values (of the hash keys' types, KeySchema
  // order), equality values on the leading sort key attributes (multi-
  // attribute GSI keys only; they narrow the range like the partition), and
  // the optional condition on the next sort key attribute.
  std::vector<const model::AttributeValue*> partition;
  std::vector<const model::AttributeValue*> sort_prefix;
  std::optional<SortKeyCondition> sort;
  // Scan: parallel scan segment (total 1 = the whole table).
  uint32_t segment = 0;
  uint32_t total_segments = 1;
  // Exclusive start key, not yet validated: readPage checks it against the
  // key schema, in DynamoDB's order, with these reasons (common/status.h;
  // DynamoDB's texts in api/errors.cc):
  //  Query: wrong attribute count or names kStartKeyInvalid; a wrong type
  //    kKeyMismatch; outside the key condition kStartKeyOutsideQuery (no
  //    sort condition) or kStartKeyRangeMismatch then kStartKeyOneRow (sort
  //    condition, other partition); any start key on a hash-only key space
  //    kStartKeyNotInQuery(name, type, value as shown).
  //  Scan: kStartKeyInvalidBecause wrapping kKeyMismatch (or the key's own
  //    error); with segments, a key outside the segment
  //    kStartKeyInvalidBecause wrapping kStartKeyWrongSegment(T, S).
  const model::Item* exclusive_start = nullptr;
  size_t limit = 0;  // items read; 0 = no limit
  size_t byte_limit = kPageByteLimit;
  bool forward = true;  // ScanIndexForward
};

using ReadPlanner = std::function<Status(const TableInfo& table, ReadPlan& plan)>;
// Called with every item read, in page order, with its DynamoDB size. The
// visitor may move from the item. A non-OK Status ends the read.
using ItemVisitor = std::function<Status(model::Item& item, size_t size)>;

struct PageResult {
  TableRef table;
  size_t scanned = 0;     // items read (ScannedCount)
  size_t bytes_read = 0;  // sum of their DynamoDB sizes (index reads: projected sizes)
  // fetch_base: base items read, and the sum over them of their 4 KB read
  // units (each fetch is its own read: DynamoDB charges one more read per
  // item fetched from the table, rounded up per item).
  size_t fetched = 0;
  size_t fetched_units = 0;
  std::optional<model::Item> last_evaluated_key;
};

// The kv range a plan reads before ExclusiveStartKey is applied (exposed for tests).
KeyRange planRange(const KeySpace& space, const ReadPlan& plan);

}  // namespace fdyno::engine

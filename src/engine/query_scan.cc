// Database::readPage: one page of a Query or Scan. See engine/query_scan.h.
#include "engine/query_scan.h"

#include <algorithm>
#include <string>

#include "engine/database.h"
#include "engine/item_key.h"
#include "engine/stored_item.h"
#include "model/base64.h"
#include "model/key_codec.h"

namespace fdyno::engine {

namespace {

constexpr std::string_view kItemTableNotFound = "Requested resource not found";
constexpr std::string_view kStartKeyInvalid = "The provided starting key is invalid";
constexpr std::string_view kKeyMismatch = "The provided key element does not match the schema";

// Pairs per kv range read: large enough to amortize the call, small enough
// that a Limit-ed or byte-limited page does not read far past its end.
constexpr size_t kChunkPairs = 256;

bool sameScalar(const model::AttributeValue& a, const model::AttributeValue& b) {
  return a.type == b.type && a.scalar == b.scalar;
}

// Shape of an ExclusiveStartKey: exactly the key attributes, with their types.
// Returns 0 when fine, 1 for a count/name problem, 2 for a type problem.
int startKeyShape(const KeySpace& space, const model::Item& key) {
  size_t want = space.rangeKey() ? 2 : 1;
  if (key.size() != want) return 1;
  for (const KeyAttribute* k : {&space.hashKey(), space.rangeKey()}) {
    if (!k) continue;
    auto it = key.find(k->name);
    if (it == key.end()) return 1;
    if (it->second.type != k->type) return 2;
  }
  return 0;
}

Status invalid(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

// Validates plan.exclusive_start and narrows `range` to what follows it.
Status applyStartKey(const KeySpace& space, const ReadPlan& plan, KeyRange& range) {
  const model::Item& esk = *plan.exclusive_start;
  int shape = startKeyShape(space, esk);
  std::string k = space.prefix();
  if (plan.kind == ReadKind::kQuery) {
    if (shape == 1) return invalid(std::string(kStartKeyInvalid));
    if (shape == 2) return invalid(std::string(kKeyMismatch));
    FDYNO_RETURN_IF_ERROR(space.appendKey(esk, k));
    const model::AttributeValue& esk_pk = esk.find(space.hashKey().name)->second;
    if (!space.rangeKey()) {
      // A hash-only partition holds one item, so an exclusive start leaves
      // nothing to read: DynamoDB rejects it, printing the key Java-style
      // (Alternator test_query_no_sort_key_exclusive_start_key).
      std::string shown = esk_pk.type == model::AttrType::kB ? model::base64Encode(esk_pk.scalar) : esk_pk.scalar;
      return invalid("The provided exclusive start key is invalid: ExclusiveStartKey: {" + space.hashKey().name +
                     "=AttributeValue: {" + std::string(model::attrTypeName(esk_pk.type)) + ":" + shown + "}}");
    }
    if (!plan.sort) {
      if (!sameScalar(esk_pk, *plan.partition)) {
        return invalid("The provided starting key is outside query boundaries based on provided conditions");
      }
    } else {
      // The sort value must satisfy the range predicate (judged within the
      // queried partition), then the partition must be the queried one.
      std::string in_partition = space.partitionPrefix(*plan.partition);
      KeyRange pred = sortKeyRange(in_partition, &*plan.sort);
      model::encodeKeyValue(in_partition, esk.find(space.rangeKey()->name)->second);
      if (!pred.contains(in_partition)) {
        return invalid("The provided starting key does not match the range key predicate");
      }
      if (!sameScalar(esk_pk, *plan.partition)) {
        return invalid("The query can return at most one row and cannot be restarted");
      }
    }
  } else {
    std::string prefix_msg = std::string(kStartKeyInvalid) + ": ";
    if (shape != 0) return invalid(prefix_msg + std::string(kKeyMismatch));
    Status st = space.appendKey(esk, k);
    if (!st.ok()) return invalid(prefix_msg + st.message());
    if (plan.total_segments > 1 && !range.contains(k)) {
      return invalid(prefix_msg +
                     "Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: " +
                     std::to_string(plan.total_segments) + " Segment: " + std::to_string(plan.segment));
    }
  }
  if (plan.forward) {
    k.push_back('\0');  // just above the start key: nothing extends it
    if (k > range.begin) range.begin = std::move(k);
  } else if (k < range.end) {
    range.end = std::move(k);
  }
  return Status::OK();
}

}  // namespace

// ---- KeySpace ----

KeySpace KeySpace::baseTable(const TableInfo& t) {
  KeySpace s;
  s.prefix_ = t.item_prefix;
  s.def_ = &t.def;
  s.hash_ = &t.def.hash_key;
  s.range_ = t.def.range_key ? &*t.def.range_key : nullptr;
  return s;
}

std::string KeySpace::partitionPrefix(const model::AttributeValue& pk) const {
  std::string p;
  p.reserve(prefix_.size() + pk.scalar.size() + 8);
  p = prefix_;
  model::encodeKeyValue(p, pk);
  return p;
}

Status KeySpace::appendKey(const model::Item& key, std::string& out) const {
  return appendItemKey(*def_, key, KeySource::kKey, out);
}

model::Item KeySpace::keyOf(const model::Item& item) const { return extractKey(*def_, item); }

KeyRange planRange(const KeySpace& space, const ReadPlan& plan) {
  if (plan.kind == ReadKind::kQuery) {
    return sortKeyRange(space.partitionPrefix(*plan.partition), plan.sort ? &*plan.sort : nullptr);
  }
  return segmentRange(space.prefix(), plan.segment, plan.total_segments);
}

// ---- Database::readPage ----

Result<PageResult> Database::readPage(std::string_view table, const ReadPlanner& planner, const ItemVisitor& visit) {
  // Read-only: never committed. Snapshot reads add no conflict ranges, and the
  // whole page comes from the transaction's one read version.
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(*txn, table));
  if (!t) return Status::NotFound(kItemTableNotFound);
  ReadPlan plan;
  FDYNO_RETURN_IF_ERROR(planner(*t, plan));
  if (plan.kind == ReadKind::kQuery && !plan.partition) return Status::Internal("readPage: query without partition");
  if (plan.total_segments == 0 || plan.segment >= plan.total_segments) {
    return Status::Internal("readPage: bad segment");
  }

  const KeySpace space = KeySpace::baseTable(*t);
  KeyRange range = planRange(space, plan);
  if (plan.exclusive_start) FDYNO_RETURN_IF_ERROR(applyStartKey(space, plan, range));

  PageResult res;
  std::string& begin = range.begin;
  std::string& end = range.end;
  bool stopped = false;
  while (!stopped && begin < end) {
    kv::RangeOptions opts;
    opts.reverse = !plan.forward;
    opts.limit = kChunkPairs;
    if (plan.limit) opts.limit = std::min(opts.limit, plan.limit - res.scanned);
    // Stored bytes approximate DynamoDB sizes; the kv limit only ends this
    // chunk early, the page limits below are exact.
    if (plan.byte_limit) opts.byte_limit = plan.byte_limit - res.bytes_read;
    FDYNO_ASSIGN_OR_RETURN(kv::RangeResult rr, txn->getRange(begin, end, opts, /*snapshot=*/true));
    for (kv::KeyValue& pair : rr.pairs) {
      size_t size = 0;
      FDYNO_RETURN_IF_ERROR(readStoredItemSize(pair.value, &size));
      FDYNO_ASSIGN_OR_RETURN(model::Item item, decodeStoredItem(pair.value));
      ++res.scanned;
      res.bytes_read += size;
      stopped = (plan.limit && res.scanned >= plan.limit) || (plan.byte_limit && res.bytes_read >= plan.byte_limit);
      if (stopped) res.last_evaluated_key = space.keyOf(item);
      FDYNO_RETURN_IF_ERROR(visit(item, size));
      if (stopped) break;
    }
    if (stopped || !rr.more || rr.pairs.empty()) break;
    // Continue after the last key read.
    std::string& last = rr.pairs.back().key;
    if (plan.forward) {
      last.push_back('\0');
      begin = std::move(last);
    } else {
      end = std::move(last);
    }
  }
  res.table = std::move(t);
  return res;
}

}  // namespace fdyno::engine

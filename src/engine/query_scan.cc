// Database::readPage: one page of a Query or Scan. See engine/query_scan.h.
#include "engine/query_scan.h"

#include <algorithm>
#include <string>

#include "engine/capacity.h"
#include "engine/database.h"
#include "engine/index_maintenance.h"
#include "engine/item_key.h"
#include "engine/stored_item.h"
#include "model/base64.h"
#include "model/key_codec.h"

namespace fdyno::engine {

namespace {


// Pairs per kv range read: large enough to amortize the call, small enough
// that a Limit-ed or byte-limited page does not read far past its end.
constexpr size_t kChunkPairs = 256;

bool sameScalar(const model::AttributeValue& a, const model::AttributeValue& b) {
  return a.type == b.type && a.scalar == b.scalar;
}

// Shape of an ExclusiveStartKey: exactly the space's start key attributes,
// with their types, checked in order. 0 when fine, 1 for a count/name
// problem, 2 for a type problem.
int startKeyShape(const KeySpace& space, const model::Item& key) {
  const auto& attrs = space.startKeyAttributes();
  if (key.size() != attrs.size()) return 1;
  for (const KeyAttribute* k : attrs) {
    auto it = key.find(k->name);
    if (it == key.end()) return 1;
    if (it->second.type != k->type) return 2;
  }
  return 0;
}

Status invalid(ErrorReason r, std::vector<std::string> args = {}) {
  return Status::InvalidArgument(r, std::move(args));
}

std::vector<const model::AttributeValue*> valuesOf(const std::vector<const KeyAttribute*>& attrs,
                                                   const model::Item& key) {
  std::vector<const model::AttributeValue*> out;
  out.reserve(attrs.size());
  for (const KeyAttribute* k : attrs) out.push_back(&key.find(k->name)->second);
  return out;
}

Status checkQueryStart(const KeySpace& space, const ReadPlan& plan, const model::Item& esk, const std::string& k) {
  const auto esk_partition = valuesOf(space.hashKeys(), esk);
  bool same_partition = esk_partition.size() == plan.partition.size();
  for (size_t i = 0; same_partition && i < esk_partition.size(); ++i) {
    same_partition = sameScalar(*esk_partition[i], *plan.partition[i]);
  }
  if (!space.index() && space.rangeKeys().empty()) {
    // A hash-only table partition holds one item, so an exclusive start
    // leaves nothing to read: DynamoDB rejects it, printing the key
    // Java-style (Alternator test_query_no_sort_key_exclusive_start_key).
    // Index partitions hold many items: no such rule there.
    const model::AttributeValue& pk = *esk_partition[0];
    std::string shown = pk.type == model::AttrType::kB ? model::base64Encode(pk.scalar) : pk.scalar;
    return invalid(ErrorReason::kStartKeyNotInQuery,
                   {space.hashKeys()[0]->name, std::string(model::attrTypeName(pk.type)), std::move(shown)});
  }
  if (!plan.sort && plan.sort_prefix.empty()) {
    if (!same_partition) {
      return invalid(ErrorReason::kStartKeyOutsideQuery);
    }
    return Status::OK();
  }
  // The sort values must satisfy the range predicate (judged as if the key
  // were in the queried partition), then the partition must be the queried one.
  std::string moved = space.partitionPrefix(plan.partition);
  moved.append(k, space.partitionPrefix(esk_partition).size());
  if (!planRange(space, plan).contains(moved)) {
    return invalid(ErrorReason::kStartKeyRangeMismatch);
  }
  if (!same_partition) return invalid(ErrorReason::kStartKeyOneRow);
  return Status::OK();
}

// Validates plan.exclusive_start and narrows `range` to what follows it.
Status applyStartKey(const KeySpace& space, const ReadPlan& plan, KeyRange& range) {
  const model::Item& esk = *plan.exclusive_start;
  int shape = startKeyShape(space, esk);
  std::string k = space.prefix();
  if (plan.kind == ReadKind::kQuery || space.index()) {
    if (shape == 1) return invalid(ErrorReason::kStartKeyInvalid);
    if (shape == 2) return invalid(ErrorReason::kKeyMismatch);
    FDYNO_RETURN_IF_ERROR(space.appendKey(esk, k));
  }
  if (plan.kind == ReadKind::kQuery) {
    FDYNO_RETURN_IF_ERROR(checkQueryStart(space, plan, esk, k));
  } else {
    // Scan words these "The provided starting key is invalid: <why>".
    if (!space.index()) {
      if (shape != 0) return Status::Wrap(ErrorReason::kStartKeyInvalidBecause, invalid(ErrorReason::kKeyMismatch));
      Status st = space.appendKey(esk, k);
      if (!st.ok()) return Status::Wrap(ErrorReason::kStartKeyInvalidBecause, st);
    }
    if (plan.total_segments > 1 && !range.contains(k)) {
      return Status::Wrap(ErrorReason::kStartKeyInvalidBecause,
                          invalid(ErrorReason::kStartKeyWrongSegment,
                                  {std::to_string(plan.total_segments), std::to_string(plan.segment)}));
    }
  }
  if (plan.forward) {
    k.push_back('\0');  // just above the start key: keys are whole, nothing extends one
    if (k > range.begin) range.begin = std::move(k);
  } else if (k < range.end) {
    range.end = std::move(k);
  }
  return Status::OK();
}

size_t readUnits(size_t size) { return size == 0 ? 1 : (size + kReadUnitBytes - 1) / kReadUnitBytes; }

}  // namespace

// ---- KeySpace ----

KeySpace KeySpace::baseTable(const TableInfo& t) {
  KeySpace s;
  s.prefix_ = t.item_prefix;
  s.def_ = &t.def;
  s.hash_ = {&t.def.hash_key};
  if (t.def.range_key) s.range_.push_back(&*t.def.range_key);
  s.start_attrs_ = s.hash_;
  s.start_attrs_.insert(s.start_attrs_.end(), s.range_.begin(), s.range_.end());
  return s;
}

KeySpace KeySpace::secondaryIndex(const TableInfo& t, const IndexDefinition& ix) {
  KeySpace s;
  s.prefix_ = indexEntriesPrefix(t.def.id, ix.number);
  s.def_ = &t.def;
  s.index_ = &ix;
  for (const auto& k : ix.hash_keys) s.hash_.push_back(&k);
  for (const auto& k : ix.range_keys) s.range_.push_back(&k);
  s.start_attrs_.push_back(&t.def.hash_key);
  if (t.def.range_key) s.start_attrs_.push_back(&*t.def.range_key);
  for (const auto* list : {&s.hash_, &s.range_}) {
    for (const KeyAttribute* k : *list) {
      bool seen = false;
      for (const KeyAttribute* have : s.start_attrs_) seen = seen || have->name == k->name;
      if (!seen) s.start_attrs_.push_back(k);
    }
  }
  return s;
}

std::string KeySpace::partitionPrefix(const std::vector<const model::AttributeValue*>& values,
                                      const std::vector<const model::AttributeValue*>& sort_prefix) const {
  std::string p;
  p.reserve(prefix_.size() + 16 * (values.size() + sort_prefix.size()));
  p = prefix_;
  for (const auto* v : values) model::encodeKeyValue(p, *v);
  for (const auto* v : sort_prefix) model::encodeKeyValue(p, *v);
  return p;
}

Status KeySpace::appendKey(const model::Item& key, std::string& out) const {
  if (!index_) return appendItemKey(*def_, key, KeySource::kKey, out);
  // The table key part with the table's own checks and messages (empty
  // values, sizes), then the whole entry key.
  std::string scratch;
  FDYNO_RETURN_IF_ERROR(appendItemKey(*def_, extractKey(*def_, key), KeySource::kKey, scratch));
  std::string entry;
  if (!indexEntryKey(*def_, *index_, key, entry)) return invalid(ErrorReason::kKeyMismatch);
  out = std::move(entry);
  return Status::OK();
}

model::Item KeySpace::keyOf(const model::Item& item) const {
  model::Item key = extractKey(*def_, item);
  if (index_) {
    for (const KeyAttribute* k : start_attrs_) {
      if (key.count(k->name)) continue;
      auto it = item.find(k->name);
      if (it != item.end()) key.emplace(it->first, it->second);
    }
  }
  return key;
}

KeyRange planRange(const KeySpace& space, const ReadPlan& plan) {
  if (plan.kind == ReadKind::kQuery) {
    return sortKeyRange(space.partitionPrefix(plan.partition, plan.sort_prefix), plan.sort ? &*plan.sort : nullptr);
  }
  return segmentRange(space.prefix(), plan.segment, plan.total_segments);
}

// ---- Database::readPage ----

Result<PageResult> Database::readPage(std::string_view table, const ReadPlanner& planner, const ItemVisitor& visit) {
  // Read-only: never committed. Snapshot reads add no conflict ranges, and the
  // whole page comes from the transaction's one read version.
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(*txn, table));
  if (!t) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(table)});
  ReadPlan plan;
  FDYNO_RETURN_IF_ERROR(planner(*t, plan));
  if (plan.kind == ReadKind::kQuery && plan.partition.empty()) {
    return Status::Internal("readPage: query without partition");
  }
  if (plan.total_segments == 0 || plan.segment >= plan.total_segments) {
    return Status::Internal("readPage: bad segment");
  }

  const KeySpace space = plan.index ? KeySpace::secondaryIndex(*t, *plan.index) : KeySpace::baseTable(*t);
  KeyRange range = planRange(space, plan);
  if (plan.exclusive_start) FDYNO_RETURN_IF_ERROR(applyStartKey(space, plan, range));

  PageResult res;
  std::string& begin = range.begin;
  std::string& end = range.end;
  std::string base_key;
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
      model::Item item;
      // Index entries use the StoredItem format too (index_maintenance.h).
      // One that does not decode is reported and skipped: it does not count
      // towards Limit, and the page goes on (stored_item.h).
      if (!decodeStoredItemOrSkip(pair.value, plan.kind == ReadKind::kQuery ? "Query" : "Scan", &item, &size)) {
        continue;
      }
      ++res.scanned;
      res.bytes_read += size;
      stopped = (plan.limit && res.scanned >= plan.limit) || (plan.byte_limit && res.bytes_read >= plan.byte_limit);
      if (stopped) res.last_evaluated_key = space.keyOf(item);
      if (plan.fetch_base) {
        // Same snapshot as the entry, and entries are written with their
        // item, so the item exists; skip it defensively if not.
        base_key = t->item_prefix;
        FDYNO_RETURN_IF_ERROR(appendItemKey(t->def, extractKey(t->def, item), KeySource::kKey, base_key));
        FDYNO_ASSIGN_OR_RETURN(auto raw, txn->get(base_key, /*snapshot=*/true));
        size_t base_size = 0;
        model::Item base;
        if (raw && decodeStoredItemOrSkip(*raw, "Query", &base, &base_size)) {
          ++res.fetched;
          res.fetched_units += readUnits(base_size);
          FDYNO_RETURN_IF_ERROR(visit(base, base_size));
        }
      } else {
        FDYNO_RETURN_IF_ERROR(visit(item, size));
      }
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

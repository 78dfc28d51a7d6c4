#include "kv/range_read.h"

#include <algorithm>
#include <iterator>
#include <type_traits>

#include "kv/key_encoding.h"

namespace fdyno::kv {
namespace {

// Pairs reserved per range read: the engine reads in chunks of 256 pairs.
constexpr size_t kReservePairs = 257;

template <bool kReverse>
class MergedRange {
 public:
  using PointMap = WriteBuffer::PointMap;
  using BufferIter = std::conditional_t<kReverse, PointMap::const_reverse_iterator, PointMap::const_iterator>;

  MergedRange(ReadCursor& cursor, const WriteBuffer& writes, std::string_view begin, std::string_view end)
      : cursor_(cursor), writes_(writes) {
    const PointMap& points = writes.points();
    if constexpr (kReverse) {
      it_ = std::make_reverse_iterator(points.lower_bound(end));
      end_ = std::make_reverse_iterator(points.lower_bound(begin));
    } else {
      it_ = points.lower_bound(begin);
      end_ = points.lower_bound(end);
    }
  }

  // Produces the next visible pair in range order; false when exhausted or on
  // error (then status() is not OK).
  bool next(KeyValue* out) {
    while (true) {
      bool have_cursor = cursor_.valid();
      bool have_buffer = it_ != end_;
      if (!have_cursor) {
        status_ = cursor_.status();
        if (!status_.ok()) return false;
      }
      if (!have_cursor && !have_buffer) return false;
      if (have_buffer && (!have_cursor || !before(cursor_.key(), it_->first))) {
        // The buffer holds the next key (possibly shadowing the same snapshot key).
        bool same = have_cursor && cursor_.key() == it_->first;
        const PointWrite& write = it_->second;
        bool emit = true;
        switch (write.kind) {
          case PointWrite::Kind::kSet:
            out->key = it_->first;
            out->value = write.value;
            break;
          case PointWrite::Kind::kClear:
            emit = false;
            break;
          case PointWrite::Kind::kAdd: {
            std::optional<std::string_view> base;
            if (same && !writes_.isCleared(it_->first)) base = cursor_.value();
            out->key = it_->first;
            out->value = applyAdd(base, write.delta);
            break;
          }
        }
        ++it_;
        if (same) cursor_.next();
        if (emit) return true;
        continue;
      }
      std::string_view key = cursor_.key();
      if (writes_.isCleared(key)) {
        cursor_.next();
        continue;
      }
      out->key.assign(key);
      out->value.assign(cursor_.value());
      cursor_.next();
      return true;
    }
  }

  const Status& status() const { return status_; }

 private:
  static bool before(std::string_view a, std::string_view b) { return kReverse ? a > b : a < b; }

  ReadCursor& cursor_;
  const WriteBuffer& writes_;
  BufferIter it_;
  BufferIter end_;
  Status status_;
};

template <bool kReverse>
Result<RangeResult> mergeRange(ReadView& view, const WriteBuffer& writes, std::string_view begin,
                               std::string_view end, const RangeOptions& opts, ReadConflicts* conflicts) {
  RangeResult out;
  // Reserve up front: growing the vector pair by pair (1, 2, 4 ... 128
  // KeyValues of 64 bytes) frees and allocates blocks above glibc's fastbin
  // size, and every such request runs malloc_consolidate over the ~200
  // small key/value strings this loop just freed or allocated; profiles of
  // 100-pair Query reads showed malloc at ~25% of the kv time. Capped so a
  // large limit on a small range does not over-allocate.
  out.pairs.reserve(opts.limit != 0 ? std::min<size_t>(opts.limit + 1, kReservePairs) : kReservePairs);
  // One pair past the limit is read to answer `more` exactly.
  std::unique_ptr<ReadCursor> cursor = view.scanHinted(begin, end, kReverse, opts.limit != 0 ? opts.limit + 1 : 0);
  MergedRange<kReverse> merged(*cursor, writes, begin, end);
  size_t bytes = 0;
  bool limited = false;
  KeyValue kv;
  while (merged.next(&kv)) {
    bytes += kv.key.size() + kv.value.size();
    out.pairs.push_back(std::move(kv));
    kv = KeyValue();
    if ((opts.limit != 0 && out.pairs.size() >= opts.limit) ||
        (opts.byte_limit != 0 && bytes >= opts.byte_limit)) {
      limited = true;
      break;
    }
  }
  if (!merged.status().ok()) return merged.status();
  // Look one pair further so `more` is exact rather than "a limit was hit".
  if (limited && merged.next(&kv)) out.more = true;
  if (!merged.status().ok()) return merged.status();
  if (conflicts != nullptr) {
    if (!out.more) {
      conflicts->ranges.emplace_back(std::string(begin), std::string(end));
    } else if constexpr (kReverse) {
      conflicts->ranges.emplace_back(kv.key, std::string(end));
    } else {
      conflicts->ranges.emplace_back(std::string(begin), keyAfter(kv.key));
    }
  }
  return out;
}

}  // namespace

Result<RangeResult> readRangeMerged(ReadView& view, const WriteBuffer& writes, std::string_view begin,
                                    std::string_view end, const RangeOptions& opts, ReadConflicts* conflicts) {
  if (begin >= end) return RangeResult{};
  if (opts.reverse) return mergeRange<true>(view, writes, begin, end, opts, conflicts);
  return mergeRange<false>(view, writes, begin, end, opts, conflicts);
}

}  // namespace fdyno::kv

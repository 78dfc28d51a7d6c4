// Capacity unit arithmetic, by DynamoDB's published rules
// (developerguide/CapacityUnitCalculations.html, and Alternator's
// test_returnconsumedcapacity.py which pins them against DynamoDB):
// - A read costs one unit per started 4 KB of the item's size (the whole
//   item, even with a projection); a missing item counts as size 0 but still
//   costs the minimum. Eventually consistent reads cost half: 0.5 minimum.
// - A write costs one unit per started 1 KB, minimum 1. When a write replaces
//   an item, the larger of the old and new sizes counts; a delete counts the
//   deleted item's size.
// - Secondary indexes (developerguide/LSI.html and GSI.html, "Provisioned
//   throughput considerations"): each index entry a write puts or removes
//   costs one unit per started 1 KB of its projected size, minimum 1; an
//   index key change is a delete plus a put (2 writes); an entry whose key
//   and projection are unchanged costs nothing. The total consumed by a
//   write includes its index units (engine/item_collection.h IndexWriteUnits).
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fdyno::engine {

inline constexpr size_t kReadUnitBytes = 4096;
inline constexpr size_t kWriteUnitBytes = 1024;

inline double readCapacityUnits(size_t item_size, bool consistent) {
  size_t units = item_size == 0 ? 1 : (item_size + kReadUnitBytes - 1) / kReadUnitBytes;
  return consistent ? static_cast<double>(units) : static_cast<double>(units) / 2.0;
}

inline double writeCapacityUnits(size_t old_size, size_t new_size) {
  size_t size = old_size > new_size ? old_size : new_size;
  size_t units = size == 0 ? 1 : (size + kWriteUnitBytes - 1) / kWriteUnitBytes;
  return static_cast<double>(units);
}

// One index entry put or removed: its projected size per started 1 KB, minimum 1.
inline uint32_t indexEntryWriteUnits(size_t projected_size) {
  return static_cast<uint32_t>(projected_size == 0 ? 1 : (projected_size + kWriteUnitBytes - 1) / kWriteUnitBytes);
}

}  // namespace fdyno::engine

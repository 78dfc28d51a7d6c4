// range_read.h: getRange with read-your-writes: merges a snapshot cursor with
// a transaction's buffered writes, forward or reverse, honouring limits.
//
// Contract:
// - Buffered point writes override the snapshot; buffered range clears hide
//   snapshot keys; pending atomicAdds are combined with the snapshot value.
// - When a limit stops the read, one more pair is looked at to answer `more`
//   exactly, and only the span up to and including that pair is added to
//   `conflicts` (nullptr for snapshot reads). Otherwise [begin, end) is added.
// - `begin`/`end` must already be clamped to user key space by the caller.
// - Not thread-safe (operates on one transaction's state).
#pragma once

#include <string_view>

#include "common/status.h"
#include "kv/backend.h"
#include "kv/conflict_tracker.h"
#include "kv/kv.h"
#include "kv/write_buffer.h"

namespace fdyno::kv {

[[nodiscard]] Result<RangeResult> readRangeMerged(ReadView& view, const WriteBuffer& writes,
                                                  std::string_view begin, std::string_view end,
                                                  const RangeOptions& opts, ReadConflicts* conflicts);

}  // namespace fdyno::kv

// How the process's file descriptors (RLIMIT_NOFILE) are shared out, so that
// client connections can never starve the store of files or the other way
// round (issue 8: at 128 descriptors and 300 clients the accept loop spun).
//
// Contract:
// - raiseDescriptorLimit() lifts the soft limit to the hard limit (a server
//   may; most systems start processes at a soft 1024 and a hard limit far
//   above). Call it once at start-up, before anything else reads the budget.
// - descriptorBudget() reads the current soft limit each time it is called
//   (a getrlimit call: start-up only, never per request). Thread-safe.
#pragma once

#include <cstdint>

namespace fdyno {

struct DescriptorBudget {
  int64_t limit = 0;         // the soft RLIMIT_NOFILE (kUnlimited if none)
  int64_t store_files = 0;   // files the store may keep open (RocksDB's max_open_files)
  int64_t connections = 0;   // client connections served at once by default
};

inline constexpr int64_t kUnlimitedDescriptors = 1 << 20;
// Kept back for everything else: listener, epoll, timers, stdio, the write
// ahead log and manifest, connections being refused.
inline constexpr int64_t kOtherDescriptors = 64;
inline constexpr int64_t kMinConnections = 16;
inline constexpr int64_t kMinStoreFiles = 32;
inline constexpr int64_t kMaxStoreFiles = 8192;

// Store files: a quarter of the limit, within [kMinStoreFiles, kMaxStoreFiles];
// connections: the rest after kOtherDescriptors, at least kMinConnections.
DescriptorBudget descriptorBudget();

// Returns the soft limit in force afterwards.
int64_t raiseDescriptorLimit();

}  // namespace fdyno

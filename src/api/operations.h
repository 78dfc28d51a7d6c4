// Operations: the one table of the DynamoDB (and DynamoDB Streams) operations
// fdyno answers, owned by the api layer and read by everyone else.
//
// Contract:
// - One row per operation name DynamoDB has (the 2012-08-10 API, plus the
//   four DynamoDB Streams operations, which share the endpoint under another
//   target prefix; which prefix a request used is the HTTP layer's business
//   and does not matter here). A row carries:
//     name         the operation, as after "DynamoDB_20120810." in X-Amz-Target;
//     handler      the function that answers it (api/handlers.h), or null for
//                  an operation fdyno does not implement yet: the dispatcher
//                  answers those with ValidationException "fdyno does not
//                  support <name> yet" (not UnknownOperationException), so
//                  clients see what is missing;
//     write_pool   true when the operation may wait for a storage commit
//                  (fsync): the HTTP layer then runs its handler on the write
//                  pool instead of an I/O thread (http/server.h);
//     metrics_slot a dense index for per-operation counters: 1 + the row's
//                  position in operations(); 0 (kUnknownMetricsSlot) is kept
//                  for names that are in no row;
//     note         why a column has a value that is not obvious ("" if none).
// - Names are in no other list anywhere in src/: adding an operation is
//   adding its row (in name order) in operations.cc.
// - Rows are sorted by name and unique (checked at compile time); the table
//   is constant, so reading it from any thread is safe.
// - findOperation() is the one lookup by name a request needs (a binary
//   search, no allocation); the HTTP layer then hands the row on to the
//   metrics and to Dispatcher::handle(const Operation*, ...).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace simdjson::dom {
class object;
}

namespace fdyno::engine {
class Database;
}

namespace fdyno::api {

// A handler gets the request body already parsed (a JSON object) and returns
// the 200 response body, or throws ApiError (api/handlers.h).
using Handler = std::string (*)(engine::Database& db, simdjson::dom::object body);

struct Operation {
  std::string_view name;
  Handler handler = nullptr;  // null: not implemented yet
  bool write_pool = false;    // may block on a commit
  int metrics_slot = 0;       // 1 + index in operations()
  std::string_view note;      // why, where not obvious

  bool implemented() const { return handler != nullptr; }
};

// The metrics slot of requests whose operation name is in no row.
inline constexpr int kUnknownMetricsSlot = 0;

// Every row, sorted by name; row i has metrics_slot i + 1.
std::span<const Operation> operations();

// Metrics slots in use: operations().size() + 1 (slot 0 is "unknown").
size_t metricsSlotCount();

// The row named exactly `name` (case-sensitive), or null.
const Operation* findOperation(std::string_view name);

// op's metrics slot; kUnknownMetricsSlot for null.
inline int metricsSlot(const Operation* op) { return op != nullptr ? op->metrics_slot : kUnknownMetricsSlot; }

}  // namespace fdyno::api

// Dispatcher: the api layer's single entry point for the HTTP layer.
//
// Contract:
// - handle() takes an operation and the raw JSON body, and always returns a
//   response: it never throws. The operation is either its row in the
//   registry (api/operations.h; the HTTP layer looked it up once already) or
//   its name (the part of X-Amz-Target after the prefix), looked up here. A
//   name in no row answers UnknownOperationException; a row without a
//   handler answers ValidationException "fdyno does not support <name> yet".
// - ApiErrors thrown by handlers become DynamoDB error bodies here, in one
//   place; any other exception becomes a 500 InternalServerError (and is
//   logged) so a bug never kills the connection.
// - Thread safety: handle() may be called from many threads at once.
// - The Dispatcher does not own the engine; the engine must outlive it.
#pragma once

#include <string_view>

#include "api/api_error.h"
#include "api/operations.h"

namespace fdyno::engine {
class Database;
}

namespace fdyno::api {

class Dispatcher {
 public:
  explicit Dispatcher(engine::Database& db) : db_(db) {}
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Handles one DynamoDB JSON 1.0 request. `op`: findOperation()'s answer
  // for the request's operation name (null: a name in no row).
  ApiResponse handle(const Operation* op, std::string_view body);

  // The same by name, e.g. PutItem (one findOperation() here).
  ApiResponse handle(std::string_view operation, std::string_view body) {
    return handle(findOperation(operation), body);
  }

 private:
  engine::Database& db_;
};

}  // namespace fdyno::api

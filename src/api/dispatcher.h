// Dispatcher: the api layer's single entry point for the HTTP layer.
//
// Contract:
// - handle() takes the operation name (the part of X-Amz-Target after
//   "DynamoDB_20120810.") and the raw JSON body, and always returns a response:
//   it never throws. ApiErrors thrown by handlers become DynamoDB error bodies
//   here, in one place; any other exception becomes a 500 InternalServerError
//   (and is logged) so a bug never kills the connection.
// - Thread safety: handle() may be called from many threads at once.
// - The Dispatcher does not own the engine; the engine must outlive it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "api/api_error.h"

namespace fdyno::engine {
class Database;
}

namespace fdyno::api {

class Dispatcher {
 public:
  explicit Dispatcher(engine::Database& db);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Handles one DynamoDB JSON 1.0 request. `operation` e.g. "PutItem".
  ApiResponse handle(std::string_view operation, std::string_view body);

  // True if `operation` names an operation this server routes (known or not
  // yet implemented). Used by the HTTP layer for metrics labels.
  bool knows(std::string_view operation) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdyno::api

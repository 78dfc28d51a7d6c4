// Query and Scan handlers (api/query_ops.cc). Same contract as the handlers
// in api/handlers.h: the parsed request body in, the 200 response body out,
// or an ApiError thrown. Registered in api/operations.cc.
#pragma once

#include <simdjson.h>

#include <string>

namespace fdyno::engine {
class Database;
}

namespace fdyno::api {

std::string query(engine::Database& db, simdjson::dom::object body);
std::string scan(engine::Database& db, simdjson::dom::object body);

}  // namespace fdyno::api

#include "api/dispatcher.h"

#include <simdjson.h>

#include <exception>
#include <string>

#include "common/fiber.h"
#include "common/log.h"

namespace fdyno::api {

namespace {

// Body bytes a thread's parser may stay sized for between requests: 64 KB
// of capacity is about 1 MB of buffers, so 66 threads pin at most ~66 MB,
// while the common requests (GetItem, PutItem of a few KB) never reallocate.
constexpr size_t kKeptParserCapacity = 64 * 1024;

std::string nameOf(const Operation* op) { return op != nullptr ? std::string(op->name) : "an unknown operation"; }

}  // namespace

ApiResponse Dispatcher::handle(const Operation* op, std::string_view body) {
  try {
    if (op == nullptr) throw ApiError::unknownOperation();
    if (!op->implemented()) throw ApiError::validation("fdyno does not support " + std::string(op->name) + " yet");
    // One parser per thread: it keeps its buffers between requests, so the
    // hot path does not allocate for parsing. But a parser grows to the
    // largest body it has seen, at about 15 bytes of buffers per body byte
    // (padded copy, tape, string buffer, structural indexes), and there are
    // up to 66 threads: a burst of 15 MB requests left gigabytes pinned
    // (issue 8). So a parser grown past kKeptParserCapacity is dropped when
    // the request ends (its doc and the views into it are dead by then);
    // the next large body pays one allocation, small ones none.
    // Per fiber rather than per thread: on a network store requests run on
    // fibers (common/fiber.h), and another request of this thread may parse
    // while this one waits for the database, its document still in use.
    simdjson::dom::parser& parser = fiberLocal<simdjson::dom::parser>();
    struct DropOversizedParser {
      simdjson::dom::parser& parser;
      ~DropOversizedParser() {
        if (parser.capacity() > kKeptParserCapacity) parser = simdjson::dom::parser{};
      }
    } drop_oversized_parser{parser};
    simdjson::dom::element doc;
    if (parser.parse(body.data(), body.size(), /*realloc_if_needed=*/true).get(doc) != simdjson::SUCCESS) {
      // DynamoDB answers a body that is not JSON (or is empty) with a bare
      // SerializationException: no message key at all (dynalite's connection
      // tests, CRC 3948637019; Alternator test_json_parse_error).
      return ApiResponse{400, R"({"__type":"com.amazon.coral.service#SerializationException"})"};
    }
    if (doc.type() != simdjson::dom::element_type::OBJECT) {
      throw ApiError::serialization("Start of structure or map found where not expected");
    }
    std::string out = op->handler(db_, simdjson::dom::object(doc));
    return ApiResponse{200, std::move(out)};
  } catch (const ApiError& e) {
    return toResponse(e);
  } catch (const std::exception& e) {
    log::error("internal error in " + nameOf(op) + ": " + e.what());
    return toResponse(ApiError::internal("Internal server error"));
  } catch (...) {
    log::error("internal error in " + nameOf(op) + ": unknown exception");
    return toResponse(ApiError::internal("Internal server error"));
  }
}

}  // namespace fdyno::api

#include "api/dispatcher.h"

#include <simdjson.h>

#include <exception>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "api/handlers.h"
#include "api/query_ops.h"
#include "common/log.h"
#include "engine/database.h"

namespace fdyno::api {

namespace {

// Every operation of the DynamoDB 2012-08-10 API (and DynamoDB Streams'
// operations share the endpoint only under another target prefix). Those
// without a handler answer with a clear ValidationException instead of
// UnknownOperationException, so clients see what is missing.
constexpr std::string_view kKnownOperations[] = {
    "BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "CreateBackup", "CreateGlobalTable",
    "CreateTable", "DeleteBackup", "DeleteItem", "DeleteResourcePolicy", "DeleteTable", "DescribeBackup",
    "DescribeContinuousBackups", "DescribeContributorInsights", "DescribeEndpoints", "DescribeExport",
    "DescribeGlobalTable", "DescribeGlobalTableSettings", "DescribeImport", "DescribeKinesisStreamingDestination",
    "DescribeLimits", "DescribeTable", "DescribeTableReplicaAutoScaling", "DescribeTimeToLive",
    "DisableKinesisStreamingDestination", "EnableKinesisStreamingDestination", "ExecuteStatement",
    "ExecuteTransaction", "ExportTableToPointInTime", "GetItem", "GetResourcePolicy", "ImportTable",
    "ListBackups", "ListContributorInsights", "ListExports", "ListGlobalTables", "ListImports", "ListTables",
    "ListTagsOfResource", "PutItem", "PutResourcePolicy", "Query", "RestoreTableFromBackup",
    "RestoreTableToPointInTime", "Scan", "TagResource", "TransactGetItems", "TransactWriteItems",
    "UntagResource", "UpdateContinuousBackups", "UpdateContributorInsights", "UpdateGlobalTable",
    "UpdateGlobalTableSettings", "UpdateItem", "UpdateKinesisStreamingDestination", "UpdateTable",
    "UpdateTableReplicaAutoScaling", "UpdateTimeToLive",
};

// Body bytes a thread's parser may stay sized for between requests: 64 KB
// of capacity is about 1 MB of buffers, so 66 threads pin at most ~66 MB,
// while the common requests (GetItem, PutItem of a few KB) never reallocate.
constexpr size_t kKeptParserCapacity = 64 * 1024;

}  // namespace

struct Dispatcher::Impl {
  explicit Impl(engine::Database& d) : db(d) {
    handlers = {
        {"CreateTable", &createTable}, {"DescribeTable", &describeTable}, {"ListTables", &listTables},
        {"DeleteTable", &deleteTable}, {"UpdateTable", &updateTable},   {"PutItem", &putItem},
        {"GetItem", &getItem},         {"DeleteItem", &deleteItem},   {"UpdateItem", &updateItem},
        {"Query", &query},             {"Scan", &scan},
        {"BatchGetItem", &batchGetItem}, {"BatchWriteItem", &batchWriteItem},
        {"TransactGetItems", &transactGetItems}, {"TransactWriteItems", &transactWriteItems},
        {"TagResource", &tagResource}, {"UntagResource", &untagResource},
        {"ListTagsOfResource", &listTagsOfResource},
        {"UpdateTimeToLive", &updateTimeToLive}, {"DescribeTimeToLive", &describeTimeToLive},
        {"DescribeLimits", &describeLimits}, {"DescribeEndpoints", &describeEndpoints},
        // DynamoDB Streams (the HTTP layer strips the DynamoDBStreams_20120810 prefix).
        {"ListStreams", &listStreams}, {"DescribeStream", &describeStream},
        {"GetShardIterator", &getShardIterator}, {"GetRecords", &getRecords},
        {"ExecuteStatement", &executeStatement}, {"BatchExecuteStatement", &batchExecuteStatement},
        {"ExecuteTransaction", &executeTransaction},
        {"CreateBackup", &createBackup}, {"DescribeBackup", &describeBackup}, {"ListBackups", &listBackups},
        {"DeleteBackup", &deleteBackup}, {"RestoreTableFromBackup", &restoreTableFromBackup},
        {"DescribeContinuousBackups", &describeContinuousBackups},
        {"UpdateContinuousBackups", &updateContinuousBackups},
    };
    for (auto op : kKnownOperations) known.insert(op);
  }

  engine::Database& db;
  // Built once, read-only afterwards: safe to read from many threads.
  std::unordered_map<std::string_view, Handler> handlers;
  std::unordered_set<std::string_view> known;
};

Dispatcher::Dispatcher(engine::Database& db) : impl_(std::make_unique<Impl>(db)) {}
Dispatcher::~Dispatcher() = default;

bool Dispatcher::knows(std::string_view operation) const { return impl_->known.count(operation) > 0; }

ApiResponse Dispatcher::handle(std::string_view operation, std::string_view body) {
  try {
    auto it = impl_->handlers.find(operation);
    if (it == impl_->handlers.end()) {
      if (impl_->known.count(operation)) {
        throw ApiError::validation("fdyno does not support " + std::string(operation) + " yet");
      }
      throw ApiError::unknownOperation();
    }
    // One parser per thread: it keeps its buffers between requests, so the
    // hot path does not allocate for parsing. But a parser grows to the
    // largest body it has seen, at about 15 bytes of buffers per body byte
    // (padded copy, tape, string buffer, structural indexes), and there are
    // up to 66 threads: a burst of 15 MB requests left gigabytes pinned
    // (issue 8). So a parser grown past kKeptParserCapacity is dropped when
    // the request ends (its doc and the views into it are dead by then);
    // the next large body pays one allocation, small ones none.
    thread_local simdjson::dom::parser parser;
    struct DropOversizedParser {
      ~DropOversizedParser() {
        if (parser.capacity() > kKeptParserCapacity) parser = simdjson::dom::parser{};
      }
    } drop_oversized_parser;
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
    std::string out = it->second(impl_->db, simdjson::dom::object(doc));
    return ApiResponse{200, std::move(out)};
  } catch (const ApiError& e) {
    return toResponse(e);
  } catch (const std::exception& e) {
    log::error("internal error in " + std::string(operation) + ": " + e.what());
    return toResponse(ApiError::internal("Internal server error"));
  } catch (...) {
    log::error("internal error in " + std::string(operation) + ": unknown exception");
    return toResponse(ApiError::internal("Internal server error"));
  }
}

}  // namespace fdyno::api

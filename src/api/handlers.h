// handlers: one function per implemented DynamoDB operation, declared here
// by family with the file that defines it (Query and Scan are in
// api/query_ops.h). The registry (api/operations.cc) names each in its
// operation's row; the dispatcher calls them through that row.
//
// Contract: a handler (api::Handler, api/operations.h) gets the request body
// already parsed (a JSON object) and returns the 200 response body, or
// throws ApiError. Handlers are stateless; thread safety is the engine's.
#pragma once

#include <simdjson.h>

#include <string>

#include "api/operations.h"

namespace fdyno::engine {
class Database;
}

namespace fdyno::api {

// table_ops.cc
std::string createTable(engine::Database& db, simdjson::dom::object body);
std::string describeTable(engine::Database& db, simdjson::dom::object body);
std::string listTables(engine::Database& db, simdjson::dom::object body);
std::string deleteTable(engine::Database& db, simdjson::dom::object body);
std::string updateTable(engine::Database& db, simdjson::dom::object body);

// item_ops.cc (putItem, getItem, deleteItem), update_item.cc (updateItem)
std::string putItem(engine::Database& db, simdjson::dom::object body);
std::string getItem(engine::Database& db, simdjson::dom::object body);
std::string deleteItem(engine::Database& db, simdjson::dom::object body);
std::string updateItem(engine::Database& db, simdjson::dom::object body);

// batch_ops.cc
std::string batchGetItem(engine::Database& db, simdjson::dom::object body);
std::string batchWriteItem(engine::Database& db, simdjson::dom::object body);

// transact_ops.cc
std::string transactGetItems(engine::Database& db, simdjson::dom::object body);
std::string transactWriteItems(engine::Database& db, simdjson::dom::object body);

// tag_ops.cc (TagResource and UntagResource return an empty body)
std::string tagResource(engine::Database& db, simdjson::dom::object body);
std::string untagResource(engine::Database& db, simdjson::dom::object body);
std::string listTagsOfResource(engine::Database& db, simdjson::dom::object body);

// ttl_ops.cc
std::string updateTimeToLive(engine::Database& db, simdjson::dom::object body);
std::string describeTimeToLive(engine::Database& db, simdjson::dom::object body);

// stream_ops.cc (DynamoDB Streams: target prefix DynamoDBStreams_20120810)
std::string listStreams(engine::Database& db, simdjson::dom::object body);
std::string describeStream(engine::Database& db, simdjson::dom::object body);
std::string getShardIterator(engine::Database& db, simdjson::dom::object body);
std::string getRecords(engine::Database& db, simdjson::dom::object body);

// service_ops.cc
std::string describeLimits(engine::Database& db, simdjson::dom::object body);
std::string describeEndpoints(engine::Database& db, simdjson::dom::object body);

// backup_ops.cc (on-demand backups and the PITR flag; engine/backups.h)
std::string createBackup(engine::Database& db, simdjson::dom::object body);
std::string describeBackup(engine::Database& db, simdjson::dom::object body);
std::string listBackups(engine::Database& db, simdjson::dom::object body);
std::string deleteBackup(engine::Database& db, simdjson::dom::object body);
std::string restoreTableFromBackup(engine::Database& db, simdjson::dom::object body);
std::string describeContinuousBackups(engine::Database& db, simdjson::dom::object body);
std::string updateContinuousBackups(engine::Database& db, simdjson::dom::object body);

// partiql_ops.cc
std::string executeStatement(engine::Database& db, simdjson::dom::object body);
std::string batchExecuteStatement(engine::Database& db, simdjson::dom::object body);
std::string executeTransaction(engine::Database& db, simdjson::dom::object body);

}  // namespace fdyno::api

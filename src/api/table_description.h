// table_description: DynamoDB's TableDescription JSON for a table, shared by
// CreateTable, DescribeTable, UpdateTable and DeleteTable.
// Thread safety: pure functions.
#pragma once

#include "common/json_writer.h"
#include "engine/database.h"

namespace fdyno::api {

// Writes the TableDescription object (the value, not the key), including
// LocalSecondaryIndexes / GlobalSecondaryIndexes and the stream members.
// With d.status == kDeleting (DeleteTable's answer) it leaves out what
// DynamoDB leaves out there: AttributeDefinitions, KeySchema,
// CreationDateTime and the indexes. GSIs show IndexStatus CREATING while the
// table is (CreateTable's answer), their stored status otherwise.
void writeTableDescription(JsonWriter& w, const engine::TableDescription& d, const engine::DatabaseOptions& opts);

}  // namespace fdyno::api

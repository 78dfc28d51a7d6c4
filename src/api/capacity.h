// capacity: the ConsumedCapacity member of item operation responses.
//
// DynamoDB's shapes: TOTAL -> {"TableName": t, "CapacityUnits": u};
// INDEXES adds {"Table": {"CapacityUnits": u}} (plus per-index entries once
// secondary indexes exist); NONE or absent -> no member at all. Units print
// with at least one decimal ("1.0", "0.5"), as DynamoDB does.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "api/request.h"
#include "common/json_writer.h"

namespace fdyno::api {

// "1.0", "0.5", "12.5".
std::string formatCapacityUnits(double units);

// Writes "ConsumedCapacity": {...} into the open object, unless mode is kNone.
void writeConsumedCapacity(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table, double units);

}  // namespace fdyno::api

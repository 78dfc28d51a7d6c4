// capacity: the ConsumedCapacity member of item operation responses.
//
// DynamoDB's shapes: TOTAL -> {"TableName": t, "CapacityUnits": u};
// INDEXES adds {"Table": {"CapacityUnits": table units}} and, for writes that
// touched secondary indexes, "GlobalSecondaryIndexes" / "LocalSecondaryIndexes":
// {name: {"CapacityUnits": index units}}. The total "CapacityUnits" is the
// table's units plus every index's (DynamoDB bills index writes in the
// total). NONE or absent -> no member at all. Units print with at least one
// decimal ("1.0", "0.5"), as DynamoDB does. Transactional operations add
// "ReadCapacityUnits"/"WriteCapacityUnits" beside every "CapacityUnits".
// Thread safety: pure functions; a WriteCapacity belongs to one request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "common/json_writer.h"
#include "engine/item_collection.h"
#include "engine/table_definition.h"

namespace fdyno::api {

// "1.0", "0.5", "12.5".
std::string formatCapacityUnits(double units);

// Writes "ConsumedCapacity": {...} into the open object, unless mode is kNone.
// For reads and for writes to tables without indexes.
void writeConsumedCapacity(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table, double units);

// The capacity one table consumed in a request: its own units plus each
// secondary index's. Index names are borrowed from the table definitions
// passed to addWrite(), which must outlive the WriteCapacity.
class WriteCapacity {
 public:
  // Units charged to the table itself (reads, base-item writes).
  void addTable(double units) { table_ += units; }
  // One item write: `base_units` for the item, plus the index units of
  // `metrics` (engine/item_collection.h), all multiplied by `factor`
  // (2 for transactional writes).
  void addWrite(const engine::TableDefinition& def, double base_units, const engine::WriteMetrics& metrics,
                double factor = 1.0);

  double total() const;

  // The members of one ConsumedCapacity object (the caller opens and closes
  // it): TableName, CapacityUnits, then for kIndexes Table and the index
  // maps. `split_key` ("ReadCapacityUnits"/"WriteCapacityUnits", or empty)
  // repeats each CapacityUnits under that name (transactions).
  void writeMembers(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table,
                    std::string_view split_key = {}) const;

 private:
  struct IndexUnits {
    std::string_view name;
    bool global = false;
    double units = 0;
  };
  double table_ = 0;
  std::vector<IndexUnits> indexes_;  // first-use order
};

// Writes "ConsumedCapacity": {...} for one table's WriteCapacity, unless mode is kNone.
void writeConsumedCapacity(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table,
                           const WriteCapacity& capacity);

}  // namespace fdyno::api

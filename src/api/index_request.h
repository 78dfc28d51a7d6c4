// index_request: CreateTable's LocalSecondaryIndexes and
// GlobalSecondaryIndexes, read and validated with DynamoDB's rules and
// messages, and turned into engine::IndexDefinitions.
//
// Phases (see api/request.h):
//  1+2. readIndexes(): shapes (SerializationException) and member
//       constraints, added to the request's ConstraintErrors with paths like
//       "globalSecondaryIndexes.1.member.indexName".
//  3.   checkAndBuildIndexes(): one message at a time, in DynamoDB's order
//       (recorded by dynalite's tests against DynamoDB and the conformance
//       suites): all LSIs, then all GSIs, then the NonKeyAttributes total,
//       then "Some AttributeDefinitions are not used".
// Thread safety: pure functions over one parsed request. Errors are thrown
// as ApiError.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "api/table_request.h"
#include "engine/database.h"
#include "engine/table_definition.h"

namespace fdyno::api {

// One index as sent; any member may be missing (constraint errors say so).
struct RawIndex {
  std::optional<std::string_view> name;
  std::optional<std::vector<RawKeyElement>> key_schema;
  bool has_projection = false;
  std::optional<std::string_view> projection_type;
  std::optional<std::vector<std::string_view>> non_key_attributes;
  std::optional<ParsedThroughput> throughput;  // GSIs only
};

// Reads LocalSecondaryIndexes (kLocal) or GlobalSecondaryIndexes (kGlobal)
// of a CreateTable request; nullopt if the member is absent or null.
std::optional<std::vector<RawIndex>> readIndexes(const RequestObject& req, engine::IndexKind kind,
                                                 ConstraintErrors& errors);

// Validates both lists against the table (`def` must already hold the
// table's key schema and attribute definitions, and `on_demand` its billing
// mode) and appends the indexes to def.local_indexes / def.global_indexes.
// Call only when the request has at least one of the two members. Also
// checks that every AttributeDefinition is used by some key schema.
void checkAndBuildIndexes(const std::optional<std::vector<RawIndex>>& lsis,
                          const std::optional<std::vector<RawIndex>>& gsis, bool on_demand,
                          engine::TableDefinition& def);

// ---- UpdateTable: GlobalSecondaryIndexUpdates ----

// One element of GlobalSecondaryIndexUpdates as sent.
struct RawIndexUpdate {
  std::optional<RawIndex> create;
  std::optional<std::string_view> delete_name;
  std::optional<std::string_view> update_name;
  std::optional<ParsedThroughput> update_throughput;
  size_t actions = 0;  // how many of Create, Update, Delete are present
};

// UpdateTable's AttributeDefinitions (phase 2 constraints, like CreateTable's).
std::vector<engine::AttributeDefinition> readUpdateAttributeDefinitions(const RequestObject& req,
                                                                        ConstraintErrors& errors);

// Reads GlobalSecondaryIndexUpdates (phases 1+2); nullopt if absent.
std::optional<std::vector<RawIndexUpdate>> readIndexUpdates(const RequestObject& req, ConstraintErrors& errors);

// Phase 3, against `current` (the table as DescribeTable sees it now; the
// engine re-checks what can change in between, inside its transaction).
// DynamoDB's rules and messages:
//  - each update has exactly one of Create/Update/Delete (ValidationException);
//  - at most one Create or Delete per request, and none while another index
//    is CREATING or DELETING: LimitExceededException "Subscriber limit
//    exceeded: Only 1 online index can be created or deleted simultaneously
//    per table";
//  - Create: name not used by any index ("Attempting to create an index
//    which already exists"); key attributes defined in THIS request's
//    AttributeDefinitions (the table's own do not count); key schema and
//    projection rules as in CreateTable; throughput required iff PROVISIONED;
//  - Delete/Update of an unknown GSI: ResourceNotFoundException "Requested
//    resource not found: Index: NAME not found".
// Fills u.create_index / u.delete_index / u.index_throughput /
// u.attribute_definitions.
void checkAndBuildIndexUpdates(const std::vector<RawIndexUpdate>& updates,
                               const std::vector<engine::AttributeDefinition>& request_defs,
                               const engine::TableDefinition& current, bool on_demand, engine::TableUpdate& u);

}  // namespace fdyno::api

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

}  // namespace fdyno::api

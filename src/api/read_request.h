// ReadRequest: the members of a Query or Scan request, validated in
// DynamoDB's order, with its expressions (or legacy parameters) resolved.
//
// DynamoDB's order (dynalite's validations/query.js and scan.js, recorded
// against DynamoDB, plus newer captures in nubo-db/dynamodb-conformance):
//  1. Shape of every member (SerializationException), in the constructor.
//  2. Constraints, collected ("N validation errors detected: ..."):
//     Query: select, indexName, returnConsumedCapacity, queryFilter,
//       tableName, conditionalOperator, attributesToGet, limit, keyConditions.
//     Scan: select, indexName, totalSegments, returnConsumedCapacity,
//       tableName, conditionalOperator, scanFilter, segment, limit,
//       attributesToGet (TotalSegments <= 1000000, Segment <= 999999).
//  3. Semantic checks, one at a time: expression/legacy mixing, legacy
//     filter and AttributesToGet conversion, ExclusiveStartKey values
//     ("The provided starting key is invalid: <value error>"), Query without
//     a key condition, Scan Segment/TotalSegments pairing, then
//     ExpressionAttributeNames/Values, KeyCondition, Filter, Projection
//     expressions, unused names/values, then Select combinations.
//  4. With the table (plan(), inside the read): index (missing, then
//     ConsistentRead on a GSI, then a backfilling GSI, then Select and
//     projection against the index projection), key condition against the
//     table's or index's key schema (multi-attribute GSI keys: every HASH
//     attribute with =, RANGE attributes left to right, = on all but the
//     last), filter on key attributes (Query), then the engine's
//     ExclusiveStartKey checks.
//
// Index reads (IndexName): Select defaults to ALL_PROJECTED_ATTRIBUTES.
// ALL_ATTRIBUTES, or a projection naming attributes the index does not
// project, is an error on a GSI whose projection is not ALL and makes an
// LSI fetch each item from the table (ReadPlan::fetch_base; DynamoDB
// charges those reads to the table).
//
// Contract: throws ApiError with DynamoDB's texts. Not copyable or movable:
// resolved expressions point into maps it owns; the simdjson document must
// outlive it. One request, one thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "engine/query_scan.h"
#include "expr/expression.h"
#include "expr/legacy.h"
#include "model/attribute_value.h"

namespace fdyno::api {

enum class ReadOp { kQuery, kScan };
enum class SelectMode { kAllAttributes, kAllProjected, kSpecific, kCount };

class ReadRequest {
 public:
  ReadRequest(simdjson::dom::object body, ReadOp op);
  ~ReadRequest();
  ReadRequest(const ReadRequest&) = delete;
  ReadRequest& operator=(const ReadRequest&) = delete;

  // Phases 2 and 3 (everything that does not need the table).
  void validate();

  // Phase 4: called by the engine with the table definition; fills `plan`.
  Status plan(const engine::TableInfo& table, engine::ReadPlan& plan);

  ReadOp op() const { return op_; }
  std::string_view tableName() const { return *table_; }
  ReturnConsumedCapacity returnConsumedCapacity() const { return rcc_; }
  bool consistentRead() const { return consistent_; }
  SelectMode select() const { return select_; }
  const expr::Condition* filter() const { return filter_ ? &*filter_ : nullptr; }
  const expr::Projection* projection() const { return projection_ ? &*projection_ : nullptr; }
  // IndexName, if given; after plan(): whether it is a GSI (capacity goes
  // to GlobalSecondaryIndexes) or an LSI (LocalSecondaryIndexes).
  const std::optional<std::string_view>& indexName() const { return index_; }
  bool indexIsGlobal() const { return index_is_global_; }

 private:
  struct LegacyPart;
  void checkConstraints();
  void checkParameterMix() const;
  void convertLegacy();
  void parseStartKey();
  void resolveExpressions();
  void resolveSelect();
  LegacyPart& addLegacyPart(expr::LegacyConversion conv);
  Status checkFilterOnKeys(const std::vector<const engine::KeyAttribute*>& keys) const;
  Status planIndex(const engine::TableInfo& table, const engine::IndexDefinition& ix, engine::ReadPlan& plan);
  Status planKeyCondition(const std::vector<const engine::KeyAttribute*>& hash,
                          const std::vector<const engine::KeyAttribute*>& range, engine::ReadPlan& plan);
  Status planMultiAttributeKey(const std::vector<const engine::KeyAttribute*>& hash,
                               const std::vector<const engine::KeyAttribute*>& range, engine::ReadPlan& plan);

  ReadOp op_;
  RequestObject req_;
  std::string_view op_name_;

  // Members (phase 1).
  std::optional<std::string_view> table_, index_, select_s_, rcc_s_, cond_op_;
  std::optional<std::string_view> key_condition_text_, filter_text_, projection_text_;
  std::optional<int64_t> limit_, segment_, total_segments_;
  std::optional<bool> consistent_opt_, forward_opt_;
  std::optional<simdjson::dom::element> attributes_to_get_;  // a JSON array
  std::optional<simdjson::dom::element> key_conditions_, legacy_filter_, start_key_json_;
  std::optional<simdjson::dom::element> names_json_, values_json_;

  // Resolved (phases 2-3).
  ReturnConsumedCapacity rcc_ = ReturnConsumedCapacity::kNone;
  bool consistent_ = false;
  bool forward_ = true;
  SelectMode select_ = SelectMode::kAllAttributes;
  std::optional<model::Item> start_key_;
  std::optional<expr::NameMap> names_;
  std::optional<model::AttributeMap> values_;
  std::unique_ptr<expr::RequestExpressions> rx_;
  std::vector<std::unique_ptr<LegacyPart>> legacy_parts_;
  std::optional<expr::KeyCondition> key_condition_;
  std::optional<expr::Condition> filter_;
  std::optional<expr::Projection> projection_;
  // Top-level attribute names the filter reads (Query rejects key attributes).
  std::vector<std::string> filter_names_;
  bool filter_is_legacy_ = false;
  // Legacy KeyConditions, checked against the schema in plan().
  LegacyPart* legacy_key_conditions_ = nullptr;
  // Sort key condition handed to the engine (points into the maps above).
  engine::SortKeyCondition sort_;
  bool index_is_global_ = false;
};

}  // namespace fdyno::api

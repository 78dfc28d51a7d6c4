// ExpressionRequest: the expression members of one single-item request
// (UpdateExpression, ConditionExpression, ProjectionExpression with
// ExpressionAttributeNames/Values) or their legacy equivalents (Expected,
// AttributeUpdates, AttributesToGet), validated in DynamoDB's order and
// resolved once for the request.
//
// DynamoDB interleaves these checks with others, so there are two steps
// (dynalite's validations/*.js, recorded against DynamoDB):
//   1. checkParameterMix(): the first semantic check of the request:
//      "Can not use both expression and non-expression parameters in the
//      same request: ...", then "ExpressionAttributeNames can only be
//      specified when using expressions", then "ExpressionAttributeValues can
//      only be specified when using expressions: X is null" (or "X and Y are null").
//   2. resolve(): after the Item/Key values and ReturnValues checks:
//      legacy conversions (AttributeUpdates, Expected, AttributesToGet), or
//      names (empty, invalid key), values (empty, invalid key, invalid value),
//      then UpdateExpression, ConditionExpression, ProjectionExpression,
//      then unused names, then unused values.
//
// Contract:
// - Throws ApiError (ValidationException / SerializationException) with
//   DynamoDB's exact texts.
// - Neither copyable nor movable: the resolved expressions point into the
//   maps it owns. Lives for one request; the simdjson document it reads
//   from must outlive it.
// - Each expression text is parsed once per request (through the shared
//   expr::ExpressionCache, so repeated texts are not re-parsed at all).
// - Thread safety: one request, one thread.
#pragma once

#include <simdjson.h>

#include <array>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "expr/expression.h"
#include "model/attribute_value.h"

namespace fdyno::api {

enum class ExpressionOp { kPutItem, kUpdateItem, kDeleteItem, kGetItem };

// ExpressionAttributeNames / ExpressionAttributeValues, checked as DynamoDB
// checks them in every request that has them (also Query and Scan,
// read_request.cc): "X must not be empty", then every key must be a
// placeholder ("#[0-9a-zA-Z_]+" / ":[0-9a-zA-Z_]+"; "X contains invalid key:
// Syntax error; key: \"k\""), all keys before any value, then each value
// ("ExpressionAttributeValues contains invalid value: <why> for key :k").
// `json` is known to be a JSON object (RequestObject::getAttributeMap).
expr::NameMap parseExpressionAttributeNames(simdjson::dom::element json);
model::AttributeMap parseExpressionAttributeValues(simdjson::dom::element json);

class ExpressionRequest {
 public:
  // Reads the members (shape errors throw SerializationException).
  ExpressionRequest(const RequestObject& req, ExpressionOp op);
  ~ExpressionRequest();
  ExpressionRequest(const ExpressionRequest&) = delete;
  ExpressionRequest& operator=(const ExpressionRequest&) = delete;

  // Phase-2 constraint violations of the legacy members named (in the
  // order given), for the request's "N validation errors detected" message.
  void addConstraintViolations(ConstraintErrors& errors, std::initializer_list<std::string_view> members) const;
  void checkParameterMix() const;
  void resolve();

  // Update::apply() errors as DynamoDB words them for this request: the
  // legacy AttributeUpdates form says "Type mismatch for attribute to update".
  Status translateApplyError(const Status& s) const;

  // Null when the request has no such expression (after resolve()).
  const expr::Condition* condition() const { return condition_ ? &*condition_ : nullptr; }
  const expr::Update* update() const { return update_ ? &*update_ : nullptr; }
  const expr::Projection* projection() const { return projection_ ? &*projection_ : nullptr; }

 private:
  struct Member {
    std::string_view name;
    std::optional<simdjson::dom::element> value;
  };
  // At most three members of each kind: kept inline (no allocation on the
  // hot path of requests without expressions).
  struct Members {
    std::array<Member, 3> items;
    size_t count = 0;
    void push_back(Member m) { items[count++] = m; }
    const Member* begin() const { return items.data(); }
    const Member* end() const { return items.data() + count; }
    size_t size() const { return count; }
    const Member& operator[](size_t i) const { return items[i]; }
  };
  struct LegacyPart;

  void resolveLegacy();
  void resolveExpressions();
  LegacyPart& addLegacyPart(std::string expression, expr::NameMap names, model::AttributeMap values);

  ExpressionOp op_;
  RequestObject req_;
  // Expression members in DynamoDB's order, and legacy members likewise.
  Members expressions_;
  Members legacy_;
  std::optional<simdjson::dom::element> names_json_;
  std::optional<simdjson::dom::element> values_json_;

  std::optional<expr::NameMap> names_;
  std::optional<model::AttributeMap> values_;
  std::unique_ptr<expr::RequestExpressions> rx_;
  // Legacy conversions: each has its own maps (generated placeholders of
  // two conversions could coincide) and its own RequestExpressions.
  std::vector<std::unique_ptr<LegacyPart>> legacy_parts_;

  std::optional<expr::Condition> condition_;
  std::optional<expr::Update> update_;
  std::optional<expr::Projection> projection_;
  bool legacy_update_ = false;
};

}  // namespace fdyno::api

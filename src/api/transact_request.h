// TransactRequest: the members of a TransactGetItems or TransactWriteItems
// request, validated in DynamoDB's order, each action's expressions resolved
// with the single-item machinery (ExpressionRequest, ConditionCheck).
//
// What DynamoDB reports how (Alternator's test_transact.py and the
// conformance suite, both recorded against DynamoDB):
// - ValidationException for the whole request: constraints (TransactItems
//   length 1..100, ClientRequestToken length 1..36, enums, missing
//   members), an item with zero or several actions, expression errors of any
//   action (syntax, missing or unused names/values), the 4 MB payload.
// - TransactionCanceledException with a ValidationError reason for what
//   needs the table: a key that does not match the schema, and (here) an
//   item over 400 KB. Those come from the engine (engine/transact.h).
//
// Phases: the constructor checks shapes (SerializationException); validate()
// runs constraints, then the semantic checks action by action.
//
// Contract: not copyable or movable (expressions point into maps owned by
// the actions); the simdjson document must outlive it. One request, one thread.
#pragma once

#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/expression_request.h"
#include "api/item_write.h"
#include "api/request.h"
#include "engine/idempotency.h"
#include "model/attribute_value.h"

namespace fdyno::api {

enum class TransactOp { kGet, kWrite };
enum class TransactActionKind { kConditionCheck, kPut, kUpdate, kDelete, kGet };

// DynamoDB: "The aggregate size of the items in the transaction cannot exceed 4 MB."
inline constexpr size_t kMaxTransactPayloadBytes = 4 * 1024 * 1024;

struct TransactAction {
  TransactActionKind kind = TransactActionKind::kGet;
  std::optional<RequestObject> obj;
  std::optional<std::string_view> table;
  std::optional<simdjson::dom::element> item_json;  // Item (Put) or Key
  std::optional<std::string_view> rvcf;
  std::unique_ptr<ExpressionRequest> ex;
  // After validate():
  model::Item item;  // the Item of a Put, the Key otherwise
  size_t item_size = 0;
  OnConditionFailure on_failure = OnConditionFailure::kNone;
};

class TransactRequest {
 public:
  TransactRequest(simdjson::dom::object body, TransactOp op);
  TransactRequest(const TransactRequest&) = delete;
  TransactRequest& operator=(const TransactRequest&) = delete;

  // Phases 2 and 3; throws ApiError.
  void validate();

  std::vector<TransactAction>& actions() { return actions_; }
  ReturnConsumedCapacity returnConsumedCapacity() const { return rcc_; }
  bool itemCollectionMetrics() const { return ricm_ && *ricm_ == "SIZE"; }
  std::optional<std::string_view> clientToken() const { return token_; }
  // Digest of the parameters that make two requests "the same" for
  // ClientRequestToken (the TransactItems and ReturnItemCollectionMetrics).
  engine::RequestDigest digest() const;

 private:
  void checkConstraints();
  void checkAction(size_t i, TransactAction& a);

  TransactOp op_;
  RequestObject req_;
  std::optional<std::string_view> rcc_s_, ricm_, token_;
  std::optional<simdjson::dom::array> items_;
  ReturnConsumedCapacity rcc_ = ReturnConsumedCapacity::kNone;
  std::vector<TransactAction> actions_;
  // Per TransactItems entry: how many of the action members it has.
  std::vector<int> action_counts_;
};

}  // namespace fdyno::api

// transact: the engine side of TransactGetItems and TransactWriteItems.
//
// Database::transactGet() reads every Get in ONE kv snapshot (a read-only kv
// transaction never conflicts: it is serializable at its read version), so
// the answer can never show half of a concurrent TransactWriteItems.
//
// Database::transactWrite() runs the whole transaction as ONE kv transaction
// through kv::runTransaction:
//   1. resolve every table (catalog; kNotFound kItemTableNotFound);
//   2. per action, in request order: its api-layer precheck, then its key
//      against the table's schema. The first failure cancels the transaction
//      with that action's reason and nothing else evaluated (DynamoDB reports
//      only the first validation error: Alternator's
//      test_transact_write_cancellation_reasons_validationerror);
//   3. two actions on one item: kInvalidArgument
//      kMultipleOperationsOnOneItem;
//   4. ClientRequestToken (engine/idempotency.h): a live record with the
//      same digest is a replay (nothing written), another digest a mismatch;
//   5. read every target item with a conflict-tracked get, run every
//      action's decider (conditions; ALL of them are evaluated so that the
//      cancellation reasons list each failing action, as DynamoDB does);
//   6. apply every decided write with applyItemMutation (engine/
//      item_mutation.h: item, secondary indexes, counters); an index key
//      error cancels with a ValidationError at that action, an item
//      collection growing past its limit (kItemCollectionTooLarge,
//      engine/item_collection.h) with that status at that action;
//   7. write the token record; commit. A conflict (another writer touched an
//      item, table or token read in 1-5) retries everything from step 1 on a
//      new snapshot, conditions included. That is what makes the transaction
//      serializable.
//
// Contract:
// - Borrowed inputs (table names, items, the response text) must outlive the
//   call. Deciders may run several times (once per attempt); they must not
//   consume their inputs.
// - Errors returned as Status: kNotFound kItemTableNotFound, kInvalidArgument
//   kMultipleOperationsOnOneItem, kv errors. Everything else is in the
//   outcome; a cancellation's per-action reasons are typed Statuses
//   (kConditionFailed from a decider, kItemCollectionTooLarge, key and index
//   key reasons, a precheck's reason), worded by api/errors.h.
// - Thread safety: as Database (any thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/catalog.h"
#include "engine/write_plan.h"
#include "engine/idempotency.h"
#include "engine/item_key.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

// DynamoDB's limit on actions per transaction (25 until September 2022).
inline constexpr size_t kMaxTransactActions = 100;

// ---- TransactGetItems ----

struct TransactGetAction {
  std::string_view table;
  const model::Item* key = nullptr;
};

struct TransactGetItem {
  TableRef table;
  std::optional<model::Item> item;  // nullopt: no such item
  size_t size = 0;                  // DynamoDB size of the item, 0 if none
};

struct TransactGetOutcome {
  // Set when an action's Key does not match its table's key schema: DynamoDB
  // cancels the transaction with a ValidationError reason at that action
  // (conformance tier3 transactGetItems "missing key attribute").
  std::optional<size_t> invalid_action;
  Status invalid_status;
  std::vector<TransactGetItem> items;  // parallel to the actions, when valid
};

// ---- TransactWriteItems ----

struct TransactWriteAction {
  std::string_view table;
  // The Item of a Put (source kItem) or the Key of the other actions.
  const model::Item* key_attrs = nullptr;
  KeySource source = KeySource::kKey;
  // A validation error the api layer found that DynamoDB reports as this
  // action's ValidationError reason (e.g. an item over 400 KB).
  Status precheck;
  // Decides the action on the stored item (plan.op kKeep for a
  // ConditionCheck). Empty: nothing to check or write. A non-OK Status is
  // this action's cancellation reason.
  WriteDecider decide;
};

struct TransactWriteRequest {
  std::vector<TransactWriteAction> actions;
  // ClientRequestToken; empty = none.
  std::string_view client_token;
  RequestDigest digest;               // of the request's parameters
  std::string_view response_to_store; // kept with the token for replays
  uint64_t now_ms = 0;                // 0 = wall clock (tests pass a time)
};

enum class TransactWriteStatus {
  kCommitted,
  kReplayed,       // a retry of a token's first request: nothing written
  kCanceled,       // reasons says why
  kTokenMismatch,  // the token was used with other parameters
  kConflict,       // kv conflicts persisted through every retry
};

struct TransactWriteOutcome {
  TransactWriteStatus status = TransactWriteStatus::kCommitted;
  // kCanceled: one per action, OK where the action did not fail ("None").
  std::vector<Status> reasons;
  // kCommitted: one per action (table, op, old/new sizes, metrics: index
  // write units and item collection size). kReplayed: table
  // and old_size = the item's current size (a replay is billed as a read).
  std::vector<WriteResult> results;
  std::string stored_response;  // kReplayed: the first call's stored response
};

}  // namespace fdyno::engine

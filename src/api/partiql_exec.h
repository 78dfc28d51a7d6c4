// partiql_exec: executing parsed PartiQL statements against the engine, for
// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction
// (api/partiql_ops.cc).
//
// - SELECT: a WHERE with an equality on the partition key (of the table or
//   of the named index) reads that partition (a Query, narrowed by one sort
//   key condition if there is one); otherwise a Scan. The whole WHERE is
//   then evaluated on every item read, as a FilterExpression would be.
// - INSERT: a put that fails with DuplicateItemException if the key exists.
// - UPDATE / DELETE: the WHERE must hold an equality on every key attribute;
//   UPDATE's whole WHERE is its condition (so a missing item fails the
//   condition); DELETE's condition is the WHERE minus the key equalities.
//
// Contract: one statement execution per object, one thread. Errors are
// thrown as ApiError. PreparedWrite's decide() may run several times (the
// engine retries a conflicted transaction) and resets its state each time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/partiql_translate.h"
#include "api/request.h"
#include "engine/database.h"
#include "expr/expression.h"
#include "partiql/ast.h"

namespace fdyno::api {


// Parses `text` (ValidationException with the syntax error) and checks the
// parameter count against `params`.
partiql::Statement parseStatementOrThrow(std::string_view text, size_t param_count);

// The AttributeValues of a request's Parameters list (absent: empty).
std::vector<model::AttributeValue> parseParameters(const RequestObject& req);

class PreparedWrite {
 public:
  // Resolves the table (ResourceNotFoundException) and translates `s`.
  PreparedWrite(engine::Database& db, const partiql::Statement& s, const std::vector<model::AttributeValue>& params);
  PreparedWrite(const PreparedWrite&) = delete;
  PreparedWrite& operator=(const PreparedWrite&) = delete;

  const std::string& table() const { return table_; }
  const model::Item& keyAttrs() const { return key_attrs_; }
  engine::KeySource source() const { return source_; }
  // kInvalidArgument kDuplicateItem (INSERT of an existing item),
  // kConditionFailed, kItemTooLarge, or an expression's error.
  [[nodiscard]] Status decide(const engine::TableInfo& t, engine::StoredItem& old, engine::WritePlan& plan);

  // Runs the write alone; throws DuplicateItemException,
  // ConditionalCheckFailedException or the engine's error.
  engine::WriteResult run(engine::Database& db);

 private:
  std::string table_;
  partiql::StatementKind kind_;
  model::Item key_attrs_;
  engine::KeySource source_ = engine::KeySource::kKey;
  size_t item_size_ = 0;
  std::vector<std::string> key_names_;
  StatementTranslator tr_;
  std::unique_ptr<expr::RequestExpressions> rx_;
  std::optional<expr::Condition> cond_;
  std::optional<expr::Update> update_;
};

// A SELECT naming one full key: the key and the projection (batches and
// transactions read single items).
struct PreparedGet {
  std::string table;
  model::Item key;
  std::vector<partiql::Path> projection;
  std::unique_ptr<StatementTranslator> tr;
  std::optional<expr::Condition> cond;  // the whole WHERE
  std::unique_ptr<expr::RequestExpressions> rx;
};
std::unique_ptr<PreparedGet> prepareGet(engine::Database& db, const partiql::Statement& s,
                                        const std::vector<model::AttributeValue>& params);

// SELECT's output item: each projected path's value under its last field name.
model::Item projectSelect(const model::Item& item, const std::vector<partiql::Path>& projection);

struct SelectOptions {
  bool consistent = false;
  std::optional<int64_t> limit;
  std::optional<std::string_view> next_token;
  ReturnConsumedCapacity rcc = ReturnConsumedCapacity::kNone;
};

// One page of a SELECT, as the ExecuteStatement response body.
std::string runSelect(engine::Database& db, const partiql::Statement& s,
                      const std::vector<model::AttributeValue>& params, const SelectOptions& opts);

// "ValidationError" for ValidationException etc.: the Code of a
// BatchExecuteStatement error entry for an ApiError.
std::string batchErrorCode(const ApiError& e);

}  // namespace fdyno::api

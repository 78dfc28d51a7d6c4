// PartiQL operations: ExecuteStatement, BatchExecuteStatement,
// ExecuteTransaction. Statements are parsed by src/partiql and executed by
// api/partiql_exec.h; this file reads the requests and shapes the answers.
//
// - ExecuteStatement: {Items: [...], NextToken} for SELECT, {} for writes
//   (plus ConsumedCapacity). Errors are the statement's own exceptions
//   (DuplicateItemException, ConditionalCheckFailedException, ...).
// - BatchExecuteStatement: 1..25 statements, each run on its own (not
//   atomic); Responses[i] is {TableName, Item?} or {Error: {Code, Message}}
//   where Code is the exception name without "Exception" (ValidationError
//   for ValidationException). A SELECT must name one full key.
// - ExecuteTransaction: 1..100 statements, all reads (one TransactGetItems
//   snapshot) or all writes (one TransactWriteItems): all or nothing;
//   TransactionCanceledException with CancellationReasons (DuplicateItem,
//   ConditionalCheckFailed, ValidationError, None).
#include <memory>
#include <string>
#include <vector>

#include "api/capacity.h"
#include "api/handlers.h"
#include "api/item_write.h"
#include "api/partiql_exec.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "engine/database.h"
#include "engine/transact.h"
#include "model/json_codec.h"
#include "partiql/parser.h"

namespace fdyno::api {

namespace {

void checkStatementText(std::optional<std::string_view> text, std::string_view path, ConstraintErrors& errors) {
  if (!text) {
    errors.notNull(path);
    return;
  }
  if (text->empty()) errors.lengthAtLeast(*text, path, 1);
  if (text->size() > 8192) errors.lengthAtMost(*text, path, 8192);
}

struct StatementRequest {
  std::string_view text;
  std::vector<model::AttributeValue> params;
  bool consistent = false;  // BatchStatementRequest.ConsistentRead
};

// Statements / TransactStatements: a list of {Statement, Parameters, ...}.
std::vector<StatementRequest> parseStatementList(const RequestObject& req, std::string_view field,
                                                 std::string_view path, size_t max,
                                                 std::optional<std::string_view> rcc_s) {
  auto list = req.getList(field);
  ConstraintErrors errors;
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  (void)rcc;
  if (!list) {
    errors.notNull(path);
  } else if (list->size() == 0 || list->size() > max) {
    errors.addUnvalued(path, list->size() == 0 ? "Member must have length greater than or equal to 1"
                                               : "Member must have length less than or equal to " + std::to_string(max));
  }
  std::vector<StatementRequest> out;
  if (list) {
    size_t i = 0;
    for (simdjson::dom::element e : *list) {
      ++i;
      RequestObject s = asListStruct(e, field == "Statements" ? "BatchStatementRequest" : "ParameterizedStatement");
      auto text = s.getString("Statement");
      checkStatementText(text, std::string(path) + ".member." + std::to_string(i) + ".statement", errors);
      out.push_back(StatementRequest{text.value_or(""), {}, s.getBool("ConsistentRead").value_or(false)});
    }
  }
  errors.throwIfAny();
  size_t i = 0;
  for (simdjson::dom::element e : *list) {
    out[i++].params = parseParameters(asListStruct(e, "ParameterizedStatement"));
  }
  return out;
}

// BatchStatementResponse carries TableName; ExecuteTransaction's
// ItemResponse only Item (absent for a missing or non-matching item).
void writeGetResponse(JsonWriter& w, const PreparedGet& g, const std::optional<model::Item>& item,
                      bool with_table) {
  w.beginObject();
  if (with_table) w.field("TableName", g.table);
  if (item && g.cond->evaluate(&*item)) {
    w.key("Item");
    model::writeItem(w, g.projection.empty() ? *item : projectSelect(*item, g.projection));
  }
  w.endObject();
}

}  // namespace

std::string executeStatement(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto text = req.getString("Statement");
  auto consistent = req.getBool("ConsistentRead");
  auto next_token = req.getString("NextToken");
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  auto limit = req.getLong("Limit");
  ConstraintErrors errors;
  checkStatementText(text, "statement", errors);
  auto rcc = parseReturnConsumedCapacity(rcc_s, errors);
  if (limit && *limit < 1) errors.valueAtLeast(*limit, "limit", 1);
  if (next_token && next_token->empty()) errors.lengthAtLeast(*next_token, "nextToken", 1);
  errors.throwIfAny();
  std::vector<model::AttributeValue> params = parseParameters(req);
  partiql::Statement s = parseStatementOrThrow(*text, params.size());
  if (s.kind == partiql::StatementKind::kExists) {
    throw ApiError::validation("EXISTS is only supported within ExecuteTransaction");
  }

  if (s.kind == partiql::StatementKind::kSelect) {
    SelectOptions opts;
    opts.consistent = consistent.value_or(false);
    opts.limit = limit;
    opts.next_token = next_token;
    opts.rcc = rcc;
    return runSelect(db, s, params, opts);
  }
  PreparedWrite pw(db, s, params);
  engine::WriteResult r = pw.run(db);
  JsonWriter w;
  w.beginObject();
  if (rcc != ReturnConsumedCapacity::kNone) {
    WriteCapacity capacity;
    capacity.addWrite(r.table->def, engine::writeCapacityUnits(r.old_size, r.new_size), r.metrics);
    writeConsumedCapacity(w, rcc, s.table, capacity);
  }
  w.endObject();
  return w.take();
}

std::string batchExecuteStatement(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  std::vector<StatementRequest> stmts = parseStatementList(req, "Statements", "statements", 25, rcc_s);
  // "The entire batch must consist of either read statements or write
  // statements" (API_BatchExecuteStatement). Statements that do not parse
  // are left to their own Error entry.
  // TODO(partiql): DynamoDB's exact text for a mixed batch.
  size_t reads = 0, writes = 0;
  for (const StatementRequest& sr : stmts) {
    auto p = partiql::parseStatement(sr.text);
    if (!p.ok()) continue;
    (p->kind == partiql::StatementKind::kSelect ? reads : writes)++;
  }
  if (reads && writes) throw ApiError::validation("Batch must consist of either all read statements or all write statements");
  JsonWriter w;
  w.beginObject();
  w.key("Responses").beginArray();
  for (const StatementRequest& sr : stmts) {
    std::string table;
    try {
      partiql::Statement s = parseStatementOrThrow(sr.text, sr.params.size());
      table = s.table;
      if (s.kind == partiql::StatementKind::kExists) {
        throw ApiError::validation("EXISTS is only supported within ExecuteTransaction");
      }
      if (s.kind == partiql::StatementKind::kSelect) {
        auto g = prepareGet(db, s, sr.params);
        auto r = db.getItem(g->table, g->key, sr.consistent);
        if (!r.ok()) throwStatus(r.status());
        writeGetResponse(w, *g, r->item, true);
      } else {
        PreparedWrite pw(db, s, sr.params);
        (void)pw.run(db);
        w.beginObject();
        w.field("TableName", table);
        w.endObject();
      }
    } catch (const ApiError& e) {
      w.beginObject();
      w.key("Error").beginObject();
      w.field("Code", batchErrorCode(e));
      w.field("Message", e.message());
      w.endObject();
      if (!table.empty()) w.field("TableName", table);
      w.endObject();
    }
  }
  w.endArray();
  // TODO(partiql): ConsumedCapacity per table for ReturnConsumedCapacity.
  w.endObject();
  return w.take();
}

std::string executeTransaction(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto rcc_s = req.getString("ReturnConsumedCapacity");
  std::vector<StatementRequest> stmts =
      parseStatementList(req, "TransactStatements", "transactStatements", engine::kMaxTransactActions, rcc_s);
  // TODO(partiql): ClientRequestToken idempotency (engine supports it).
  std::vector<partiql::Statement> parsed;
  size_t reads = 0;
  for (const StatementRequest& sr : stmts) {
    parsed.push_back(parseStatementOrThrow(sr.text, sr.params.size()));
    if (parsed.back().kind == partiql::StatementKind::kSelect) ++reads;
  }
  if (reads != 0 && reads != parsed.size()) {
    throw ApiError::validation("Transactions must contain either all reads or all writes");
  }
  JsonWriter w;
  w.beginObject();
  if (reads) {
    std::vector<std::unique_ptr<PreparedGet>> gets;
    std::vector<engine::TransactGetAction> actions;
    for (size_t i = 0; i < parsed.size(); ++i) {
      gets.push_back(prepareGet(db, parsed[i], stmts[i].params));
      actions.push_back(engine::TransactGetAction{gets.back()->table, &gets.back()->key});
    }
    auto r = db.transactGet(actions);
    if (!r.ok()) throwStatus(r.status());
    if (r->invalid_action) throwStatus(r->invalid_status);
    w.key("Responses").beginArray();
    for (size_t i = 0; i < gets.size(); ++i) writeGetResponse(w, *gets[i], r->items[i].item, false);
    w.endArray();
    w.endObject();
    return w.take();
  }
  std::vector<std::unique_ptr<PreparedWrite>> writes;
  engine::TransactWriteRequest request;
  for (size_t i = 0; i < parsed.size(); ++i) {
    writes.push_back(std::make_unique<PreparedWrite>(db, parsed[i], stmts[i].params));
    PreparedWrite* pw = writes.back().get();
    engine::TransactWriteAction a;
    a.table = pw->table();
    a.key_attrs = &pw->keyAttrs();
    a.source = pw->source();
    a.decide = [pw](const engine::TableInfo& t, engine::StoredItem& old, engine::WritePlan& plan) {
      return pw->decide(t, old, plan);
    };
    request.actions.push_back(std::move(a));
  }
  auto r = db.transactWrite(request);
  if (!r.ok()) throwStatus(r.status());
  if (r->status == engine::TransactWriteStatus::kConflict) {
    throw ApiError::dynamo("TransactionConflictException", std::string(kTransactionConflict));
  }
  if (r->status == engine::TransactWriteStatus::kCanceled) {
    std::string msg = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
    JsonWriter cw;
    cw.beginObject();
    cw.key("CancellationReasons").beginArray();
    for (size_t i = 0; i < r->reasons.size(); ++i) {
      const Status& st = r->reasons[i];
      std::string code = "None";
      std::string message;
      if (!st.ok()) {
        std::string_view c;
        if (!cancellationReason(st, &c, &message)) throwStatus(st);
        code = c;
      }
      if (i) msg += ", ";
      msg += code;
      cw.beginObject();
      cw.field("Code", code);
      if (!st.ok()) cw.field("Message", message);
      cw.endObject();
    }
    cw.endArray();
    cw.endObject();
    msg += ']';
    ApiError e = ApiError::dynamo("TransactionCanceledException", std::move(msg), "Message");
    std::string extra = cw.take();
    e.extra_json = "," + extra.substr(1, extra.size() - 2);
    throw e;
  }
  w.endObject();
  return w.take();
}

}  // namespace fdyno::api

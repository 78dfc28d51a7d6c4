// TransactGetItems and TransactWriteItems.
//
// Requests are validated by TransactRequest (api/transact_request.h); the
// engine (engine/transact.h) runs the reads in one snapshot and the writes
// in one serializable kv transaction. This file turns each action into an
// engine decider (the same steps as PutItem / UpdateItem / DeleteItem, with
// ConditionCheck from api/item_write.h) and shapes DynamoDB's answers:
//
// - TransactionCanceledException: HTTP 400, message key "Message" (capital,
//   unlike most errors), "Transaction cancelled, please refer cancellation
//   reasons for specific reasons [None, ConditionalCheckFailed]", and
//   CancellationReasons in request order: {"Code":"None"} for actions that
//   did not fail, {"Code":"ConditionalCheckFailed","Message":"The conditional
//   request failed"} (+ "Item" with ReturnValuesOnConditionCheckFailure
//   ALL_OLD), {"Code":"ValidationError","Message":...},
//   {"Code":"TransactionConflict","Message":"Transaction is ongoing for the item"},
//   {"Code":"ItemCollectionSizeLimitExceeded","Message":"Collection size exceeded."}
//   (a write growing an LSI table's item collection past its limit).
// - Capacity: transactional reads and writes cost twice the units of their
//   non-transactional forms; ConsumedCapacity is a list with one entry per
//   table (first-use order) carrying ReadCapacityUnits or WriteCapacityUnits
//   beside CapacityUnits (only transactional operations split them). Index
//   writes are billed twice as well and are part of the total; INDEXES
//   lists them per index. A ClientRequestToken replay is billed as a
//   transactional read of the items.
// - IdempotentParameterMismatchException for a token reused with other
//   parameters within 10 minutes.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/capacity.h"
#include "api/handlers.h"
#include "api/item_write.h"
#include "api/request.h"
#include "api/transact_request.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "engine/database.h"
#include "engine/transact.h"
#include "model/item_size.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

constexpr std::string_view kIdempotentMismatch =
    "The request uses the same client token as a previous, but non-identical request.";

struct CancelReason {
  std::string_view code = "None";
  std::string message;
  const model::Item* item = nullptr;
};

[[noreturn]] void throwCanceled(const std::vector<CancelReason>& reasons) {
  std::string msg = "Transaction cancelled, please refer cancellation reasons for specific reasons [";
  JsonWriter w;
  w.beginObject();
  w.key("CancellationReasons").beginArray();
  for (size_t i = 0; i < reasons.size(); ++i) {
    const CancelReason& r = reasons[i];
    if (i) msg += ", ";
    msg += r.code;
    w.beginObject();
    if (r.item) {
      w.key("Item");
      model::writeItem(w, *r.item);
    }
    w.field("Code", r.code);
    if (r.code != "None") w.field("Message", r.message);
    w.endObject();
  }
  w.endArray();
  w.endObject();
  msg += ']';
  ApiError e = ApiError::dynamo("TransactionCanceledException", std::move(msg), "Message");
  std::string body = w.take();
  e.extra_json = "," + body.substr(1, body.size() - 2);
  throw e;
}

// Per-table capacity in first-use order.
class TableUnits {
 public:
  WriteCapacity& at(std::string_view table) {
    for (auto& [t, c] : entries_) {
      if (t == table) return c;
    }
    entries_.emplace_back(table, WriteCapacity{});
    return entries_.back().second;
  }
  // "ConsumedCapacity": [{"TableName", "CapacityUnits", "<Read|Write>CapacityUnits"
  // [, "Table": {...}, "GlobalSecondaryIndexes": {...}, "LocalSecondaryIndexes": {...}]}],
  // unless mode is NONE.
  void write(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view split_key) const {
    if (mode == ReturnConsumedCapacity::kNone) return;
    w.key("ConsumedCapacity").beginArray();
    for (const auto& [t, c] : entries_) {
      w.beginObject();
      c.writeMembers(w, mode, t, split_key);
      w.endObject();
    }
    w.endArray();
  }

 private:
  std::vector<std::pair<std::string_view, WriteCapacity>> entries_;
};

Status cannotUpdateKey(std::string_view attr) {
  std::string m = "One or more parameter values were invalid: Cannot update attribute ";
  m += attr;
  m += ". This attribute is part of the key";
  return Status::InvalidArgument(m);
}

// The UpdateItem decider (api/update_item.cc) without ReturnValues: the
// new item goes to `out`.
engine::WriteDecider updateDecider(TransactAction& a, ConditionCheck& cc, model::Item& out) {
  return [&a, &cc, &out](const engine::TableInfo& t, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
    const expr::Update* update = a.ex->update();
    if (update) {
      for (std::string_view attr : update->topLevelTargets()) {
        if (isKeyAttribute(t.def, attr)) return cannotUpdateKey(attr);
      }
    }
    FDYNO_RETURN_IF_ERROR(cc.check(old));
    FDYNO_ASSIGN_OR_RETURN(const model::Item* old_item, old.item());
    if (!old_item && update && update->removesOnly()) {
      plan.op = engine::WriteOp::kKeep;  // nothing to create (see update_item.cc)
      return Status::OK();
    }
    out = old_item ? *old_item : a.item;
    if (update) FDYNO_RETURN_IF_ERROR(a.ex->translateApplyError(update->apply(out)));
    size_t size = model::itemSize(out);
    if (size > model::kMaxItemSize) {
      return Status::InvalidArgument("Item size to update has exceeded the maximum allowed size");
    }
    plan.op = engine::WriteOp::kPut;
    plan.item = &out;
    plan.item_size = size;
    return Status::OK();
  };
}

// One entry per item collection (table, partition key) the transaction
// wrote, with its size after the transaction (the last write to it). Only
// tables with local secondary indexes have item collections; ConditionChecks
// write nothing.
void writeItemCollectionMetrics(JsonWriter& w, const std::vector<TransactAction>& actions,
                                const std::vector<engine::WriteResult>& results) {
  struct Collection {
    const model::AttributeValue* pk;
    size_t last;  // action index of the last write to it
  };
  std::vector<std::pair<const engine::TableInfo*, std::vector<Collection>>> groups;
  for (size_t i = 0; i < actions.size(); ++i) {
    const engine::TableInfo* t = results[i].table.get();
    if (!t || t->def.local_indexes.empty() || actions[i].kind == TransactActionKind::kConditionCheck) continue;
    auto kv = actions[i].item.find(t->def.hash_key.name);
    if (kv == actions[i].item.end()) continue;
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& e) { return e.first == t; });
    if (g == groups.end()) {
      groups.push_back({t, {}});
      g = groups.end() - 1;
    }
    auto c = std::find_if(g->second.begin(), g->second.end(), [&](const Collection& e) { return *e.pk == kv->second; });
    if (c == g->second.end()) {
      g->second.push_back({&kv->second, i});
    } else {
      c->last = i;
    }
  }
  if (groups.empty()) return;
  w.key("ItemCollectionMetrics").beginObject();
  for (const auto& [t, collections] : groups) {
    w.key(t->def.name).beginArray();
    for (const Collection& c : collections) {
      writeItemCollectionEntry(w, t->def.hash_key.name, *c.pk, results[c.last].metrics.collection_size);
    }
    w.endArray();
  }
  w.endObject();
}

}  // namespace

std::string transactGetItems(engine::Database& db, simdjson::dom::object body) {
  TransactRequest req(body, TransactOp::kGet);
  req.validate();
  std::vector<TransactAction>& acts = req.actions();
  std::vector<engine::TransactGetAction> gets;
  gets.reserve(acts.size());
  for (TransactAction& a : acts) gets.push_back({*a.table, &a.item});
  auto r = db.transactGet(gets);
  if (!r.ok()) throwStatus(r.status());
  if (r->invalid_action) {
    std::vector<CancelReason> reasons(acts.size());
    reasons[*r->invalid_action] = {"ValidationError", errorText(r->invalid_status), nullptr};
    throwCanceled(reasons);
  }
  JsonWriter w;
  w.beginObject();
  w.key("Responses").beginArray();
  TableUnits units;
  for (size_t i = 0; i < acts.size(); ++i) {
    const engine::TransactGetItem& g = r->items[i];
    // A missing item answers {} (no Item member); a projection that selects
    // nothing still answers "Item": {} for an existing item, as GetItem.
    w.beginObject();
    if (g.item) {
      w.key("Item");
      if (const expr::Projection* p = acts[i].ex->projection()) {
        model::writeItem(w, p->apply(*g.item));
      } else {
        model::writeItem(w, *g.item);
      }
    }
    w.endObject();
    // Transactional reads cost twice a strongly consistent read, missing
    // items included.
    units.at(*acts[i].table).addTable(2 * engine::readCapacityUnits(g.size, true));
  }
  w.endArray();
  units.write(w, req.returnConsumedCapacity(), "ReadCapacityUnits");
  w.endObject();
  return w.take();
}

std::string transactWriteItems(engine::Database& db, simdjson::dom::object body) {
  TransactRequest req(body, TransactOp::kWrite);
  req.validate();
  std::vector<TransactAction>& acts = req.actions();
  const size_t n = acts.size();

  std::vector<std::unique_ptr<ConditionCheck>> ccs(n);
  std::vector<model::Item> updated(n);
  engine::TransactWriteRequest tw;
  tw.actions.resize(n);
  for (size_t i = 0; i < n; ++i) {
    TransactAction& a = acts[i];
    ccs[i] = std::make_unique<ConditionCheck>(a.ex->condition(), a.on_failure);
    ConditionCheck& cc = *ccs[i];
    engine::TransactWriteAction& t = tw.actions[i];
    t.table = *a.table;
    t.key_attrs = &a.item;
    t.source = a.kind == TransactActionKind::kPut ? engine::KeySource::kItem : engine::KeySource::kKey;
    switch (a.kind) {
      case TransactActionKind::kPut:
        if (a.item_size > model::kMaxItemSize) {
          t.precheck = Status::InvalidArgument(ErrorReason::kItemTooLarge);
        }
        t.decide = [&a, &cc](const engine::TableInfo&, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
          FDYNO_RETURN_IF_ERROR(cc.check(old));
          plan.op = engine::WriteOp::kPut;
          plan.item = &a.item;
          plan.item_size = a.item_size;
          return Status::OK();
        };
        break;
      case TransactActionKind::kDelete:
        t.decide = [&cc](const engine::TableInfo&, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
          FDYNO_RETURN_IF_ERROR(cc.check(old));
          plan.op = engine::WriteOp::kDelete;
          return Status::OK();
        };
        break;
      case TransactActionKind::kConditionCheck:
        t.decide = [&cc](const engine::TableInfo&, engine::StoredItem& old, engine::WritePlan& plan) -> Status {
          plan.op = engine::WriteOp::kKeep;
          return cc.check(old);
        };
        break;
      case TransactActionKind::kUpdate:
        t.decide = updateDecider(a, cc, updated[i]);
        break;
      case TransactActionKind::kGet:
        break;
    }
  }
  if (auto token = req.clientToken()) {
    tw.client_token = *token;
    tw.digest = req.digest();
  }

  auto r = db.transactWrite(tw);
  if (!r.ok()) throwStatus(r.status());
  switch (r->status) {
    case engine::TransactWriteStatus::kCanceled: {
      std::vector<CancelReason> reasons(n);
      for (size_t i = 0; i < n; ++i) {
        const Status& s = r->reasons[i];
        if (s.ok()) continue;
        if (!cancellationReason(s, &reasons[i].code, &reasons[i].message)) throwStatus(s);
        // ReturnValuesOnConditionCheckFailure=ALL_OLD: the item that failed.
        if (s.is(ErrorReason::kConditionFailed)) reasons[i].item = ccs[i]->oldItem();
      }
      throwCanceled(reasons);
    }
    case engine::TransactWriteStatus::kConflict: {
      std::vector<CancelReason> reasons(n, CancelReason{"TransactionConflict", std::string(kTransactionConflict)});
      throwCanceled(reasons);
    }
    case engine::TransactWriteStatus::kTokenMismatch:
      throw ApiError::dynamo("IdempotentParameterMismatchException", std::string(kIdempotentMismatch));
    case engine::TransactWriteStatus::kReplayed:
    case engine::TransactWriteStatus::kCommitted:
      break;
  }

  const bool replayed = r->status == engine::TransactWriteStatus::kReplayed;
  TableUnits units;
  for (size_t i = 0; i < n; ++i) {
    const engine::WriteResult& wr = r->results[i];
    if (replayed) {
      units.at(*acts[i].table).addTable(2 * engine::readCapacityUnits(wr.old_size, true));
      continue;
    }
    double u = wr.op == engine::WriteOp::kPut ? engine::writeCapacityUnits(wr.old_size, wr.new_size)
                                              : engine::writeCapacityUnits(wr.old_size, 0);
    // Index writes cost twice too, like every transactional write.
    units.at(*acts[i].table).addWrite(wr.table->def, u, wr.metrics, 2.0);
  }
  JsonWriter w;
  w.beginObject();
  units.write(w, req.returnConsumedCapacity(), replayed ? "ReadCapacityUnits" : "WriteCapacityUnits");
  if (req.itemCollectionMetrics()) writeItemCollectionMetrics(w, acts, r->results);
  w.endObject();
  return w.take();
}

}  // namespace fdyno::api

#include "api/transact_request.h"

#include <string>

#include <cstdio>

#include "engine/transact.h"
#include "model/item_size.h"
#include "model/json_codec.h"

namespace fdyno::api {

using simdjson::dom::element;

namespace {

struct ActionMember {
  std::string_view json;   // member name in the request ("Put")
  std::string_view path;   // constraint path segment ("put")
  TransactActionKind kind;
};

constexpr ActionMember kWriteMembers[] = {
    {"ConditionCheck", "conditionCheck", TransactActionKind::kConditionCheck},
    {"Put", "put", TransactActionKind::kPut},
    {"Delete", "delete", TransactActionKind::kDelete},
    {"Update", "update", TransactActionKind::kUpdate},
};
constexpr ActionMember kGetMember = {"Get", "get", TransactActionKind::kGet};

std::string_view pathOf(TransactActionKind k) {
  switch (k) {
    case TransactActionKind::kConditionCheck: return "conditionCheck";
    case TransactActionKind::kPut: return "put";
    case TransactActionKind::kDelete: return "delete";
    case TransactActionKind::kUpdate: return "update";
    case TransactActionKind::kGet: return "get";
  }
  return "";
}

ExpressionOp expressionOpOf(TransactActionKind k) {
  switch (k) {
    case TransactActionKind::kPut: return ExpressionOp::kPutItem;
    case TransactActionKind::kUpdate: return ExpressionOp::kUpdateItem;
    case TransactActionKind::kGet: return ExpressionOp::kGetItem;
    // A ConditionCheck has exactly DeleteItem's expression members.
    case TransactActionKind::kConditionCheck:
    case TransactActionKind::kDelete: return ExpressionOp::kDeleteItem;
  }
  return ExpressionOp::kDeleteItem;
}

// "[com.amazonaws.dynamodb.v20120810.TransactWriteItem@1a2b, ...]": the
// Java toString of the list DynamoDB echoes in a length violation. The
// identity hash is derived from the JSON, so messages are reproducible.
std::string javaListDump(simdjson::dom::array items, std::string_view cls) {
  std::string out = "[";
  bool first = true;
  for (element e : items) {
    if (!first) out += ", ";
    first = false;
    std::string json = simdjson::minify(e);
    uint32_t h = 2166136261u;
    for (unsigned char c : json) h = (h ^ c) * 16777619u;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%x", h);
    out += "com.amazonaws.dynamodb.v20120810.";
    out += cls;
    out += '@';
    out += buf;
  }
  out += ']';
  return out;
}

void tableNameConstraints(std::optional<std::string_view> name, const std::string& path, ConstraintErrors& errors) {
  if (!name) {
    errors.notNull(path);
    return;
  }
  if (name->empty()) {
    errors.lengthAtLeast(*name, path, 1);
    return;
  }
  if (!isValidTableNameChars(*name)) errors.pattern(*name, path, "[a-zA-Z0-9_.-]+");
  if (name->size() > 255) errors.lengthAtMost(*name, path, 255);
}

}  // namespace

TransactRequest::TransactRequest(simdjson::dom::object body, TransactOp op) : op_(op), req_(body) {
  rcc_s_ = req_.getString("ReturnConsumedCapacity");
  items_ = req_.getList("TransactItems");
  if (op_ == TransactOp::kWrite) {
    token_ = req_.getString("ClientRequestToken");
    ricm_ = req_.getString("ReturnItemCollectionMetrics");
  }
  if (!items_) return;
  std::string_view item_cls = op_ == TransactOp::kWrite ? "TransactWriteItem" : "TransactGetItem";
  actions_.reserve(items_->size());
  action_counts_.reserve(items_->size());
  for (element e : *items_) {
    RequestObject entry = asListStruct(e, item_cls);
    TransactAction a;
    int count = 0;
    auto consider = [&](const ActionMember& m) {
      auto s = entry.getStruct(m.json, m.json);
      if (!s) return;
      if (count++ > 0) return;  // several actions: rejected in validate()
      a.kind = m.kind;
      a.obj = *s;
    };
    if (op_ == TransactOp::kWrite) {
      for (const ActionMember& m : kWriteMembers) consider(m);
    } else {
      consider(kGetMember);
    }
    if (a.obj) {
      const RequestObject& o = *a.obj;
      a.table = o.getString("TableName");
      a.item_json = o.getAttributeMap(a.kind == TransactActionKind::kPut ? "Item" : "Key");
      if (a.kind != TransactActionKind::kGet) a.rvcf = o.getString("ReturnValuesOnConditionCheckFailure");
      a.ex = std::make_unique<ExpressionRequest>(o, expressionOpOf(a.kind));
    }
    actions_.push_back(std::move(a));
    action_counts_.push_back(count);
  }
}

void TransactRequest::checkConstraints() {
  ConstraintErrors errors;
  rcc_ = parseReturnConsumedCapacity(rcc_s_, errors);
  if (!items_) {
    errors.notNull("transactItems");
  } else if (items_->size() == 0) {
    errors.add("[]", "transactItems", "Member must have length greater than or equal to 1");
  } else if (items_->size() > engine::kMaxTransactActions) {
    errors.add(javaListDump(*items_, op_ == TransactOp::kWrite ? "TransactWriteItem" : "TransactGetItem"),
               "transactItems", "Member must have length less than or equal to 100");
  } else {
    for (size_t i = 0; i < actions_.size(); ++i) {
      TransactAction& a = actions_[i];
      std::string base = "transactItems." + std::to_string(i + 1) + ".member";
      if (!a.obj) {
        if (op_ == TransactOp::kGet) errors.notNull(base + ".get");
        continue;
      }
      base += '.';
      base += pathOf(a.kind);
      tableNameConstraints(a.table, base + ".tableName", errors);
      if (!a.item_json) errors.notNull(base + (a.kind == TransactActionKind::kPut ? ".item" : ".key"));
      if (a.kind == TransactActionKind::kConditionCheck && !a.obj->getString("ConditionExpression")) {
        errors.notNull(base + ".conditionExpression");
      }
      if (a.kind == TransactActionKind::kUpdate && !a.obj->getString("UpdateExpression")) {
        errors.notNull(base + ".updateExpression");
      }
      if (a.rvcf && *a.rvcf != "ALL_OLD" && *a.rvcf != "NONE") {
        errors.enumValue(*a.rvcf, base + ".returnValuesOnConditionCheckFailure", "[ALL_OLD, NONE]");
      }
      if (a.rvcf && *a.rvcf == "ALL_OLD") a.on_failure = OnConditionFailure::kAllOld;
    }
  }
  if (op_ == TransactOp::kWrite) {
    checkReturnItemCollectionMetrics(ricm_, errors);
    if (token_) {
      if (token_->empty()) errors.lengthAtLeast(*token_, "clientRequestToken", 1);
      if (token_->size() > 36) errors.lengthAtMost(*token_, "clientRequestToken", 36);
    }
  }
  errors.throwIfAny();
}

void TransactRequest::checkAction(size_t i, TransactAction& a) {
  if (op_ == TransactOp::kWrite) {
    if (action_counts_[i] > 1) {
      throw ApiError::validation("TransactItems can only contain one of Check, Put, Update or Delete");
    }
    if (action_counts_[i] == 0) {
      throw ApiError::validation("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request");
    }
  }
  a.ex->checkParameterMix();
  auto parsed = model::parseItem(*a.item_json);
  if (!parsed.ok()) throwStatus(parsed.status());
  a.item = std::move(parsed).value();
  a.ex->resolve();
  if (a.kind == TransactActionKind::kPut) a.item_size = model::itemSize(a.item);
}

void TransactRequest::validate() {
  checkConstraints();
  size_t payload = 0;
  for (size_t i = 0; i < actions_.size(); ++i) {
    TransactAction& a = actions_[i];
    checkAction(i, a);
    // The 4 MB limit is on the request ("transaction payload"), not on the
    // items it touches: deleting 5 MB of items in one small request is
    // allowed (Alternator test_transact_write_items_delete_5MB).
    if (a.kind == TransactActionKind::kPut) {
      payload += a.item_size;
    } else {
      payload += model::itemSize(a.item);
      if (auto v = a.obj->getAttributeMap("ExpressionAttributeValues")) payload += simdjson::minify(*v).size();
    }
  }
  if (op_ == TransactOp::kWrite && payload > kMaxTransactPayloadBytes) {
    // TODO(transactions): exact DynamoDB text unverified; Alternator pins
    // only "ValidationException.*size cannot exceed" ("transaction payload").
    throw ApiError::validation("Transaction payload size cannot exceed 4 MB");
  }
}

engine::RequestDigest TransactRequest::digest() const {
  // The minified TransactItems text: a retry of the same SDK call sends the
  // same members in the same order.
  std::string canonical;
  element e;
  if (req_.raw().at_key("TransactItems").get(e) == simdjson::SUCCESS) canonical = simdjson::minify(e);
  canonical += '\x1f';
  if (ricm_) canonical += *ricm_;
  return engine::digestBytes(canonical);
}

}  // namespace fdyno::api

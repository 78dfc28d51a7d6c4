#include "api/partiql_exec.h"

#include <simdjson.h>

#include <algorithm>

#include "api/capacity.h"
#include "api/item_write.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "model/base64.h"
#include "model/item_size.h"
#include "model/json_codec.h"
#include "partiql/parser.h"

namespace fdyno::api {

namespace {

using partiql::Expr;
using partiql::ExprKind;
using partiql::StatementKind;

engine::TableRef resolveTable(engine::Database& db, const std::string& name) {
  auto r = db.resolveTables({name});
  if (!r.ok()) throwStatus(r.status());
  return std::move(r).value()[0];
}

template <typename T>
T orThrow(Result<T> r) {
  if (!r.ok()) throwStatus(r.status());
  return std::move(r).value();
}

// Fills `key` with the key equalities of `conjuncts`; false if one is missing.
bool extractKey(const engine::TableDefinition& def, const std::vector<const Expr*>& conjuncts,
                const StatementTranslator& tr, model::Item& key, std::vector<const Expr*>* used) {
  auto take = [&](const std::string& name) {
    for (const Expr* c : conjuncts) {
      if (const Expr* v = equalityOn(*c, name)) {
        key.insert_or_assign(name, tr.value(v->value));
        if (used) used->push_back(c);
        return true;
      }
    }
    return false;
  };
  if (!take(def.hash_key.name)) return false;
  return !def.range_key || take(def.range_key->name);
}

std::string nextTokenOf(const model::Item& key) {
  JsonWriter w;
  model::writeItem(w, key);
  return model::base64Encode(w.take());
}

model::Item parseNextToken(std::string_view token) {
  auto raw = model::base64Decode(token);
  if (!raw.ok()) throw ApiError::validation("Invalid NextToken");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(*raw).get(doc) != simdjson::SUCCESS) throw ApiError::validation("Invalid NextToken");
  auto item = model::parseItem(doc);
  if (!item.ok()) throw ApiError::validation("Invalid NextToken");
  return std::move(item).value();
}

}  // namespace

partiql::Statement parseStatementOrThrow(std::string_view text, size_t param_count) {
  auto r = partiql::parseStatement(text);
  if (!r.ok()) throw ApiError::validation(errorText(r.status()));
  if (r->param_count != param_count) {
    throw ApiError::validation("Number of parameters in request and statement don't match.");
  }
  return std::move(r).value();
}

std::vector<model::AttributeValue> parseParameters(const RequestObject& req) {
  std::vector<model::AttributeValue> out;
  auto list = req.getList("Parameters");
  if (!list) return out;
  if (list->size() == 0) {
    throw ApiError::validation(
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1");
  }
  for (simdjson::dom::element e : *list) out.push_back(orThrow(model::parseAttributeValue(e)));
  return out;
}

PreparedWrite::PreparedWrite(engine::Database& db, const partiql::Statement& s,
                             const std::vector<model::AttributeValue>& params)
    : table_(s.table), kind_(s.kind), tr_(params) {
  if (s.kind == StatementKind::kInsert) {
    model::AttributeValue item = tr_.value(s.item);
    if (item.type != model::AttrType::kM) throw ApiError::validation("Unsupported operation: Inserting a non-map value");
    key_attrs_ = std::move(item.map);
    source_ = engine::KeySource::kItem;
    item_size_ = model::itemSize(key_attrs_);
    if (item_size_ > model::kMaxItemSize) throw ApiError::validation(std::string(kItemTooLargeMessage));
    return;
  }
  engine::TableRef t = resolveTable(db, s.table);
  const engine::TableDefinition& def = t->def;
  key_names_.push_back(def.hash_key.name);
  if (def.range_key) key_names_.push_back(def.range_key->name);
  std::vector<const Expr*> conjuncts, key_conjuncts;
  splitConjuncts(s.where.get(), conjuncts);
  if (!extractKey(def, conjuncts, tr_, key_attrs_, &key_conjuncts)) throw ApiError::validation(std::string(kMissingKeyEquality));

  std::string update_text, cond_text;
  if (s.kind == StatementKind::kExists) {
    cond_text = tr_.condition(*s.where);
  } else if (s.kind == StatementKind::kUpdate) {
    update_text = tr_.update(s);
    // The whole WHERE: the key equalities make a missing item fail it.
    cond_text = tr_.condition(*s.where);
  } else {
    for (const Expr* c : conjuncts) {
      if (std::find(key_conjuncts.begin(), key_conjuncts.end(), c) != key_conjuncts.end()) continue;
      if (!cond_text.empty()) cond_text += " AND ";
      cond_text += "(" + tr_.condition(*c) + ")";
    }
  }
  rx_ = std::make_unique<expr::RequestExpressions>(&tr_.names(), &tr_.values());
  if (!update_text.empty()) {
    update_ = orThrow(rx_->update(update_text));
    for (std::string_view n : update_->topLevelTargets()) {
      for (const std::string& k : key_names_) {
        if (n == k) {
          throw ApiError::validation("Cannot update attribute " + k + ". This attribute is part of the key");
        }
      }
    }
  }
  if (!cond_text.empty()) cond_ = orThrow(rx_->condition(cond_text, expr::ExprKind::kCondition));
}

Status PreparedWrite::decide(const engine::TableInfo&, engine::StoredItem& old, engine::WritePlan& plan) {
  if (kind_ == StatementKind::kInsert) {
    if (old.exists()) return Status::InvalidArgument(ErrorReason::kDuplicateItem);
    plan.op = engine::WriteOp::kPut;
    plan.item = &key_attrs_;
    plan.item_size = item_size_;
    return Status::OK();
  }
  // DELETE of a missing item succeeds with nothing deleted (its WHERE is
  // only checked against an existing item: ql-reference.delete "Return value").
  if (kind_ == StatementKind::kDelete && !old.exists()) {
    plan.op = engine::WriteOp::kKeep;
    return Status::OK();
  }
  const model::Item* old_item = nullptr;
  if (cond_ || update_) {
    auto r = old.item();
    if (!r.ok()) return r.status();
    old_item = *r;
  }
  if (cond_ && !cond_->evaluate(old_item)) return Status::InvalidArgument(ErrorReason::kConditionFailed);
  if (kind_ == StatementKind::kDelete) {
    plan.op = engine::WriteOp::kDelete;
    return Status::OK();
  }
  if (kind_ == StatementKind::kExists) {
    plan.op = engine::WriteOp::kKeep;
    return Status::OK();
  }
  if (!old_item) return Status::InvalidArgument(ErrorReason::kConditionFailed);
  plan.owned = *old_item;
  FDYNO_RETURN_IF_ERROR(update_->apply(plan.owned));
  size_t size = model::itemSize(plan.owned);
  if (size > model::kMaxItemSize) return Status::InvalidArgument(ErrorReason::kItemTooLarge);
  plan.op = engine::WriteOp::kPut;
  plan.item = &plan.owned;
  plan.item_size = size;
  return Status::OK();
}

engine::WriteResult PreparedWrite::run(engine::Database& db) {
  auto r = db.writeItem(table_, key_attrs_, source_,
                        [this](const engine::TableInfo& t, engine::StoredItem& old, engine::WritePlan& plan) {
                          return decide(t, old, plan);
                        });
  // DuplicateItemException, ConditionalCheckFailedException or the engine's error.
  if (!r.ok()) throwStatus(r.status());
  return std::move(r).value();
}

std::unique_ptr<PreparedGet> prepareGet(engine::Database& db, const partiql::Statement& s,
                                        const std::vector<model::AttributeValue>& params) {
  auto g = std::make_unique<PreparedGet>();
  g->table = s.table;
  g->projection = s.projection;
  g->tr = std::make_unique<StatementTranslator>(params);
  engine::TableRef t = resolveTable(db, s.table);
  if (s.index) throw ApiError::validation("A single-item read cannot use an index");  // TODO(partiql): DynamoDB's text
  std::vector<const Expr*> conjuncts;
  splitConjuncts(s.where.get(), conjuncts);
  if (!extractKey(t->def, conjuncts, *g->tr, g->key, nullptr)) throw ApiError::validation(std::string(kMissingKeyEquality));
  std::string text = g->tr->condition(*s.where);
  g->rx = std::make_unique<expr::RequestExpressions>(&g->tr->names(), &g->tr->values());
  g->cond = orThrow(g->rx->condition(text, expr::ExprKind::kFilter));
  return g;
}

model::Item projectSelect(const model::Item& item, const std::vector<partiql::Path>& projection) {
  model::Item out;
  for (const partiql::Path& p : projection) {
    const model::AttributeValue* v = nullptr;
    const std::string* last_name = nullptr;
    for (size_t i = 0; i < p.steps.size(); ++i) {
      const partiql::PathStep& s = p.steps[i];
      if (s.is_index) {
        if (!v || v->type != model::AttrType::kL || s.index >= v->list.size()) { v = nullptr; break; }
        v = &v->list[s.index];
        continue;
      }
      last_name = &s.name;
      const model::AttributeMap* m = i == 0 ? &item : (v && v->type == model::AttrType::kM ? &v->map : nullptr);
      if (!m) { v = nullptr; break; }
      auto it = m->find(s.name);
      if (it == m->end()) { v = nullptr; break; }
      v = &it->second;
    }
    if (v && last_name) out.insert_or_assign(*last_name, *v);
  }
  return out;
}

std::string runSelect(engine::Database& db, const partiql::Statement& s,
                      const std::vector<model::AttributeValue>& params, const SelectOptions& opts) {
  StatementTranslator tr(params);
  std::vector<const Expr*> conjuncts;
  splitConjuncts(s.where.get(), conjuncts);
  std::string text = s.where ? tr.condition(*s.where) : std::string();
  // Key values, converted once (the planner may run more than once).
  std::vector<std::pair<const Expr*, model::AttributeValue>> literals;
  for (const Expr* c : conjuncts) {
    for (const auto& a : c->args) {
      if (a->kind == ExprKind::kValue) literals.emplace_back(a.get(), tr.value(a->value));
    }
  }
  auto literal = [&](const Expr* e) -> const model::AttributeValue* {
    for (auto& [x, v] : literals) {
      if (x == e) return &v;
    }
    return nullptr;
  };
  expr::RequestExpressions rx(&tr.names(), &tr.values());
  std::optional<expr::Condition> cond;
  if (!text.empty()) cond = orThrow(rx.condition(text, expr::ExprKind::kFilter));
  std::optional<model::Item> start;
  if (opts.next_token) start = parseNextToken(*opts.next_token);

  engine::SortKeyCondition sort;
  auto planner = [&](const engine::TableInfo& t, engine::ReadPlan& plan) -> Status {
    const engine::KeyAttribute* hash = &t.def.hash_key;
    const engine::KeyAttribute* range = t.def.range_key ? &*t.def.range_key : nullptr;
    if (s.index) {
      const engine::IndexDefinition* ix = t.def.findIndex(*s.index);
      if (!ix) return Status::InvalidArgument("The table does not have the specified index: " + *s.index);
      if (opts.consistent && ix->kind == engine::IndexKind::kGlobal) {
        return Status::InvalidArgument("Consistent reads are not supported on global secondary indexes");
      }
      plan.index = ix;
      hash = ix->hash_keys.size() == 1 ? &ix->hash_keys[0] : nullptr;
      range = ix->range_keys.size() == 1 ? &ix->range_keys[0] : nullptr;
    }
    const model::AttributeValue* pv = nullptr;
    for (const Expr* c : conjuncts) {
      if (!hash) break;
      const Expr* v = equalityOn(*c, hash->name);
      const model::AttributeValue* av = v ? literal(v) : nullptr;
      if (av && av->type == hash->type) {
        pv = av;
        break;
      }
    }
    if (s.order_by) {
      const std::string* n = s.order_by->topLevelOnly();
      if (!pv || !range || !n || *n != range->name) {
        return Status::InvalidArgument(
            "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.");
      }
    }
    plan.kind = pv ? engine::ReadKind::kQuery : engine::ReadKind::kScan;
    if (pv) {
      plan.partition = {pv};
      plan.sort.reset();
      for (const Expr* c : conjuncts) {
        if (!range) break;
        auto isRange = [&](const Expr& e) {
          const std::string* n = e.kind == ExprKind::kPath ? e.path.topLevelOnly() : nullptr;
          return n && *n == range->name;
        };
        auto typed = [&](const Expr& e) {
          const model::AttributeValue* av = literal(&e);
          return av && av->type == range->type ? av : nullptr;
        };
        if (c->kind == ExprKind::kCompare && c->op != partiql::CompareOp::kNe) {
          bool flipped = !isRange(*c->args[0]);
          const Expr& p = *c->args[flipped ? 1 : 0];
          const model::AttributeValue* v = typed(*c->args[flipped ? 0 : 1]);
          if (!isRange(p) || !v) continue;
          using partiql::CompareOp;
          engine::SortKeyOp op = engine::SortKeyOp::kEq;
          switch (c->op) {
            case CompareOp::kLt: op = flipped ? engine::SortKeyOp::kGt : engine::SortKeyOp::kLt; break;
            case CompareOp::kLe: op = flipped ? engine::SortKeyOp::kGe : engine::SortKeyOp::kLe; break;
            case CompareOp::kGt: op = flipped ? engine::SortKeyOp::kLt : engine::SortKeyOp::kGt; break;
            case CompareOp::kGe: op = flipped ? engine::SortKeyOp::kLe : engine::SortKeyOp::kGe; break;
            default: break;
          }
          sort = engine::SortKeyCondition{op, v, nullptr};
        } else if (c->kind == ExprKind::kBetween && isRange(*c->args[0]) && typed(*c->args[1]) && typed(*c->args[2])) {
          sort = engine::SortKeyCondition{engine::SortKeyOp::kBetween, typed(*c->args[1]), typed(*c->args[2])};
        } else if (c->kind == ExprKind::kCall && c->name == "begins_with" && c->args.size() == 2 &&
                   isRange(*c->args[0]) && typed(*c->args[1]) && range->type != model::AttrType::kN) {
          sort = engine::SortKeyCondition{engine::SortKeyOp::kBeginsWith, typed(*c->args[1]), nullptr};
        } else {
          continue;
        }
        plan.sort = sort;
        break;
      }
    }
    plan.forward = !s.order_desc;
    plan.limit = opts.limit ? static_cast<size_t>(*opts.limit) : 0;
    plan.exclusive_start = start ? &*start : nullptr;
    return Status::OK();
  };

  JsonWriter w;
  w.beginObject();
  w.key("Items").beginArray();
  auto page = db.readPage(s.table, planner, [&](model::Item& item, size_t) -> Status {
    if (cond && !cond->evaluate(&item)) return Status::OK();
    if (s.projection.empty()) {
      model::writeItem(w, item);
    } else {
      model::writeItem(w, projectSelect(item, s.projection));
    }
    return Status::OK();
  });
  if (!page.ok()) throwStatus(page.status());
  w.endArray();
  if (page->last_evaluated_key) w.field("NextToken", nextTokenOf(*page->last_evaluated_key));
  writeConsumedCapacity(w, opts.rcc, s.table, engine::readCapacityUnits(page->bytes_read, opts.consistent));
  w.endObject();
  return w.take();
}

std::string batchErrorCode(const ApiError& e) {
  std::string_view t = e.type();
  if (auto p = t.find('#'); p != std::string_view::npos) t.remove_prefix(p + 1);
  if (t == "ValidationException") return "ValidationError";
  constexpr std::string_view kSuffix = "Exception";
  if (t.size() > kSuffix.size() && t.substr(t.size() - kSuffix.size()) == kSuffix) t.remove_suffix(kSuffix.size());
  return std::string(t);
}

}  // namespace fdyno::api

// BatchGetItem and BatchWriteItem. Request parsing and the checks that need
// no table are in batch_request.cc; this file checks against the tables,
// runs the batch and writes DynamoDB's response.
//
// BatchGetItem reads every key in one kv snapshot (engine/batch.h) and
// answers, per requested table, "Responses": {T: [items]} (an empty list for
// a table none of whose keys exist), "UnprocessedKeys": {} unless the 16 MB
// response limit cut the batch short (then {T: {"Keys": [...], plus the
// table's other KeysAndAttributes members as sent}}), and "ConsumedCapacity"
// as a LIST with one entry per table.
//
// BatchWriteItem validates the WHOLE request (tables exist, key schema,
// index key types, duplicate keys per table) before writing anything, then
// writes every item in ONE kv transaction (engine::Database::writeItems,
// engine/batch.h): one commit, one fsync wait per batch instead of one per
// item. Each put/delete is atomic, as DynamoDB promises; the batch as a
// whole is too, which DynamoDB allows but does not promise. A write-time
// error (e.g. an index added since validation) fails the whole request and
// writes nothing; an item collection growing past its limit fails it with
// ItemCollectionSizeLimitExceededException. The answer always has
// "UnprocessedItems": {} (fdyno never throttles); ConsumedCapacity includes
// each item's index writes (per index with INDEXES), ItemCollectionMetrics
// the size of each touched collection after the batch.
#include <algorithm>
#include <string>
#include <unordered_set>
#include <utility>

#include "api/batch_request.h"
#include "api/capacity.h"
#include "api/handlers.h"
#include "api/item_write.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "engine/database.h"
#include "engine/index_keys.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

constexpr std::string_view kKeyMismatch = "The provided key element does not match the schema";

// The KeysAndAttributes of a table with some keys left unread: the keys, and
// every other member as the client sent it.
void writeUnprocessedKeys(JsonWriter& w, const GetTableRequest& t, const engine::BatchGetTableResult& r) {
  w.key(t.name).beginObject();
  w.key("Keys").beginArray();
  for (size_t i = 0; i < t.keys.size(); ++i) {
    if (!r.keys[i].read) model::writeItem(w, t.keys[i]);
  }
  w.endArray();
  for (auto field : t.raw) {
    if (field.key == "Keys" || field.value.type() == simdjson::dom::element_type::NULL_VALUE) continue;
    w.key(field.key).raw(simdjson::minify(field.value));
  }
  w.endObject();
}

// A PutRequest's item against the table's key schema. Unlike PutItem
// ("Missing the key p in the item", "Type mismatch for key ..."), DynamoDB
// words a missing or mistyped key attribute of a batch put like a bad Key
// (dynalite's batchWriteItem tests, recorded against DynamoDB).
Status checkPutKey(const engine::TableDefinition& def, const model::Item& item, std::string& encoded) {
  for (const engine::KeyAttribute* k : {&def.hash_key, def.range_key ? &*def.range_key : nullptr}) {
    if (!k) continue;
    auto it = item.find(k->name);
    if (it == item.end() || it->second.type != k->type) return Status::InvalidArgument(kKeyMismatch);
  }
  FDYNO_RETURN_IF_ERROR(engine::appendItemKey(def, item, engine::KeySource::kItem, encoded));
  return engine::checkIndexKeyAttributes(def, item);
}

}  // namespace

std::string batchGetItem(engine::Database& db, simdjson::dom::object body) {
  BatchGetRequest req = parseBatchGetRequest(body);

  std::vector<engine::BatchGetTable> tables;
  tables.reserve(req.tables.size());
  for (const GetTableRequest& t : req.tables) tables.push_back({t.name, &t.keys});
  auto r = db.getItems(tables, engine::kBatchGetResponseLimitBytes);
  if (!r.ok()) throwStatus(r.status());

  JsonWriter w;
  w.beginObject();
  w.key("Responses").beginObject();
  bool any_unprocessed = false;
  for (size_t t = 0; t < req.tables.size(); ++t) {
    const GetTableRequest& tr = req.tables[t];
    const expr::Projection* projection = tr.ex->projection();
    w.key(tr.name).beginArray();
    for (const engine::BatchGetKeyResult& k : (*r)[t].keys) {
      if (!k.read) {
        any_unprocessed = true;
        continue;
      }
      if (!k.item) continue;
      // BatchGetItem projects exactly what was asked: key attributes are not
      // added (conformance tier1 batchGetItem "returns only projected attributes").
      if (projection) {
        model::writeItem(w, projection->apply(*k.item));
      } else {
        model::writeItem(w, *k.item);
      }
    }
    w.endArray();
  }
  w.endObject();

  w.key("UnprocessedKeys").beginObject();
  if (any_unprocessed) {
    for (size_t t = 0; t < req.tables.size(); ++t) {
      const auto& keys = (*r)[t].keys;
      bool table_unprocessed = false;
      for (const auto& k : keys) table_unprocessed |= !k.read;
      if (table_unprocessed) writeUnprocessedKeys(w, req.tables[t], (*r)[t]);
    }
  }
  w.endObject();

  if (req.rcc != ReturnConsumedCapacity::kNone) {
    // Each item is charged on its own (rounded up to 4 KB), as GetItem;
    // a missing key still costs the minimum. Unread keys cost nothing.
    w.key("ConsumedCapacity").beginArray();
    for (size_t t = 0; t < req.tables.size(); ++t) {
      // Reads touch no index: all units are the table's.
      WriteCapacity capacity;
      for (const auto& k : (*r)[t].keys) {
        if (k.read) capacity.addTable(engine::readCapacityUnits(k.size, req.tables[t].consistent));
      }
      w.beginObject();
      capacity.writeMembers(w, req.rcc, req.tables[t].name);
      w.endObject();
    }
    w.endArray();
  }
  w.endObject();
  return w.take();
}

std::string batchWriteItem(engine::Database& db, simdjson::dom::object body) {
  BatchWriteRequest req = parseBatchWriteRequest(body);

  std::vector<std::string_view> names;
  names.reserve(req.tables.size());
  for (const WriteTableRequest& t : req.tables) names.push_back(t.name);
  auto defs = db.resolveTables(names);
  if (!defs.ok()) throwStatus(defs.status());

  // The whole batch is checked before anything is written.
  std::string encoded;
  for (size_t t = 0; t < req.tables.size(); ++t) {
    const engine::TableDefinition& def = (*defs)[t]->def;
    std::unordered_set<std::string> seen;
    seen.reserve(req.tables[t].writes.size());
    for (const WriteRequestEntry& w : req.tables[t].writes) {
      encoded.clear();
      Status s = w.put ? checkPutKey(def, w.attrs, encoded)
                       : engine::appendItemKey(def, w.attrs, engine::KeySource::kKey, encoded);
      if (!s.ok()) throwStatus(s);
      // Encoded keys compare numbers by value ("1000" = "1e3"), as DynamoDB.
      if (!seen.insert(encoded).second) throw ApiError::validation(std::string(kDuplicateKeys));
    }
  }

  std::vector<engine::BatchWriteTable> batch(req.tables.size());
  for (size_t t = 0; t < req.tables.size(); ++t) {
    const WriteTableRequest& tr = req.tables[t];
    batch[t].table = tr.name;
    batch[t].writes.reserve(tr.writes.size());
    for (const WriteRequestEntry& w : tr.writes) batch[t].writes.push_back({w.put, &w.attrs, w.item_size});
  }
  auto written = db.writeItems(batch);
  if (!written.ok()) throwStatus(written.status());

  JsonWriter w;
  w.beginObject();
  w.key("UnprocessedItems").beginObject().endObject();
  if (req.rcc != ReturnConsumedCapacity::kNone) {
    // Each item is charged on its own, as the single-item write it stands
    // for, its index writes included.
    w.key("ConsumedCapacity").beginArray();
    for (size_t t = 0; t < req.tables.size(); ++t) {
      const engine::BatchWriteTableResult& tr = (*written)[t];
      WriteCapacity capacity;
      for (const engine::BatchWriteItemResult& r : tr.writes) {
        capacity.addWrite(tr.table->def, engine::writeCapacityUnits(r.old_size, r.new_size), r.metrics);
      }
      w.beginObject();
      capacity.writeMembers(w, req.rcc, req.tables[t].name);
      w.endObject();
    }
    w.endArray();
  }
  if (req.collection_metrics) {
    // Item collections exist only in tables with local secondary indexes:
    // one entry per item collection (partition key) the batch touched, with
    // its size after the whole batch (the last write to it).
    bool open = false;
    for (size_t t = 0; t < req.tables.size(); ++t) {
      const engine::TableDefinition& def = (*written)[t].table->def;
      if (def.local_indexes.empty()) continue;
      if (!open) {
        w.key("ItemCollectionMetrics").beginObject();
        open = true;
      }
      w.key(req.tables[t].name).beginArray();
      const auto& writes = req.tables[t].writes;
      const auto& results = (*written)[t].writes;
      std::vector<std::pair<const model::AttributeValue*, size_t>> collections;  // pk, last write index
      for (size_t i = 0; i < writes.size(); ++i) {
        auto it = writes[i].attrs.find(def.hash_key.name);
        if (it == writes[i].attrs.end()) continue;
        auto c = std::find_if(collections.begin(), collections.end(),
                              [&](const auto& e) { return *e.first == it->second; });
        if (c == collections.end()) {
          collections.emplace_back(&it->second, i);
        } else {
          c->second = i;
        }
      }
      for (const auto& [pk, i] : collections) {
        writeItemCollectionEntry(w, def.hash_key.name, *pk, results[i].metrics.collection_size);
      }
      w.endArray();
    }
    if (open) w.endObject();
  }
  w.endObject();
  return w.take();
}

}  // namespace fdyno::api

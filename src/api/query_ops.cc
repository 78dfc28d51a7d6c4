// Query and Scan: validate (api/read_request.h), read one page in the engine
// (engine/query_scan.h), and write the response while the page is read.
//
// Hot path: items are filtered, projected and serialized straight into the
// response inside the engine's visitor: no per-page vector of items, and an
// item the filter rejects is never copied.
//
// Response members, in DynamoDB's order: Items (absent for Select COUNT),
// Count (items after the filter), ScannedCount (items read, before the
// filter: Limit and the 1 MB page limit count these), LastEvaluatedKey,
// ConsumedCapacity. Capacity: the sizes of all items read, summed, in 4 KB
// units rounded up (minimum one unit), halved for eventually consistent
// reads (developerguide/read-write-operations.html "Query", "Scan").
// Index reads charge the index for the projected entries read (same rule)
// and, when an LSI fetches items from the table, the table for each item
// fetched (its own 4 KB units, halved if eventually consistent). INDEXES
// reports them apart: "Table" (only when the table was read),
// "GlobalSecondaryIndexes"/"LocalSecondaryIndexes": {name: {CapacityUnits}};
// CapacityUnits is their sum (Alternator
// test_return_consumed_capacity_indexes_with_indexes pins the shape).
#include "api/query_ops.h"

#include "api/capacity.h"
#include "api/read_request.h"
#include "common/json_writer.h"
#include "engine/capacity.h"
#include "engine/database.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

void writeIndexCapacity(JsonWriter& w, const ReadRequest& rq, const engine::PageResult& page) {
  ReturnConsumedCapacity mode = rq.returnConsumedCapacity();
  if (mode == ReturnConsumedCapacity::kNone) return;
  const bool consistent = rq.consistentRead();
  const double index_units = engine::readCapacityUnits(page.bytes_read, consistent);
  const double table_units =
      consistent ? static_cast<double>(page.fetched_units) : static_cast<double>(page.fetched_units) / 2.0;
  w.key("ConsumedCapacity").beginObject();
  w.field("TableName", rq.tableName());
  w.key("CapacityUnits").rawNumber(formatCapacityUnits(index_units + table_units));
  if (mode == ReturnConsumedCapacity::kIndexes) {
    if (page.fetched > 0) {
      w.key("Table").beginObject();
      w.key("CapacityUnits").rawNumber(formatCapacityUnits(table_units));
      w.endObject();
    }
    w.key(rq.indexIsGlobal() ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes").beginObject();
    w.key(*rq.indexName()).beginObject();
    w.key("CapacityUnits").rawNumber(formatCapacityUnits(index_units));
    w.endObject();
    w.endObject();
  }
  w.endObject();
}

std::string readPage(engine::Database& db, simdjson::dom::object body, ReadOp op) {
  ReadRequest rq(body, op);
  rq.validate();

  const bool count_only = rq.select() == SelectMode::kCount;
  const expr::Condition* filter = rq.filter();
  const expr::Projection* projection = rq.projection();
  JsonWriter w;
  w.beginObject();
  if (!count_only) w.key("Items").beginArray();
  int64_t count = 0;
  auto r = db.readPage(
      rq.tableName(), [&](const engine::TableInfo& t, engine::ReadPlan& plan) { return rq.plan(t, plan); },
      [&](model::Item& item, size_t) -> Status {
        if (filter && !filter->evaluate(&item)) return Status::OK();
        ++count;
        if (count_only) return Status::OK();
        if (projection) {
          model::writeItem(w, projection->apply(item));
        } else {
          model::writeItem(w, item);
        }
        return Status::OK();
      });
  if (!r.ok()) throwStatus(r.status());
  if (!count_only) w.endArray();
  w.field("Count", count);
  w.field("ScannedCount", static_cast<int64_t>(r->scanned));
  if (r->last_evaluated_key) {
    w.key("LastEvaluatedKey");
    model::writeItem(w, *r->last_evaluated_key);
  }
  if (rq.indexName()) {
    writeIndexCapacity(w, rq, *r);
  } else {
    writeConsumedCapacity(w, rq.returnConsumedCapacity(), rq.tableName(),
                          engine::readCapacityUnits(r->bytes_read, rq.consistentRead()));
  }
  w.endObject();
  return w.take();
}

}  // namespace

std::string query(engine::Database& db, simdjson::dom::object body) { return readPage(db, body, ReadOp::kQuery); }

std::string scan(engine::Database& db, simdjson::dom::object body) { return readPage(db, body, ReadOp::kScan); }

}  // namespace fdyno::api

// Account-level operations that describe the service rather than a table:
// DescribeLimits and DescribeEndpoints. Neither takes parameters (members of
// the request are ignored, as DynamoDB ignores unknown members).
#include <string>

#include "api/handlers.h"
#include "common/json_writer.h"
#include "engine/database.h"

namespace fdyno::api {

namespace {

// DynamoDB's default quotas for a new account (per region): 80,000 read and
// write capacity units per account, 40,000 per table. fdyno reports them so
// that tools sizing tables from DescribeLimits see DynamoDB's numbers; it
// does not enforce them (TODO: the "above the per table maximum" /
// "ReadCapacityUnits limit to be exceeded for the account" LimitExceeded
// errors of CreateTable/UpdateTable).
constexpr int64_t kAccountMaxCapacityUnits = 80000;
constexpr int64_t kTableMaxCapacityUnits = 40000;

// How long clients may cache the endpoint list (DynamoDB says one day).
constexpr int64_t kEndpointCacheMinutes = 1440;

}  // namespace

std::string describeLimits(engine::Database& db, simdjson::dom::object body) {
  (void)db;
  (void)body;
  JsonWriter w;
  w.beginObject();
  w.field("AccountMaxReadCapacityUnits", kAccountMaxCapacityUnits);
  w.field("AccountMaxWriteCapacityUnits", kAccountMaxCapacityUnits);
  w.field("TableMaxReadCapacityUnits", kTableMaxCapacityUnits);
  w.field("TableMaxWriteCapacityUnits", kTableMaxCapacityUnits);
  w.endObject();
  return w.take();
}

// DynamoDB answers its own regional host name. A client of fdyno must be
// sent back to fdyno, not to AWS (SDKs with endpoint discovery would follow
// the answer), so the address is the one fdyno serves on
// (DatabaseOptions::endpoint_address, set from --listen by the CLI), without
// a scheme, as DynamoDB's is. Only with no address configured (embedded
// use) is DynamoDB's form used.
// TODO(http): the request's Host header would be the most faithful answer
// behind proxies and on 0.0.0.0 listeners; the dispatcher does not see it.
std::string describeEndpoints(engine::Database& db, simdjson::dom::object body) {
  (void)body;
  const engine::DatabaseOptions& opts = db.options();
  std::string address =
      opts.endpoint_address.empty() ? "dynamodb." + opts.region + ".amazonaws.com" : opts.endpoint_address;
  JsonWriter w;
  w.beginObject().key("Endpoints").beginArray();
  w.beginObject().field("Address", address).field("CachePeriodInMinutes", kEndpointCacheMinutes).endObject();
  w.endArray().endObject();
  return w.take();
}

}  // namespace fdyno::api

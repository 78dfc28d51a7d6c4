// Fuzz target: the DynamoDB operations (api::Dispatcher) over a fresh
// in-memory database per input, i.e. everything below the HTTP layer.
//
// Input: one request per line, "<Operation> <JSON body>" (for example
// `PutItem {"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`); at
// most 8 requests. Before them the table "tbl" (pk:S hash, sk:N range, with a
// GSI "g" on gk:S and a stream) exists and holds one item, so single
// requests reach item paths at once.
// Invariants: nothing crashes; every response is HTTP 200, 400 or 413
// (a 500 is a bug: the dispatcher turns unexpected exceptions into it); every
// response body is valid UTF-8 JSON; an error body has "__type".
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/dispatcher.h"
#include "common/log.h"
#include "engine/database.h"
#include "fuzz/fuzz_util.h"
#include "kv/kv.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

namespace {

constexpr std::string_view kCreateTable =
    R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",)"
    R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},)"
    R"({"AttributeName":"gk","AttributeType":"S"}],)"
    R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
    R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"gk","KeyType":"HASH"}],)"
    R"("Projection":{"ProjectionType":"ALL"}}],)"
    R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}})";
constexpr std::string_view kPutItem =
    R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"gk":{"S":"g"},)"
    R"("l":{"L":[{"N":"1"},{"S":"x"}]},"m":{"M":{"n":{"N":"2"}}},"ss":{"SS":["p","q"]}}})";

void check(std::string_view op, const api::ApiResponse& res) {
  fuzz::require(res.status == 200 || res.status == 400 || res.status == 413, "unexpected HTTP status",
                std::string(op) + " -> " + std::to_string(res.status) + " " + res.body);
  fuzz::requireJson("response body is not valid UTF-8 JSON", res.body);
  if (res.status != 200) {
    // (A message is not required: DynamoDB sends SerializationException for
    // unparsable JSON with __type alone.)
    fuzz::require(res.body.find("\"__type\"") != std::string::npos, "error body without __type", res.body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = (log::setLevel(log::Level::kOff), true);
  (void)quiet;
  auto store = kv::openMemoryStore();
  fuzz::require(store.ok(), "memory store", store.status().toString());
  engine::DatabaseOptions opts;
  opts.ttl_interval_ms = 0;  // no background sweeper: one input, one thread
  engine::Database db(**store, opts);
  api::Dispatcher dispatcher(db);
  auto setup = dispatcher.handle("CreateTable", kCreateTable);
  fuzz::require(setup.status == 200, "set-up CreateTable", setup.body);
  setup = dispatcher.handle("PutItem", kPutItem);
  fuzz::require(setup.status == 200, "set-up PutItem", setup.body);

  auto lines = fuzz::splitLines(data, size, 8);
  for (std::string_view line : lines) {
    if (line.empty()) continue;
    size_t sp = line.find(' ');
    std::string_view op = line.substr(0, sp);
    // The HTTP layer's body always points into a buffer (a std::string), even
    // when empty; a null string_view would make simdjson memcpy from null.
    std::string_view body = sp == std::string_view::npos ? std::string_view("", 0) : line.substr(sp + 1);
    check(op, dispatcher.handle(op, body));
  }
  return 0;
}

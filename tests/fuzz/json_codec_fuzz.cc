// Fuzz target: the DynamoDB JSON codec (model/json_codec.h) and, for every
// item it accepts, the storage codec (model/item_codec.h).
//
// Input: any bytes; the interesting ones are JSON objects such as
// {"pk": {"S": "a"}, "m": {"M": {"n": {"N": "1.50"}}}}.
// Invariants, for input that simdjson accepts as JSON:
// - parseItem never crashes; a refusal is kInvalidArgument or kSerialization
//   with a valid UTF-8 message;
// - an accepted item satisfies the AttributeValue invariants, writes as valid
//   JSON, and that JSON parses back to an equal item and writes back to the
//   same text (the written form is canonical);
// - an accepted item within the nesting limit survives encodeItem/decodeItem
//   unchanged, and re-encoding gives the same bytes;
// - the same hold with ParseOptions::check_depth off (TransactWriteItems'
//   expression values), except storage, which refuses deep items.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "model/item_codec.h"
#include "model/item_size.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

namespace {

void checkAccepted(const model::Item& item, const model::ParseOptions& opts) {
  std::string why = fuzz::itemInvariantViolation(item);
  fuzz::require(why.empty(), "parsed item breaks an AttributeValue invariant", why);
  std::string json = fuzz::itemJson(item);
  fuzz::requireJson("writeItem produced invalid JSON", json);

  fuzz::JsonDoc again;
  fuzz::require(again.parse(json), "written item does not parse", json);
  auto reparsed = model::parseItem(again.root(), opts);
  fuzz::require(reparsed.ok(), "written item is refused when read back",
                json + " -> " + reparsed.status().message());
  fuzz::require(*reparsed == item, "JSON round trip changed the item", json);
  fuzz::require(fuzz::itemJson(*reparsed) == json, "JSON round trip is not canonical", json);

  (void)model::itemSize(item);
  if (model::exceedsNestingDepth(item)) {
    fuzz::require(!opts.check_depth, "parseItem accepted an item deeper than the limit", json);
    return;
  }
  std::string bytes;
  model::encodeItem(bytes, item);
  auto decoded = model::decodeItem(bytes);
  fuzz::require(decoded.ok(), "encoded item does not decode", json + " -> " + decoded.status().message());
  fuzz::require(*decoded == item, "storage round trip changed the item", json);
  std::string bytes2;
  model::encodeItem(bytes2, *decoded);
  fuzz::require(bytes2 == bytes, "re-encoding a decoded item changed its bytes", json);
}

void checkOne(simdjson::dom::element root, const model::ParseOptions& opts) {
  auto item = model::parseItem(root, opts);
  if (!item.ok()) {
    const Status& st = item.status();
    fuzz::require(st.code() == StatusCode::kInvalidArgument || st.code() == StatusCode::kSerialization,
                  "parseItem failed with an unexpected code", st.toString());
    fuzz::requireUtf8("parseItem error message is not UTF-8", st.message());
    return;
  }
  checkAccepted(*item, opts);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::JsonDoc doc;
  if (!doc.parse(std::string_view(reinterpret_cast<const char*>(data), size))) return 0;
  model::ParseOptions strict;
  checkOne(doc.root(), strict);
  model::ParseOptions deep;
  deep.check_depth = false;
  checkOne(doc.root(), deep);
  // A single AttributeValue ({"S": "x"}) through the value entry point.
  auto v = model::parseAttributeValue(doc.root());
  if (!v.ok()) fuzz::requireUtf8("parseAttributeValue error message is not UTF-8", v.status().message());
  return 0;
}

// Fuzz target: the update applier (expr/update_apply.h) on fuzzed items.
//
// Input, four lines (fuzz_util.h splitLines):
//   1. the UpdateExpression
//   2. ExpressionAttributeNames as a JSON object of strings, or empty
//   3. ExpressionAttributeValues as DynamoDB JSON, or empty
//   4. the item as DynamoDB JSON, or empty (UpdateItem on a missing item)
// Invariants, for an expression that validates:
// - applying it never crashes; a refusal leaves the item unchanged
//   (update_apply.h: every data-dependent error arises before anything is
//   changed) and carries a valid UTF-8 message;
// - the result keeps the AttributeValue invariants (normalized numbers, sets
//   non-empty without duplicates) and writes as valid JSON;
// - the result is storable: if it is within the nesting limit and the item
//   size limit, encodeItem/decodeItem round-trips it exactly, and the JSON it
//   writes parses back to it. A result deeper than the limit is not an error
//   here (the write path refuses it, like DynamoDB), only a crash would be.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "expr/expression.h"
#include "fuzz/fuzz_util.h"
#include "model/item_codec.h"
#include "model/item_size.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = fuzz::splitLines(data, size, 4);
  for (auto p : parts)
    if (!fuzz::isUtf8(p)) return 0;

  std::optional<expr::NameMap> names;
  if (!parts[1].empty()) {
    fuzz::JsonDoc doc;
    if (!doc.parse(parts[1]) || !doc.root().is_object()) return 0;
    names.emplace();
    for (auto [k, v] : doc.root().get_object()) {
      if (!v.is_string()) return 0;
      (*names)[std::string(k)] = std::string(v.get_string().value_unsafe());
    }
  }
  std::optional<model::AttributeMap> values;
  if (!parts[2].empty()) {
    values = fuzz::parseItemText(parts[2]);
    if (!values) return 0;
  }
  model::Item item;
  if (!parts[3].empty()) {
    auto parsed = fuzz::parseItemText(parts[3]);
    if (!parsed) return 0;
    item = std::move(*parsed);
  }

  expr::ExpressionCache cache(4);
  expr::RequestExpressions rx(names ? &*names : nullptr, values ? &*values : nullptr, &cache);
  if (!rx.checkNotEmpty().ok()) return 0;
  auto upd = rx.update(parts[0]);
  if (!upd.ok()) {
    fuzz::requireUtf8("update validation message is not UTF-8", upd.status().message());
    return 0;
  }

  model::Item result = item;
  Status st = upd->apply(result);
  if (!st.ok()) {
    fuzz::require(st.code() == StatusCode::kInvalidArgument, "update failed with an unexpected code", st.toString());
    fuzz::requireUtf8("update error message is not UTF-8", st.message());
    fuzz::require(result == item, "a refused update changed the item", st.message());
    return 0;
  }

  std::string why = fuzz::itemInvariantViolation(result);
  fuzz::require(why.empty(), "updated item breaks an AttributeValue invariant", why);
  const std::string json = fuzz::itemJson(result);
  fuzz::requireJson("updated item writes invalid JSON", json);

  if (model::exceedsNestingDepth(result) || model::itemSize(result) > model::kMaxItemSize) return 0;
  std::string bytes;
  model::encodeItem(bytes, result);
  auto decoded = model::decodeItem(bytes);
  fuzz::require(decoded.ok(), "a storable updated item does not decode", json + " -> " + decoded.status().message());
  fuzz::require(*decoded == result, "storage round trip changed the updated item", json);

  fuzz::JsonDoc doc;
  fuzz::require(doc.parse(json), "updated item JSON does not parse", json);
  auto reparsed = model::parseItem(doc.root());
  fuzz::require(reparsed.ok(), "updated item is refused when sent back",
                json + " -> " + reparsed.status().message());
  fuzz::require(*reparsed == result, "JSON round trip changed the updated item", json);
  return 0;
}

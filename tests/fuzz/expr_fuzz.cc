// Fuzz target: the expression language (src/expr) the way the api layer
// drives it: RequestExpressions parses, resolves and validates one
// expression against fuzzed ExpressionAttributeNames/Values, then the result
// is evaluated against a fuzzed item.
//
// Input, five lines (fuzz_util.h splitLines):
//   1. kind: its first letter, C(ondition) F(ilter) U(pdate) P(rojection)
//      K(ey condition); anything else is a condition
//   2. the expression text
//   3. ExpressionAttributeNames as a JSON object of strings, or empty (absent)
//   4. ExpressionAttributeValues as DynamoDB JSON, or empty (absent)
//   5. the item as DynamoDB JSON, or empty (no item)
// Inputs the api layer would refuse before reaching src/expr (invalid UTF-8,
// names or values that are not JSON objects of the right shape) are skipped.
// Invariants: nothing crashes; every error is kInvalidArgument with a valid
// UTF-8 message; evaluation never fails; a projection of a valid item is a
// valid item that writes as valid JSON; an update keeps the AttributeValue
// invariants (update_fuzz.cc checks updates in depth).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "expr/expression.h"
#include "fuzz/fuzz_util.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

namespace {

void requireError(const Status& st) {
  fuzz::require(st.code() == StatusCode::kInvalidArgument, "expression error with an unexpected code", st.toString());
  fuzz::requireUtf8("expression error message is not UTF-8", st.message());
}

void checkItem(std::string_view what, const model::Item& item) {
  std::string why = fuzz::itemInvariantViolation(item);
  fuzz::require(why.empty(), what, why);
  fuzz::requireJson(what, fuzz::itemJson(item));
}

// Runs one request's expression of `kind`; returns false if it was refused.
bool run(char kind, std::string_view text, expr::RequestExpressions& rx, const model::Item* item) {
  switch (kind) {
    case 'U': {
      auto upd = rx.update(text);
      if (!upd.ok()) return requireError(upd.status()), false;
      model::Item work = item ? *item : model::Item{};
      Status st = upd->apply(work);
      if (!st.ok()) return requireError(st), true;
      checkItem("updated item breaks an invariant", work);
      checkItem("UPDATED_NEW projection", expr::projectPaths(work, upd->targets()));
      if (item) checkItem("UPDATED_OLD projection", expr::projectPaths(*item, upd->targets()));
      (void)upd->topLevelTargets();
      (void)upd->removesOnly();
      return true;
    }
    case 'P': {
      auto proj = rx.projection(text);
      if (!proj.ok()) return requireError(proj.status()), false;
      if (item) checkItem("projected item", proj->apply(*item));
      (void)proj->topLevelNames();
      return true;
    }
    case 'K': {
      auto kc = rx.keyCondition(text);
      if (!kc.ok()) return requireError(kc.status()), false;
      // The schema the seeds use (pk:S, sk:N), then hash-only with pk:N.
      expr::KeySchemaView both{"pk", model::AttrType::kS, std::string_view("sk"), model::AttrType::kN};
      expr::KeyCondition copy = *kc;
      Status st = copy.validateSchema(both);
      if (!st.ok()) requireError(st);
      expr::KeySchemaView hash_only{"pk", model::AttrType::kN, std::nullopt, std::nullopt};
      st = kc->validateSchema(hash_only);
      if (!st.ok()) requireError(st);
      return true;
    }
    default: {
      auto cond = rx.condition(text, kind == 'F' ? expr::ExprKind::kFilter : expr::ExprKind::kCondition);
      if (!cond.ok()) return requireError(cond.status()), false;
      (void)cond->evaluate(item);
      (void)cond->evaluate(nullptr);
      return true;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = fuzz::splitLines(data, size, 5);
  for (auto p : parts)
    if (!fuzz::isUtf8(p)) return 0;  // the request's JSON would have been refused
  const char kind = parts[0].empty() ? 'C' : parts[0][0];

  std::optional<expr::NameMap> names;
  if (!parts[2].empty()) {
    fuzz::JsonDoc doc;
    if (!doc.parse(parts[2]) || !doc.root().is_object()) return 0;
    names.emplace();
    for (auto [k, v] : doc.root().get_object()) {
      if (!v.is_string()) return 0;
      (*names)[std::string(k)] = std::string(v.get_string().value_unsafe());
    }
  }
  std::optional<model::AttributeMap> values;
  if (!parts[3].empty()) {
    values = fuzz::parseItemText(parts[3]);
    if (!values) return 0;
  }
  std::optional<model::Item> item;
  if (!parts[4].empty()) {
    item = fuzz::parseItemText(parts[4]);
    if (!item) return 0;
  }

  // A private cache: the global one would carry state from input to input.
  expr::ExpressionCache cache(16);
  expr::RequestExpressions rx(names ? &*names : nullptr, values ? &*values : nullptr, &cache);
  Status st = rx.checkNotEmpty();
  if (!st.ok()) return requireError(st), 0;
  if (!run(kind, parts[1], rx, item ? &*item : nullptr)) return 0;
  st = rx.checkUnused();
  if (!st.ok()) requireError(st);
  // The same text again hits the cache and must resolve the same way.
  expr::RequestExpressions rx2(names ? &*names : nullptr, values ? &*values : nullptr, &cache);
  fuzz::require(run(kind, parts[1], rx2, item ? &*item : nullptr), "a cached expression was refused");
  return 0;
}

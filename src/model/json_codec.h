// DynamoDB JSON <-> AttributeValue.
//
// Parsing validates as DynamoDB does and returns kInvalidArgument whose
// message is DynamoDB's ValidationException text (the api layer throws it as
// a ValidationException unchanged), or kSerialization when the JSON shape is
// wrong for the protocol (e.g. {"S": 5}, bad base64), which the api layer
// throws as SerializationException. Examples of DynamoDB's texts:
//   "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
//   "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
//   "One or more parameter values were invalid: An string set  may not be empty"
//   "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
//   "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."
//   "Input collection contains duplicates"  (NS; numbers are compared by value)
//   numbers: see number.h / decimal.h
// Nesting deeper than 32 levels is rejected (the attribute itself is level 1,
// so a leaf at level 33 fails; see kNestingTooDeep).
//
// Order of checks, as DynamoDB's: the whole input is first checked for JSON
// shape (SerializationException: Coral deserializes the request before any
// validation), then each AttributeValue is validated in JSON member order:
// numbers, NULL == true, empty sets, set members, duplicates, nested values;
// only then "more than one datatypes". Unknown type keys ({"X": "a"}) and
// members whose value is JSON null are ignored, as Coral's deserializer does,
// so {"X": "a"} is "Supplied AttributeValue is empty...".
// Sources (dynalite's and dynamodb-conformance's captures of real DynamoDB)
// and every exact text: tests/unit/model/json_codec_test.cc.
// Thread safety: pure functions.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string_view>

#include "common/json_writer.h"
#include "common/status.h"
#include "model/attribute_value.h"
#include "model/item_size.h"  // kMaxNestingDepth, kNestingTooDeep

namespace fdyno::model {


// Attribute name limits (AWS "Service, account, and table quotas": names are
// 1..64 KB; the API model's AttributeName has max 65535, and DynamoDB accepts
// exactly 65535 bytes and refuses 65536, Alternator test_limits.py).
// Key attribute names (KeySchema, AttributeDefinitions, index projections'
// NonKeyAttributes) are 1..255: the api layer checks those as constraints.
inline constexpr size_t kMaxAttributeNameBytes = 65535;
inline constexpr size_t kMaxKeyAttributeNameBytes = 255;
// DynamoDB's text for a name over the limit, wherever the name comes from
// (Item, Key, nested map keys, AttributeUpdates, AttributesToGet,
// ExpressionAttributeNames values). Captured from the service (ExtendDB
// issue #365, measured 2026-09-16); the number says "less than 65536".
inline constexpr std::string_view kAttributeNameTooLarge =
    "1 validation error detected: Attribute name is too large, must be less than 65536 bytes";
// An empty top-level attribute name. DynamoDB's base text, as it appears in
// "ExpressionAttributeNames contains invalid value: Empty attribute name for
// key #n" (captured); used bare elsewhere (best inference: DynamoDB Local's
// EMPTY_ATTRIBUTE_NAME error code has exactly this text).
inline constexpr std::string_view kEmptyAttributeName = "Empty attribute name";

// kInvalidArgument with kAttributeNameTooLarge if `name` is over 65535 bytes.
Status checkAttributeNameSize(std::string_view name);
// Size first, then kEmptyAttributeName if `name` is empty.
Status checkAttributeName(std::string_view name);

struct ParseOptions {
  // DynamoDB does not check the depth of TransactWriteItems' expression
  // values; everything else does.
  bool check_depth = true;
};

// `v` must be a JSON object such as {"S": "x"}.
Result<AttributeValue> parseAttributeValue(simdjson::dom::element v);
Result<AttributeValue> parseAttributeValue(simdjson::dom::element v, const ParseOptions& opts);
// `v` must be a JSON object mapping attribute names to AttributeValues.
// Names: every top-level name's size is checked first (DynamoDB's outer
// "1 validation error detected" layer), then, attribute by attribute, an
// empty name before its value. Nested map keys are size-checked while their
// values are parsed (also by parseAttributeValue); empty nested keys are kept.
Result<Item> parseItem(simdjson::dom::element v);
Result<Item> parseItem(simdjson::dom::element v, const ParseOptions& opts);

// The serialization stage alone (kSerialization or OK). parse* run it first
// on their own input; the api layer may run it over every AttributeValue of a
// request before validating any of them, which is DynamoDB's order.
Status checkAttributeValueShape(simdjson::dom::element v);
// `v` in the position of a Map<String, AttributeValue> (Item, Key, ...).
Status checkItemShape(simdjson::dom::element v);

// Coral's reading of a JSON value as a Boolean: true/false, or the strings
// "true"/"false"/"1"/"0"/"yes"/"no" in any case; nullopt otherwise.
std::optional<bool> coerceBoolean(simdjson::dom::element e);

void writeAttributeValue(JsonWriter& w, const AttributeValue& v);
// Writes {"name": {...}, ...}.
void writeItem(JsonWriter& w, const Item& item);

}  // namespace fdyno::model

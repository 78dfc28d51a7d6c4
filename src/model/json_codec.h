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
//   numbers: see number.h
// Nesting deeper than 32 levels is rejected.
// Thread safety: pure functions.
#pragma once

#include <simdjson.h>

#include "common/json_writer.h"
#include "common/status.h"
#include "model/attribute_value.h"

namespace fdyno::model {

// `v` must be a JSON object such as {"S": "x"}.
Result<AttributeValue> parseAttributeValue(simdjson::dom::element v);
// `v` must be a JSON object mapping attribute names to AttributeValues.
Result<Item> parseItem(simdjson::dom::element v);

void writeAttributeValue(JsonWriter& w, const AttributeValue& v);
// Writes {"name": {...}, ...}.
void writeItem(JsonWriter& w, const Item& item);

}  // namespace fdyno::model

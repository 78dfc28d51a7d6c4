// Order-preserving binary encoding of key values (see docs/storage-format.md).
//
// Rule: for two key values a, b of the same type T in {S, N, B},
// memcmp-order(encode(a), encode(b)) equals DynamoDB's order of a and b
// (S: UTF-8 bytes unsigned; N: numeric; B: unsigned bytes). Encodings are
// self-delimiting, so a partition key encoding followed by a sort key
// encoding orders by (partition, sort).
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/attribute_value.h"

namespace fdyno::model {

// Appends the encoding of `v` (type S, N or B) to `out`.
void encodeKeyValue(std::string& out, const AttributeValue& v);
// Decodes one value of type `t` from the front of `in`, advancing it.
Result<AttributeValue> decodeKeyValue(std::string_view& in, AttrType t);

}  // namespace fdyno::model

// Item size by DynamoDB's rules (used for the 400 KB item limit, the 1 MB page
// limit and capacity units). Thread safety: pure functions.
//
// DynamoDB's rules: a name counts its UTF-8 bytes; S counts UTF-8 bytes; B
// counts raw bytes; N counts roughly 1 byte per two significant digits plus 1;
// BOOL and NULL count 1; L and M count 3 bytes of overhead plus 1 per element
// plus their contents; sets count the sum of their members.
#pragma once

#include <cstddef>

#include "model/attribute_value.h"

namespace fdyno::model {

inline constexpr size_t kMaxItemSize = 400 * 1024;

size_t attributeValueSize(const AttributeValue& v);
// Sum over attributes of name bytes + value size.
size_t itemSize(const Item& item);

}  // namespace fdyno::model

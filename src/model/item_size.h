// Item size by DynamoDB's rules (used for the 400 KB item limit, the 1 MB page
// limit and capacity units). Thread safety: pure functions.
//
// DynamoDB's rules (developer guide, "Item sizes and formats"): a name counts
// its UTF-8 bytes; S counts UTF-8 bytes; B counts raw bytes; N counts 1 byte
// per base-100 digit pair plus 1 (plus 1 if negative; see numberSize); BOOL and
// NULL count 1; L and M count 3 bytes of overhead plus 1 per element plus their
// contents (a map element includes its name); sets count the sum of their
// members. DynamoDB's limit check is size > kMaxItemSize (409,600 is accepted).
#pragma once

#include <cstddef>
#include <string_view>

#include "model/attribute_value.h"

namespace fdyno::model {

inline constexpr size_t kMaxItemSize = 400 * 1024;

size_t attributeValueSize(const AttributeValue& v);
// Size of one normalized number text, e.g. "3.14159" -> 5, "-42" -> 3.
size_t numberSize(std::string_view normalized);
// Sum over attributes of name bytes + value size.
size_t itemSize(const Item& item);

// DynamoDB's nesting limit (developer guide, "Supported data types": nested
// attributes up to 32 levels deep). The attribute itself is level 1 and a
// value inside a map or list is one level deeper than its container, so a
// leaf at level 32 is accepted and one at level 33 refused, with this text
// (recorded from the service by dynamodb-conformance, PutItem, BatchWriteItem
// and TransactWriteItems alike).
inline constexpr int kMaxNestingDepth = 32;
inline constexpr std::string_view kNestingTooDeep =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
    "supported limit";

// True if some value of `item` lies deeper than kMaxNestingDepth. Every item
// about to be stored must pass (the item codec refuses to decode much deeper
// items, and values built by UpdateItem or list_append can exceed the depth
// of any request value). Stops descending at the limit, so its own recursion
// is bounded whatever the item.
bool exceedsNestingDepth(const Item& item);

}  // namespace fdyno::model

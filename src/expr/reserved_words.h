// DynamoDB's reserved words (AWS developer guide, "Reserved words in DynamoDB").
// Thread safety: pure functions over constant data.
#pragma once

#include <cstddef>
#include <string_view>

namespace fdyno::expr {

// True if `word` is reserved, compared case-insensitively ("Status" is).
bool isReservedWord(std::string_view word);
size_t reservedWordCount();

}  // namespace fdyno::expr

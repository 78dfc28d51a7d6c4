// Compact binary encoding of whole items for storage (see docs/storage-format.md).
// Stable on disk: a format version byte leads every encoded item.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "model/attribute_value.h"

namespace fdyno::model {

void encodeItem(std::string& out, const Item& item);
// kCorruption if the bytes do not decode.
Result<Item> decodeItem(std::string_view bytes);

}  // namespace fdyno::model

#include "engine/stored_item.h"

#include "model/item_codec.h"

namespace fdyno::engine {

namespace {
constexpr size_t kHeaderSize = 4;
}

void encodeStoredItem(std::string& out, const model::Item& item, size_t item_size) {
  uint32_t s = static_cast<uint32_t>(item_size);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((s >> (8 * i)) & 0xff));
  model::encodeItem(out, item);
}

Status readStoredItemSize(std::string_view value, size_t* size) {
  if (value.size() < kHeaderSize) return Status::Corruption("stored item: truncated header");
  uint32_t s = 0;
  for (int i = 0; i < 4; ++i) s |= static_cast<uint32_t>(static_cast<uint8_t>(value[i])) << (8 * i);
  *size = s;
  return Status::OK();
}

Result<model::Item> decodeStoredItem(std::string_view value) {
  if (value.size() < kHeaderSize) return Status::Corruption("stored item: truncated header");
  return model::decodeItem(value.substr(kHeaderSize));
}

size_t StoredItem::size() const {
  size_t s = 0;
  if (raw_ && readStoredItemSize(*raw_, &s).ok()) return s;
  return 0;
}

Result<const model::Item*> StoredItem::item() {
  if (!raw_) return static_cast<const model::Item*>(nullptr);
  if (!decoded_) {
    FDYNO_ASSIGN_OR_RETURN(auto it, decodeStoredItem(*raw_));
    decoded_ = std::move(it);
  }
  return static_cast<const model::Item*>(&*decoded_);
}

}  // namespace fdyno::engine

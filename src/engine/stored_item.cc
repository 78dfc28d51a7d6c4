#include "engine/stored_item.h"

#include <chrono>
#include <string>

#include "common/counters.h"
#include "common/log.h"
#include "model/item_codec.h"

namespace fdyno::engine {

namespace {
constexpr size_t kHeaderSize = 4;

void report(std::string_view where, const Status& cause) {
  counters::add(counters::Counter::kUndecodableItems);
  // One warning a second at most: a damaged table scanned in a loop must
  // not flood the log. The counter has the exact number.
  static log::RateLimit limit(std::chrono::seconds(1));
  uint64_t suppressed = 0;
  if (!limit.admit(&suppressed)) return;
  log::warn("engine: " + std::string(where) + ": a stored item does not decode (" + cause.toString() +
            "); skipped or refused, see fdyno_undecodable_items_total" +
            (suppressed ? " (" + std::to_string(suppressed) + " similar lines suppressed)" : ""));
}

}  // namespace

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

bool decodeStoredItemOrSkip(std::string_view value, std::string_view where, model::Item* item, size_t* size) {
  Status st = readStoredItemSize(value, size);
  if (st.ok()) {
    auto r = model::decodeItem(value.substr(kHeaderSize));
    if (r.ok()) {
      *item = std::move(r).value();
      return true;
    }
    st = r.status();
  }
  report(where, st);
  return false;
}

Status reportUndecodableItem(std::string_view where, const Status& cause) {
  report(where, cause);
  return Status::Corruption("stored item does not decode: " + cause.message());
}

size_t StoredItem::size() const {
  size_t s = 0;
  if (raw_ && readStoredItemSize(*raw_, &s).ok()) return s;
  return 0;
}

Result<const model::Item*> StoredItem::item() {
  if (!raw_) return static_cast<const model::Item*>(nullptr);
  if (!decoded_) {
    auto it = decodeStoredItem(*raw_);
    if (!it.ok()) return reportUndecodableItem("write", it.status());
    decoded_ = std::move(it).value();
  }
  return static_cast<const model::Item*>(&*decoded_);
}

}  // namespace fdyno::engine

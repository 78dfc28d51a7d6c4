// StoredItem: the value stored under an item key, and a lazily decoded view
// of it used by the write path.
//
// Stored value layout (docs/storage-layout.md):
//   u32 LE  item size by DynamoDB's rules (model/item_size.h)
//   bytes   model/item_codec.h encoding of the item
// Keeping the size in front lets writes maintain TableSizeBytes and compute
// capacity units without decoding the old item.
//
// Thread safety: a StoredItem belongs to one transaction attempt (one thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "model/attribute_value.h"

namespace fdyno::engine {

void encodeStoredItem(std::string& out, const model::Item& item, size_t item_size);
// kCorruption if `value` is shorter than its header.
[[nodiscard]] Status readStoredItemSize(std::string_view value, size_t* size);
[[nodiscard]] Result<model::Item> decodeStoredItem(std::string_view value);

// Stored bytes that do not decode (damaged storage, or an item written before
// every write path enforced DynamoDB's nesting limit) must never stop a read
// that serves many items, nor a background job, and are never silently
// ignored either:
// - decodeStoredItemOrSkip() is for reads of many items (Query, Scan,
//   BatchGetItem, index backfill, restore, TTL sweeps): on failure it reports
//   the item and returns false, and the caller skips it and goes on.
// - reportUndecodableItem() is for reads of one item (GetItem, a write's old
//   item): it reports and returns kCorruption, which the api layer answers
//   with InternalServerError.
// Reporting = counters::kUndecodableItems (GET /metrics) plus a warning in
// the log (at most one a second; `where` names the read, e.g. "Scan").
[[nodiscard]] bool decodeStoredItemOrSkip(std::string_view value, std::string_view where, model::Item* item,
                                          size_t* size);
[[nodiscard]] Status reportUndecodableItem(std::string_view where, const Status& cause);

class StoredItem {
 public:
  StoredItem() = default;
  explicit StoredItem(std::optional<std::string> raw) : raw_(std::move(raw)) {}

  bool exists() const { return raw_.has_value(); }
  // DynamoDB size of the item; 0 when absent.
  size_t size() const;
  // The decoded item (decoded on first call); nullptr when absent.
  // kCorruption (reported, see reportUndecodableItem) if it does not decode.
  [[nodiscard]] Result<const model::Item*> item();
  // Moves the decoded item out (after item() succeeded), else nullopt. A
  // later item() decodes the stored bytes again (the write step needs the
  // old item for index maintenance after UpdateItem took it).
  std::optional<model::Item> takeDecoded() {
    std::optional<model::Item> out = std::move(decoded_);
    decoded_.reset();
    return out;
  }

 private:
  std::optional<std::string> raw_;
  std::optional<model::Item> decoded_;
};

}  // namespace fdyno::engine

// Fuzz target: the storage decoder (model/item_codec.h) on arbitrary bytes.
//
// Stored bytes come from our own encoder, but a damaged file or a format bug
// must surface as kCorruption, never as a crash or an unbounded allocation.
// Invariants:
// - decodeItem never crashes; a refusal is kCorruption;
// - whatever it accepts re-encodes to bytes that decode to an equal item,
//   and encoding is deterministic (encode(decode(encode(x))) == encode(x));
// - itemSize and exceedsNestingDepth accept every decoded item.
// Seeds (tests/fuzz/corpus/item_codec) are encodings of real items, so the
// fuzzer starts from valid format-1 bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.h"
#include "model/item_codec.h"
#include "model/item_size.h"

using namespace fdyno;  // NOLINT: a fuzz target is one function

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto item = model::decodeItem(bytes);
  if (!item.ok()) {
    fuzz::require(item.status().code() == StatusCode::kCorruption, "decodeItem failed with a code other than kCorruption",
                  item.status().toString());
    return 0;
  }
  (void)model::itemSize(*item);
  (void)model::exceedsNestingDepth(*item);
  std::string encoded;
  model::encodeItem(encoded, *item);
  auto again = model::decodeItem(encoded);
  fuzz::require(again.ok(), "re-encoded item does not decode", again.status().toString());
  fuzz::require(*again == *item, "decode(encode(item)) != item");
  std::string encoded2;
  model::encodeItem(encoded2, *again);
  fuzz::require(encoded2 == encoded, "encoding is not deterministic");
  return 0;
}

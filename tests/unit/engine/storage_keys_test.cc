// One test per rule of docs/storage-layout.md.
#include "engine/storage_keys.h"

#include <gtest/gtest.h>

#include "engine/catalog.h"
#include "engine/stored_item.h"
#include "model/attribute_value.h"
#include "model/key_codec.h"

namespace fdyno::engine::keys {
namespace {

TEST(StorageLayout, TableNameKeyIsSystemSpaceNPlusName) {
  EXPECT_EQ(tableNameKey("abc"), std::string("\x01nabc", 5));
  EXPECT_EQ(tableNameFromKey(tableNameKey("my.table-1")), "my.table-1");
}

TEST(StorageLayout, TableNamesRangeHoldsEveryNameKeyAndNothingElse) {
  for (const std::string& name : {std::string("aaa"), std::string("zzz"), std::string(255, 'z'), std::string("___")}) {
    std::string k = tableNameKey(name);
    EXPECT_GE(k, tableNamesBegin());
    EXPECT_LT(k, tableNamesEnd());
  }
  EXPECT_FALSE(tableMetaKey(1) >= tableNamesBegin() && tableMetaKey(1) < tableNamesEnd());
  EXPECT_FALSE(nextTableIdKey() >= tableNamesBegin() && nextTableIdKey() < tableNamesEnd());
}

TEST(StorageLayout, TableNamesOrderLikeListTables) {
  EXPECT_LT(tableNameKey("Abc"), tableNameKey("abc"));
  EXPECT_LT(tableNameKey("abc"), tableNameKey("abc-"));
  EXPECT_LT(tableNameKey("abc"), tableNameKey("abd"));
}

TEST(StorageLayout, TableHandleIsIdAndGenerationBigEndian) {
  std::string h = encodeTableHandle(0x0102030405060708ULL, 9);
  ASSERT_EQ(h.size(), 16u);
  EXPECT_EQ(h[0], '\x01');
  EXPECT_EQ(h[7], '\x08');
  EXPECT_EQ(h[15], '\x09');
  uint64_t id = 0, gen = 0;
  ASSERT_TRUE(decodeTableHandle(h, &id, &gen));
  EXPECT_EQ(id, 0x0102030405060708ULL);
  EXPECT_EQ(gen, 9u);
  EXPECT_FALSE(decodeTableHandle("short", &id, &gen));
}

TEST(StorageLayout, MetaKeyIsSystemSpaceMPlusId) {
  EXPECT_EQ(tableMetaKey(1), std::string("\x01m\0\0\0\0\0\0\0\x01", 10));
}

TEST(StorageLayout, EverythingOfATableLiesInItsRange) {
  const uint64_t id = 42;
  std::string b = tableBegin(id), e = tableEnd(id);
  for (const std::string& k : {itemsBegin(id), indexPrefix(id, 0), indexPrefix(id, 65535), streamPrefix(id),
                               itemCountKey(id), sizeBytesKey(id)}) {
    EXPECT_GE(k, b);
    EXPECT_LT(k, e);
  }
  std::string item = itemsBegin(id);
  model::encodeKeyValue(item, model::AttributeValue::S(std::string(2048, '\xff')));
  EXPECT_LT(item, itemsEnd(id));
  EXPECT_LT(item, e);
}

TEST(StorageLayout, TablesDoNotOverlap) {
  EXPECT_EQ(tableEnd(7), tableBegin(8));
  EXPECT_LT(sizeBytesKey(7), tableBegin(8));
  EXPECT_GT(itemsBegin(8), tableEnd(7));
}

TEST(StorageLayout, ItemsSortBeforeIndexesStreamsAndCounters) {
  EXPECT_LT(itemsEnd(3), indexPrefix(3, 0));
  EXPECT_LT(indexPrefix(3, 65535), streamPrefix(3));
  EXPECT_LT(streamPrefix(3), itemCountKey(3));
  EXPECT_LT(itemCountKey(3), sizeBytesKey(3));
}

TEST(StorageLayout, ItemKeysOrderByPartitionThenSortKey) {
  auto key = [](const char* p, const char* c) {
    std::string k = itemsBegin(5);
    model::encodeKeyValue(k, model::AttributeValue::S(p));
    model::encodeKeyValue(k, model::AttributeValue::N(c));
    return k;
  };
  EXPECT_LT(key("a", "9"), key("a", "10"));
  EXPECT_LT(key("a", "-5"), key("a", "2"));
  EXPECT_LT(key("a", "99"), key("ab", "-99"));  // self-delimiting partition key
}

TEST(StorageLayout, NoKeyStartsWithFF) {
  for (const std::string& k : {tableNameKey("x"), tableMetaKey(UINT64_MAX - 1), nextTableIdKey(),
                               tableEnd(UINT64_MAX - 1), sizeBytesKey(1)}) {
    ASSERT_FALSE(k.empty());
    EXPECT_NE(static_cast<unsigned char>(k[0]), 0xFF);
  }
}

TEST(StorageLayout, StoredItemValueStartsWithItsSize) {
  model::Item it{{"p", model::AttributeValue::S("abc")}};
  std::string v;
  encodeStoredItem(v, it, 300);
  size_t size = 0;
  ASSERT_TRUE(readStoredItemSize(v, &size).ok());
  EXPECT_EQ(size, 300u);
  EXPECT_EQ(v.substr(0, 4), std::string("\x2c\x01\0\0", 4));  // u32 little-endian
  auto decoded = decodeStoredItem(v);
  ASSERT_TRUE(decoded.ok()) << decoded.status().toString();
  EXPECT_EQ(*decoded, it);
  EXPECT_EQ(readStoredItemSize("ab", &size).code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace fdyno::engine::keys

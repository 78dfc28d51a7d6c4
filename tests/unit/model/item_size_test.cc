// Item sizes. Number sizes: the 23 values dynamodb-conformance measured
// byte-exactly against DynamoDB's 400 KB gate (src/item-size.ts,
// CAPTURED_NUMBER_BYTES). Other rules: the developer guide's "Item sizes and
// formats" page.
#include "model/item_size.h"

#include <gtest/gtest.h>

#include "model/number.h"

namespace fdyno::model {
namespace {

size_t sizeOfLiteral(std::string_view literal) {
  auto n = normalizeNumber(literal);
  EXPECT_TRUE(n.ok()) << literal;
  return numberSize(*n);
}

TEST(ItemSizeTest, CapturedNumberSizes) {
  const std::pair<const char*, size_t> captured[] = {
      {"0", 1},        {"1", 2},      {"12", 2},     {"123", 3},
      {"1234", 3},     {"12345678901234567890123456789012345678", 20},
      {"0042", 2},     {"100", 2},    {"1010", 3},   {"0.0000001", 2},
      {"1E125", 2},    {"1E-100", 2}, {"1.5", 3},    {"15", 2},
      {"1.2", 3},      {"1.200", 3},  {"1.234", 4},  {"3.14159", 5},
      {"123456", 4},   {"100.5", 4},  {"0.15", 2},   {"-42", 3},
      {"-0", 1},
  };
  for (auto [lit, bytes] : captured) EXPECT_EQ(sizeOfLiteral(lit), bytes) << lit;
}

TEST(ItemSizeTest, NegativeCostsOneMoreExceptZero) {
  for (const char* lit : {"42", "12345", "1E125", "0.15"}) {
    EXPECT_EQ(sizeOfLiteral(std::string("-") + lit), sizeOfLiteral(lit) + 1) << lit;
  }
}

TEST(ItemSizeTest, BaseHundredDigitModel) {
  // Pairs are aligned on the decimal point (derived rule; see the doc).
  EXPECT_EQ(numberSize("1000"), 2u);     // 10|00
  EXPECT_EQ(numberSize("10000"), 2u);    // 01|00|00
  EXPECT_EQ(numberSize("11000"), 3u);    // 01|10|00
  EXPECT_EQ(numberSize("0.01"), 2u);     // .01
  EXPECT_EQ(numberSize("0.001"), 2u);    // .00|10
  EXPECT_EQ(numberSize("10.01"), 3u);    // 10|.01
  EXPECT_EQ(numberSize("99999999999999999999999999999999999999" + std::string(88, '0')), 20u);
}

TEST(ItemSizeTest, ScalarSizes) {
  EXPECT_EQ(attributeValueSize(AttributeValue::S("abc")), 3u);
  EXPECT_EQ(attributeValueSize(AttributeValue::S("")), 0u);
  EXPECT_EQ(attributeValueSize(AttributeValue::S("\xc2\xa3")), 2u);  // "£": UTF-8 bytes
  EXPECT_EQ(attributeValueSize(AttributeValue::B(std::string(17, '\0'))), 17u);  // raw, not base64
  EXPECT_EQ(attributeValueSize(AttributeValue::N("3.14159")), 5u);
  EXPECT_EQ(attributeValueSize(AttributeValue::Bool(false)), 1u);
  EXPECT_EQ(attributeValueSize(AttributeValue::Null()), 1u);
}

TEST(ItemSizeTest, SetsSumTheirMembers) {
  AttributeValue ss;
  ss.type = AttrType::kSS;
  ss.set = {"ab", "cde", ""};
  EXPECT_EQ(attributeValueSize(ss), 5u);
  AttributeValue ns;
  ns.type = AttrType::kNS;
  ns.set = {"1", "-42", "3.14159"};
  EXPECT_EQ(attributeValueSize(ns), 2u + 3u + 5u);
  AttributeValue bs;
  bs.type = AttrType::kBS;
  bs.set = {std::string(4, 'x'), std::string(1, '\0')};
  EXPECT_EQ(attributeValueSize(bs), 5u);
}

TEST(ItemSizeTest, DocumentsCostThreePlusOnePerElement) {
  AttributeValue empty_list;
  empty_list.type = AttrType::kL;
  EXPECT_EQ(attributeValueSize(empty_list), 3u);
  AttributeValue empty_map;
  empty_map.type = AttrType::kM;
  EXPECT_EQ(attributeValueSize(empty_map), 3u);

  AttributeValue l;
  l.type = AttrType::kL;
  l.list = {AttributeValue::S("abc"), AttributeValue::N("12"), AttributeValue::Null()};
  EXPECT_EQ(attributeValueSize(l), 3u + (1 + 3) + (1 + 2) + (1 + 1));

  AttributeValue m;
  m.type = AttrType::kM;
  m.map["name"] = AttributeValue::S("Joe");  // 1 + 4 + 3
  m.map["tags"] = l;                          // 1 + 4 + 12
  EXPECT_EQ(attributeValueSize(m), 3u + 8u + 17u);
}

TEST(ItemSizeTest, ItemsCountNamesAndValues) {
  Item item;
  item["pk"] = AttributeValue::S("k");
  EXPECT_EQ(itemSize(item), 3u);
  item["n"] = AttributeValue::N("42");
  EXPECT_EQ(itemSize(item), 3u + 1u + 2u);
  Item pound;
  pound["\xc2\xa3"] = AttributeValue::S("");
  EXPECT_EQ(itemSize(pound), 2u);
  EXPECT_EQ(itemSize(Item{}), 0u);
}

TEST(ItemSizeTest, LimitIsFourHundredKibibytes) {
  EXPECT_EQ(kMaxItemSize, 409600u);
  Item item;
  item["pk"] = AttributeValue::S("k");
  item["p"] = AttributeValue::S(std::string(kMaxItemSize - 3 - 1, 'x'));
  EXPECT_EQ(itemSize(item), kMaxItemSize);  // exactly at the limit: accepted by DynamoDB
}

// `wraps` single-member maps (or lists) around a string leaf: 31 wraps put
// the leaf at level 32, the deepest DynamoDB stores.
AttributeValue wrapped(int wraps, bool list) {
  AttributeValue v = AttributeValue::S("leaf");
  for (int i = 0; i < wraps; ++i) {
    AttributeValue outer;
    outer.type = list ? AttrType::kL : AttrType::kM;
    if (list) {
      outer.list.push_back(std::move(v));
    } else {
      outer.map["n"] = std::move(v);
    }
    v = std::move(outer);
  }
  return v;
}

TEST(ItemSizeTest, NestingLimitIsThirtyTwoLevels) {
  for (bool list : {false, true}) {
    Item ok{{"pk", AttributeValue::S("k")}, {"a", wrapped(31, list)}};
    EXPECT_FALSE(exceedsNestingDepth(ok)) << list;
    Item deep{{"pk", AttributeValue::S("k")}, {"a", wrapped(32, list)}};
    EXPECT_TRUE(exceedsNestingDepth(deep)) << list;
  }
  // Far deeper than the limit (as an update could build before the fix):
  // detected without walking to the bottom.
  Item very_deep{{"a", wrapped(2000, false)}};
  EXPECT_TRUE(exceedsNestingDepth(very_deep));
  // An empty map at level 32 is fine; one member below it is not.
  AttributeValue empty_map;
  empty_map.type = AttrType::kM;
  Item edge{{"a", wrapped(31, false)}};
  AttributeValue* v = &edge["a"];
  for (int i = 0; i < 31; ++i) v = &v->map["n"];
  *v = empty_map;  // the map itself at level 32
  EXPECT_FALSE(exceedsNestingDepth(edge));
  v->map["x"] = AttributeValue::Null();  // level 33
  EXPECT_TRUE(exceedsNestingDepth(edge));
  EXPECT_FALSE(exceedsNestingDepth(Item{}));
}

}  // namespace
}  // namespace fdyno::model

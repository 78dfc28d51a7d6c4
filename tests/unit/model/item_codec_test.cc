// Item encoding: round trips for every type, nesting, exact bytes of the
// format (docs/storage-format.md "Item encoding"), corruption detection.
#include "model/item_codec.h"

#include <gtest/gtest.h>

#include <random>

namespace fdyno::model {
namespace {

AttributeValue setOf(AttrType t, std::vector<std::string> m) {
  AttributeValue v;
  v.type = t;
  v.set = std::move(m);
  return v;
}

AttributeValue listOf(std::vector<AttributeValue> l) {
  AttributeValue v;
  v.type = AttrType::kL;
  v.list = std::move(l);
  return v;
}

AttributeValue mapOf(AttributeMap m) {
  AttributeValue v;
  v.type = AttrType::kM;
  v.map = std::move(m);
  return v;
}

std::string encode(const Item& item) {
  std::string s;
  encodeItem(s, item);
  return s;
}

Item everyType() {
  Item item;
  item["s"] = AttributeValue::S("hello");
  item["s_empty"] = AttributeValue::S("");
  item["n"] = AttributeValue::N("-123.456");
  item["b"] = AttributeValue::B(std::string("\x00\xff\x80", 3));
  item["ss"] = setOf(AttrType::kSS, {"a", "", "c"});
  item["ns"] = setOf(AttrType::kNS, {"1", "0.5", "-7"});
  item["bs"] = setOf(AttrType::kBS, {std::string("\0", 1), "xyz"});
  item["null"] = AttributeValue::Null();
  item["t"] = AttributeValue::Bool(true);
  item["f"] = AttributeValue::Bool(false);
  item["l"] = listOf({AttributeValue::S("x"), AttributeValue::N("1"), listOf({}), mapOf({})});
  item["m"] = mapOf({{"inner", mapOf({{"deep", listOf({AttributeValue::Bool(false)})}})},
                     {"", AttributeValue::S("empty name")}});
  item[std::string(300, 'k')] = AttributeValue::S(std::string(200, 'v'));  // multi-byte varints
  return item;
}

TEST(ItemCodecTest, RoundTripsEveryType) {
  Item item = everyType();
  std::string bytes = encode(item);
  auto back = decodeItem(bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, item);
  // Field by field, so a wrong operator== cannot hide a bug.
  EXPECT_EQ(back->at("b").scalar, std::string("\x00\xff\x80", 3));
  EXPECT_EQ(back->at("n").type, AttrType::kN);
  EXPECT_EQ(back->at("n").scalar, "-123.456");
  EXPECT_FALSE(back->at("f").boolean);
  EXPECT_EQ(back->at("ss").set, (std::vector<std::string>{"a", "", "c"}));  // order kept
  EXPECT_EQ(back->at("m").map.at("inner").map.at("deep").list.at(0), AttributeValue::Bool(false));
  EXPECT_EQ(back->at("l").list.size(), 4u);
  EXPECT_EQ(back->at("l").list[2].type, AttrType::kL);
  EXPECT_EQ(back->at("l").list[3].type, AttrType::kM);
}

TEST(ItemCodecTest, EmptyItem) {
  EXPECT_EQ(encode(Item{}), std::string("\x01\x00", 2));
  auto back = decodeItem(std::string("\x01\x00", 2));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->empty());
}

TEST(ItemCodecTest, ExactBytes) {
  Item item;
  item["a"] = AttributeValue::S("hi");
  item["b"] = AttributeValue::N("42");
  item["c"] = AttributeValue::Bool(true);
  item["d"] = AttributeValue::Null();
  item["e"] = listOf({AttributeValue::B("\x07")});
  // version 1, 5 attributes; each: name length, name, tag, payload.
  const std::string want(
      "\x01\x05"
      "\x01" "a" "\x00" "\x02" "hi"
      "\x01" "b" "\x01" "\x02" "42"
      "\x01" "c" "\x09" "\x01"
      "\x01" "d" "\x08"
      "\x01" "e" "\x07" "\x01" "\x02" "\x01" "\x07",
      28);
  EXPECT_EQ(encode(item), want);
}

TEST(ItemCodecTest, DeepNestingRoundTrips) {
  AttributeValue v = AttributeValue::S("leaf");
  for (int i = 0; i < 31; ++i) v = i % 2 ? listOf({v}) : mapOf({{"n", v}});
  Item item;
  item["deep"] = v;
  auto back = decodeItem(encode(item));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, item);
}

TEST(ItemCodecTest, EveryTruncationIsCorruption) {
  std::string bytes = encode(everyType());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = decodeItem(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix " << n;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << "prefix " << n;
  }
}

TEST(ItemCodecTest, MalformedInputsAreCorruption) {
  auto code = [](std::string bytes) {
    auto r = decodeItem(bytes);
    return r.ok() ? StatusCode::kOk : r.status().code();
  };
  EXPECT_EQ(code(""), StatusCode::kCorruption);
  EXPECT_EQ(code(std::string("\x02\x00", 2)), StatusCode::kCorruption);           // unknown version
  EXPECT_EQ(code(std::string("\x01\x00\x00", 3)), StatusCode::kCorruption);       // trailing bytes
  EXPECT_EQ(code(std::string("\x01\x01\x01" "a" "\x0a", 5)), StatusCode::kCorruption);  // tag 10
  EXPECT_EQ(code(std::string("\x01\x01\x01" "a" "\x09\x02", 6)), StatusCode::kCorruption);  // BOOL 2
  EXPECT_EQ(code(std::string("\x01\x01\x01" "a" "\x03\x00", 6)), StatusCode::kCorruption);  // empty set
  // Names out of order / duplicated.
  EXPECT_EQ(code(std::string("\x01\x02\x01" "b" "\x08\x01" "a" "\x08", 8)), StatusCode::kCorruption);
  EXPECT_EQ(code(std::string("\x01\x02\x01" "a" "\x08\x01" "a" "\x08", 8)), StatusCode::kCorruption);
  // A huge count must not allocate: it exceeds the bytes left.
  EXPECT_EQ(code(std::string("\x01\xff\xff\xff\xff\x0f", 6)), StatusCode::kCorruption);
  EXPECT_EQ(code(std::string("\x01\x01\x01" "a" "\x07\xff\xff\xff\x7f", 9)), StatusCode::kCorruption);
  // An over-long varint.
  EXPECT_EQ(code(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12)), StatusCode::kCorruption);
  // Nesting far deeper than any stored item: 100 nested lists.
  std::string deep("\x01\x01\x01" "a", 4);
  for (int i = 0; i < 100; ++i) deep += std::string("\x07\x01", 2);
  deep += std::string("\x08", 1);
  EXPECT_EQ(code(deep), StatusCode::kCorruption);
}

TEST(ItemCodecTest, RandomCorruptionNeverCrashes) {
  std::string bytes = encode(everyType());
  std::mt19937 rng(3);
  int failures = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string b = bytes;
    int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) b[rng() % b.size()] = static_cast<char>(rng());
    auto r = decodeItem(b);
    if (!r.ok()) {
      ++failures;
      EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    }
  }
  EXPECT_GT(failures, 0);
}

TEST(ItemCodecTest, EncodeAppends) {
  std::string out = "prefix";
  Item item;
  item["a"] = AttributeValue::Null();
  encodeItem(out, item);
  EXPECT_EQ(out.substr(0, 6), "prefix");
  auto back = decodeItem(std::string_view(out).substr(6));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, item);
}

}  // namespace
}  // namespace fdyno::model

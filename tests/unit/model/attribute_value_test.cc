#include "model/attribute_value.h"

#include <gtest/gtest.h>

namespace fdyno::model {
namespace {

AttributeValue set(AttrType t, std::vector<std::string> m) {
  AttributeValue v;
  v.type = t;
  v.set = std::move(m);
  return v;
}

TEST(AttributeValueTest, TypeNamesRoundTrip) {
  const std::pair<AttrType, const char*> all[] = {
      {AttrType::kS, "S"},   {AttrType::kN, "N"}, {AttrType::kB, "B"},      {AttrType::kSS, "SS"},
      {AttrType::kNS, "NS"}, {AttrType::kBS, "BS"}, {AttrType::kM, "M"},    {AttrType::kL, "L"},
      {AttrType::kNull, "NULL"}, {AttrType::kBool, "BOOL"}};
  for (auto [t, name] : all) {
    EXPECT_EQ(attrTypeName(t), name);
    EXPECT_EQ(attrTypeFromName(name), t);
  }
  EXPECT_FALSE(attrTypeFromName("s").has_value());
  EXPECT_FALSE(attrTypeFromName("X").has_value());
  EXPECT_FALSE(attrTypeFromName("").has_value());
}

TEST(AttributeValueTest, OnDiskTagValuesNeverChange) {
  // Written by the item codec; docs/storage-format.md "Type tags".
  EXPECT_EQ(static_cast<int>(AttrType::kS), 0);
  EXPECT_EQ(static_cast<int>(AttrType::kN), 1);
  EXPECT_EQ(static_cast<int>(AttrType::kB), 2);
  EXPECT_EQ(static_cast<int>(AttrType::kSS), 3);
  EXPECT_EQ(static_cast<int>(AttrType::kNS), 4);
  EXPECT_EQ(static_cast<int>(AttrType::kBS), 5);
  EXPECT_EQ(static_cast<int>(AttrType::kM), 6);
  EXPECT_EQ(static_cast<int>(AttrType::kL), 7);
  EXPECT_EQ(static_cast<int>(AttrType::kNull), 8);
  EXPECT_EQ(static_cast<int>(AttrType::kBool), 9);
}

TEST(AttributeValueTest, ScalarEquality) {
  EXPECT_EQ(AttributeValue::S("a"), AttributeValue::S("a"));
  EXPECT_NE(AttributeValue::S("a"), AttributeValue::S("b"));
  EXPECT_NE(AttributeValue::S("1"), AttributeValue::N("1"));  // type matters
  EXPECT_NE(AttributeValue::S("a"), AttributeValue::B("a"));
  EXPECT_EQ(AttributeValue::N("1.5"), AttributeValue::N("1.5"));
  EXPECT_EQ(AttributeValue::Null(), AttributeValue::Null());
  EXPECT_EQ(AttributeValue::Bool(true), AttributeValue::Bool(true));
  EXPECT_NE(AttributeValue::Bool(true), AttributeValue::Bool(false));
  EXPECT_NE(AttributeValue::Bool(true), AttributeValue::Null());
}

TEST(AttributeValueTest, SetsCompareIgnoringOrder) {
  EXPECT_EQ(set(AttrType::kSS, {"a", "b", "c"}), set(AttrType::kSS, {"c", "a", "b"}));
  EXPECT_NE(set(AttrType::kSS, {"a", "b"}), set(AttrType::kSS, {"a", "c"}));
  EXPECT_NE(set(AttrType::kSS, {"a", "b"}), set(AttrType::kSS, {"a", "b", "c"}));
  EXPECT_EQ(set(AttrType::kNS, {"1", "-2"}), set(AttrType::kNS, {"-2", "1"}));
  EXPECT_NE(set(AttrType::kNS, {"1"}), set(AttrType::kSS, {"1"}));
  EXPECT_EQ(set(AttrType::kBS, {std::string("\0", 1), "x"}), set(AttrType::kBS, {"x", std::string("\0", 1)}));
}

TEST(AttributeValueTest, DocumentsCompareDeeply) {
  AttributeValue m1, m2;
  m1.type = m2.type = AttrType::kM;
  m1.map["a"] = AttributeValue::N("1");
  m1.map["b"] = set(AttrType::kSS, {"x", "y"});
  m2.map["b"] = set(AttrType::kSS, {"y", "x"});
  m2.map["a"] = AttributeValue::N("1");
  EXPECT_EQ(m1, m2);
  m2.map["c"] = AttributeValue::Null();
  EXPECT_NE(m1, m2);

  AttributeValue l1, l2;
  l1.type = l2.type = AttrType::kL;
  l1.list = {AttributeValue::S("a"), m1};
  l2.list = {AttributeValue::S("a"), m1};
  EXPECT_EQ(l1, l2);
  l2.list = {m1, AttributeValue::S("a")};  // lists are ordered
  EXPECT_NE(l1, l2);
}

}  // namespace
}  // namespace fdyno::model

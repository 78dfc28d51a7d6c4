// WriteBuffer and RangeSet: program-order semantics of buffered writes.
#include "kv/write_buffer.h"

#include <gtest/gtest.h>

#include "kv/key_encoding.h"

namespace fdyno::kv {
namespace {

TEST(RangeSetTest, MergesOverlappingAndAdjacentRanges) {
  RangeSet s;
  s.add("c", "e");
  s.add("a", "b");
  s.add("b", "c");  // adjacent to both: one range a..e
  s.add("x", "z");
  s.add("d", "y");  // bridges into x..z
  ASSERT_EQ(s.ranges().size(), 1u);
  EXPECT_EQ(s.ranges().begin()->first, "a");
  EXPECT_EQ(s.ranges().begin()->second, "z");
  EXPECT_TRUE(s.contains("a"));
  EXPECT_TRUE(s.contains("yy"));
  EXPECT_FALSE(s.contains("z"));
  EXPECT_FALSE(s.contains(""));
}

TEST(RangeSetTest, IgnoresEmptyAndInvertedRanges) {
  RangeSet s;
  s.add("b", "b");
  s.add("c", "a");
  EXPECT_TRUE(s.empty());
}

TEST(WriteBufferTest, LaterClearRangeDropsEarlierPointWrites) {
  WriteBuffer b;
  b.set("k1", "v");
  b.set("m", "v");
  b.clearRange("k", "l");
  EXPECT_EQ(b.findPoint("k1"), nullptr);
  EXPECT_NE(b.findPoint("m"), nullptr);
  EXPECT_TRUE(b.isCleared("k1"));
  b.set("k1", "again");
  ASSERT_NE(b.findPoint("k1"), nullptr);
  EXPECT_EQ(b.findPoint("k1")->value, "again");
}

TEST(WriteBufferTest, AtomicAddFolding) {
  WriteBuffer b;
  b.atomicAdd("pending", 2);
  b.atomicAdd("pending", 3);
  ASSERT_EQ(b.findPoint("pending")->kind, PointWrite::Kind::kAdd);
  EXPECT_EQ(b.findPoint("pending")->delta, 5);

  b.set("known", encodeLittleEndian64(40));
  b.atomicAdd("known", 2);
  ASSERT_EQ(b.findPoint("known")->kind, PointWrite::Kind::kSet);
  EXPECT_EQ(decodeLittleEndian64(b.findPoint("known")->value), 42);

  b.clearRange("r", "s");
  b.atomicAdd("r1", -1);
  ASSERT_EQ(b.findPoint("r1")->kind, PointWrite::Kind::kSet);
  EXPECT_EQ(decodeLittleEndian64(b.findPoint("r1")->value), -1);
}

TEST(WriteBufferTest, ApplyAddWrapsAndZeroExtends) {
  EXPECT_EQ(decodeLittleEndian64(applyAdd(std::nullopt, 9)), 9);
  EXPECT_EQ(decodeLittleEndian64(applyAdd(std::string_view("\x01", 1), 1)), 2);
  std::string max = encodeLittleEndian64(INT64_MAX);
  EXPECT_EQ(decodeLittleEndian64(applyAdd(std::string_view(max), 1)), INT64_MIN);
}

}  // namespace
}  // namespace fdyno::kv

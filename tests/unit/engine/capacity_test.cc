#include "engine/capacity.h"

#include <gtest/gtest.h>

namespace fdyno::engine {
namespace {

TEST(Capacity, ReadsRoundUpTo4KBAndHalveWhenEventual) {
  EXPECT_DOUBLE_EQ(readCapacityUnits(0, true), 1.0);  // missing item: minimum
  EXPECT_DOUBLE_EQ(readCapacityUnits(0, false), 0.5);
  EXPECT_DOUBLE_EQ(readCapacityUnits(4096, true), 1.0);
  EXPECT_DOUBLE_EQ(readCapacityUnits(4097, true), 2.0);
  EXPECT_DOUBLE_EQ(readCapacityUnits(4097, false), 1.0);
  EXPECT_DOUBLE_EQ(readCapacityUnits(3 * 4096 + 1, false), 2.0);
}

TEST(Capacity, WritesRoundUpTo1KBUsingTheLargerItem) {
  EXPECT_DOUBLE_EQ(writeCapacityUnits(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(writeCapacityUnits(0, 1024), 1.0);
  EXPECT_DOUBLE_EQ(writeCapacityUnits(0, 1025), 2.0);
  EXPECT_DOUBLE_EQ(writeCapacityUnits(2049, 10), 3.0);  // overwrite: max(old, new)
  EXPECT_DOUBLE_EQ(writeCapacityUnits(10, 400 * 1024), 400.0);
}

}  // namespace
}  // namespace fdyno::engine

// ConflictTracker: what conflicts, and pruning/horizon behaviour.
#include "kv/conflict_tracker.h"

#include <gtest/gtest.h>

namespace fdyno::kv {
namespace {

ReadConflicts keys(std::vector<std::string> k) { return ReadConflicts{std::move(k), {}}; }
ReadConflicts range(std::string b, std::string e) { return ReadConflicts{{}, {{std::move(b), std::move(e)}}}; }

TEST(ConflictTrackerTest, PointWriteNewerThanReadVersionConflicts) {
  ConflictTracker t;
  t.beginCommit(5);
  t.addWrittenKey("a");
  EXPECT_TRUE(t.conflicts(4, keys({"a"})));
  EXPECT_FALSE(t.conflicts(5, keys({"a"})));  // already visible to the reader
  EXPECT_FALSE(t.conflicts(4, keys({"b"})));
  EXPECT_TRUE(t.conflicts(4, range("", "b")));
  EXPECT_FALSE(t.conflicts(4, range("a\x01", "z")));
}

TEST(ConflictTrackerTest, RangeWritesConflictWithOverlappingReads) {
  ConflictTracker t;
  t.beginCommit(3);
  t.addWrittenRange("m", "p");
  EXPECT_TRUE(t.conflicts(2, keys({"m"})));
  EXPECT_TRUE(t.conflicts(2, keys({"oz"})));
  EXPECT_FALSE(t.conflicts(2, keys({"p"})));
  EXPECT_TRUE(t.conflicts(2, range("a", "mm")));
  EXPECT_FALSE(t.conflicts(2, range("a", "m")));  // half-open ranges just touching
  EXPECT_FALSE(t.conflicts(3, range("a", "z")));
}

TEST(ConflictTrackerTest, PruneForgetsOldCommitsAndAdvancesHorizon) {
  ConflictTracker t;
  for (uint64_t v = 1; v <= 3; ++v) {
    t.beginCommit(v);
    t.addWrittenKey("k");
    t.addWrittenKey("k");  // duplicate within a commit is tracked once
    t.addWrittenKey("k" + std::to_string(v));
  }
  EXPECT_EQ(t.trackedWrites(), 6u);
  t.prune(2);
  EXPECT_EQ(t.horizon(), 2u);
  EXPECT_EQ(t.trackedWrites(), 2u);
  EXPECT_TRUE(t.conflicts(2, keys({"k"})));  // commit 3 rewrote it
  EXPECT_FALSE(t.conflicts(2, keys({"k2"})));
  t.prune(3);
  EXPECT_EQ(t.trackedWrites(), 0u);
  EXPECT_FALSE(t.conflicts(3, keys({"k"})));
}

TEST(ConflictTrackerTest, SizeCapPrunesBeyondOldestReader) {
  ConflictTracker t(/*max_tracked_writes=*/2);
  for (uint64_t v = 1; v <= 4; ++v) {
    t.beginCommit(v);
    t.addWrittenKey("k" + std::to_string(v));
  }
  t.prune(0);
  EXPECT_EQ(t.trackedWrites(), 2u);
  EXPECT_EQ(t.horizon(), 2u);  // readers below 2 must now be rejected as too old
}

}  // namespace
}  // namespace fdyno::kv

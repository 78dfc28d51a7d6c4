// The read-decide-write path UpdateItem and conditional writes rely on:
// writeItem() runs the decider on the item as read inside the transaction,
// and a conflicting concurrent commit makes it run again on the new version,
// so read-modify-write increments are never lost.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "engine_fixture.h"
#include "model/item_size.h"
#include "status_text.h"

namespace fdyno::engine::testing {
namespace {

using fdyno::testing::dynamoText;

using model::AttributeValue;

class ReadModifyWrite : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_TRUE(db_->createTable(hashTable("h")).ok());
  }

  // n = n + 1 on item "k" (creating it with n = 1), as UpdateItem does.
  Status increment(std::atomic<int>& attempts) {
    model::Item key = item({{"p", AttributeValue::S("k")}});
    model::Item next;
    auto r = db_->writeItem("h", key, KeySource::kKey,
                            [&](const TableInfo&, StoredItem& old, WritePlan& plan) -> Status {
                              attempts.fetch_add(1);
                              FDYNO_ASSIGN_OR_RETURN(const model::Item* cur, old.item());
                              int n = 0;
                              if (cur) n = std::stoi(cur->at("n").scalar);
                              next = key;
                              next["n"] = AttributeValue::N(std::to_string(n + 1));
                              plan.op = WriteOp::kPut;
                              plan.item = &next;
                              return Status::OK();
                            });
    return r.status();
  }
};

TEST_F(ReadModifyWrite, ConcurrentIncrementsAreNeverLost) {
  constexpr int kThreads = 4, kPerThread = 200;
  std::atomic<int> attempts{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) ASSERT_TRUE(increment(attempts).ok());
    });
  }
  for (auto& t : ts) t.join();
  auto r = db_->getItem("h", item({{"p", AttributeValue::S("k")}}), true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->item.has_value());
  EXPECT_EQ(r->item->at("n").scalar, std::to_string(kThreads * kPerThread));
  EXPECT_GE(attempts.load(), kThreads * kPerThread);  // retried attempts re-ran the decider
  auto d = db_->describeTable("h");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->item_count, 1);
}

TEST_F(ReadModifyWrite, KeepWritesNothingAndAbortKeepsOldItem) {
  model::Item key = item({{"p", AttributeValue::S("x")}});
  auto keep = db_->writeItem("h", key, KeySource::kKey, [](const TableInfo&, StoredItem& old, WritePlan& plan) {
    EXPECT_FALSE(old.exists());
    plan.op = WriteOp::kKeep;
    return Status::OK();
  });
  ASSERT_TRUE(keep.ok());
  EXPECT_FALSE(keep->old_existed);
  auto got = db_->getItem("h", key, true);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->item.has_value());

  model::Item full = item({{"p", AttributeValue::S("x")}, {"a", AttributeValue::S("v")}});
  ASSERT_TRUE(db_->putItem("h", full, model::itemSize(full), false).ok());
  auto abort = db_->writeItem("h", key, KeySource::kKey, [](const TableInfo&, StoredItem& old, WritePlan& plan) {
    plan.op = WriteOp::kDelete;
    return Status::InvalidArgument("The conditional request failed");
  });
  EXPECT_EQ(dynamoText(abort.status()), "The conditional request failed");
  got = db_->getItem("h", key, true);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->item.has_value());
  EXPECT_EQ(*got->item, full);
}

}  // namespace
}  // namespace fdyno::engine::testing

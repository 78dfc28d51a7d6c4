#include <gtest/gtest.h>

#include <thread>

#include "engine_fixture.h"
#include "model/item_size.h"
#include "status_text.h"

namespace fdyno::engine::testing {
namespace {

using fdyno::testing::dynamoText;

using model::AttributeValue;

class DatabaseItems : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_TRUE(db_->createTable(hashTable("h")).ok());
    ASSERT_TRUE(db_->createTable(hashRangeTable("hr")).ok());
  }
  Status put(const std::string& table, const model::Item& it) {
    return db_->putItem(table, it, model::itemSize(it), false).status();
  }
};

TEST_F(DatabaseItems, PutGetDelete) {
  model::Item it = item({{"p", AttributeValue::S("k1")}, {"v", AttributeValue::N("42")}});
  ASSERT_TRUE(put("h", it).ok());
  auto g = db_->getItem("h", item({{"p", AttributeValue::S("k1")}}), true);
  ASSERT_TRUE(g.ok()) << g.status().toString();
  ASSERT_TRUE(g->item.has_value());
  EXPECT_EQ(*g->item, it);
  EXPECT_EQ(g->size, model::itemSize(it));

  auto d = db_->deleteItem("h", item({{"p", AttributeValue::S("k1")}}), true);
  ASSERT_TRUE(d.ok()) << d.status().toString();
  EXPECT_TRUE(d->old_existed);
  ASSERT_TRUE(d->old_item.has_value());
  EXPECT_EQ(*d->old_item, it);
  g = db_->getItem("h", item({{"p", AttributeValue::S("k1")}}), false);
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->item.has_value());
  EXPECT_EQ(g->size, 0u);
}

TEST_F(DatabaseItems, PutReturnsOldItemOnlyWhenAsked) {
  model::Item a = item({{"p", AttributeValue::S("k")}, {"x", AttributeValue::S("1")}});
  model::Item b = item({{"p", AttributeValue::S("k")}, {"x", AttributeValue::S("2")}});
  auto r = db_->putItem("h", a, model::itemSize(a), true);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->old_existed);
  EXPECT_FALSE(r->old_item.has_value());
  r = db_->putItem("h", b, model::itemSize(b), false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->old_existed);
  EXPECT_FALSE(r->old_item.has_value());
  EXPECT_EQ(r->old_size, model::itemSize(a));
  r = db_->putItem("h", a, model::itemSize(a), true);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->old_item.has_value());
  EXPECT_EQ(*r->old_item, b);
}

TEST_F(DatabaseItems, CountsAndSizeFollowWrites) {
  model::Item a = item({{"p", AttributeValue::S("a")}, {"data", AttributeValue::S("xxxx")}});
  model::Item a2 = item({{"p", AttributeValue::S("a")}});
  model::Item b = item({{"p", AttributeValue::S("b")}});
  ASSERT_TRUE(put("h", a).ok());
  ASSERT_TRUE(put("h", b).ok());
  auto d = db_->describeTable("h");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->item_count, 2);
  EXPECT_EQ(d->size_bytes, static_cast<int64_t>(model::itemSize(a) + model::itemSize(b)));
  ASSERT_TRUE(put("h", a2).ok());  // overwrite: same count, smaller size
  d = db_->describeTable("h");
  EXPECT_EQ(d->item_count, 2);
  EXPECT_EQ(d->size_bytes, static_cast<int64_t>(model::itemSize(a2) + model::itemSize(b)));
  ASSERT_TRUE(db_->deleteItem("h", item({{"p", AttributeValue::S("b")}}), false).ok());
  ASSERT_TRUE(db_->deleteItem("h", item({{"p", AttributeValue::S("zz")}}), false).ok());  // absent: no-op
  d = db_->describeTable("h");
  EXPECT_EQ(d->item_count, 1);
  EXPECT_EQ(d->size_bytes, static_cast<int64_t>(model::itemSize(a2)));
}

TEST_F(DatabaseItems, ConcurrentWritersKeepCountsExact) {
  constexpr int kThreads = 4, kPerThread = 50;
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        model::Item it = item({{"p", AttributeValue::S(std::to_string(t) + "-" + std::to_string(i))}});
        ASSERT_TRUE(put("h", it).ok());
      }
    });
  }
  for (auto& t : ts) t.join();
  auto d = db_->describeTable("h");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->item_count, kThreads * kPerThread);
}

TEST_F(DatabaseItems, MissingTable) {
  model::Item it = item({{"p", AttributeValue::S("a")}});
  EXPECT_EQ(dynamoText(put("nope", it)), "Requested resource not found");
  EXPECT_EQ(db_->getItem("nope", it, true).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(db_->deleteItem("nope", it, false).status()), "Requested resource not found");
}

TEST_F(DatabaseItems, PutKeyValidation) {
  EXPECT_EQ(dynamoText(put("h", item({{"x", AttributeValue::S("a")}}))),
            "One or more parameter values were invalid: Missing the key p in the item");
  EXPECT_EQ(dynamoText(put("h", item({{"p", AttributeValue::N("1")}}))),
            "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N");
  EXPECT_EQ(dynamoText(put("hr", item({{"p", AttributeValue::S("a")}}))),
            "One or more parameter values were invalid: Missing the key c in the item");
  EXPECT_EQ(dynamoText(put("hr", item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::S("1")}}))),
            "One or more parameter values were invalid: Type mismatch for key c expected: N actual: S");
  EXPECT_EQ(dynamoText(put("h", item({{"p", AttributeValue::S("")}}))),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
            "empty string value. Key: p");
  EXPECT_EQ(dynamoText(put("h", item({{"p", AttributeValue::S(std::string(2049, 'a'))}}))),
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 "
            "bytes");
  EXPECT_TRUE(put("h", item({{"p", AttributeValue::S(std::string(2048, 'a'))}})).ok());
}

TEST_F(DatabaseItems, KeyOnlyValidation) {
  const char* kMismatch = "The provided key element does not match the schema";
  auto get = [&](const char* table, const model::Item& k) { return db_->getItem(table, k, true).status(); };
  EXPECT_EQ(dynamoText(get("h", item({{"q", AttributeValue::S("a")}}))), kMismatch);
  EXPECT_EQ(dynamoText(get("h", item({{"p", AttributeValue::N("1")}}))), kMismatch);
  EXPECT_EQ(dynamoText(get("h", item({{"p", AttributeValue::S("a")}, {"x", AttributeValue::S("b")}}))), kMismatch);
  EXPECT_EQ(dynamoText(get("hr", item({{"p", AttributeValue::S("a")}}))), kMismatch);
  EXPECT_EQ(dynamoText(get("h", item({}))), kMismatch);
  EXPECT_EQ(dynamoText(get("h", item({{"p", AttributeValue::S("")}}))),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
            "empty string value. Key: p");
  EXPECT_EQ(dynamoText(db_->deleteItem("hr", item({{"p", AttributeValue::S("a")}}), false).status()), kMismatch);
  EXPECT_TRUE(get("hr", item({{"p", AttributeValue::S("a")}, {"c", AttributeValue::N("1")}})).ok());
}

TEST_F(DatabaseItems, WriteItemDeciderSeesOldItemAndCanAbort) {
  model::Item a = item({{"p", AttributeValue::S("k")}, {"n", AttributeValue::N("1")}});
  ASSERT_TRUE(put("h", a).ok());
  // A decider like UpdateItem's: build the new item from the old one.
  auto r = db_->writeItem("h", item({{"p", AttributeValue::S("k")}}), KeySource::kKey,
                          [](const TableInfo&, StoredItem& old, WritePlan& plan) -> Status {
                            FDYNO_ASSIGN_OR_RETURN(const model::Item* cur, old.item());
                            if (!cur) return Status::InvalidArgument("expected an item");
                            plan.owned = *cur;
                            plan.owned["n"] = AttributeValue::N("2");
                            plan.item = &plan.owned;
                            plan.op = WriteOp::kPut;
                            return Status::OK();
                          });
  ASSERT_TRUE(r.ok()) << r.status().toString();
  auto g = db_->getItem("h", item({{"p", AttributeValue::S("k")}}), true);
  EXPECT_EQ(g->item->at("n").scalar, "2");
  // An aborting decider (a failed condition) writes nothing.
  auto abort = db_->writeItem("h", item({{"p", AttributeValue::S("k")}}), KeySource::kKey,
                              [](const TableInfo&, StoredItem&, WritePlan& plan) -> Status {
                                plan.op = WriteOp::kDelete;
                                return Status::InvalidArgument("The conditional request failed");
                              });
  EXPECT_EQ(dynamoText(abort.status()), "The conditional request failed");
  EXPECT_TRUE(db_->getItem("h", item({{"p", AttributeValue::S("k")}}), true)->item.has_value());
}

}  // namespace
}  // namespace fdyno::engine::testing

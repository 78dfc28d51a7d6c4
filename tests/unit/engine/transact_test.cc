// Database::transactGet / transactWrite (engine/transact.h), idempotency
// records (engine/idempotency.h) and the serializability of concurrent
// transactions.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "engine/idempotency.h"
#include "engine/transact.h"
#include "engine_fixture.h"
#include "model/item_size.h"
#include "status_text.h"

namespace fdyno::engine {
namespace {

using fdyno::testing::dynamoText;

using testing::EngineTest;
using testing::hashTable;
using testing::item;
using model::AttributeValue;

AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }

class TransactTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    ASSERT_TRUE(db_->createTable(hashTable("t")).ok());
    ASSERT_TRUE(db_->createTable(hashTable("u")).ok());
  }
  void put(std::string_view table, const model::Item& it) {
    ASSERT_TRUE(db_->putItem(table, it, model::itemSize(it), false).ok());
  }
  std::optional<model::Item> get(std::string_view table, const model::Item& key) {
    auto r = db_->getItem(table, key, true);
    EXPECT_TRUE(r.ok()) << r.status().toString();
    return r.ok() ? r->item : std::nullopt;
  }
  // A Put action of `it` (which must outlive the call).
  static TransactWriteAction putAction(std::string_view table, const model::Item& it) {
    TransactWriteAction a;
    a.table = table;
    a.key_attrs = &it;
    a.source = KeySource::kItem;
    a.decide = [&it](const TableInfo&, StoredItem&, WritePlan& plan) -> Status {
      plan.op = WriteOp::kPut;
      plan.item = &it;
      return Status::OK();
    };
    return a;
  }
  // A ConditionCheck "item exists" on `key`.
  static TransactWriteAction existsCheck(std::string_view table, const model::Item& key) {
    TransactWriteAction a;
    a.table = table;
    a.key_attrs = &key;
    a.decide = [](const TableInfo&, StoredItem& old, WritePlan&) -> Status {
      return old.exists() ? Status::OK() : Status::InvalidArgument("The conditional request failed");
    };
    return a;
  }
};

TEST_F(TransactTest, GetReadsEveryActionInOrderAcrossTables) {
  put("t", item({{"p", S("a")}, {"x", S("1")}}));
  put("u", item({{"p", S("b")}, {"y", S("2")}}));
  model::Item k1 = item({{"p", S("a")}}), k2 = item({{"p", S("b")}}), k3 = item({{"p", S("zz")}});
  auto r = db_->transactGet({{"t", &k1}, {"u", &k2}, {"t", &k3}});
  ASSERT_TRUE(r.ok()) << r.status().toString();
  ASSERT_FALSE(r->invalid_action);
  ASSERT_EQ(r->items.size(), 3u);
  EXPECT_EQ(r->items[0].item->at("x"), S("1"));
  EXPECT_EQ(r->items[1].item->at("y"), S("2"));
  EXPECT_FALSE(r->items[2].item.has_value());
  EXPECT_EQ(r->items[2].size, 0u);
  EXPECT_GT(r->items[0].size, 0u);
}

TEST_F(TransactTest, GetErrors) {
  model::Item k = item({{"p", S("a")}}), bad = item({}), num = item({{"p", AttributeValue::N("1")}});
  auto missing = db_->transactGet({{"t", &k}, {"nope", &k}});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(dynamoText(missing.status()), "Requested resource not found");

  auto invalid = db_->transactGet({{"t", &k}, {"t", &bad}});
  ASSERT_TRUE(invalid.ok());
  ASSERT_EQ(invalid->invalid_action, std::optional<size_t>(1));
  EXPECT_EQ(dynamoText(invalid->invalid_status), "The provided key element does not match the schema");

  auto dup = db_->transactGet({{"t", &k}, {"u", &k}, {"t", &k}});
  EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.status().reason(), ErrorReason::kMultipleOperationsOnOneItem);
  (void)num;
}

TEST_F(TransactTest, WriteCommitsAllActionsAtomically) {
  model::Item a = item({{"p", S("a")}}), b = item({{"p", S("b")}, {"v", S("x")}});
  TransactWriteRequest req;
  req.actions.push_back(putAction("t", a));
  req.actions.push_back(putAction("u", b));
  auto r = db_->transactWrite(req);
  ASSERT_TRUE(r.ok()) << r.status().toString();
  EXPECT_EQ(r->status, TransactWriteStatus::kCommitted);
  ASSERT_EQ(r->results.size(), 2u);
  EXPECT_EQ(r->results[1].op, WriteOp::kPut);
  EXPECT_GT(r->results[1].new_size, 0u);
  EXPECT_TRUE(get("t", a));
  EXPECT_EQ(get("u", item({{"p", S("b")}}))->at("v"), S("x"));
  auto d = db_->describeTable("u");
  EXPECT_EQ(d->item_count, 1);
}

TEST_F(TransactTest, FailedConditionCancelsEverythingAndReportsEveryFailure) {
  model::Item a = item({{"p", S("a")}}), k1 = item({{"p", S("m1")}}), k2 = item({{"p", S("m2")}});
  TransactWriteRequest req;
  req.actions.push_back(putAction("t", a));
  req.actions.push_back(existsCheck("t", k1));
  req.actions.push_back(existsCheck("u", k2));
  auto r = db_->transactWrite(req);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, TransactWriteStatus::kCanceled);
  ASSERT_EQ(r->reasons.size(), 3u);
  EXPECT_TRUE(r->reasons[0].ok());
  EXPECT_EQ(dynamoText(r->reasons[1]), "The conditional request failed");
  EXPECT_EQ(dynamoText(r->reasons[2]), "The conditional request failed");
  EXPECT_FALSE(get("t", a));
}

TEST_F(TransactTest, FirstValidationErrorCancelsAndStopsThere) {
  model::Item bad = item({{"p", AttributeValue::N("7")}}), bad2 = item({{"p", AttributeValue::N("8")}});
  model::Item k = item({{"p", S("k")}});
  TransactWriteRequest req;
  req.actions.push_back(existsCheck("t", k));  // would fail, but is never evaluated
  req.actions.push_back(putAction("t", bad));
  req.actions.push_back(putAction("t", bad2));
  auto r = db_->transactWrite(req);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, TransactWriteStatus::kCanceled);
  EXPECT_TRUE(r->reasons[0].ok());
  EXPECT_EQ(dynamoText(r->reasons[1]),
            "One or more parameter values were invalid: Type mismatch for key p expected: S actual: N");
  EXPECT_TRUE(r->reasons[2].ok());

  TransactWriteRequest pre;
  model::Item a = item({{"p", S("a")}});
  pre.actions.push_back(putAction("t", a));
  pre.actions.back().precheck = Status::InvalidArgument("Item size has exceeded the maximum allowed size");
  auto p = db_->transactWrite(pre);
  ASSERT_EQ(p->status, TransactWriteStatus::kCanceled);
  EXPECT_EQ(dynamoText(p->reasons[0]), "Item size has exceeded the maximum allowed size");
}

TEST_F(TransactTest, TwoActionsOnOneItemAreRejected) {
  model::Item a = item({{"p", S("a")}});
  TransactWriteRequest req;
  req.actions.push_back(putAction("t", a));
  req.actions.push_back(putAction("u", a));  // other table: fine
  req.actions.push_back(existsCheck("t", a));
  auto r = db_->transactWrite(req);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dynamoText(r.status()), "Transaction request cannot include multiple operations on one item");
  auto missing = db_->transactWrite([&] {
    TransactWriteRequest m;
    m.actions.push_back(putAction("nope", a));
    return m;
  }());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(TransactTest, TokenReplaysWithinTheWindowAndMismatchesOtherParameters) {
  model::Item a = item({{"p", S("a")}, {"n", S("1")}});
  TransactWriteRequest req;
  req.actions.push_back(putAction("t", a));
  req.client_token = "tok-1";
  req.digest = digestBytes("request one");
  req.now_ms = 1'000'000;
  auto first = db_->transactWrite(req);
  ASSERT_EQ(first->status, TransactWriteStatus::kCommitted);

  // Change the item behind the token's back: a replay must not write again.
  put("t", item({{"p", S("a")}, {"n", S("2")}}));
  req.now_ms += kIdempotencyWindowMs - 1;
  auto replay = db_->transactWrite(req);
  ASSERT_EQ(replay->status, TransactWriteStatus::kReplayed);
  EXPECT_EQ(get("t", item({{"p", S("a")}}))->at("n"), S("2"));
  ASSERT_EQ(replay->results.size(), 1u);
  EXPECT_GT(replay->results[0].old_size, 0u);

  TransactWriteRequest other = std::move(req);
  other.digest = digestBytes("request two");
  auto mismatch = db_->transactWrite(other);
  EXPECT_EQ(mismatch->status, TransactWriteStatus::kTokenMismatch);

  // After 10 minutes the token is forgotten: the request runs again.
  other.now_ms = 1'000'000 + kIdempotencyWindowMs + 1;
  auto again = db_->transactWrite(other);
  EXPECT_EQ(again->status, TransactWriteStatus::kCommitted);
  EXPECT_EQ(get("t", item({{"p", S("a")}}))->at("n"), S("1"));
}

TEST_F(TransactTest, CanceledTransactionDoesNotConsumeTheToken) {
  model::Item k = item({{"p", S("nobody")}});
  TransactWriteRequest req;
  req.actions.push_back(existsCheck("t", k));
  req.client_token = "tok-c";
  req.digest = digestBytes("x");
  EXPECT_EQ(db_->transactWrite(req)->status, TransactWriteStatus::kCanceled);
  put("t", item({{"p", S("nobody")}}));
  EXPECT_EQ(db_->transactWrite(req)->status, TransactWriteStatus::kCommitted);
}

TEST_F(TransactTest, ExpiredTokensArePurged) {
  model::Item a = item({{"p", S("a")}});
  for (int i = 0; i < 5; ++i) {
    TransactWriteRequest req;
    req.actions.push_back(putAction("t", a));
    std::string tok = "tok-" + std::to_string(i);
    req.client_token = tok;
    req.digest = digestBytes(tok);
    req.now_ms = 1000 + i;
    ASSERT_EQ(db_->transactWrite(req)->status, TransactWriteStatus::kCommitted);
  }
  ASSERT_TRUE(purgeExpiredTokens(*store_, 1000 + kIdempotencyWindowMs + 3, 100).ok());
  auto txn = store_->begin();
  auto idx = txn->getRange(idempotencyExpiryBegin(), idempotencyExpiryEnd());
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(idx->pairs.size(), 2u);  // tok-3 and tok-4 still live
  EXPECT_FALSE(*txn->get(idempotencyTokenKey("tok-0")));
  EXPECT_TRUE(*txn->get(idempotencyTokenKey("tok-4")));
}

TEST(IdempotencyTest, RecordRoundTripsAndDigestIsStable) {
  TokenRecord r{123456789, digestBytes("abc"), "{\"x\":1}"};
  auto d = decodeTokenRecord(encodeTokenRecord(r));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->expiry_ms, r.expiry_ms);
  EXPECT_EQ(d->digest, r.digest);
  EXPECT_EQ(d->response, r.response);
  EXPECT_EQ(decodeTokenRecord("xx").status().code(), StatusCode::kCorruption);
  // Pinned: records are shared by servers and survive upgrades.
  EXPECT_EQ(digestBytes(""), digestBytes(""));
  EXPECT_NE(digestBytes("a"), digestBytes("b"));
  EXPECT_NE(digestBytes("abcdefgh1"), digestBytes("abcdefgh2"));
}

// ---- serializability under concurrency ----

int64_t balanceOf(const model::Item& it) { return std::stoll(it.at("bal").scalar); }

TEST_F(TransactTest, ConcurrentTransfersKeepTheTotalForEveryReader) {
  constexpr int kAccounts = 50, kWriters = 16, kReaders = 4, kInitial = 100;
  std::vector<model::Item> keys;
  for (int i = 0; i < kAccounts; ++i) {
    keys.push_back(item({{"p", S("acct" + std::to_string(i))}}));
    put("t", item({{"p", S("acct" + std::to_string(i))}, {"bal", AttributeValue::N(std::to_string(kInitial))}}));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  std::atomic<int> committed{0}, canceled{0}, reads{0}, bad_reads{0}, errors{0};

  auto writer = [&](int seed) {
    std::mt19937 rng(seed);
    while (std::chrono::steady_clock::now() < deadline) {
      int from = rng() % kAccounts, to = rng() % kAccounts;
      if (from == to) continue;
      int64_t amount = 1 + rng() % 30;
      model::Item new_from, new_to;
      auto move = [&](int64_t sign, model::Item& out) {
        return [sign, amount, &out](const TableInfo&, StoredItem& old, WritePlan& plan) -> Status {
          FDYNO_ASSIGN_OR_RETURN(const model::Item* cur, old.item());
          int64_t b = balanceOf(*cur) + sign * amount;
          if (b < 0) return Status::InvalidArgument("The conditional request failed");  // bal >= :amount
          out = *cur;
          out["bal"] = AttributeValue::N(std::to_string(b));
          plan.op = WriteOp::kPut;
          plan.item = &out;
          return Status::OK();
        };
      };
      TransactWriteRequest req;
      req.actions.resize(2);
      req.actions[0].table = "t";
      req.actions[0].key_attrs = &keys[from];
      req.actions[0].decide = move(-1, new_from);
      req.actions[1].table = "t";
      req.actions[1].key_attrs = &keys[to];
      req.actions[1].decide = move(+1, new_to);
      auto r = db_->transactWrite(req);
      if (!r.ok()) {
        errors++;
      } else if (r->status == TransactWriteStatus::kCommitted) {
        committed++;
      } else {
        canceled++;
      }
    }
  };
  auto reader = [&] {
    std::vector<TransactGetAction> gets;
    for (auto& k : keys) gets.push_back({"t", &k});
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = db_->transactGet(gets);
      if (!r.ok()) {
        errors++;
        continue;
      }
      int64_t total = 0;
      for (auto& g : r->items) total += balanceOf(*g.item);
      reads++;
      if (total != kAccounts * kInitial) bad_reads++;
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) threads.emplace_back(writer, i + 1);
  for (int i = 0; i < kReaders; ++i) threads.emplace_back(reader);
  for (auto& t : threads) t.join();

  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(bad_reads.load(), 0) << "of " << reads.load() << " reads";
  EXPECT_GT(committed.load(), 100);
  EXPECT_GT(reads.load(), 10);
  int64_t total = 0;
  for (auto& k : keys) total += balanceOf(*get("t", k));
  EXPECT_EQ(total, kAccounts * kInitial);
  std::printf("transfers committed=%d canceled=%d reads=%d\n", committed.load(), canceled.load(), reads.load());
}

TEST_F(TransactTest, SameTokenFromManyThreadsWritesExactlyOnce) {
  // Each request increments a counter; 8 threads send it with one token.
  put("t", item({{"p", S("ctr")}, {"bal", AttributeValue::N("0")}}));
  model::Item key = item({{"p", S("ctr")}});
  std::atomic<int> committed{0}, replayed{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      model::Item out;
      TransactWriteRequest req;
      req.actions.resize(1);
      req.actions[0].table = "t";
      req.actions[0].key_attrs = &key;
      req.actions[0].decide = [&out](const TableInfo&, StoredItem& old, WritePlan& plan) -> Status {
        FDYNO_ASSIGN_OR_RETURN(const model::Item* cur, old.item());
        out = *cur;
        out["bal"] = AttributeValue::N(std::to_string(balanceOf(*cur) + 1));
        plan.op = WriteOp::kPut;
        plan.item = &out;
        return Status::OK();
      };
      req.client_token = "shared-token";
      req.digest = digestBytes("increment ctr");
      auto r = db_->transactWrite(req);
      if (r.ok() && r->status == TransactWriteStatus::kCommitted) committed++;
      else if (r.ok() && r->status == TransactWriteStatus::kReplayed) replayed++;
      else other++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(committed.load(), 1);
  EXPECT_EQ(replayed.load(), 7);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(get("t", key)->at("bal"), AttributeValue::N("1"));
}

}  // namespace
}  // namespace fdyno::engine

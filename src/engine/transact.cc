// Database::transactGet / transactWrite. Contract in engine/transact.h.
#include "engine/transact.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "engine/database.h"
#include "engine/item_mutation.h"

namespace fdyno::engine {

namespace {


// Resolves the tables of one attempt, each name once (a transaction usually
// names one or two tables many times).
class TableSet {
 public:
  TableSet(Catalog& catalog, kv::Transaction& txn) : catalog_(catalog), txn_(txn) {}

  [[nodiscard]] Result<TableRef> get(std::string_view name) {
    for (auto& [n, t] : seen_) {
      if (n == name) return t;
    }
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(txn_, name));
    if (!t) return Status::NotFound(ErrorReason::kItemTableNotFound, {std::string(name)});
    seen_.emplace_back(name, t);
    return t;
  }

 private:
  Catalog& catalog_;
  kv::Transaction& txn_;
  std::vector<std::pair<std::string_view, TableRef>> seen_;
};

// True if two of `keys` are equal (kv keys include the table id, so equal
// keys are the same item of the same table).
bool hasDuplicate(const std::vector<std::string>& keys) {
  std::vector<const std::string*> sorted(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) sorted[i] = &keys[i];
  std::sort(sorted.begin(), sorted.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (*sorted[i] == *sorted[i - 1]) return true;
  }
  return false;
}

// Marks an abandoned attempt whose answer is in the outcome (cancellation,
// replay, token mismatch) rather than in the returned Status.
Status outcomeDecided() { return Status::InvalidArgument(ErrorReason::kTransactionOutcome); }

Status duplicateTarget() { return Status::InvalidArgument(ErrorReason::kMultipleOperationsOnOneItem); }

}  // namespace

Result<TransactGetOutcome> Database::transactGet(const std::vector<TransactGetAction>& actions) {
  TransactGetOutcome out;
  auto txn = store_.begin();
  TableSet tables(catalog_, *txn);
  std::vector<TableRef> refs(actions.size());
  // All tables first: a missing table fails the whole request
  // (ResourceNotFoundException), whatever the keys.
  for (size_t i = 0; i < actions.size(); ++i) {
    FDYNO_ASSIGN_OR_RETURN(refs[i], tables.get(actions[i].table));
  }
  std::vector<std::string> keys(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) {
    keys[i] = refs[i]->item_prefix;
    Status st = appendItemKey(refs[i]->def, *actions[i].key, KeySource::kKey, keys[i]);
    if (!st.ok()) {
      out.invalid_action = i;
      out.invalid_status = std::move(st);
      return out;
    }
  }
  if (hasDuplicate(keys)) return duplicateTarget();
  out.items.resize(actions.size());
  // Snapshot reads: the transaction is never committed, its reads all come
  // from one version, so no conflict tracking is needed. All in one getMany
  // (one round trip on a remote store).
  std::vector<kv::Transaction::PointRead> reads(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) reads[i] = {keys[i], /*snapshot=*/true};
  std::vector<std::optional<std::string>> values;
  FDYNO_RETURN_IF_ERROR(txn->getMany(reads, &values));
  for (size_t i = 0; i < actions.size(); ++i) {
    std::optional<std::string>& raw = values[i];
    TransactGetItem& r = out.items[i];
    r.table = refs[i];
    if (raw) {
      // All or nothing: an item that does not decode fails the whole read.
      Status st = readStoredItemSize(*raw, &r.size);
      auto item = st.ok() ? decodeStoredItem(*raw) : Result<model::Item>(st);
      if (!item.ok()) return reportUndecodableItem("transactional read", item.status());
      r.item = std::move(item).value();
    }
  }
  return out;
}

Result<TransactWriteOutcome> Database::transactWrite(const TransactWriteRequest& req) {
  const size_t n = req.actions.size();
  const uint64_t now = req.now_ms ? req.now_ms : wallClockMillis();
  const bool has_token = !req.client_token.empty();
  const std::string token_key = has_token ? idempotencyTokenKey(req.client_token) : std::string();
  bool saw_expired_token = false;

  TransactWriteOutcome out;
  std::vector<std::string> keys(n);
  std::vector<TableRef> refs(n);
  std::vector<StoredItem> olds(n);
  std::vector<WritePlan> plans(n);

  auto cancelAt = [&](size_t i, Status st) -> Status {
    out.status = TransactWriteStatus::kCanceled;
    out.reasons.assign(n, Status::OK());
    out.reasons[i] = std::move(st);
    return outcomeDecided();
  };

  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    out = TransactWriteOutcome{};
    TableSet tables(catalog_, txn);
    for (size_t i = 0; i < n; ++i) {
      FDYNO_ASSIGN_OR_RETURN(refs[i], tables.get(req.actions[i].table));
    }
    // Validation, in request order; the first invalid action cancels.
    for (size_t i = 0; i < n; ++i) {
      const TransactWriteAction& a = req.actions[i];
      if (!a.precheck.ok()) return cancelAt(i, a.precheck);
      keys[i] = refs[i]->item_prefix;
      Status kst = appendItemKey(refs[i]->def, *a.key_attrs, a.source, keys[i]);
      if (!kst.ok()) return cancelAt(i, std::move(kst));
    }
    if (hasDuplicate(keys)) return duplicateTarget();

    // The token and every item in one getMany (one round trip on a remote
    // store), all conflict-tracked: a concurrent first use of the token
    // conflicts, and so does a concurrent write of an item.
    std::vector<kv::Transaction::PointRead> reads;
    reads.reserve(n + 1);
    for (size_t i = 0; i < n; ++i) reads.push_back({keys[i], /*snapshot=*/false});
    if (has_token) reads.push_back({token_key, /*snapshot=*/false});
    std::vector<std::optional<std::string>> values;
    FDYNO_RETURN_IF_ERROR(txn.getMany(reads, &values));

    if (has_token) {
      std::optional<std::string>& raw = values[n];
      if (raw) {
        FDYNO_ASSIGN_OR_RETURN(TokenRecord rec, decodeTokenRecord(*raw));
        if (rec.expiry_ms > now) {
          if (!(rec.digest == req.digest)) {
            out.status = TransactWriteStatus::kTokenMismatch;
            return outcomeDecided();
          }
          // A replay answers without writing; its capacity is a read of the
          // items as they are now.
          out.status = TransactWriteStatus::kReplayed;
          out.stored_response = std::move(rec.response);
          out.results.resize(n);
          for (size_t i = 0; i < n; ++i) {
            StoredItem s(std::move(values[i]));
            out.results[i].table = refs[i];
            out.results[i].old_existed = s.exists();
            out.results[i].old_size = s.size();
          }
          return Status::OK();  // read-only: commits without writing
        }
        saw_expired_token = true;  // expired: ignored, overwritten below
      }
    }

    for (size_t i = 0; i < n; ++i) olds[i] = StoredItem(std::move(values[i]));
    // Every decider runs, so that every failing condition is reported.
    bool failed = false;
    std::vector<Status> reasons(n);
    for (size_t i = 0; i < n; ++i) {
      plans[i] = WritePlan{};
      const TransactWriteAction& a = req.actions[i];
      if (!a.decide) continue;
      reasons[i] = a.decide(*refs[i], olds[i], plans[i]);
      failed |= !reasons[i].ok();
    }
    if (failed) {
      out.status = TransactWriteStatus::kCanceled;
      out.reasons = std::move(reasons);
      return outcomeDecided();
    }

    out.results.assign(n, WriteResult{});
    for (size_t i = 0; i < n; ++i) {
      WriteResult& r = out.results[i];
      r.table = refs[i];
      if (plans[i].op == WriteOp::kKeep) {
        r.op = WriteOp::kKeep;
        r.old_existed = olds[i].exists();
        r.old_size = olds[i].size();
        continue;
      }
      Status ast =
          applyItemMutation(txn, *refs[i], keys[i], olds[i], plans[i], &r, opts_.item_collection_limit_bytes);
      if (!ast.ok()) {
        if (ast.code() != StatusCode::kInvalidArgument) return ast;
        return cancelAt(i, std::move(ast));
      }
      r.table = refs[i];
    }

    if (has_token) {
      TokenRecord rec;
      rec.expiry_ms = now + kIdempotencyWindowMs;
      rec.digest = req.digest;
      rec.response.assign(req.response_to_store);
      txn.set(token_key, encodeTokenRecord(rec));
      txn.set(idempotencyExpiryKey(rec.expiry_ms, req.client_token), "");
    }
    out.status = TransactWriteStatus::kCommitted;
    return Status::OK();
  });

  if (!st.ok()) {
    if (st.is(ErrorReason::kTransactionOutcome)) return out;
    if (st.isConflict()) {
      // Retries did not get through: DynamoDB answers a transaction that
      // keeps colliding with others with TransactionCanceledException and
      // TransactionConflict reasons.
      TransactWriteOutcome c;
      c.status = TransactWriteStatus::kConflict;
      c.reasons.assign(n, st);
      return c;
    }
    return st;
  }
  // Lazy cleanup: a token-bearing transaction that met an expired record
  // (or one in 64) sweeps a few expired records, in its own transaction.
  if (has_token && (saw_expired_token || (req.digest.lo & 63) == 0)) {
    (void)purgeExpiredTokens(store_, now, 16);
  }
  return out;
}

}  // namespace fdyno::engine

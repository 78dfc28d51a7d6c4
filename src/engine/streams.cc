// DynamoDB Streams: the write hook and the Database read methods. Rules in
// engine/streams.h, layout in engine/stream_records.h.
#include "engine/streams.h"

#include <chrono>

#include "engine/database.h"
#include "engine/item_key.h"
#include "engine/storage_keys.h"
#include "model/item_size.h"

namespace fdyno::engine {

namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status streamNotFound() { return Status::NotFound(ErrorReason::kStreamNotFound); }

// Records start after the stream's metadata key (its bare prefix).
std::string recordsBegin(const std::string& prefix) {
  return prefix + std::string(kStreamPositionBytes, '\0');
}

bool withinRetention(const StreamMeta& m, int64_t now) {
  return m.disabled_ms != 0 && now - m.disabled_ms <= kStreamRetentionMs;
}

// A stream of a table that is still visible (see engine/streams.h).
struct ResolvedStream {
  TableRef table;
  uint64_t number = 0;
  bool enabled = false;
  std::string view_type;
  std::string prefix;  // metadata key; records in [prefix + 10 zero bytes, end)
  std::string end;
};

Result<ResolvedStream> resolveStream(kv::Transaction& txn, Catalog& catalog, std::string_view table,
                                     std::string_view label) {
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog.resolve(txn, table));
  if (!t) return streamNotFound();
  auto no = streamNumberFromLabel(label);
  if (!no) return streamNotFound();
  ResolvedStream s;
  s.number = *no;
  s.prefix = streamRecordPrefix(t->def.id, *no);
  s.end = streamRecordPrefix(t->def.id, *no + 1);
  FDYNO_ASSIGN_OR_RETURN(auto raw, txn.get(s.prefix, /*snapshot=*/true));
  std::optional<StreamMeta> meta;
  if (raw) meta = decodeStreamMeta(*raw);
  if (!t->def.stream_label.empty() && t->def.stream_label == label) {
    s.enabled = t->def.stream.enabled;
    s.view_type = s.enabled ? t->def.stream.view_type : (meta ? meta->view_type : std::string());
  } else {
    if (!meta || !withinRetention(*meta, nowMs())) return streamNotFound();
    s.view_type = meta->view_type;
  }
  s.table = std::move(t);
  return s;
}

// The visible streams of `t` with number > `after` (labels ascending);
// streams disabled more than 24 h ago go to `expired` (their numbers).
Status streamsOf(kv::Transaction& txn, const TableInfo& t, uint64_t after, int64_t now,
                 std::vector<StreamSummary>& out, std::vector<uint64_t>& expired) {
  const uint64_t id = t.def.id;
  const std::string space = keys::streamPrefix(id);
  std::string space_end = space;
  space_end.back() = static_cast<char>(keys::kStreamSpace + 1);
  std::optional<uint64_t> current = streamNumberFromLabel(t.def.stream_label);
  bool current_seen = false;
  std::string k = after == 0 ? space : streamRecordPrefix(id, after + 1);
  kv::RangeOptions one;
  one.limit = 1;
  while (true) {
    // One seek per stream: jump to the next stream number after each.
    FDYNO_ASSIGN_OR_RETURN(auto r, txn.getRange(k, space_end, one, /*snapshot=*/true));
    if (r.pairs.empty()) break;
    const std::string& key = r.pairs[0].key;
    if (key.size() < space.size() + 8) break;
    uint64_t no = keys::readU64BE(std::string_view(key).substr(space.size(), 8));
    std::string prefix = streamRecordPrefix(id, no);
    std::optional<StreamMeta> meta;
    if (key == prefix) meta = decodeStreamMeta(r.pairs[0].value);
    if (current && no == *current) {
      out.push_back({t.def.name, t.def.stream_label});
      current_seen = true;
    } else if (meta && withinRetention(*meta, now)) {
      out.push_back({t.def.name, streamLabelOf(no)});
    } else if (meta && meta->disabled_ms != 0) {
      expired.push_back(no);
    }
    if (no == UINT64_MAX) break;
    k = streamRecordPrefix(id, no + 1);
  }
  // A current stream with neither metadata nor records yet.
  if (current && !current_seen && *current > after) {
    auto pos = out.begin();
    while (pos != out.end() && streamNumberFromLabel(pos->label).value_or(0) < *current) ++pos;
    out.insert(pos, StreamSummary{t.def.name, t.def.stream_label});
  }
  return Status::OK();
}

}  // namespace

std::string newerStreamLabel(std::string label, std::string_view previous) {
  auto prev = streamNumberFromLabel(previous);
  auto cur = streamNumberFromLabel(label);
  if (prev && (!cur || *cur <= *prev)) return streamLabelOf(*prev + 1);
  return label;
}

void recordStreamChange(kv::Transaction& txn, uint64_t table_id, const StreamSpec& before,
                        std::string_view before_label, const StreamSpec& after, std::string_view after_label,
                        double now) {
  const auto now_ms = static_cast<int64_t>(now * 1000);
  if (before.enabled && !after.enabled) {
    if (auto no = streamNumberFromLabel(before_label)) {
      StreamMeta m;
      m.view_type = before.view_type;
      m.enabled_ms = static_cast<int64_t>(*no);
      m.disabled_ms = now_ms > 0 ? now_ms : 1;
      txn.set(streamRecordPrefix(table_id, *no), encodeStreamMeta(m));
    }
  }
  if (after.enabled && after_label != before_label) {
    if (auto no = streamNumberFromLabel(after_label)) {
      StreamMeta m;
      m.view_type = after.view_type;
      m.enabled_ms = static_cast<int64_t>(*no);
      txn.set(streamRecordPrefix(table_id, *no), encodeStreamMeta(m));
    }
  }
}

Status appendStreamRecord(kv::Transaction& txn, const TableDefinition& def, const model::Item* old_item,
                          const model::Item* new_item, bool ttl_delete) {
  if (!streamEnabled(def)) return Status::OK();
  if (!old_item && !new_item) return Status::OK();
  // DynamoDB writes no record for a write that leaves the item as it was
  // (values compare semantically: sets as sets, numbers by value).
  if (old_item && new_item && *old_item == *new_item) return Status::OK();
  auto no = streamNumberFromLabel(def.stream_label);
  if (!no) return Status::Internal("stream: bad stream label " + def.stream_label);

  StreamEvent event = !old_item ? StreamEvent::kInsert : (!new_item ? StreamEvent::kRemove : StreamEvent::kModify);
  model::Item keys = extractKey(def, new_item ? *new_item : *old_item);
  const std::string& view = def.stream.view_type;
  const bool want_new = view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES";
  const bool want_old = view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES";
  const model::Item* new_image = want_new ? new_item : nullptr;
  const model::Item* old_image = want_old ? old_item : nullptr;
  size_t size = model::itemSize(keys);
  if (new_image) size += model::itemSize(*new_image);
  if (old_image) size += model::itemSize(*old_image);

  std::string value;
  encodeStreamRecordValue(value, event, ttl_delete, nowMs(), static_cast<uint32_t>(size), keys, new_image,
                          old_image);
  txn.setVersionstampedKey(streamRecordPrefix(def.id, *no), {}, value);
  return Status::OK();
}

Result<ListStreamsResult> Database::listStreams(std::optional<std::string_view> table,
                                                std::string_view exclusive_table, std::string_view exclusive_label,
                                                size_t limit) {
  auto txn = store_.begin();
  ListStreamsResult out;
  if (limit == 0) return out;
  const int64_t now = nowMs();
  const uint64_t after_no = streamNumberFromLabel(exclusive_label).value_or(0);
  std::vector<std::pair<uint64_t, uint64_t>> expired;  // (table id, stream number)
  std::vector<StreamSummary> found;
  std::vector<uint64_t> gone;
  // Adds the streams of one table; true when the limit is reached.
  auto addTable = [&](const TableInfo& t) -> Result<bool> {
    found.clear();
    gone.clear();
    const uint64_t after = t.def.name == exclusive_table ? after_no : 0;
    FDYNO_RETURN_IF_ERROR(streamsOf(*txn, t, after, now, found, gone));
    for (uint64_t no : gone) expired.emplace_back(t.def.id, no);
    for (auto& f : found) {
      out.streams.push_back(std::move(f));
      if (out.streams.size() == limit) {
        out.last = out.streams.back();
        return true;
      }
    }
    return false;
  };
  if (table) {
    if (exclusive_table.empty() || exclusive_table <= *table) {
      FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(*txn, *table));
      if (t) FDYNO_RETURN_IF_ERROR(addTable(*t).status());
    }
  } else {
    // From the exclusive table itself (it may have newer streams left).
    std::string begin = exclusive_table.empty() ? keys::tableNamesBegin() : keys::tableNameKey(exclusive_table);
    const std::string end = keys::tableNamesEnd();
    bool done = false;
    while (!done) {
      kv::RangeOptions opts;
      opts.limit = 256;
      FDYNO_ASSIGN_OR_RETURN(auto range, txn->getRange(begin, end, opts, /*snapshot=*/true));
      for (const auto& pair : range.pairs) {
        FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.resolve(*txn, keys::tableNameFromKey(pair.key)));
        if (!t) continue;
        FDYNO_ASSIGN_OR_RETURN(done, addTable(*t));
        if (done) break;
      }
      if (done || !range.more || range.pairs.empty()) break;
      begin = range.pairs.back().key;
      begin.push_back('\0');
    }
  }
  if (!expired.empty()) {
    // Lazy retention of streams disabled more than 24 h ago: records and
    // metadata go. Best effort: a failure only delays it.
    Status st = kv::runTransaction(store_, [&](kv::Transaction& t) -> Status {
      for (auto [id, no] : expired) t.clearRange(streamRecordPrefix(id, no), streamRecordPrefix(id, no + 1));
      return Status::OK();
    });
    (void)st;
  }
  return out;
}

Result<StreamInfo> Database::describeStream(std::string_view table, std::string_view label) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(ResolvedStream s, resolveStream(*txn, catalog_, table, label));
  StreamInfo info;
  info.label = std::string(label);
  info.enabled = s.enabled;
  info.view_type = s.view_type;
  info.shard_id = streamShardId(s.table->def.id, s.number);
  const std::string begin = recordsBegin(s.prefix);
  kv::RangeOptions first;
  first.limit = 1;
  FDYNO_ASSIGN_OR_RETURN(auto head, txn->getRange(begin, s.end, first, /*snapshot=*/true));
  if (!head.pairs.empty()) {
    info.starting_sequence = sequenceNumberOf(std::string_view(head.pairs[0].key).substr(s.prefix.size()));
  } else {
    // No record yet: every later record commits after this read version.
    info.starting_sequence = sequenceNumberOf(positionOfVersion(txn->readVersion() + 1));
  }
  if (!info.enabled) {
    // A closed shard ends at its last record (at its start when empty).
    info.ending_sequence = info.starting_sequence;
    kv::RangeOptions last;
    last.limit = 1;
    last.reverse = true;
    FDYNO_ASSIGN_OR_RETURN(auto tail, txn->getRange(begin, s.end, last, /*snapshot=*/true));
    if (!tail.pairs.empty()) {
      info.ending_sequence = sequenceNumberOf(std::string_view(tail.pairs[0].key).substr(s.prefix.size()));
    }
  }
  info.table = std::move(s.table);
  return info;
}

Result<std::string> Database::streamLatestPosition(std::string_view table, std::string_view label) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(ResolvedStream s, resolveStream(*txn, catalog_, table, label));
  return positionOfVersion(txn->readVersion() + 1);
}

Result<StreamReadResult> Database::readStream(std::string_view table, std::string_view label, std::string_view from,
                                              size_t limit, size_t byte_limit) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(ResolvedStream s, resolveStream(*txn, catalog_, table, label));
  std::string begin = s.prefix;
  begin.append(from);
  if (begin < recordsBegin(s.prefix)) begin = recordsBegin(s.prefix);
  kv::RangeOptions opts;
  opts.limit = limit;
  opts.byte_limit = byte_limit;
  FDYNO_ASSIGN_OR_RETURN(auto range, txn->getRange(begin, s.end, opts, /*snapshot=*/true));

  StreamReadResult out;
  out.view_type = s.view_type;
  out.next = std::string(from);
  const int64_t horizon = nowMs() - kStreamRetentionMs;
  // Records in [begin, trim_end) are past retention. Expiry is by each
  // record's wall-clock time, which need not follow commit order (clock
  // steps, concurrent writers): only the leading run of expired records is
  // trimmed, never past a live one.
  std::string trim_end;
  bool leading_expired = true;
  for (const auto& pair : range.pairs) {
    std::string_view pos = std::string_view(pair.key).substr(s.prefix.size());
    out.next = positionAfter(pos);
    FDYNO_ASSIGN_OR_RETURN(int64_t created, streamRecordCreatedMs(pair.value));
    if (created < horizon) {
      if (leading_expired) trim_end = s.prefix + out.next;
      continue;
    }
    leading_expired = false;
    auto rec = decodeStreamRecord(pos, pair.value);
    if (!rec.ok()) {
      // A record that does not decode is reported and skipped; the shard's
      // other records are still served (stored_item.h).
      (void)reportUndecodableItem("stream record read", rec.status());
      continue;
    }
    out.records.push_back(std::move(rec).value());
  }
  out.drained = !s.enabled && !range.more;
  out.table = s.table;
  if (!trim_end.empty()) {
    // Lazy retention. Starts at `begin` (never below the records), not at the
    // first record: records before it were not checked. Best effort: a
    // failure only delays it.
    Status st = kv::runTransaction(store_, [&](kv::Transaction& t) -> Status {
      t.clearRange(begin, trim_end);  // keeps the metadata key
      return Status::OK();
    });
    (void)st;
  }
  return out;
}

}  // namespace fdyno::engine

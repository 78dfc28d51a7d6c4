// DynamoDB Streams API (target prefix DynamoDBStreams_20120810): ListStreams,
// DescribeStream, GetShardIterator, GetRecords. Storage and record rules are
// the engine's (engine/streams.h); this file owns the wire shapes, the ARN
// and shard iterator formats and DynamoDB Streams' validation.
//
// Stream ARN: <table ARN>/stream/<label> (label = ISO 8601 time the stream
// was enabled, engine/table_ops.cc). A malformed ARN is a ValidationException
// ("Invalid StreamArn"), a well-formed one naming a missing table or an old
// label a ResourceNotFoundException.
//
// Shard iterator: "<stream ARN>|1|<hex>", like DynamoDB's "<arn>|1|<opaque>".
// The hex part is the 10-byte start position, the 8-byte creation time (ms)
// and a 4-byte check, so a tampered or foreign token is a ValidationException
// and one older than 15 minutes an ExpiredIteratorException.
#include <chrono>
#include <cstdio>
#include <string>

#include "api/api_error.h"
#include "api/handlers.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/database.h"
#include "engine/streams.h"
#include "model/json_codec.h"

namespace fdyno::api {

namespace {

constexpr int64_t kIteratorLifetimeMs = 15 * 60 * 1000;
constexpr int64_t kIteratorClockSkewMs = 60 * 1000;  // future created_ms tolerated
constexpr size_t kGetRecordsByteLimit = 1 << 20;  // DynamoDB Streams: 1 MB per GetRecords
constexpr int64_t kMaxGetRecordsLimit = 1000;
constexpr int64_t kMaxListLimit = 100;

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct StreamName {
  std::string table;
  std::string label;
};

ApiError invalidArn(std::string_view arn) {
  return ApiError::validation("Invalid StreamArn: " + std::string(arn));
}

ApiError streamNotFound(std::string_view arn) {
  return ApiError::resourceNotFound("Requested resource not found: Stream: " + std::string(arn) + " not found");
}

// "arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL".
StreamName parseStreamArn(std::string_view arn, const engine::DatabaseOptions& opts) {
  std::string prefix = "arn:aws:dynamodb:" + opts.region + ":" + opts.account_id + ":table/";
  if (arn.substr(0, 4) != "arn:") throw invalidArn(arn);
  size_t marker = arn.rfind("/stream/");
  size_t res = arn.find(":table/");
  if (marker == std::string_view::npos || res == std::string_view::npos || res + 7 > marker) throw invalidArn(arn);
  StreamName n;
  n.table = std::string(arn.substr(res + 7, marker - (res + 7)));
  n.label = std::string(arn.substr(marker + 8));
  if (n.table.empty() || !isValidTableNameChars(n.table) || n.table.size() > 255 ||
      !engine::streamNumberFromLabel(n.label)) {
    throw invalidArn(arn);
  }
  // Another region or account: well formed, but no such stream here.
  if (arn.substr(0, prefix.size()) != prefix) throw streamNotFound(arn);
  return n;
}

std::string streamArn(const engine::DatabaseOptions& opts, std::string_view table, std::string_view label) {
  return engine::tableArn(opts.region, opts.account_id, table) + "/stream/" + std::string(label);
}

// Status from the engine: kNotFound is the stream's ResourceNotFoundException.
[[noreturn]] void throwStreamStatus(const Status& st, std::string_view arn) {
  if (st.code() == StatusCode::kNotFound) throw streamNotFound(arn);
  throwStatus(st);
}

uint32_t check32(std::string_view s) {
  uint32_t h = 2166136261u;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  return h;
}

void appendHex(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : bytes) {
    auto b = static_cast<uint8_t>(c);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
}

bool fromHex(std::string_view hex, std::string& out) {
  if (hex.size() % 2 != 0) return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nib(hex[i]), lo = nib(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

std::string makeIterator(std::string_view arn, std::string_view position, int64_t created_ms) {
  std::string payload(position);
  for (int i = 7; i >= 0; --i) payload.push_back(static_cast<char>((static_cast<uint64_t>(created_ms) >> (8 * i)) & 0xff));
  std::string out(arn);
  out.append("|1|");
  appendHex(out, payload);
  uint32_t c = check32(std::string(arn) + payload);
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", c);
  out.append(buf);
  return out;
}

struct ParsedIterator {
  std::string arn;
  std::string position;
  int64_t created_ms = 0;
};

// `now` (ms) bounds the creation time: the check word is no secret, so a
// client can forge any created_ms; one before 1970 or from the future
// (beyond clock skew) is invalid, which also keeps `now - created_ms` from
// overflowing.
ParsedIterator parseIterator(std::string_view it, int64_t now) {
  ApiError bad = ApiError::validation("Invalid ShardIterator: " + std::string(it));
  size_t bar = it.find("|1|");
  if (bar == std::string_view::npos) throw bad;
  ParsedIterator p;
  p.arn = std::string(it.substr(0, bar));
  std::string_view hex = it.substr(bar + 3);
  std::string payload;
  if (hex.size() != 2 * (engine::kStreamPositionBytes + 8) + 8 ||
      !fromHex(hex.substr(0, hex.size() - 8), payload)) {
    throw bad;
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", check32(p.arn + payload));
  if (hex.substr(hex.size() - 8) != buf) throw bad;
  p.position = payload.substr(0, engine::kStreamPositionBytes);
  uint64_t ms = 0;
  for (size_t i = engine::kStreamPositionBytes; i < payload.size(); ++i) ms = (ms << 8) | static_cast<uint8_t>(payload[i]);
  p.created_ms = static_cast<int64_t>(ms);
  if (p.created_ms < 0 || p.created_ms > now + kIteratorClockSkewMs) throw bad;
  return p;
}

void writeRecord(JsonWriter& w, const engine::StreamRecord& r, const engine::TableDefinition& def,
                 std::string_view view_type, const engine::DatabaseOptions& opts) {
  w.beginObject();
  w.field("awsRegion", opts.region);
  w.key("dynamodb").beginObject();
  w.key("ApproximateCreationDateTime").number(static_cast<int64_t>(r.created_ms / 1000));
  w.key("Keys");
  model::writeItem(w, r.keys);
  if (r.new_image) {
    w.key("NewImage");
    model::writeItem(w, *r.new_image);
  }
  if (r.old_image) {
    w.key("OldImage");
    model::writeItem(w, *r.old_image);
  }
  w.field("SequenceNumber", engine::sequenceNumberOf(r.position));
  w.field("SizeBytes", static_cast<int64_t>(r.size_bytes));
  if (!view_type.empty()) w.field("StreamViewType", view_type);
  w.endObject();
  w.field("eventID", engine::streamEventId(def.id, r.position));
  w.field("eventName", engine::streamEventName(r.event));
  w.field("eventSource", "aws:dynamodb");
  w.field("eventVersion", "1.1");
  if (r.ttl_delete) {
    w.key("userIdentity").beginObject();
    w.field("PrincipalId", "dynamodb.amazonaws.com").field("Type", "Service");
    w.endObject();
  }
  w.endObject();
}

void checkLimit(std::optional<int64_t> limit, int64_t max, ConstraintErrors& errors) {
  if (!limit) return;
  if (*limit < 1) errors.valueAtLeast(*limit, "limit", 1);
  if (*limit > max) errors.valueAtMost(*limit, "limit", max);
}

void checkShardId(std::string_view id, std::string_view path, ConstraintErrors& errors) {
  if (id.size() < 28) errors.lengthAtLeast(id, path, 28);
  if (id.size() > 65) errors.lengthAtMost(id, path, 65);
}

void checkArnLength(std::optional<std::string_view> arn, std::string_view path, ConstraintErrors& errors) {
  if (!arn) return;
  if (arn->size() < 37) errors.lengthAtLeast(*arn, path, 37);
  if (arn->size() > 1024) errors.lengthAtMost(*arn, path, 1024);
}

}  // namespace

std::string listStreams(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto table = req.getString("TableName");
  auto limit = req.getLong("Limit");
  auto start = req.getString("ExclusiveStartStreamArn");
  ConstraintErrors errors;
  if (table) checkExistingTableName(table, errors);
  checkLimit(limit, kMaxListLimit, errors);
  checkArnLength(start, "exclusiveStartStreamArn", errors);
  errors.throwIfAny();
  const auto& opts = db.options();
  StreamName after;
  if (start) after = parseStreamArn(*start, opts);
  auto r = db.listStreams(table, after.table, after.label, limit ? static_cast<size_t>(*limit) : kMaxListLimit);
  if (!r.ok()) throwStatus(r.status());
  JsonWriter w;
  w.beginObject();
  if (r->last) w.field("LastEvaluatedStreamArn", streamArn(opts, r->last->table_name, r->last->label));
  w.key("Streams").beginArray();
  for (const auto& s : r->streams) {
    w.beginObject();
    w.field("StreamArn", streamArn(opts, s.table_name, s.label));
    w.field("StreamLabel", s.label);
    w.field("TableName", s.table_name);
    w.endObject();
  }
  w.endArray().endObject();
  return w.take();
}

std::string describeStream(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("StreamArn");
  auto limit = req.getLong("Limit");
  auto start_shard = req.getString("ExclusiveStartShardId");
  auto filter = req.getStruct("ShardFilter", "ShardFilter");
  ConstraintErrors errors;
  if (!arn) errors.notNull("streamArn");
  checkArnLength(arn, "streamArn", errors);
  checkLimit(limit, kMaxListLimit, errors);
  if (start_shard) checkShardId(*start_shard, "exclusiveStartShardId", errors);
  if (filter) {
    // ShardFilter {Type: CHILD_SHARDS, ShardId}: the children of a shard.
    auto ftype = filter->getString("Type");
    auto fshard = filter->getString("ShardId");
    if (!ftype) {
      errors.notNull("shardFilter.type");
    } else if (*ftype != "CHILD_SHARDS") {
      errors.enumValue(*ftype, "shardFilter.type", "[CHILD_SHARDS]");
    }
    if (!fshard) {
      errors.notNull("shardFilter.shardId");
    } else {
      checkShardId(*fshard, "shardFilter.shardId", errors);
    }
  }
  errors.throwIfAny();
  const auto& opts = db.options();
  StreamName name = parseStreamArn(*arn, opts);
  auto r = db.describeStream(name.table, name.label);
  if (!r.ok()) throwStreamStatus(r.status(), *arn);
  const engine::TableDefinition& def = r->table->def;
  JsonWriter w;
  w.beginObject().key("StreamDescription").beginObject();
  if (auto ms = engine::streamNumberFromLabel(name.label)) {
    w.key("CreationRequestDateTime").number(static_cast<double>(*ms) / 1000.0);
  }
  w.key("KeySchema").beginArray();
  w.beginObject().field("AttributeName", def.hash_key.name).field("KeyType", "HASH").endObject();
  if (def.range_key) w.beginObject().field("AttributeName", def.range_key->name).field("KeyType", "RANGE").endObject();
  w.endArray();
  w.key("Shards").beginArray();
  // One shard: ExclusiveStartShardId at or past it leaves nothing to list.
  // The one shard has no children: a ShardFilter leaves nothing either.
  if (!filter && (!start_shard || *start_shard < r->shard_id)) {
    w.beginObject();
    w.key("SequenceNumberRange").beginObject();
    if (r->ending_sequence) w.field("EndingSequenceNumber", *r->ending_sequence);
    w.field("StartingSequenceNumber", r->starting_sequence);
    w.endObject();
    w.field("ShardId", r->shard_id);
    w.endObject();
  }
  w.endArray();
  w.field("StreamArn", *arn);
  w.field("StreamLabel", name.label);
  w.field("StreamStatus", r->enabled ? "ENABLED" : "DISABLED");
  if (!r->view_type.empty()) w.field("StreamViewType", r->view_type);
  w.field("TableName", def.name);
  w.endObject().endObject();
  return w.take();
}

std::string getShardIterator(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("StreamArn");
  auto shard = req.getString("ShardId");
  auto type = req.getString("ShardIteratorType");
  auto seq = req.getString("SequenceNumber");
  ConstraintErrors errors;
  if (!arn) errors.notNull("streamArn");
  checkArnLength(arn, "streamArn", errors);
  if (!shard) errors.notNull("shardId");
  if (shard) checkShardId(*shard, "shardId", errors);
  if (!type) {
    errors.notNull("shardIteratorType");
  } else if (*type != "TRIM_HORIZON" && *type != "LATEST" && *type != "AT_SEQUENCE_NUMBER" &&
             *type != "AFTER_SEQUENCE_NUMBER") {
    errors.enumValue(*type, "shardIteratorType", "[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
  }
  if (seq && seq->size() < 21) errors.lengthAtLeast(*seq, "sequenceNumber", 21);
  if (seq && seq->size() > 40) errors.lengthAtMost(*seq, "sequenceNumber", 40);
  errors.throwIfAny();
  const auto& opts = db.options();
  StreamName name = parseStreamArn(*arn, opts);
  const bool by_seq = *type == "AT_SEQUENCE_NUMBER" || *type == "AFTER_SEQUENCE_NUMBER";
  if (by_seq && !seq) {
    throw ApiError::validation("Must specify a SequenceNumber when ShardIteratorType is " + std::string(*type));
  }
  if (!by_seq && seq) {
    throw ApiError::validation("Must not specify a SequenceNumber when ShardIteratorType is " + std::string(*type));
  }
  std::optional<engine::StreamPosition> seq_pos;
  if (seq) {
    seq_pos = engine::positionOfSequenceNumber(*seq);
    if (!seq_pos) throw ApiError::validation("Invalid SequenceNumber: " + std::string(*seq));
  }
  auto info = db.describeStream(name.table, name.label);
  if (!info.ok()) throwStreamStatus(info.status(), *arn);
  if (*shard != info->shard_id) {
    throw ApiError::resourceNotFound("Requested resource not found: Shard does not exist");
  }
  engine::StreamPosition pos;
  if (*type == "TRIM_HORIZON") {
    pos = std::string(engine::kStreamPositionBytes, '\0');
  } else if (*type == "LATEST") {
    auto latest = db.streamLatestPosition(name.table, name.label);
    if (!latest.ok()) throwStreamStatus(latest.status(), *arn);
    pos = std::move(*latest);
  } else if (*type == "AT_SEQUENCE_NUMBER") {
    pos = std::move(*seq_pos);
  } else {
    pos = engine::positionAfter(*seq_pos);
  }
  // TODO(streams): TrimmedDataAccessException for a sequence number older
  // than the trim horizon (needs the horizon recorded per stream).
  JsonWriter w;
  w.beginObject().field("ShardIterator", makeIterator(*arn, pos, nowMs())).endObject();
  return w.take();
}

std::string getRecords(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto iterator = req.getString("ShardIterator");
  auto limit = req.getLong("Limit");
  ConstraintErrors errors;
  if (!iterator) errors.notNull("shardIterator");
  if (iterator && iterator->empty()) errors.lengthAtLeast(*iterator, "shardIterator", 1);
  if (iterator && iterator->size() > 2048) errors.lengthAtMost(*iterator, "shardIterator", 2048);
  checkLimit(limit, kMaxGetRecordsLimit, errors);
  errors.throwIfAny();
  const int64_t now = nowMs();
  ParsedIterator it = parseIterator(*iterator, now);
  const auto& opts = db.options();
  StreamName name = parseStreamArn(it.arn, opts);
  if (now - it.created_ms > kIteratorLifetimeMs) {
    throw ApiError::dynamo("ExpiredIteratorException",
                           "Iterator expired. The iterator was created at time " + std::to_string(it.created_ms) +
                               " while right now it is " + std::to_string(now) +
                               ". The iterator is valid for 15 minutes.");
  }
  auto r = db.readStream(name.table, name.label, it.position,
                         limit ? static_cast<size_t>(*limit) : static_cast<size_t>(kMaxGetRecordsLimit),
                         kGetRecordsByteLimit);
  if (!r.ok()) throwStreamStatus(r.status(), it.arn);
  const engine::TableDefinition& def = r->table->def;
  JsonWriter w;
  w.beginObject();
  // An open shard always has a next iterator (even with no new records); a
  // closed, drained one has none, which tells readers the shard is done.
  if (!r->drained) w.field("NextShardIterator", makeIterator(it.arn, r->next, now));
  w.key("Records").beginArray();
  for (const auto& rec : r->records) writeRecord(w, rec, def, r->view_type, opts);
  w.endArray().endObject();
  return w.take();
}

}  // namespace fdyno::api

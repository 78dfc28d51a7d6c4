// Stream record codec and derived numbers. Contract in engine/stream_records.h.
#include "engine/stream_records.h"

#include <cstdio>
#include <ctime>

#include "engine/byte_codec.h"
#include "engine/storage_keys.h"
#include "model/item_codec.h"

namespace fdyno::engine {

namespace {

constexpr uint8_t kRecordFormat = 1;
constexpr uint8_t kFlagTtl = 1;

using u128 = unsigned __int128;

// 10^25: the offset that gives every sequence number 26 digits.
constexpr u128 kSeqBase = static_cast<u128>(10000000000000ULL) * static_cast<u128>(1000000000000ULL);

u128 positionValue(std::string_view pos) {
  u128 v = 0;
  for (size_t i = 0; i < pos.size() && i < kv::kVersionstampSize; ++i) v = (v << 8) | static_cast<uint8_t>(pos[i]);
  return v;
}

StreamPosition positionFromValue(u128 v) {
  StreamPosition out(kv::kVersionstampSize, '\0');
  for (size_t i = kv::kVersionstampSize; i-- > 0;) {
    out[i] = static_cast<char>(static_cast<uint8_t>(v & 0xff));
    v >>= 8;
  }
  return out;
}

constexpr u128 kMaxPosition = (static_cast<u128>(1) << 80) - 1;

Result<model::Item> decodeImage(ByteReader& r) {
  std::string_view bytes = r.view();
  if (!r.ok()) return Status::Corruption("stream record: truncated image");
  return model::decodeItem(bytes);
}

}  // namespace

std::string_view streamEventName(StreamEvent e) {
  switch (e) {
    case StreamEvent::kInsert:
      return "INSERT";
    case StreamEvent::kModify:
      return "MODIFY";
    case StreamEvent::kRemove:
      return "REMOVE";
  }
  return "MODIFY";
}

void encodeStreamRecordValue(std::string& out, StreamEvent event, bool ttl_delete, int64_t created_ms,
                             uint32_t size_bytes, const model::Item& keys, const model::Item* new_image,
                             const model::Item* old_image) {
  ByteWriter w(out);
  w.u8(kRecordFormat);
  w.u8(static_cast<uint8_t>(event));
  w.u8(ttl_delete ? kFlagTtl : 0);
  w.i64(created_ms);
  w.u32(size_bytes);
  std::string buf;
  model::encodeItem(buf, keys);
  w.str(buf);
  for (const model::Item* image : {new_image, old_image}) {
    w.boolean(image != nullptr);
    if (image) {
      buf.clear();
      model::encodeItem(buf, *image);
      w.str(buf);
    }
  }
}

Result<int64_t> streamRecordCreatedMs(std::string_view value) {
  ByteReader r(value);
  if (r.u8() != kRecordFormat) return Status::Corruption("stream record: unknown format");
  r.u8();
  r.u8();
  auto ms = static_cast<int64_t>(r.u64());
  if (!r.ok()) return Status::Corruption("stream record: truncated");
  return ms;
}

Result<StreamRecord> decodeStreamRecord(std::string_view position, std::string_view value) {
  ByteReader r(value);
  if (r.u8() != kRecordFormat) return Status::Corruption("stream record: unknown format");
  StreamRecord rec;
  rec.position = std::string(position);
  uint8_t event = r.u8();
  if (event < 1 || event > 3) return Status::Corruption("stream record: bad event");
  rec.event = static_cast<StreamEvent>(event);
  rec.ttl_delete = (r.u8() & kFlagTtl) != 0;
  rec.created_ms = static_cast<int64_t>(r.u64());
  rec.size_bytes = r.u32();
  FDYNO_ASSIGN_OR_RETURN(rec.keys, decodeImage(r));
  if (r.boolean()) {
    FDYNO_ASSIGN_OR_RETURN(auto img, decodeImage(r));
    rec.new_image = std::move(img);
  }
  if (r.boolean()) {
    FDYNO_ASSIGN_OR_RETURN(auto img, decodeImage(r));
    rec.old_image = std::move(img);
  }
  if (!r.ok()) return Status::Corruption("stream record: truncated");
  return rec;
}

std::string streamRecordPrefix(uint64_t table_id, uint64_t stream_no) {
  std::string k = keys::streamPrefix(table_id);
  keys::appendU64BE(k, stream_no);
  return k;
}

std::optional<uint64_t> streamNumberFromLabel(std::string_view label) {
  // Exactly "YYYY-MM-DDTHH:MM:SS.mmm".
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.ddd";
  if (label.size() != kShape.size()) return std::nullopt;
  for (size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd' ? (label[i] < '0' || label[i] > '9') : label[i] != kShape[i]) return std::nullopt;
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; ++i) v = v * 10 + (label[at + i] - '0');
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  time_t secs = timegm(&tm);
  if (secs < 0) return std::nullopt;
  return static_cast<uint64_t>(secs) * 1000 + static_cast<uint64_t>(num(20, 3));
}

std::string streamShardId(uint64_t table_id, uint64_t stream_no) {
  // The hex tail mixes the table id in, so that two tables whose streams
  // were enabled in the same millisecond still have distinct shard ids.
  uint64_t h = 1469598103934665603ULL;
  for (uint64_t v : {table_id, stream_no}) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ULL;
    }
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "shardId-%020llu-%08x", static_cast<unsigned long long>(stream_no),
                static_cast<unsigned>(h & 0xffffffffu));
  return buf;
}

std::string sequenceNumberOf(std::string_view position) {
  u128 v = kSeqBase + positionValue(position);
  char buf[48];
  size_t n = 0;
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  std::string out;
  out.reserve(n);
  while (n > 0) out.push_back(buf[--n]);
  return out;
}

std::optional<StreamPosition> positionOfSequenceNumber(std::string_view seq) {
  if (seq.empty() || seq.size() > 40) return std::nullopt;
  u128 v = 0;
  bool overflow = false;
  const u128 limit = kSeqBase + kMaxPosition;
  for (char c : seq) {
    if (c < '0' || c > '9') return std::nullopt;
    if (!overflow) {
      v = v * 10 + static_cast<u128>(c - '0');
      if (v > limit) overflow = true;
    }
  }
  if (overflow) return positionFromValue(kMaxPosition);
  if (v < kSeqBase) return positionFromValue(0);
  return positionFromValue(v - kSeqBase);
}

StreamPosition positionAfter(std::string_view position) {
  u128 v = positionValue(position);
  return positionFromValue(v >= kMaxPosition ? kMaxPosition : v + 1);
}

StreamPosition positionOfVersion(uint64_t version) { return positionFromValue(static_cast<u128>(version) << 16); }

std::string streamLabelOf(uint64_t ms) {
  auto secs = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::string encodeStreamMeta(const StreamMeta& m) {
  std::string out;
  ByteWriter w(out);
  w.u8(1);
  w.str(m.view_type);
  w.i64(m.enabled_ms);
  w.i64(m.disabled_ms);
  return out;
}

std::optional<StreamMeta> decodeStreamMeta(std::string_view v) {
  ByteReader r(v);
  if (r.u8() != 1) return std::nullopt;
  StreamMeta m;
  m.view_type = r.str();
  m.enabled_ms = static_cast<int64_t>(r.u64());
  m.disabled_ms = static_cast<int64_t>(r.u64());
  if (!r.ok()) return std::nullopt;
  return m;
}

std::string streamEventId(uint64_t table_id, std::string_view position) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (size_t i = 0; i < kv::kVersionstampSize; ++i) {
    auto b = static_cast<uint8_t>(i < position.size() ? position[i] : 0);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  for (int i = 5; i >= 0; --i) {
    auto b = static_cast<uint8_t>((table_id >> (8 * i)) & 0xff);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace fdyno::engine

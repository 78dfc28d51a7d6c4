// Table tags: the rules (pure checks) and the Database operations that read
// and change them. Contract and storage layout: engine/tags.h.
#include "engine/tags.h"

#include <map>
#include <set>

#include "common/utf8.h"
#include "engine/database.h"
#include "engine/storage_keys.h"

namespace fdyno::engine {

namespace {

constexpr std::string_view kAwsPrefix = "aws:";

bool inRange(int32_t cp, int32_t lo, int32_t hi) { return cp >= lo && cp <= hi; }

// DynamoDB checks tags against the AWS tag pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]*.
// ASCII is exact. Beyond ASCII we have no Unicode tables, so this accepts
// letters of every script and rejects the blocks that hold only (or mostly)
// punctuation, symbols, controls, marks and emoji, which is what the service
// was seen to reject ('🔑', '×', '…'); a rare punctuation mark inside a
// letter block (e.g. the Arabic comma) is accepted by this approximation.
bool allowedCodePoint(int32_t cp) {
  if (cp < 0x80) {
    auto c = static_cast<char>(cp);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' ||
           c == '.' || c == ':' || c == '/' || c == '=' || c == '+' || c == '-' || c == '@';
  }
  if (cp <= 0x9F) return false;  // C1 controls
  if (cp <= 0xBF) {
    // Latin-1 punctuation and symbols, except NBSP (Zs), ª º µ (L) and
    // ² ³ ¹ ¼ ½ ¾ (N).
    return cp == 0xA0 || cp == 0xAA || cp == 0xBA || cp == 0xB5 || cp == 0xB2 || cp == 0xB3 || cp == 0xB9 ||
           inRange(cp, 0xBC, 0xBE);
  }
  if (cp == 0xD7 || cp == 0xF7) return false;  // × ÷
  if (inRange(cp, 0x0300, 0x036F)) return false;  // combining marks
  if (inRange(cp, 0x2000, 0x206F)) {
    // General punctuation: only the space separators are allowed.
    return inRange(cp, 0x2000, 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F;
  }
  if (inRange(cp, 0x20A0, 0x20FF)) return false;  // currency, combining marks for symbols
  if (inRange(cp, 0x2460, 0x249B) || inRange(cp, 0x24EA, 0x24FF) || inRange(cp, 0x2776, 0x2793)) return true;
  if (inRange(cp, 0x2190, 0x2BFF)) return false;  // arrows, math, technical, shapes, dingbats
  if (inRange(cp, 0x2E00, 0x2E7F)) return false;  // supplemental punctuation
  if (inRange(cp, 0x3000, 0x303F)) {
    // CJK symbols: the ideographic space and the few letters/numbers only.
    return cp == 0x3000 || inRange(cp, 0x3005, 0x3007) || inRange(cp, 0x3021, 0x3029) || inRange(cp, 0x3031, 0x3035);
  }
  if (inRange(cp, 0xE000, 0xF8FF)) return false;  // private use
  if (inRange(cp, 0xFE00, 0xFE6F)) return false;  // variation selectors, punctuation forms
  if (inRange(cp, 0xFF01, 0xFF0F) || inRange(cp, 0xFF1A, 0xFF20) || inRange(cp, 0xFF3B, 0xFF40) ||
      inRange(cp, 0xFF5B, 0xFF65)) {
    return false;  // fullwidth punctuation
  }
  if (inRange(cp, 0xFFF0, 0xFFFF)) return false;    // specials
  if (inRange(cp, 0x1F000, 0x1FAFF)) return false;  // emoji and pictographs
  if (cp >= 0xE0000) return false;                  // tag characters, private use planes
  return true;
}

bool validKey(std::string_view k) {
  size_t n = utf8Length(k);
  return n >= 1 && n <= kMaxTagKeyChars && isValidTagText(k);
}

bool validValue(std::string_view v) { return utf8Length(v) <= kMaxTagValueChars && isValidTagText(v); }

Status invalidKey(const std::optional<std::string>& k) {
  return Status::InvalidArgument("The Tag Key provided is invalid, Key: " + (k ? *k : std::string("null")));
}

Status checkTagsImpl(const std::vector<TagInput>& tags) {
  for (const auto& t : tags) {
    if (!t.key || !validKey(*t.key)) return invalidKey(t.key);
    if (!t.value || !validValue(*t.value)) {
      return Status::InvalidArgument("The Tag Value provided is invalid, Value: " +
                                     (t.value ? *t.value : std::string("null")));
    }
    if (t.key->compare(0, kAwsPrefix.size(), kAwsPrefix) == 0) {
      return Status::InvalidArgument("Tag Key cannot be prefixed with aws:, Key: " + *t.key);
    }
  }
  // Duplicates: a request is a set of tags, so "which value wins" has no answer.
  std::set<std::string_view> seen;
  for (const auto& t : tags) {
    if (!seen.insert(*t.key).second) {
      return Status::InvalidArgument("Duplicate Tag Keys provided as input: Duplicate Tag Key found " + *t.key);
    }
  }
  if (tags.size() > kMaxTagsPerTable) return Status::InvalidArgument(kTagLimitExceeded);
  return Status::OK();
}

std::string tableNotFound(std::string_view name) {
  return "Requested resource not found: Table: " + std::string(name) + " not found";
}

// The table's tags as stored: legacy definition tags first, kv tags over
// them. `snapshot` false puts the whole tag range in the read-conflict set,
// so two concurrent tag changes of one table serialize.
Status readTags(kv::Transaction& txn, const TableInfo& t, bool snapshot, std::map<std::string, std::string>* out) {
  out->clear();
  for (const auto& tag : t.def.tags) (*out)[tag.key] = tag.value;
  FDYNO_ASSIGN_OR_RETURN(auto range,
                         txn.getRange(keys::tagsBegin(t.def.id), keys::tagsEnd(t.def.id), {}, snapshot));
  size_t prefix = keys::tagsBegin(t.def.id).size();
  for (auto& kv : range.pairs) (*out)[kv.key.substr(prefix)] = std::move(kv.value);
  return Status::OK();
}

// Moves legacy definition tags to kv (they are all in `current` already):
// the definition is rewritten without them, generation + 1.
std::optional<TableDefinition> migrateLegacyTags(kv::Transaction& txn, const TableInfo& t) {
  if (t.def.tags.empty()) return std::nullopt;
  for (const auto& tag : t.def.tags) txn.set(keys::tagKey(t.def.id, tag.key), tag.value);
  TableDefinition def = t.def;
  def.tags.clear();
  def.generation += 1;
  Catalog::store(txn, def);
  return def;
}

}  // namespace

size_t utf8Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    utf8Next(s, i);
    ++n;
  }
  return n;
}

bool isValidTagText(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    int32_t cp = utf8Next(s, i);
    if (cp < 0 || !allowedCodePoint(cp)) return false;
  }
  return true;
}

Status checkTags(const std::vector<TagInput>& tags) {
  if (tags.empty()) return Status::InvalidArgument("Atleast one Tag needs to be provided as Input.");
  return checkTagsImpl(tags);
}

Status checkCreateTableTags(const std::vector<Tag>& tags) {
  std::vector<TagInput> in;
  in.reserve(tags.size());
  for (const auto& t : tags) in.push_back({t.key, t.value});
  return checkTagsImpl(in);
}

Status checkTagKeys(const std::vector<std::string>& keys) {
  if (keys.empty()) return Status::InvalidArgument("Atleast one Tag Key needs to be provided as Input.");
  for (const auto& k : keys) {
    if (!validKey(k)) return invalidKey(k);
  }
  if (keys.size() > kMaxTagsPerTable) return Status::InvalidArgument(kTagLimitExceeded);
  return Status::OK();
}

namespace keys {

std::string tagsBegin(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(kTagSpace);
  return k;
}

std::string tagsEnd(uint64_t table_id) {
  std::string k = tableBegin(table_id);
  k.push_back(static_cast<char>(kTagSpace + 1));
  return k;
}

std::string tagKey(uint64_t table_id, std::string_view tag_key) {
  std::string k = tagsBegin(table_id);
  k.append(tag_key);
  return k;
}

}  // namespace keys

Result<std::vector<Tag>> Database::listTags(std::string_view table) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(*txn, table));
  if (!t) return Status::NotFound(tableNotFound(table));
  std::map<std::string, std::string> tags;
  FDYNO_RETURN_IF_ERROR(readTags(*txn, *t, /*snapshot=*/true, &tags));
  std::vector<Tag> out;
  out.reserve(tags.size());
  for (auto& [k, v] : tags) out.push_back({k, std::move(v)});
  return out;  // read-only: one snapshot, no commit needed
}

Status Database::tagTable(std::string_view table, const std::vector<Tag>& tags) {
  std::optional<TableDefinition> migrated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    migrated.reset();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, table));
    if (!t) return Status::NotFound(tableNotFound(table));
    std::map<std::string, std::string> current;
    FDYNO_RETURN_IF_ERROR(readTags(txn, *t, /*snapshot=*/false, &current));
    // The limit applies to the merged set: re-tagging existing keys at 50 is
    // fine, any new key beyond 50 is not.
    size_t added = 0;
    for (const auto& tag : tags) added += current.count(tag.key) ? 0 : 1;
    if (current.size() + added > kMaxTagsPerTable) return Status::InvalidArgument(kTagLimitExceeded);
    migrated = migrateLegacyTags(txn, *t);
    for (const auto& tag : tags) txn.set(keys::tagKey(t->def.id, tag.key), tag.value);
    return Status::OK();
  });
  if (st.ok() && migrated) catalog_.remember(std::make_shared<const TableInfo>(std::move(*migrated)));
  return st;
}

Status Database::untagTable(std::string_view table, const std::vector<std::string>& tag_keys) {
  std::optional<TableDefinition> migrated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    migrated.reset();
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, table));
    if (!t) return Status::NotFound(tableNotFound(table));
    // Read (non-snapshot) so that a concurrent TagResource of one of these
    // keys is ordered with this removal rather than lost in a blind write.
    std::map<std::string, std::string> current;
    FDYNO_RETURN_IF_ERROR(readTags(txn, *t, /*snapshot=*/false, &current));
    migrated = migrateLegacyTags(txn, *t);
    // Removing a key that is not there is not an error (DynamoDB's rule).
    for (const auto& k : tag_keys) txn.clear(keys::tagKey(t->def.id, k));
    return Status::OK();
  });
  if (st.ok() && migrated) catalog_.remember(std::make_shared<const TableInfo>(std::move(*migrated)));
  return st;
}

}  // namespace fdyno::engine

// Tag rules of TagResource, UntagResource and CreateTable. Contract in
// api/tag_rules.h.
#include "api/tag_rules.h"

#include <set>

#include "common/utf8.h"
#include "engine/tags.h"

namespace fdyno::api {

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
  return n >= 1 && n <= engine::kMaxTagKeyChars && isValidTagText(k);
}

bool validValue(std::string_view v) { return utf8Length(v) <= engine::kMaxTagValueChars && isValidTagText(v); }

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
  if (tags.size() > engine::kMaxTagsPerTable) return Status::InvalidArgument(ErrorReason::kTagLimitExceeded);
  return Status::OK();
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

Status checkCreateTableTags(const std::vector<engine::Tag>& tags) {
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
  if (keys.size() > engine::kMaxTagsPerTable) return Status::InvalidArgument(ErrorReason::kTagLimitExceeded);
  return Status::OK();
}

}  // namespace fdyno::api

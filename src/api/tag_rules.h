// tag_rules: the checks of a request's tags that need no stored state
// (TagResource, UntagResource, CreateTable's Tags), with DynamoDB's messages.
// The rules themselves are listed in engine/tags.h; the engine checks the
// limit on the merged set of a table's tags.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/table_definition.h"

namespace fdyno::api {

// One tag as the client sent it: Key or Value may be missing.
struct TagInput {
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// The checks of a TagResource/CreateTable tag list that need no stored
// state, in DynamoDB's order: empty list; per tag (in order) key, value, the
// "aws:" prefix; duplicate keys; more than 50 in the request. kInvalidArgument:
//   "Atleast one Tag needs to be provided as Input."
//   "The Tag Key provided is invalid, Key: <key>"      ("Key: null" when missing)
//   "The Tag Value provided is invalid, Value: <value>" ("Value: null" when missing)
//   "Tag Key cannot be prefixed with aws:, Key: <key>"
//   "Duplicate Tag Keys provided as input: Duplicate Tag Key found <key>"
//   kInvalidArgument ErrorReason::kTagLimitExceeded
[[nodiscard]] Status checkTags(const std::vector<TagInput>& tags);
// CreateTable: the same checks, except that no tags at all is fine.
[[nodiscard]] Status checkCreateTableTags(const std::vector<engine::Tag>& tags);
// UntagResource's TagKeys: "Atleast one Tag Key needs to be provided as
// Input.", each key's rule (above), more than 50 keys (kInvalidArgument ErrorReason::kTagLimitExceeded).
[[nodiscard]] Status checkTagKeys(const std::vector<std::string>& keys);

// True if `s` is valid UTF-8 made only of characters a tag allows.
bool isValidTagText(std::string_view s);
// Number of Unicode code points in UTF-8 text (invalid bytes count one each).
size_t utf8Length(std::string_view s);

}  // namespace fdyno::api

// tags: DynamoDB table tags (TagResource, UntagResource, ListTagsOfResource
// and CreateTable's Tags), their rules and where they are stored.
//
// Storage (docs/storage-layout.md, "Tags"): one kv pair per tag,
//   02 <table id: u64 BE> 04 <tag key bytes>  ->  tag value bytes
// inside the table's key range, so DeleteTable's single clearRange removes
// them, and a table re-created under the same name (new id) starts untagged.
// Tags are not part of the table definition: tagging does not bump the
// table's generation, so it never makes item writers conflict or refresh
// their cached definition. (Definitions written before this layout may carry
// CreateTable's tags in TableDefinition::tags; the Database methods below
// treat them as stored tags and move them to kv at the next tag change.)
//
// Rules (DynamoDB's, as observed on the service in 2026). Those of a
// request alone are checked by the api layer (api/tag_rules.h); the engine
// checks only the merged limit (kInvalidArgument kTagLimitExceeded):
// - A key is 1..128 characters, a value 0..256 (Unicode characters, not
//   bytes); both only letters, numbers, space separators and + - = . _ : / @.
// - A key may not start with "aws:"; a request may not repeat a key.
// - At most 50 tags per table, counted after merging the request into the
//   existing tags (re-tagging an existing key at 50 is fine). It is a
//   ValidationException, not LimitExceededException.
// - TagResource with no tags / UntagResource with no keys are errors.
// - A request is all or nothing: one bad tag rejects every tag in it.
//
// Thread safety: the Database methods
// (engine/database.h) run in their own kv transactions; concurrent taggers of
// one table conflict on the tag range they read and retry, so no change is
// lost (Alternator's test_concurrent_tag).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/table_definition.h"

namespace fdyno::engine {

inline constexpr size_t kMaxTagsPerTable = 50;
inline constexpr size_t kMaxTagKeyChars = 128;
inline constexpr size_t kMaxTagValueChars = 256;

namespace keys {
inline constexpr char kTagSpace = '\x04';  // after the counters (03)
std::string tagKey(uint64_t table_id, std::string_view tag_key);
// [tagsBegin(id), tagsEnd(id)) holds every tag of the table and nothing else.
std::string tagsBegin(uint64_t table_id);
std::string tagsEnd(uint64_t table_id);
}  // namespace keys

}  // namespace fdyno::engine

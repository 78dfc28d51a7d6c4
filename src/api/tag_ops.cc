// Tagging: TagResource, UntagResource, ListTagsOfResource. Tags belong to
// tables and are addressed by the table ARN. The rules of tags themselves
// live in engine/tags.h (shared with CreateTable's Tags).
//
// Validation order, as observed on DynamoDB (2026 captures of the service;
// older dynalite recordings where newer ones are silent):
//  1. Shapes (SerializationException), then the required list member
//     (Tags / TagKeys: "Value null at 'tags' ... Member must not be null").
//  2. The ARN (parseTableArn below).
//  3. The tags (checkTags / checkTagKeys), all or nothing.
//  4. The table must exist: ResourceNotFoundException
//     "Requested resource not found: ResourceArn: <arn> not found".
//  5. The 50-tag limit on the merged set (engine).
// TagResource and UntagResource answer 200 with an EMPTY body (not "{}"),
// like DynamoDB (Alternator's test_tags_return_empty_body).
#include <optional>
#include <string>
#include <vector>

#include "api/handlers.h"
#include "api/request.h"
#include "api/tag_rules.h"
#include "common/json_writer.h"
#include "engine/database.h"
#include "engine/tags.h"

namespace fdyno::api {

namespace {

ApiError accessDenied() {
  // Coral's AccessDeniedException spells its message key "Message".
  return ApiError(std::string(kCoralService) + "AccessDeniedException", "Access is denied", 400, "Message");
}

ApiError invalidTableArn(std::string_view arn) {
  return ApiError::validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(arn));
}

// The table named by a table ARN "arn:aws:dynamodb:REGION:ACCOUNT:table/NAME".
// DynamoDB's answers by ARN form:
//   absent or empty                   ValidationException "Invalid TableArn"
//   not starting with "arn:"          ValidationException "One or more parameter values were
//                                     invalid: ARNs must start with 'arn:': <arn>"
//   not a DynamoDB ARN (other service,
//   partition, or malformed)          AccessDeniedException "Access is denied"
//   another account                   AccessDeniedException "Access is denied"
//   another region, a resource that
//   is not table/NAME (index and
//   stream ARNs), a bad table name    ValidationException "Invalid TableArn: Invalid ResourceArn
//                                     provided as input <arn>"
std::string parseTableArn(std::optional<std::string_view> arn, const engine::DatabaseOptions& opts) {
  if (!arn || arn->empty()) throw ApiError::validation("Invalid TableArn");
  if (arn->substr(0, 4) != "arn:") {
    throw ApiError::validation("One or more parameter values were invalid: ARNs must start with 'arn:': " +
                               std::string(*arn));
  }
  // arn : partition : service : region : account : resource
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (parts.size() < 5) {
    size_t colon = arn->find(':', pos);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn->substr(pos, colon - pos));
    pos = colon + 1;
  }
  if (parts.size() < 5) throw accessDenied();
  std::string_view resource = arn->substr(pos);
  if (parts[1] != "aws" || parts[2] != "dynamodb") throw accessDenied();
  if (parts[4] != opts.account_id) throw accessDenied();
  if (parts[3] != opts.region) throw invalidTableArn(*arn);
  constexpr std::string_view kTablePrefix = "table/";
  if (resource.substr(0, kTablePrefix.size()) != kTablePrefix) throw invalidTableArn(*arn);
  std::string_view name = resource.substr(kTablePrefix.size());
  if (name.size() < 3 || name.size() > 255 || !isValidTableNameChars(name)) throw invalidTableArn(*arn);
  return std::string(name);
}

}  // namespace

std::string tagResource(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("ResourceArn");
  auto list = req.getList("Tags");
  std::vector<TagInput> tags;
  if (list) {
    for (auto e : *list) {
      RequestObject t = asListStruct(e, "Tag");
      TagInput in;
      if (auto k = t.getString("Key")) in.key = std::string(*k);
      if (auto v = t.getString("Value")) in.value = std::string(*v);
      tags.push_back(std::move(in));
    }
  }
  ConstraintErrors errors;
  if (!list) errors.notNull("tags");
  errors.throwIfAny();

  std::string table = parseTableArn(arn, db.options());
  Status st = checkTags(tags);
  if (!st.ok()) throwStatus(st);
  std::vector<engine::Tag> checked;
  checked.reserve(tags.size());
  for (auto& t : tags) checked.push_back({std::move(*t.key), std::move(*t.value)});
  st = db.tagTable(table, checked);
  if (!st.ok()) throwTagStatus(st, *arn);
  return std::string();
}

std::string untagResource(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("ResourceArn");
  auto list = req.getList("TagKeys");
  std::vector<std::string> keys;
  if (list) {
    for (auto e : *list) keys.emplace_back(asString(e));
  }
  ConstraintErrors errors;
  if (!list) errors.notNull("tagKeys");
  errors.throwIfAny();

  std::string table = parseTableArn(arn, db.options());
  Status st = checkTagKeys(keys);
  if (!st.ok()) throwStatus(st);
  st = db.untagTable(table, keys);
  if (!st.ok()) throwTagStatus(st, *arn);
  return std::string();
}

std::string listTagsOfResource(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto arn = req.getString("ResourceArn");
  // NextToken: a table has at most 50 tags and DynamoDB returns them all in
  // one page (no NextToken even at 50), so fdyno never issues a token; one
  // sent anyway is accepted and the whole list returned.
  (void)req.getString("NextToken");
  std::string table = parseTableArn(arn, db.options());
  auto r = db.listTags(table);
  if (!r.ok()) throwTagStatus(r.status(), *arn);
  JsonWriter w;
  w.beginObject().key("Tags").beginArray();
  for (const auto& t : *r) w.beginObject().field("Key", t.key).field("Value", t.value).endObject();
  w.endArray().endObject();
  return w.take();
}

}  // namespace fdyno::api

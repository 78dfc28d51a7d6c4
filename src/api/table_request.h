// table_request: request pieces shared by the control-plane operations
// (CreateTable, UpdateTable) and the secondary index definitions
// (api/index_request.h): key schemas, provisioned throughput, name lists.
//
// Same three validation phases as api/request.h: the read*() functions check
// shapes (SerializationException) and add constraint violations to a
// ConstraintErrors; the check*() functions are phase-3 semantic checks and
// throw ValidationException with DynamoDB's text.
// Thread safety: pure functions over one parsed request.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/request.h"
#include "model/attribute_value.h"

namespace fdyno::api {

// DynamoDB: capacity units above 10^12 are "out of bounds".
inline constexpr int64_t kMaxCapacityUnits = 1000000000000;

// "S" / "N" / "B" -> key attribute type; nullopt otherwise.
std::optional<model::AttrType> keyAttrType(std::string_view t);

struct ParsedThroughput {
  std::optional<int64_t> read, write;
};

// `parent`'s ProvisionedThroughput {ReadCapacityUnits, WriteCapacityUnits}:
// both required, both >= 1 (DynamoDB lists writeCapacityUnits first).
// `path_prefix` is prepended to the constraint path, e.g.
// "globalSecondaryIndexes.1.member." (empty for the table's own).
std::optional<ParsedThroughput> readThroughput(const RequestObject& parent, std::string_view path_prefix,
                                               ConstraintErrors& errors);
// "Given value N for ReadCapacityUnits is out of bounds".
void checkThroughputBounds(const ParsedThroughput& t);

// One KeySchemaElement as sent (either member may be missing).
struct RawKeyElement {
  std::optional<std::string_view> name, type;
};

// KeySchemaAttributeName (KeySchemaElement and AttributeDefinition
// members, here and in every index): Coral's constraints, length 1..255 in
// UTF-16 units as Java counts them, added at `path` ("keySchema.1.member.
// attributeName"). Phase 2, so a too-long key name is reported before any
// consistency check between KeySchema and AttributeDefinitions (Alternator
// test_limits.py "incoherent names"; AWS quotas: key names <= 255).
void checkKeyAttributeName(std::string_view name, const std::string& path, ConstraintErrors& errors);
// Coral's length of a string: UTF-16 code units (a 4-byte UTF-8 sequence is 2).
size_t utf16Length(std::string_view utf8);

// Reads a KeySchema list (`field` of `parent`); `path` is its constraint
// path ("keySchema", "globalSecondaryIndexes.1.member.keySchema"). Member
// constraints: attributeName not null and 1..255 long, keyType not null;
// keyType in [HASH, RANGE]
// only if `check_key_type` (DynamoDB does not check it inside index key
// schemas at this phase); list length >= 1 and <= `max_len` (0: no maximum).
// Returns nullopt (after adding "must not be null") if the list is absent.
std::optional<std::vector<RawKeyElement>> readKeySchema(const RequestObject& parent, std::string_view field,
                                                        const std::string& path, bool check_key_type,
                                                        size_t max_len, ConstraintErrors& errors);

// "[a, b, c]" as DynamoDB prints name lists in messages.
std::string joinNames(const std::vector<std::string>& names);

// The iteration order of a java.util.HashSet<String> holding `names`
// (inserted in the given order, duplicates dropped). DynamoDB prints some
// name sets from such a set ("keys used: [...]"), so its messages list them
// in this order: bucket order of String.hashCode() spread as HashMap does,
// insertion order within a bucket, table size 16 doubling past 3/4 full.
// Evidence: two CloudFormation failures quoting DynamoDB ("keys used:
// [CreatedTime, ProductName, ProductId]" for table keys ProductId/ProductName
// and GSI key CreatedTime) match this order exactly; one hand-quoted boto
// message ("[Album, Artist]") does not, so treat it as best knowledge.
std::vector<std::string> javaHashSetOrder(const std::vector<std::string>& names);

}  // namespace fdyno::api

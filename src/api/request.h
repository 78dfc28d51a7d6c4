// request: shared helpers for reading a DynamoDB JSON request body.
//
// DynamoDB validates a request in three phases, and so do the handlers:
//  1. Shape: every present field must have its wire type, else
//     SerializationException with Coral's text ("NUMBER_VALUE cannot be
//     converted to String", "Start of structure or map found where not
//     expected", ...). JSON null counts as absent. The RequestObject getters
//     below throw these.
//  2. Constraints: all violations of simple constraints (not null, length,
//     pattern, enum, range) are collected into one ValidationException:
//     "2 validation errors detected: Value 'x' at 'tableName' failed to
//     satisfy constraint: ...; Value ...". See ConstraintErrors.
//  3. Semantic checks, one message at a time, in the handler.
//
// Thread safety: values over one parsed document; use from one thread.
// Errors are thrown as ApiError.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_error.h"
#include "api/errors.h"
#include "common/status.h"

namespace fdyno::api {

// Wire type names used in Coral's messages.
std::string_view wireTypeOf(simdjson::dom::element e);

// Type-checked access to one JSON object of the request.
class RequestObject {
 public:
  explicit RequestObject(simdjson::dom::object o) : o_(o) {}

  // Absent or null -> nullopt; wrong type -> SerializationException.
  std::optional<std::string_view> getString(std::string_view field) const;
  std::optional<int64_t> getLong(std::string_view field) const;
  std::optional<bool> getBool(std::string_view field) const;
  std::optional<simdjson::dom::array> getList(std::string_view field) const;
  // A structure member such as ProvisionedThroughput; `type_name` is the
  // Coral class name used in the error text ("ProvisionedThroughput").
  std::optional<RequestObject> getStruct(std::string_view field, std::string_view type_name) const;
  // A map of attribute name to AttributeValue (Item, Key); the element is
  // known to be a JSON object.
  std::optional<simdjson::dom::element> getAttributeMap(std::string_view field) const;

  bool has(std::string_view field) const;
  simdjson::dom::object raw() const { return o_; }

 private:
  std::optional<simdjson::dom::element> find(std::string_view field) const;
  simdjson::dom::object o_;
};

// Element conversions for list members (same errors as the getters).
std::string_view asString(simdjson::dom::element e);
// A structure inside a list (a "ValueStruct" in Coral's terms).
RequestObject asListStruct(simdjson::dom::element e, std::string_view type_name);

// Collects constraint violations (phase 2). DynamoDB reports at most 10.
class ConstraintErrors {
 public:
  // `value` nullopt prints as null; otherwise as 'value'.
  void add(std::optional<std::string_view> value, std::string_view path, std::string_view constraint);
  void notNull(std::string_view path) { add(std::nullopt, path, "Member must not be null"); }
  // "Value at 'path' failed to satisfy constraint: ..." (no value at all):
  // DynamoDB's newer validation framework words some list-length errors so,
  // e.g. BatchGetItem's "Value at 'RequestItems.T.member.Keys' ...".
  void addUnvalued(std::string_view path, std::string_view constraint);
  void enumValue(std::string_view value, std::string_view path, std::string_view allowed_list);
  void lengthAtLeast(std::string_view value, std::string_view path, size_t min);
  void lengthAtMost(std::string_view value, std::string_view path, size_t max);
  void valueAtLeast(int64_t value, std::string_view path, int64_t min);
  void valueAtMost(int64_t value, std::string_view path, int64_t max);
  void pattern(std::string_view value, std::string_view path, std::string_view regex_text);

  bool empty() const { return errors_.empty(); }
  // Throws "N validation error(s) detected: a; b" if any were added.
  void throwIfAny() const;

 private:
  std::vector<std::string> errors_;
};

// True if `s` matches [a-zA-Z0-9_.-]+ (table and index names).
bool isValidTableNameChars(std::string_view s);

// TableName of CreateTable: required ("The parameter 'TableName' is required
// but was not present in the request", thrown at once), then constraints
// pattern and length 3..255.
void checkCreateTableName(std::optional<std::string_view> name, ConstraintErrors& errors);
// TableName of DescribeTable, DeleteTable, UpdateTable: required as above,
// then constraints length >= 1, pattern, length <= 255.
void checkExistingTableName(std::optional<std::string_view> name, ConstraintErrors& errors);
// TableName of item operations (and Query/Scan): null is a constraint error
// ("Value null at 'tableName' ... Member must not be null"); empty only
// "length greater than or equal to 1"; otherwise pattern, length >= 3 and
// length <= 255, each a separate constraint error.
void checkItemTableName(std::optional<std::string_view> name, ConstraintErrors& errors);

enum class ReturnConsumedCapacity { kNone, kTotal, kIndexes };
ReturnConsumedCapacity parseReturnConsumedCapacity(std::optional<std::string_view> v, ConstraintErrors& errors);

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
ReturnValues parseReturnValues(std::optional<std::string_view> v, ConstraintErrors& errors);

void checkReturnItemCollectionMetrics(std::optional<std::string_view> v, ConstraintErrors& errors);

// Rejects request members this server does not implement yet, naming them:
// ValidationException "fdyno does not support <Member> in <Op> yet".
void rejectUnsupported(const RequestObject& req, std::string_view op,
                       std::initializer_list<std::string_view> members);

}  // namespace fdyno::api

// DynamoDB's legacy conditional parameters (Expected, ConditionalOperator,
// AttributeUpdates, AttributesToGet, QueryFilter, ScanFilter, KeyConditions)
// converted to the equivalent expression, which the api layer then runs
// through RequestExpressions like any user expression.
//
// Typical UpdateItem use (legacy form):
//   FDYNO_RETURN_IF_ERROR(expr::checkNoMixing(legacy_present, expr_present));
//   auto upd  = expr::convertAttributeUpdates(attribute_updates);   // if present
//   auto cond = expr::convertExpected(expected, conditional_operator); // if present
//   // (ConditionalOperator present but no Expected: kConditionalOperatorWithoutFilter)
//   expr::RequestExpressions lrx(&names, &values);   // names/values: see below
//   if (!upd->expression.empty()) update = lrx.update(upd->expression);
//   if (!cond->expression.empty()) condition = lrx.condition(cond->expression, kCondition);
//   ... apply; map apply errors through translateAttributeUpdatesError().
//
// Contract:
// - Every function validates its parameter completely, with DynamoDB's
//   messages, in DynamoDB's order: JSON shape first (kSerialization, Coral's
//   texts), then every AttributeValue (model/json_codec.h texts), then the
//   parameter's own rules (kInvalidArgument, ValidationException texts).
//   A successful conversion always parses, validates and evaluates cleanly
//   (up to the expression size/operator limits, see Caveats).
// - An EMPTY `expression` means "nothing to do": Expected {} is no condition,
//   QueryFilter/ScanFilter {} no filter, AttributeUpdates {} no update
//   (UpdateItem then still creates the item with only its key).
// - Generated placeholders are "#_<tag><n>" / ":_<tag><n>" with one tag per
//   function (e Expected, u AttributeUpdates, p AttributesToGet, f filters,
//   k KeyConditions), so conversions of one request can share one
//   RequestExpressions over their merged maps. They are in the alphabet
//   DynamoDB allows in user placeholders (#[A-Za-z0-9_]+), so NEVER merge them
//   with the user's ExpressionAttributeNames/Values: DynamoDB forbids mixing
//   except Query's KeyConditions with FilterExpression/ProjectionExpression;
//   there, use a second RequestExpressions for the KeyConditions conversion.
//   Attribute names appear only in the maps, so reserved words, dots and
//   brackets in legacy attribute names are literal, as DynamoDB treats them.
// - Constraint checks that DynamoDB reports together with other members'
//   ("N validation errors detected: ...") are the caller's phase 2:
//   legacyConstraintViolations() lists them. The convert functions repeat them
//   (as a single "1 validation error detected: ..." message) only as a guard.
// - Thread safety: pure functions. Results own their data.
//
// Caveats: a conversion larger than the expression limits (4096 bytes, 300
// operators; roughly 150+ Expected/filter entries or 250+ AttributeUpdates)
// fails with the expression's "Invalid XExpression: ..." message; DynamoDB
// has no such limit for legacy parameters (none recorded).
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "expr/key_condition.h"
#include "expr/resolve.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

// The equivalent expression form of a legacy parameter: expression text plus
// the names/values it references (generated placeholders never clash with
// each other across the functions below; see the contract for user maps).
struct LegacyConversion {
  std::string expression;
  NameMap names;
  model::AttributeMap values;
};

// Expected (PutItem/UpdateItem/DeleteItem) -> ConditionExpression.
// `conditional_operator`: "" if absent, else AND/OR.
Result<LegacyConversion> convertExpected(simdjson::dom::element expected,
                                         std::string_view conditional_operator /* "" if absent */);
// AttributeUpdates (UpdateItem) -> UpdateExpression. Key attributes are the
// caller's check ("Cannot update attribute pk. This attribute is part of the key").
Result<LegacyConversion> convertAttributeUpdates(simdjson::dom::element attribute_updates);
// AttributesToGet (GetItem/BatchGetItem/Query/Scan) -> ProjectionExpression.
Result<LegacyConversion> convertAttributesToGet(simdjson::dom::element attributes_to_get);
// QueryFilter/ScanFilter -> FilterExpression. `param_name` is "QueryFilter"
// or "ScanFilter" (used in constraint paths). The caller checks that no key
// attribute is filtered ("QueryFilter can only contain non-primary key
// attributes: Primary key attribute: a"; the names are conversion.names' values).
Result<LegacyConversion> convertFilter(simdjson::dom::element filter, std::string_view conditional_operator,
                                       std::string_view param_name);
// Query's KeyConditions -> KeyConditionExpression: values, operand rules,
// then "Conditions can be of length 1 or 2 only". Then call
// checkKeyConditionsSchema() BEFORE parsing the result: non-indexable
// operators (NE, NULL, IN, ...) convert to filter-style text here and only
// the schema check reports them with DynamoDB's text (after the missed key
// element, as DynamoDB orders them).
Result<LegacyConversion> convertKeyConditions(simdjson::dom::element key_conditions);

// DynamoDB's rule: legacy and expression parameters cannot be mixed in one
// request. Names may be passed in any order; the message lists them in
// DynamoDB's fixed order. KeyConditions counts only when
// KeyConditionExpression is present too.
Status checkNoMixing(const std::vector<std::string_view>& legacy_present,
                     const std::vector<std::string_view>& expression_present);

// ---- additions beyond the agreed interface ----

// The schema checks of legacy KeyConditions, in DynamoDB's order (hash key,
// then range key): "Query key condition not supported", "Query condition
// missed key schema element: X", "Attempted conditional constraint is not an
// indexable operation", "One or more parameter values were invalid: Condition
// parameter type does not match schema type". Precondition: the shape and
// value checks passed (call convertKeyConditions first, then this, then parse
// the conversion with RequestExpressions::keyCondition + validateSchema).
Status checkKeyConditionsSchema(simdjson::dom::element key_conditions, const KeySchemaView& schema);

// A phase-2 constraint violation, for api::ConstraintErrors::add(value, path, constraint).
struct LegacyConstraintViolation {
  std::optional<std::string> value;  // nullopt prints as null
  std::string path;                  // e.g. "queryFilter.a.member.comparisonOperator"
  std::string constraint;            // e.g. "Member must not be null"
};
// `param_name`: Expected, QueryFilter, ScanFilter, KeyConditions,
// AttributeUpdates, AttributesToGet or ConditionalOperator (the latter takes
// a string element). Elements of the wrong JSON type are skipped (the
// convert functions report them as kSerialization).
std::vector<LegacyConstraintViolation> legacyConstraintViolations(std::string_view param_name,
                                                                  simdjson::dom::element value);

// Applying a converted AttributeUpdates reports item-data type errors as
// "An operand in the update expression has an incorrect data type"; DynamoDB's
// legacy text is "Type mismatch for attribute to update". Pass every error of
// Update::apply() for a legacy update through this.
Status translateAttributeUpdatesError(const Status& s);

inline constexpr std::string_view kTypeMismatchForUpdate = "Type mismatch for attribute to update";
// ConditionalOperator present without Expected/QueryFilter/ScanFilter (or
// with an empty one); the convert functions report the empty case.
inline constexpr std::string_view kConditionalOperatorWithoutFilter =
    "ConditionalOperator cannot be used without Filter or Expected";
inline constexpr std::string_view kConditionalOperatorSingleElement =
    "ConditionalOperator can only be used when Filter or Expected has two or more elements";

}  // namespace fdyno::expr

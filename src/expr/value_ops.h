// DynamoDB's comparison and function semantics over typed AttributeValues.
//
// Rules (DynamoDB developer guide, "Comparison operator and function
// reference", and ScyllaDB's test_condition_expression.py recordings):
// - = and <> compare any two values deeply (sets as sets, numbers by value);
//   a missing operand is unequal to everything, so "missing <> x" is true.
// - < <= > >= and BETWEEN only order two values of the same type among S
//   (UTF-8 bytes, i.e. code point order), N (numeric) and B (unsigned bytes);
//   anything else is simply false, never an error (constants of other types
//   are rejected earlier, at validation).
// - contains(a, b): S in S is a substring; B in B a byte substring; a set
//   holds b (same element type); a list has an element equal to b.
// - begins_with(a, b): S/S or B/B prefix; otherwise false.
// - size(a): S bytes... see sizeOf(); N, BOOL and NULL have no size.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "model/attribute_value.h"

namespace fdyno::expr {

// Orders two values of the same scalar type (S, N or B): <0, 0, >0.
// Precondition: a.type == b.type and the type is S, N or B.
int compareScalars(const model::AttributeValue& a, const model::AttributeValue& b);

// nullopt when the values cannot be ordered (missing, different or non-scalar types).
std::optional<int> orderValues(const model::AttributeValue* a, const model::AttributeValue* b);

bool containsValue(const model::AttributeValue* haystack, const model::AttributeValue* needle);
bool beginsWith(const model::AttributeValue* value, const model::AttributeValue* prefix);

// DynamoDB's size(): S -> length in UTF-8 bytes (DynamoDB measures strings
// in bytes everywhere: item size, key size), B -> bytes, sets/L/M -> element
// count. nullopt for N, BOOL, NULL (the condition is then false).
std::optional<size_t> sizeOf(const model::AttributeValue& v);

}  // namespace fdyno::expr

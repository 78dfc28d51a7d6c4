// Resolved document paths: lookup in an item, DynamoDB's overlap/conflict
// rules, and printing as DynamoDB prints them ("[a, b, [0]]").
//
// Contract:
// - A ResolvedPath holds string_views into the parsed tree and into the
//   request's ExpressionAttributeNames; both must outlive it (they do for the
//   duration of one request, which is the only place these live).
// - Thread safety: values; functions are pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

struct PathStep {
  bool is_index = false;
  uint32_t index = 0;
  std::string_view name;

  bool operator==(const PathStep& o) const {
    return is_index == o.is_index && (is_index ? index == o.index : name == o.name);
  }
};

using ResolvedPath = std::vector<PathStep>;

// "[a, b, [0]]": names verbatim, indexes in brackets.
std::string formatPath(const ResolvedPath& p);

// The value at `path`, or null if any step is missing or of the wrong type.
const model::AttributeValue* lookup(const model::Item& item, const ResolvedPath& path);
// The value at steps [from, end) below `v`.
const model::AttributeValue* lookupBelow(const model::AttributeValue& v, const ResolvedPath& path,
                                         size_t from);
// The value at steps [from, to) below `v`, for changing it in place (an
// update reaches the parent of its target this way).
model::AttributeValue* lookupBelow(model::AttributeValue& v, const ResolvedPath& path, size_t from, size_t to);

// DynamoDB forbids, among the paths an update modifies or a projection reads:
//  - overlap: one path is a prefix of (or equal to) the other
//    "Two document paths overlap with each other; must remove or rewrite one
//     of these paths; path one: [a], path two: [a, b]"
//  - conflict: at the first step where they differ, one is a map key and the
//    other a list index
//    "Two document paths conflict with each other; must remove or rewrite one
//     of these paths; path one: [a, b], path two: [a, [1]]"
// All pairs are searched for an overlap before any conflict is reported
// (dynalite's recording: "set d[1] = a, d.b = a, c[1].a = a, c = ..."
// reports the overlap of [c, [1], a] and [c]). Path one is the earlier path.
// Returns the message without the "Invalid XExpression: " prefix.
Status checkOverlapAndConflict(const std::vector<ResolvedPath>& paths);

}  // namespace fdyno::expr

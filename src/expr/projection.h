// Projecting an item onto a set of document paths (ProjectionExpression,
// and ReturnValues UPDATED_OLD / UPDATED_NEW over the updated paths).
//
// DynamoDB's shape rules (ScyllaDB test_projection_expression.py):
// - nested map paths keep their structure: "a.b" of {a: {b: 1, c: 2}} is {a: {b: 1}};
// - list elements become a list of the selected elements, in list order:
//   "a[2], a[0]" of {a: [x, y, z]} is {a: [x, z]}; an index past the end
//   selects nothing;
// - a container left with nothing selected is omitted entirely, so a path
//   to a missing attribute contributes nothing (no error).
//
// Contract: ProjectionTree borrows the paths' string_views (see paths.h);
// paths must not overlap or conflict (validateProjection checks it). Built
// once per request, applied to many items; apply() copies only the selected
// values. Thread safety: const methods are safe to call concurrently.
#pragma once

#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "expr/paths.h"
#include "model/attribute_value.h"

namespace fdyno::expr {

class ProjectionTree {
 public:
  ProjectionTree() = default;
  explicit ProjectionTree(const std::vector<ResolvedPath>& paths);

  model::Item apply(const model::Item& item) const;
  // The top-level attribute names the projection reads (for storage layers
  // that can fetch attributes selectively).
  std::vector<std::string_view> topLevelNames() const;

 private:
  struct Node {
    bool whole = false;  // selected entirely
    std::map<std::string_view, std::unique_ptr<Node>, std::less<>> fields;
    std::map<uint32_t, std::unique_ptr<Node>> elements;
  };
  static bool project(const Node& n, const model::AttributeValue& v, model::AttributeValue& out);

  Node root_;
};

}  // namespace fdyno::expr

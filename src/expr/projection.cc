#include "expr/projection.h"

namespace fdyno::expr {

using model::AttributeValue;
using model::AttrType;

ProjectionTree::ProjectionTree(const std::vector<ResolvedPath>& paths) {
  for (const ResolvedPath& p : paths) {
    Node* cur = &root_;
    for (const PathStep& s : p) {
      std::unique_ptr<Node>& next = s.is_index ? cur->elements[s.index] : cur->fields[s.name];
      if (!next) next = std::make_unique<Node>();
      cur = next.get();
    }
    cur->whole = true;
  }
}

// Writes the selected part of `v` into `out`; false if nothing was selected.
bool ProjectionTree::project(const Node& n, const AttributeValue& v, AttributeValue& out) {
  if (n.whole) {
    out = v;
    return true;
  }
  if (!n.fields.empty() && v.type == AttrType::kM) {
    out.type = AttrType::kM;
    for (const auto& [name, child] : n.fields) {
      auto it = v.map.find(name);
      if (it == v.map.end()) continue;
      AttributeValue sub;
      if (project(*child, it->second, sub)) out.map.emplace(it->first, std::move(sub));
    }
    return !out.map.empty();
  }
  if (!n.elements.empty() && v.type == AttrType::kL) {
    out.type = AttrType::kL;
    for (const auto& [index, child] : n.elements) {  // ascending: list order
      if (index >= v.list.size()) break;
      AttributeValue sub;
      if (project(*child, v.list[index], sub)) out.list.push_back(std::move(sub));
    }
    return !out.list.empty();
  }
  return false;
}

model::Item ProjectionTree::apply(const model::Item& item) const {
  model::Item out;
  for (const auto& [name, child] : root_.fields) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    AttributeValue sub;
    if (project(*child, it->second, sub)) out.emplace(it->first, std::move(sub));
  }
  return out;
}

std::vector<std::string_view> ProjectionTree::topLevelNames() const {
  std::vector<std::string_view> out;
  out.reserve(root_.fields.size());
  for (const auto& [name, child] : root_.fields) out.push_back(name);
  return out;
}

}  // namespace fdyno::expr

#include "expr/paths.h"

namespace fdyno::expr {

using model::AttributeValue;
using model::AttrType;

std::string formatPath(const ResolvedPath& p) {
  std::string out = "[";
  for (size_t i = 0; i < p.size(); ++i) {
    if (i) out += ", ";
    if (p[i].is_index) {
      out += "[" + std::to_string(p[i].index) + "]";
    } else {
      out += p[i].name;
    }
  }
  out += "]";
  return out;
}

namespace {

// V is AttributeValue or const AttributeValue.
template <typename V>
V* walk(V& v, const ResolvedPath& path, size_t from, size_t to) {
  V* cur = &v;
  for (size_t i = from; i < to; ++i) {
    const PathStep& s = path[i];
    if (s.is_index) {
      if (cur->type != AttrType::kL || s.index >= cur->list.size()) return nullptr;
      cur = &cur->list[s.index];
    } else {
      if (cur->type != AttrType::kM) return nullptr;
      auto it = cur->map.find(s.name);
      if (it == cur->map.end()) return nullptr;
      cur = &it->second;
    }
  }
  return cur;
}

}  // namespace

const AttributeValue* lookupBelow(const AttributeValue& v, const ResolvedPath& path, size_t from) {
  return walk(v, path, from, path.size());
}

AttributeValue* lookupBelow(AttributeValue& v, const ResolvedPath& path, size_t from, size_t to) {
  return walk(v, path, from, to);
}

const AttributeValue* lookup(const model::Item& item, const ResolvedPath& path) {
  if (path.empty() || path[0].is_index) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  return lookupBelow(it->second, path, 1);
}

namespace {

enum class Relation { kNone, kOverlap, kConflict };

Relation relate(const ResolvedPath& a, const ResolvedPath& b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    return a[i].is_index != b[i].is_index ? Relation::kConflict : Relation::kNone;
  }
  return Relation::kOverlap;
}

Status pairError(std::string_view what, const ResolvedPath& one, const ResolvedPath& two) {
  return Status::InvalidArgument("Two document paths " + std::string(what) +
                                 " with each other; must remove or rewrite one of these paths; path one: " +
                                 formatPath(one) + ", path two: " + formatPath(two));
}

}  // namespace

Status checkOverlapAndConflict(const std::vector<ResolvedPath>& paths) {
  for (Relation wanted : {Relation::kOverlap, Relation::kConflict}) {
    for (size_t j = 1; j < paths.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        if (relate(paths[i], paths[j]) != wanted) continue;
        return pairError(wanted == Relation::kOverlap ? "overlap" : "conflict", paths[i], paths[j]);
      }
    }
  }
  return Status::OK();
}

}  // namespace fdyno::expr

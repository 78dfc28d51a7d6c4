#include "expr/value_ops.h"

#include <algorithm>

#include "model/number.h"

namespace fdyno::expr {

using model::AttributeValue;
using model::AttrType;

int compareScalars(const AttributeValue& a, const AttributeValue& b) {
  if (a.type == AttrType::kN) return model::compareNumbers(a.scalar, b.scalar);
  // std::string compares with char_traits<char>::compare == memcmp, i.e.
  // unsigned bytes: right for B and for UTF-8 S (code point order).
  int c = a.scalar.compare(b.scalar);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::optional<int> orderValues(const AttributeValue* a, const AttributeValue* b) {
  if (!a || !b || a->type != b->type || !a->isScalar()) return std::nullopt;
  return compareScalars(*a, *b);
}

namespace {

AttrType elementTypeOfSet(AttrType set) {
  switch (set) {
    case AttrType::kSS: return AttrType::kS;
    case AttrType::kNS: return AttrType::kN;
    default: return AttrType::kB;
  }
}

}  // namespace

bool containsValue(const AttributeValue* h, const AttributeValue* n) {
  if (!h || !n) return false;
  switch (h->type) {
    case AttrType::kS:
    case AttrType::kB:
      return n->type == h->type && h->scalar.find(n->scalar) != std::string::npos;
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS:
      // N members are normalized, so text equality is numeric equality.
      return n->type == elementTypeOfSet(h->type) &&
             std::find(h->set.begin(), h->set.end(), n->scalar) != h->set.end();
    case AttrType::kL:
      return std::any_of(h->list.begin(), h->list.end(), [&](const AttributeValue& e) { return e == *n; });
    default:
      return false;
  }
}

bool beginsWith(const AttributeValue* v, const AttributeValue* p) {
  if (!v || !p || v->type != p->type || (v->type != AttrType::kS && v->type != AttrType::kB)) return false;
  return v->scalar.compare(0, p->scalar.size(), p->scalar) == 0 && v->scalar.size() >= p->scalar.size();
}

std::optional<size_t> sizeOf(const AttributeValue& v) {
  switch (v.type) {
    case AttrType::kS:
    case AttrType::kB: return v.scalar.size();
    case AttrType::kSS:
    case AttrType::kNS:
    case AttrType::kBS: return v.set.size();
    case AttrType::kL: return v.list.size();
    case AttrType::kM: return v.map.size();
    default: return std::nullopt;
  }
}

}  // namespace fdyno::expr

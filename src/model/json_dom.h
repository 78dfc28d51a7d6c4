// Internal to the JSON codec: typed views of simdjson DOM elements.
//
// Why: `for (x : e.get_array().value_unsafe())` iterates a reference into a
// temporary simdjson_result that dies before the loop body runs. These return
// the (cheap, tape-pointer) views by value. Callers must have checked the type.
#pragma once

#include <simdjson.h>

namespace fdyno::model {

inline simdjson::dom::array arrayOf(const simdjson::dom::element& e) {
  simdjson::dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) return {};
  return a;
}

inline simdjson::dom::object objectOf(const simdjson::dom::element& e) {
  simdjson::dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) return {};
  return o;
}

}  // namespace fdyno::model

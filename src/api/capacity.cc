#include "api/capacity.h"

#include <charconv>
#include <cmath>

namespace fdyno::api {

std::string formatCapacityUnits(double units) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, units);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

void writeConsumedCapacity(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table, double units) {
  if (mode == ReturnConsumedCapacity::kNone) return;
  std::string u = formatCapacityUnits(units);
  w.key("ConsumedCapacity").beginObject();
  w.field("TableName", table);
  w.key("CapacityUnits").rawNumber(u);
  if (mode == ReturnConsumedCapacity::kIndexes) {
    w.key("Table").beginObject();
    w.key("CapacityUnits").rawNumber(u);
    w.endObject();
  }
  w.endObject();
}

}  // namespace fdyno::api

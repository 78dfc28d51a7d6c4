#include "api/capacity.h"

#include <charconv>
#include <cmath>

#include "engine/index_definition.h"

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

namespace {

const engine::IndexDefinition* findIndexByNumber(const engine::TableDefinition& def, uint16_t number, bool* global) {
  for (const auto& i : def.global_indexes) {
    if (i.number == number) {
      *global = true;
      return &i;
    }
  }
  for (const auto& i : def.local_indexes) {
    if (i.number == number) {
      *global = false;
      return &i;
    }
  }
  return nullptr;
}

// {"CapacityUnits": u [, split: u]}
void writeUnits(JsonWriter& w, double units, std::string_view split_key) {
  std::string u = formatCapacityUnits(units);
  w.beginObject();
  w.key("CapacityUnits").rawNumber(u);
  if (!split_key.empty()) w.key(split_key).rawNumber(u);
  w.endObject();
}

}  // namespace

void WriteCapacity::addWrite(const engine::TableDefinition& def, double base_units,
                             const engine::WriteMetrics& metrics, double factor) {
  table_ += base_units * factor;
  for (const engine::IndexWriteUnits& iu : metrics.index_units) {
    bool global = false;
    const engine::IndexDefinition* index = findIndexByNumber(def, iu.index_number, &global);
    if (!index) continue;  // cannot happen: the numbers come from this definition
    double units = static_cast<double>(iu.units) * factor;
    bool found = false;
    for (IndexUnits& e : indexes_) {
      if (e.global == global && e.name == index->name) {
        e.units += units;
        found = true;
        break;
      }
    }
    if (!found) indexes_.push_back({index->name, global, units});
  }
}

double WriteCapacity::total() const {
  double t = table_;
  for (const IndexUnits& e : indexes_) t += e.units;
  return t;
}

void WriteCapacity::writeMembers(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table,
                                 std::string_view split_key) const {
  std::string total_s = formatCapacityUnits(total());
  w.field("TableName", table);
  w.key("CapacityUnits").rawNumber(total_s);
  if (!split_key.empty()) w.key(split_key).rawNumber(total_s);
  if (mode != ReturnConsumedCapacity::kIndexes) return;
  w.key("Table");
  writeUnits(w, table_, split_key);
  for (bool global : {true, false}) {
    bool open = false;
    for (const IndexUnits& e : indexes_) {
      if (e.global != global) continue;
      if (!open) {
        w.key(global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes").beginObject();
        open = true;
      }
      w.key(e.name);
      writeUnits(w, e.units, split_key);
    }
    if (open) w.endObject();
  }
}

void writeConsumedCapacity(JsonWriter& w, ReturnConsumedCapacity mode, std::string_view table,
                           const WriteCapacity& capacity) {
  if (mode == ReturnConsumedCapacity::kNone) return;
  w.key("ConsumedCapacity").beginObject();
  capacity.writeMembers(w, mode, table);
  w.endObject();
}

}  // namespace fdyno::api

// Time to Live: UpdateTimeToLive and DescribeTimeToLive. Semantics (status,
// the expiry rule, the sweeper) are the engine's: engine/ttl.h.
//
// UpdateTimeToLive validation, in DynamoDB's order:
//  1. Shapes (SerializationException: TimeToLiveSpecification a structure,
//     AttributeName a string, Enabled a boolean).
//  2. One ValidationException listing the constraint violations: the table
//     name (as DescribeTable), a missing TimeToLiveSpecification, its null
//     members ("timeToLiveSpecification.attributeName" /
//     "timeToLiveSpecification.enabled": members sent as null first, in
//     request order, then absent ones, enabled before attributeName, as
//     dynalite recorded), AttributeName length 1..255.
//  3. The table must exist (ResourceNotFoundException "Requested resource
//     not found: Table: NAME not found"), then the state rules of
//     engine/ttl.h ("TimeToLive is already enabled", ...).
// The answer echoes the specification: {"TimeToLiveSpecification":
// {"AttributeName": ..., "Enabled": ...}}.
#include <string>
#include <vector>

#include "api/handlers.h"
#include "api/request.h"
#include "common/json_writer.h"
#include "engine/database.h"
#include "engine/ttl.h"

namespace fdyno::api {

namespace {

constexpr std::string_view kAttrPath = "timeToLiveSpecification.attributeName";
constexpr std::string_view kEnabledPath = "timeToLiveSpecification.enabled";

// Null members of the specification in the order DynamoDB lists them.
void nullMembers(const RequestObject& spec, bool attr_missing, bool enabled_missing, ConstraintErrors& errors) {
  std::vector<std::string_view> order;
  for (auto [key, value] : spec.raw()) {
    if (!value.is_null()) continue;
    if (key == "AttributeName" && attr_missing) order.push_back(kAttrPath);
    if (key == "Enabled" && enabled_missing) order.push_back(kEnabledPath);
  }
  auto listed = [&](std::string_view p) {
    for (auto o : order) {
      if (o == p) return true;
    }
    return false;
  };
  if (enabled_missing && !listed(kEnabledPath)) order.push_back(kEnabledPath);
  if (attr_missing && !listed(kAttrPath)) order.push_back(kAttrPath);
  for (auto p : order) errors.notNull(p);
}

}  // namespace

std::string updateTimeToLive(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto name = req.getString("TableName");
  auto spec = req.getStruct("TimeToLiveSpecification", "TimeToLiveSpecification");
  std::optional<std::string_view> attr;
  std::optional<bool> enabled;
  if (spec) {
    attr = spec->getString("AttributeName");
    enabled = spec->getBool("Enabled");
  }
  ConstraintErrors errors;
  checkExistingTableName(name, errors);
  if (!spec) {
    errors.notNull("timeToLiveSpecification");
  } else {
    nullMembers(*spec, !attr, !enabled, errors);
    if (attr && attr->empty()) errors.lengthAtLeast(*attr, kAttrPath, 1);
    if (attr && attr->size() > 255) errors.lengthAtMost(*attr, kAttrPath, 255);
  }
  errors.throwIfAny();

  Status st = db.updateTimeToLive(*name, *attr, *enabled);
  if (!st.ok()) throwStatus(st);
  JsonWriter w;
  w.beginObject().key("TimeToLiveSpecification").beginObject();
  w.field("AttributeName", *attr).field("Enabled", *enabled);
  w.endObject().endObject();
  return w.take();
}

std::string describeTimeToLive(engine::Database& db, simdjson::dom::object body) {
  RequestObject req(body);
  auto name = req.getString("TableName");
  ConstraintErrors errors;
  checkExistingTableName(name, errors);
  errors.throwIfAny();
  auto r = db.describeTimeToLive(*name);
  if (!r.ok()) throwStatus(r.status());
  JsonWriter w;
  w.beginObject().key("TimeToLiveDescription").beginObject();
  if (r->enabled) {
    w.field("TimeToLiveStatus", "ENABLED").field("AttributeName", r->attribute);
  } else {
    w.field("TimeToLiveStatus", "DISABLED");
  }
  w.endObject().endObject();
  return w.take();
}

}  // namespace fdyno::api

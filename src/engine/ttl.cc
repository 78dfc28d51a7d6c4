// Time to Live: the setting and the expiry rule. Contract: engine/ttl.h.
// The background deletion lives in engine/ttl_sweeper.cc.
#include "engine/ttl.h"

#include <chrono>

#include "engine/database.h"
#include "engine/ttl_sweeper.h"

namespace fdyno::engine {

namespace {

double nowFractional() {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return static_cast<double>(ms) / 1000.0;
}

}  // namespace

int64_t ttlNowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool isExpiredNumber(std::string_view n, int64_t now) {
  // Normalized numbers are plain decimals: [-]digits[.digits], no exponent.
  if (n.empty() || n.front() == '-') return false;  // before 1970: far more than five years ago
  std::string_view whole = n.substr(0, n.find('.'));
  // 19+ digits is beyond year 2^63 seconds: never expires.
  if (whole.size() > 18) return false;
  int64_t secs = 0;
  for (char c : whole) secs = secs * 10 + (c - '0');
  bool has_fraction = whole.size() < n.size();
  // value <= now, where value = secs[.fraction].
  bool due = secs < now || (secs == now && !has_fraction);
  return due && secs >= now - kTtlMaxPastSeconds;
}

bool isExpired(const model::Item& item, std::string_view attr, int64_t now) {
  auto it = item.find(attr);
  if (it == item.end() || it->second.type != model::AttrType::kN) return false;
  return isExpiredNumber(it->second.scalar, now);
}

Result<TtlDescription> Database::describeTimeToLive(std::string_view table) {
  auto txn = store_.begin();
  FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(*txn, table));
  if (!t) return tableNotFound(table);
  TtlDescription d;
  d.enabled = !t->def.ttl_attribute.empty();
  d.attribute = t->def.ttl_attribute;
  return d;
}

Status Database::updateTimeToLive(std::string_view table, std::string_view attribute, bool enabled) {
  TableRef updated;
  Status st = kv::runTransaction(store_, [&](kv::Transaction& txn) -> Status {
    FDYNO_ASSIGN_OR_RETURN(TableRef t, catalog_.load(txn, table));
    if (!t) return tableNotFound(table);
    const std::string& current = t->def.ttl_attribute;
    bool active = !current.empty();
    if (active && current != attribute) {
      return Status::InvalidArgument(ErrorReason::kTtlOnOtherAttribute, {current});
    }
    if (active && enabled) return Status::InvalidArgument(ErrorReason::kTtlAlreadyEnabled);
    if (!active && !enabled) return Status::InvalidArgument(ErrorReason::kTtlAlreadyDisabled);
    TableDefinition def = t->def;
    def.ttl_attribute = enabled ? std::string(attribute) : std::string();
    def.ttl_updated_at = nowFractional();
    def.generation += 1;
    Catalog::store(txn, def);
    updated = std::make_shared<const TableInfo>(std::move(def));
    return Status::OK();
  });
  if (!st.ok()) return st;
  catalog_.remember(updated);
  if (enabled) ttl_sweeper_->wake();  // items already expired go at once, not a whole interval later
  return Status::OK();
}


}  // namespace fdyno::engine

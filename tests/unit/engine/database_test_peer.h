// DatabaseTestPeer: what engine tests need of a Database's insides, kept off
// its public interface (engine/database.h names this class a friend).
//
// - catalog(): the table definitions, to build kv keys or apply mutations
//   by hand.
// - waitForIndexJobs(): blocks until every queued GSI backfill and index
//   drop has finished (production code never waits; clients poll
//   DescribeTable).
// - leases(): the Database's lease manager (engine/lease.h), to run a job
//   by hand as this server, or to read its holder id.
// - haltIndexBuilder(): stops the Database's index builder for good, as if
//   the server died (jobs it recorded stay in the store for other servers).
// - sweepExpiredItems(): one Time to Live pass over every table now, on the
//   calling thread; returns the number of items deleted (the background
//   sweeper does the same every DatabaseOptions::ttl_interval_ms).
#pragma once

#include <cstddef>

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/database.h"
#include "engine/index_backfill.h"
#include "engine/lease.h"
#include "engine/ttl.h"
#include "engine/ttl_sweeper.h"

namespace fdyno::engine {

class DatabaseTestPeer {
 public:
  static Catalog& catalog(Database& db) { return db.catalog_; }
  static void waitForIndexJobs(Database& db) { db.index_builder_->waitIdle(); }
  static LeaseManager& leases(Database& db) { return *db.leases_; }
  static void haltIndexBuilder(Database& db) { db.index_builder_->stop(); }
  [[nodiscard]] static Result<size_t> sweepExpiredItems(Database& db) {
    return db.ttl_sweeper_->sweepAll(ttlNowSeconds());
  }
};

}  // namespace fdyno::engine

// pg_schema: DDL, the commit and collect functions, prepared statements.
// Contract in pg_schema.h; the rules in docs/kv.md ("PostgreSQL store").
#include "kv/postgres/pg_schema.h"

#include <string>

#include "kv/postgres/pg_conn.h"

namespace fdyno::kv::pg {
namespace {

// Schema version 1. Every object is created IF NOT EXISTS / OR REPLACE so a
// crash half-way through a first start is repaired by the next start.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS fdyno_meta (
  id int PRIMARY KEY CHECK (id = 1),
  schema_version int NOT NULL,
  version bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS fdyno_gc (
  id int PRIMARY KEY CHECK (id = 1),
  gc_version bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS fdyno_kv (
  key bytea NOT NULL,
  version bigint NOT NULL,
  value bytea,
  PRIMARY KEY (key, version)
);
CREATE INDEX IF NOT EXISTS fdyno_kv_by_version ON fdyno_kv (version);
CREATE TABLE IF NOT EXISTS fdyno_servers (
  id text PRIMARY KEY,
  oldest_read_version bigint NOT NULL,
  heartbeat timestamptz NOT NULL
);
INSERT INTO fdyno_meta (id, schema_version, version) VALUES (1, 1, 0) ON CONFLICT (id) DO NOTHING;
INSERT INTO fdyno_gc (id, gc_version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- A sum of deltas reduced to a signed 64-bit value, wrapping (the merged
-- adds of a commit group, below).
CREATE OR REPLACE FUNCTION fdyno_wrap(s numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
  SELECT (((s % 18446744073709551616) + 18446744073709551616 + 9223372036854775808) % 18446744073709551616
          - 9223372036854775808)::bigint
$$;

-- kv.h's atomicAdd on a stored value: little-endian signed 64-bit, a value
-- of another length zero-extended or truncated, absent = 0, wrapping.
CREATE OR REPLACE FUNCTION fdyno_add(base bytea, delta bigint) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  x bigint := 0;
  s numeric;
  r bytea := '\x0000000000000000'::bytea;
  j int;
BEGIN
  IF base IS NOT NULL THEN
    FOR j IN 0..7 LOOP
      IF j < length(base) THEN
        x := x | (get_byte(base, j)::bigint << (8 * j));
      END IF;
    END LOOP;
  END IF;
  s := x::numeric + delta::numeric;
  IF s > 9223372036854775807 THEN
    s := s - 18446744073709551616;
  ELSIF s < -9223372036854775808 THEN
    s := s + 18446744073709551616;
  END IF;
  x := s::bigint;
  FOR j IN 0..7 LOOP
    r := set_byte(r, j, ((x >> (8 * j)) & 255)::int);
  END LOOP;
  RETURN r;
END $$;

-- The pending adds of a commit group (fdyno_commit, below) as one row per
-- key at version v, against the latest row at or below v.
CREATE OR REPLACE FUNCTION fdyno_write_adds(keys bytea[], deltas bigint[], v bigint) RETURNS void
LANGUAGE sql VOLATILE AS $$
  INSERT INTO fdyno_kv (key, version, value)
  SELECT a.key, v, fdyno_add((SELECT k.value FROM fdyno_kv k WHERE k.key = a.key AND k.version <= v
                              ORDER BY k.version DESC LIMIT 1), fdyno_wrap(sum(a.delta)))
  FROM unnest(keys, deltas) AS a(key, delta)
  GROUP BY a.key
  ON CONFLICT (key, version) DO UPDATE SET value = EXCLUDED.value
$$;

-- One group of kv commits (docs/kv.md "PostgreSQL store"). Request i has
-- read version rvs[i] and its reads, clears, point writes and versionstamped
-- writes in the slices [off[i], off[i+1]) of the arrays. Returns one number
-- per request: its commit version, 0 if it conflicts, -1 if its read version
-- is older than the kept history.
--
-- Atomic adds are merged: readers take their read version from fdyno_meta,
-- which moves from the group's first version to its last at once, so no
-- reader can see a version inside the group, and the adds of all requests
-- can be written as one row per key (a table's item count and size are
-- added to by every write: without merging, each write would insert three
-- rows). Pending adds count as writes newer than every read version of the
-- group (a later request that read such a key conflicts), and are written
-- out first whenever a later request sets, clears or clears a range over
-- any key (so a set or tombstone is never overtaken by an earlier add).
CREATE OR REPLACE FUNCTION fdyno_commit(
    rvs bigint[],
    rr_off int[], rr_begin bytea[], rr_end bytea[],
    cr_off int[], cr_begin bytea[], cr_end bytea[],
    pw_off int[], pw_key bytea[], pw_kind smallint[], pw_value bytea[], pw_delta bigint[],
    vs_off int[], vs_prefix bytea[], vs_suffix bytea[], vs_value bytea[])
RETURNS bigint[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v bigint;
  n int := coalesce(array_length(rvs, 1), 0);
  out bigint[] := '{}';
  i int;
  verdict int;
  pend_key bytea[] := '{}';
  pend_delta bigint[] := '{}';
BEGIN
  -- The commit lock: commits of every server are serialized here, so
  -- versions follow commit order. Each later statement of this VOLATILE
  -- function takes a new snapshot, so it sees every commit made before the
  -- lock was granted.
  SELECT version INTO v FROM fdyno_meta WHERE id = 1 FOR UPDATE;
  FOR i IN 1..n LOOP
    verdict := 1;
    IF rr_off[i + 1] > rr_off[i] THEN
      -- One statement (one snapshot) reads the history horizon and the
      -- conflicts, so a collection that commits in between cannot hide a
      -- conflicting write.
      SELECT CASE
               WHEN (SELECT gc_version FROM fdyno_gc WHERE id = 1) > rvs[i] THEN -1
               WHEN EXISTS (
                 SELECT 1
                 FROM unnest(rr_begin[rr_off[i]:rr_off[i + 1] - 1], rr_end[rr_off[i]:rr_off[i + 1] - 1]) AS r(b, e)
                 WHERE EXISTS (SELECT 1 FROM fdyno_kv k
                               WHERE k.key >= r.b AND k.key < r.e AND k.version > rvs[i])
                    OR EXISTS (SELECT 1 FROM unnest(pend_key) AS a(key) WHERE a.key >= r.b AND a.key < r.e))
                 THEN 0
               ELSE 1
             END INTO verdict;
    END IF;
    IF verdict <> 1 THEN
      out := out || verdict::bigint;
      CONTINUE;
    END IF;
    IF cardinality(pend_key) > 0 AND (cr_off[i + 1] > cr_off[i] OR EXISTS (
         SELECT 1 FROM unnest(pw_key[pw_off[i]:pw_off[i + 1] - 1], pw_kind[pw_off[i]:pw_off[i + 1] - 1]) AS p(key, kind)
         WHERE p.kind <> 2 AND p.key = ANY (pend_key))) THEN
      -- Earlier requests' adds go in first, at the last version given out.
      PERFORM fdyno_write_adds(pend_key, pend_delta, v);
      pend_key := '{}';
      pend_delta := '{}';
    END IF;
    v := v + 1;
    IF cr_off[i + 1] > cr_off[i] THEN
      -- A tombstone for every key live in a cleared range.
      INSERT INTO fdyno_kv (key, version, value)
      SELECT DISTINCT k.key, v, NULL::bytea
      FROM unnest(cr_begin[cr_off[i]:cr_off[i + 1] - 1], cr_end[cr_off[i]:cr_off[i + 1] - 1]) AS r(b, e)
      JOIN fdyno_kv k ON k.key >= r.b AND k.key < r.e
      WHERE k.value IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM fdyno_kv n WHERE n.key = k.key AND n.version > k.version)
      ON CONFLICT (key, version) DO NOTHING;
    END IF;
    IF pw_off[i + 1] > pw_off[i] THEN
      -- Sets and clears (kind 0, 1) now; adds (kind 2) wait in pend_*. A key
      -- appears once per request.
      INSERT INTO fdyno_kv (key, version, value)
      SELECT p.key, v, CASE WHEN p.kind = 0 THEN p.value END
      FROM unnest(pw_key[pw_off[i]:pw_off[i + 1] - 1], pw_kind[pw_off[i]:pw_off[i + 1] - 1],
                  pw_value[pw_off[i]:pw_off[i + 1] - 1]) AS p(key, kind, value)
      WHERE p.kind <> 2
      ON CONFLICT (key, version) DO UPDATE SET value = EXCLUDED.value;
      SELECT pend_key || coalesce(array_agg(p.key), '{}'), pend_delta || coalesce(array_agg(p.delta), '{}')
        INTO pend_key, pend_delta
      FROM unnest(pw_key[pw_off[i]:pw_off[i + 1] - 1], pw_kind[pw_off[i]:pw_off[i + 1] - 1],
                  pw_delta[pw_off[i]:pw_off[i + 1] - 1]) AS p(key, kind, delta)
      WHERE p.kind = 2;
    END IF;
    IF vs_off[i + 1] > vs_off[i] THEN
      -- prefix + 8-byte big-endian version + 2-byte big-endian order + suffix.
      INSERT INTO fdyno_kv (key, version, value)
      SELECT s.prefix || int8send(v) || substring(int4send((s.ord - 1)::int) FROM 3 FOR 2) || s.suffix, v, s.value
      FROM unnest(vs_prefix[vs_off[i]:vs_off[i + 1] - 1], vs_suffix[vs_off[i]:vs_off[i + 1] - 1],
                  vs_value[vs_off[i]:vs_off[i + 1] - 1]) WITH ORDINALITY AS s(prefix, suffix, value, ord)
      ON CONFLICT (key, version) DO UPDATE SET value = EXCLUDED.value;
    END IF;
    out := out || v;
  END LOOP;
  IF cardinality(pend_key) > 0 THEN
    PERFORM fdyno_write_adds(pend_key, pend_delta, v);
  END IF;
  UPDATE fdyno_meta SET version = v WHERE id = 1;
  RETURN out;
END $$;

-- fdyno_commit for a group whose requests are independent (checked by the
-- caller, PgStore::processGroup): no request reads a key that an earlier
-- request of the group writes (sets, clears, adds, or versionstamped keys
-- under the same prefix), no request clears a range, and no key is both
-- added to and set or cleared in the group. Then the verdicts do not
-- depend on each other and every step is one statement for the whole
-- group, instead of four per request; the answer is the same as
-- fdyno_commit's. Point writes and versionstamped writes name their
-- request (1-based) in pw_req and vs_req; vs_ord is the write's position
-- within its request.
CREATE OR REPLACE FUNCTION fdyno_commit_set(
    rvs bigint[], rr_off int[], rr_begin bytea[], rr_end bytea[],
    pw_req int[], pw_key bytea[], pw_kind smallint[], pw_value bytea[], pw_delta bigint[],
    vs_req int[], vs_ord int[], vs_prefix bytea[], vs_suffix bytea[], vs_value bytea[])
RETURNS bigint[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v bigint;
  n int := coalesce(array_length(rvs, 1), 0);
  out bigint[];
  i int;
BEGIN
  -- The commit lock, as in fdyno_commit.
  SELECT version INTO v FROM fdyno_meta WHERE id = 1 FOR UPDATE;
  -- Every verdict in one statement (one snapshot with the history horizon).
  SELECT array_agg(CASE
           WHEN rr_off[q.i + 1] = rr_off[q.i] THEN 1
           WHEN g.gc_version > rvs[q.i] THEN -1
           WHEN EXISTS (
             SELECT 1
             FROM unnest(rr_begin[rr_off[q.i]:rr_off[q.i + 1] - 1], rr_end[rr_off[q.i]:rr_off[q.i + 1] - 1]) AS r(b, e)
             WHERE EXISTS (SELECT 1 FROM fdyno_kv k WHERE k.key >= r.b AND k.key < r.e AND k.version > rvs[q.i]))
             THEN 0
           ELSE 1
         END ORDER BY q.i)
    INTO out
  FROM fdyno_gc g, generate_series(1, n) AS q(i)
  WHERE g.id = 1;
  -- Versions in request order for the requests that commit.
  FOR i IN 1..n LOOP
    IF out[i] = 1 THEN
      v := v + 1;
      out[i] := v;
    END IF;
  END LOOP;
  IF cardinality(pw_req) > 0 THEN
    INSERT INTO fdyno_kv (key, version, value)
    SELECT p.key, out[p.req], CASE WHEN p.kind = 0 THEN p.value END
    FROM unnest(pw_req, pw_key, pw_kind, pw_value) AS p(req, key, kind, value)
    WHERE p.kind <> 2 AND out[p.req] > 0;
    -- The merged adds, one row per key at the group's last version (no
    -- request of the group sets or clears these keys).
    INSERT INTO fdyno_kv (key, version, value)
    SELECT a.key, v, fdyno_add((SELECT k.value FROM fdyno_kv k WHERE k.key = a.key
                                ORDER BY k.version DESC LIMIT 1), fdyno_wrap(sum(a.delta)))
    FROM unnest(pw_req, pw_key, pw_kind, pw_delta) AS a(req, key, kind, delta)
    WHERE a.kind = 2 AND out[a.req] > 0
    GROUP BY a.key;
  END IF;
  IF cardinality(vs_req) > 0 THEN
    -- prefix + 8-byte big-endian version + 2-byte big-endian order + suffix.
    INSERT INTO fdyno_kv (key, version, value)
    SELECT s.prefix || int8send(out[s.req]) || substring(int4send(s.ord) FROM 3 FOR 2) || s.suffix, out[s.req], s.value
    FROM unnest(vs_req, vs_ord, vs_prefix, vs_suffix, vs_value) AS s(req, ord, prefix, suffix, value)
    WHERE out[s.req] > 0;
  END IF;
  UPDATE fdyno_meta SET version = v WHERE id = 1;
  RETURN out;
END $$;

-- Drops history no reader can need: below the oldest read version of every
-- live server (heartbeat within dead_after seconds) and the latest version.
-- Only rows written since the last collection are looked at (by version).
-- Returns the new gc_version.
CREATE OR REPLACE FUNCTION fdyno_collect(dead_after int) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  prev bigint;
  h bigint;
BEGIN
  SELECT gc_version INTO prev FROM fdyno_gc WHERE id = 1 FOR UPDATE;
  SELECT least((SELECT version FROM fdyno_meta WHERE id = 1),
               (SELECT min(oldest_read_version) FROM fdyno_servers
                WHERE heartbeat > now() - make_interval(secs => dead_after)))
    INTO h;
  IF h IS NULL OR h <= prev THEN
    RETURN prev;
  END IF;
  DELETE FROM fdyno_kv o
  USING (SELECT key, max(version) AS v FROM fdyno_kv WHERE version > prev AND version <= h GROUP BY key) w
  WHERE o.key = w.key AND o.version < w.v;
  DELETE FROM fdyno_kv WHERE version > prev AND version <= h AND value IS NULL;
  DELETE FROM fdyno_servers WHERE heartbeat < now() - make_interval(secs => dead_after * 10);
  UPDATE fdyno_gc SET gc_version = h WHERE id = 1;
  RETURN h;
END $$;
)sql";

// A read at version $2: the horizon and the value, in one snapshot.
constexpr PreparedStatement kStatements[] = {
    {kStmtGetLatest,
     "SELECT m.version, (SELECT k.value FROM fdyno_kv k WHERE k.key = $1::bytea AND k.version <= m.version "
     "ORDER BY k.version DESC LIMIT 1) FROM fdyno_meta m WHERE m.id = 1",
     1},
    {kStmtGetAt,
     "SELECT g.gc_version, (SELECT k.value FROM fdyno_kv k WHERE k.key = $1::bytea AND k.version <= $2::bigint "
     "ORDER BY k.version DESC LIMIT 1) FROM fdyno_gc g WHERE g.id = 1",
     2},
    {kStmtGetManyLatest,
     "SELECT m.version, (SELECT k.value FROM fdyno_kv k WHERE k.key = q.key AND k.version <= m.version "
     "ORDER BY k.version DESC LIMIT 1) FROM fdyno_meta m, unnest($1::bytea[]) WITH ORDINALITY AS q(key, ord) "
     "WHERE m.id = 1 ORDER BY q.ord",
     1},
    {kStmtGetManyAt,
     "SELECT g.gc_version, (SELECT k.value FROM fdyno_kv k WHERE k.key = q.key AND k.version <= $2::bigint "
     "ORDER BY k.version DESC LIMIT 1) FROM fdyno_gc g, unnest($1::bytea[]) WITH ORDINALITY AS q(key, ord) "
     "WHERE g.id = 1 ORDER BY q.ord",
     2},
    {kStmtVersion, "SELECT version FROM fdyno_meta WHERE id = 1", 0},
    {kStmtScanFwd,
     "SELECT g.gc_version, s.key, s.value FROM fdyno_gc g LEFT JOIN LATERAL ("
     "SELECT k.key, k.value FROM fdyno_kv k WHERE k.key >= $1::bytea AND k.key < $2::bytea "
     "AND k.version <= $3::bigint AND k.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fdyno_kv n "
     "WHERE n.key = k.key AND n.version > k.version AND n.version <= $3::bigint) "
     "ORDER BY k.key LIMIT $4::bigint) s ON true WHERE g.id = 1 ORDER BY s.key",
     4},
    {kStmtScanRev,
     "SELECT g.gc_version, s.key, s.value FROM fdyno_gc g LEFT JOIN LATERAL ("
     "SELECT k.key, k.value FROM fdyno_kv k WHERE k.key >= $1::bytea AND k.key < $2::bytea "
     "AND k.version <= $3::bigint AND k.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM fdyno_kv n "
     "WHERE n.key = k.key AND n.version > k.version AND n.version <= $3::bigint) "
     "ORDER BY k.key DESC LIMIT $4::bigint) s ON true WHERE g.id = 1 ORDER BY s.key DESC",
     4},
    {kStmtCommit,
     "SELECT fdyno_commit($1::bigint[], $2::int[], $3::bytea[], $4::bytea[], $5::int[], $6::bytea[], "
     "$7::bytea[], $8::int[], $9::bytea[], $10::smallint[], $11::bytea[], $12::bigint[], $13::int[], "
     "$14::bytea[], $15::bytea[], $16::bytea[])",
     16},
    {kStmtCommitSet,
     "SELECT fdyno_commit_set($1::bigint[], $2::int[], $3::bytea[], $4::bytea[], $5::int[], $6::bytea[], "
     "$7::smallint[], $8::bytea[], $9::bigint[], $10::int[], $11::int[], $12::bytea[], $13::bytea[], $14::bytea[])",
     14},
    {kStmtHeartbeat,
     "INSERT INTO fdyno_servers (id, oldest_read_version, heartbeat) VALUES ($1::text, "
     "CASE WHEN $2::bigint < 0 THEN (SELECT version FROM fdyno_meta WHERE id = 1) ELSE $2::bigint END, now()) "
     "ON CONFLICT (id) DO UPDATE SET oldest_read_version = EXCLUDED.oldest_read_version, heartbeat = now() "
     "RETURNING oldest_read_version",
     2},
    {kStmtCollect, "SELECT fdyno_collect($1::int)", 1},
};

}  // namespace

const PreparedStatement* preparedStatements(size_t* count) {
  *count = sizeof(kStatements) / sizeof(kStatements[0]);
  return kStatements;
}

Status ensureSchema(PgConn& conn) {
  // One creator at a time across servers (transaction-scoped advisory lock;
  // the number is fdyno's own, "fdyn" in ASCII).
  FDYNO_RETURN_IF_ERROR(conn.execScript("BEGIN; SELECT pg_advisory_xact_lock(1717859438);"));
  auto fail = [&](Status st) {
    (void)conn.execScript("ROLLBACK");
    return st;
  };
  // A schema named first in search_path (options=-csearch_path=NAME) that
  // does not exist yet is created: current_schema() is NULL then.
  auto cur = conn.exec(
      "SELECT current_schema() IS NULL, btrim(btrim(split_part(current_setting('search_path'), ',', 1)), '\"')");
  if (!cur.ok()) return fail(cur.status());
  if (cur->bytes(0, 0) == std::string_view("\x01", 1)) {
    std::string name(cur->bytes(0, 1));
    if (name.empty() || name == "$user") return fail(Status::InvalidArgument("postgres: no schema to create tables in"));
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"') quoted.push_back('"');
      quoted.push_back(c);
    }
    quoted.push_back('"');
    if (Status st = conn.execScript("CREATE SCHEMA IF NOT EXISTS " + quoted); !st.ok()) return fail(st);
  }
  auto exists = conn.exec("SELECT to_regclass('fdyno_meta') IS NOT NULL");
  if (!exists.ok()) return fail(exists.status());
  bool have_meta = exists->bytes(0, 0) == std::string_view("\x01", 1);
  int version = 0;
  if (have_meta) {
    auto v = conn.exec("SELECT schema_version::bigint FROM fdyno_meta WHERE id = 1");
    if (!v.ok()) return fail(v.status());
    version = v->rows() == 0 ? 0 : static_cast<int>(v->int8(0, 0));
  }
  if (version > kSchemaVersion) {
    return fail(Status::InvalidArgument("the database holds fdyno schema version " + std::to_string(version) +
                                        ", newer than this server's " + std::to_string(kSchemaVersion) +
                                        "; upgrade fdyno"));
  }
  // Version 0 -> 1: the whole schema. Later versions add a step each:
  // `if (version < 2) { ALTER ...; UPDATE fdyno_meta SET schema_version = 2 }`.
  // The functions are re-created on every start so fixes to them apply.
  if (Status st = conn.execScript(kSchemaV1); !st.ok()) return fail(st);
  return conn.execScript("COMMIT");
}

}  // namespace fdyno::kv::pg

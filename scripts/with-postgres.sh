#!/usr/bin/env bash
# Runs a command with FDYNO_TEST_POSTGRES naming a running PostgreSQL: the
# one already named, or a private cluster (scripts/pg-cluster.sh) started
# for the command and stopped after it. The test suites of the shared store
# use it instead of starting a cluster each.
#   scripts/with-postgres.sh ctest -j2
set -euo pipefail
if [ -n "${FDYNO_TEST_POSTGRES:-}" ]; then
  exec "$@"
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/fdyno-pg-XXXXXX)
cleanup() {
  "$here/pg-cluster.sh" stop "$dir" || true
  rm -rf "$dir"
}
trap cleanup EXIT
FDYNO_TEST_POSTGRES=$("$here/pg-cluster.sh" start "$dir")
export FDYNO_TEST_POSTGRES
"$@"

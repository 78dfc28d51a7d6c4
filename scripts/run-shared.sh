#!/usr/bin/env bash
# A local cluster: a private PostgreSQL (scripts/pg-cluster.sh) and three
# fdyno servers on it, listening on 127.0.0.1:8000, 8001 and 8002. Any
# client may talk to any of them; they share every table. Ctrl-C stops all.
#   scripts/run-shared.sh [DIR]   (default ./fdyno-shared; kept for the next run)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${FDYNO_BIN:-$here/../build/fdyno}
dir=${1:-./fdyno-shared}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
url=$("$here/pg-cluster.sh" start "$dir/pg" "${PG_PORT:-5433}")
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  "$here/pg-cluster.sh" stop "$dir/pg"
}
trap stop EXIT INT TERM
for port in 8000 8001 8002; do
  "$bin" serve --listen "127.0.0.1:$port" --store "$url" ${FDYNO_ARGS:-} &
  pids+=($!)
done
echo "run-shared: PostgreSQL at $url; fdyno on 127.0.0.1:8000, 8001, 8002 (Ctrl-C stops all)"
wait -n "${pids[@]}"

#!/usr/bin/env bash
# GetItem / PutItem throughput and latency with wrk, start-up time and idle RSS.
# Usage: bench/run.sh [memory|rocksdb|postgres] (default rocksdb; postgres
# needs PG_URL, e.g. from scripts/pg-cluster.sh start DIR). Results go to stdout;
# copy them into docs/performance.md with the machine description.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FDYNO_BIN:-build/fdyno}
BACKEND=${1:-rocksdb}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
WRK_THREADS=${WRK_THREADS:-1}
# PIN=1: the server on cpu 0 and wrk on cpu 1 (issue 14's setup).
PIN=${PIN:-0}
SRV_PIN=(); WRK_PIN=()
if [ "$PIN" = 1 ]; then SRV_PIN=(taskset -c 0); WRK_PIN=(taskset -c 1); fi
PORT=${PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
DATA=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT

args=(serve --listen 127.0.0.1:$PORT --log-level warn ${FDYNO_ARGS:-})
case "$BACKEND" in
  memory) args+=(--in-memory) ;;
  postgres) args+=(--store "${PG_URL:?postgres needs PG_URL}") ;;
  *) args+=(--data-dir "$DATA/db") ;;
esac

# Start-up: time from exec to the first successful health check.
start=$(date +%s%N)
"${SRV_PIN[@]}" "$BIN" "${args[@]}" > "$DATA/out.log" 2>&1 &
PID=$!
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.002; done
end=$(date +%s%N)
echo "startup_to_first_response_ms $(( (end - start) / 1000000 ))"
grep -o 'ready in [0-9.]* ms' "$DATA/out.log" || true
sleep 0.5
echo "idle_rss_kb $(awk '/VmRSS/ {print $2}' /proc/$PID/status)"

python3 - "$PORT" <<'PY'
import sys, boto3
c = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                 aws_access_key_id="bench", aws_secret_access_key="bench")
c.create_table(TableName="bench", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
for i in range(1000):
    c.put_item(TableName="bench", Item={"pk": {"S": f"k{i}"}, "data": {"S": "x" * 1000}})
PY

# WORKLOADS: wrk scripts of bench/ to run, in order (default "getitem putitem";
# also updateitem, getupdate = the 50/50 GetItem/UpdateItem mix).
for w in ${WORKLOADS:-getitem putitem}; do
  echo "== $w (1 KB items, $CONNS connections, $DURATION)"
  "${WRK_PIN[@]}" wrk -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" --latency -s "bench/$w.lua" "http://127.0.0.1:$PORT/"
done
echo "rss_after_kb $(awk '/VmRSS/ {print $2}' /proc/$PID/status)"

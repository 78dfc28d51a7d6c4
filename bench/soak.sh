#!/usr/bin/env bash
# Soak benchmark (not part of make test): SOAK_SECONDS (default 600) of mixed
# load (bench/mixed.lua) against one fdyno server, sampling its RSS every
# SAMPLE_SECONDS (default 10). Prints the RSS curve, request counts by status
# from /metrics, and the verdict against RSS_BOUND_MB (default 400): RSS must
# level off under the bound. Usage: bench/soak.sh [memory|rocksdb]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FDYNO_BIN:-build/fdyno}
BACKEND=${1:-rocksdb}
SECONDS_TOTAL=${SOAK_SECONDS:-600}
SAMPLE=${SAMPLE_SECONDS:-10}
BOUND_MB=${RSS_BOUND_MB:-400}
CONNS=${CONNS:-32}
PORT=${PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
DATA=$(mktemp -d)
WRK_PID=""
trap 'kill $WRK_PID 2>/dev/null || true; kill $PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"' EXIT

args=(serve --listen 127.0.0.1:$PORT --log-level warn ${FDYNO_ARGS:-})
if [ "$BACKEND" = memory ]; then args+=(--in-memory); else args+=(--data-dir "$DATA/db"); fi
"$BIN" "${args[@]}" > "$DATA/server.log" 2>&1 &
PID=$!
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.01; done
rss() { awk '/VmRSS/ {print int($2/1024)}' /proc/$PID/status; }
python3 - "$PORT" <<'PY'
import sys, boto3
c = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                 aws_access_key_id="bench", aws_secret_access_key="bench")
c.create_table(TableName="bench", BillingMode="PAY_PER_REQUEST",
               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}])
PY
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024)" MB"}' /proc/meminfo); backend $BACKEND; $CONNS connections; commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "idle_rss_mb $(rss)"
wrk -t1 -c"$CONNS" -d"${SECONDS_TOTAL}s" --timeout 10s -s bench/mixed.lua "http://127.0.0.1:$PORT/" > "$DATA/wrk.txt" 2>&1 &
WRK_PID=$!
echo "second rss_mb"
samples=()
for ((t = SAMPLE; t <= SECONDS_TOTAL; t += SAMPLE)); do
  sleep "$SAMPLE"
  kill -0 $PID 2>/dev/null || { echo "server died"; tail -20 "$DATA/server.log"; exit 1; }
  r=$(rss); samples+=("$r"); echo "$t $r"
done
wait $WRK_PID || true
WRK_PID=""
sleep 5
echo "rss_after_idle_5s_mb $(rss)"
cat "$DATA/wrk.txt" | grep -E "Requests/sec|Latency|requests in"
curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^fdyno_requests_total/ {split($0, a, "status=\""); split(a[2], b, "\""); n[b[1]] += $NF} END {for (s in n) printf "status_%s %d\n", s, n[s]}'
n=${#samples[@]}
half=$((n / 2))
max_second_half=0; max_first_half=0
for ((i = 0; i < n; i++)); do
  v=${samples[$i]}
  if ((i < half)); then ((v > max_first_half)) && max_first_half=$v; else ((v > max_second_half)) && max_second_half=$v; fi
done
echo "max_rss_first_half_mb $max_first_half max_rss_second_half_mb $max_second_half bound_mb $BOUND_MB"
if ((max_second_half > BOUND_MB)); then echo "FAIL: RSS above the bound"; exit 1; fi
echo "OK: RSS stayed under ${BOUND_MB} MB"

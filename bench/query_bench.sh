#!/usr/bin/env bash
# Query and Scan page latency vs table size. For each N in $SIZES: start a
# fresh server, load N items (bench/query_load.lua: BatchWriteItem of 25,
# partitions of 100 items), check the count, let the store settle, then for
# each workload in $WORKLOADS run a warm-up and $REPEAT measured wrk runs:
#   query    bench/query.lua: Query of one whole random partition (Limit 100)
#   scan100  bench/scan.lua: Scan, Limit 100, chains of 5 pages from random
#            ExclusiveStartKeys following LastEvaluatedKey
#   scan1mb  the same without Limit (DynamoDB's 1 MB page)
# Each measured run prints the load average, wrk's latency distribution and
# the server's own CPU time per request (utime+stime from /proc, which is
# much less sensitive to other processes than wall-clock latency).
# Usage: bench/query_bench.sh [rocksdb|memory]
# Knobs: SIZES="10000 1000000" WORKLOADS="query scan100 scan1mb" REPEAT=2
#   DURATION=10s CONNS=32 SETTLE=20 FDYNO_BIN=build/fdyno FDYNO_ARGS=...
#   PROFILE=1 (perf record -e cpu-clock -g of the server during the first
#   measured run of each workload, into $PERF_DIR (/tmp)/perf-<backend>-<N>-<workload>.data)
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-rocksdb}
FDYNO_BIN=${FDYNO_BIN:-build/fdyno}
SIZES=${SIZES:-"10000 1000000"}
WORKLOADS=${WORKLOADS:-"query scan100 scan1mb"}
REPEAT=${REPEAT:-2}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
TICK=$(getconf CLK_TCK)

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_workload() {  # run_workload PORT PID N WORKLOAD MEASURED(0|1) DURATION [profile]
  local port=$1 pid=$2 n=$3 w=$4 measured=$5 dur=$6 profile=${7:-0}
  local script=bench/query.lua limit=100
  case $w in
    query) ;;
    scan100) script=bench/scan.lua ;;
    scan1mb) script=bench/scan.lua; limit=0 ;;
    *) echo "unknown workload $w" >&2; exit 1 ;;
  esac
  local env=(FDYNO_BENCH_PARTITIONS=$(( n / 100 )) FDYNO_BENCH_LIMIT=$limit)
  if [[ $measured == 0 ]]; then
    env "${env[@]}" wrk -t1 -c"$CONNS" -d"$dur" -s "$script" "http://127.0.0.1:$port/" >/dev/null
    return
  fi
  local perf_pid="" out
  if [[ $profile == 1 ]]; then
    perf record -e cpu-clock -F 999 -g -p "$pid" -o "${PERF_DIR:-/tmp}/perf-$BACKEND-$n-$w.data" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  local before; before=$(server_cpu_ticks "$pid")
  echo "-- $w, N=$n, $BACKEND, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  out=$(env "${env[@]}" wrk -t1 -c"$CONNS" -d"$dur" --latency -s "$script" "http://127.0.0.1:$port/")
  local after; after=$(server_cpu_ticks "$pid")
  [[ -n $perf_pid ]] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
  echo "$out" | grep -E 'Requests/sec|Latency  |^ +(50|90|99)%|scan pages|Non-2xx|Socket errors'
  local reqs; reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "server CPU: $(python3 -c "print(round(($after-$before)/$TICK*1e6/max(1,$reqs),1))") us/request" \
    "($(( (after - before) * 1000 / TICK )) ms for $reqs requests), load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

for N in $SIZES; do
  PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  DIR=$(mktemp -d)
  if [[ $BACKEND == memory ]]; then STORE=(--in-memory); else STORE=(--data-dir "$DIR" --durability relaxed); fi
  "$FDYNO_BIN" serve --listen 127.0.0.1:$PORT "${STORE[@]}" --log-level warn ${FDYNO_ARGS:-} &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
  for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:$PORT/ && break; sleep 0.1; done
  python3 - "$PORT" <<'PY'
import sys, boto3
c = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                 aws_access_key_id="bench", aws_secret_access_key="bench")
c.create_table(TableName="qbench", BillingMode="PAY_PER_REQUEST",
               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
               KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
PY
  START=$(date +%s.%N)
  # The loader stops itself once every batch is answered; 600 s is a cap.
  FDYNO_BENCH_ITEMS=$N wrk -t1 -c16 -d600s -s bench/query_load.lua http://127.0.0.1:$PORT/ >/dev/null
  COUNT=$(curl -s -X POST http://127.0.0.1:$PORT/ -H 'X-Amz-Target: DynamoDB_20120810.DescribeTable' \
    -H 'Content-Type: application/x-amz-json-1.0' -d '{"TableName":"qbench"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["Table"]["ItemCount"])')
  echo "== N=$N loaded $COUNT items in $(python3 -c "import time;print(round(time.time()-$START,1))")s ($BACKEND)"
  [[ $COUNT == "$N" ]] || { echo "load incomplete: $COUNT of $N" >&2; exit 1; }
  # Let RocksDB finish the flushes/compactions the load triggered, so the
  # figures measure reads rather than the load's aftermath.
  sleep ${SETTLE:-20}
  [[ $BACKEND == memory ]] || echo "data dir: $(du -sh "$DIR" | cut -f1), $(ls "$DIR" | grep -c '\.sst$') SST files"
  for W in $WORKLOADS; do
    run_workload $PORT $PID $N $W 0 3s
    for r in $(seq "$REPEAT"); do
      run_workload $PORT $PID $N $W 1 "$DURATION" $([[ ${PROFILE:-0} == 1 && $r == 1 ]] && echo 1 || echo 0)
    done
  done
  echo "server RSS: $(awk '/VmRSS/ {print $2}' /proc/$PID/status) kB"
  kill $PID; wait $PID 2>/dev/null || true; rm -rf "$DIR"; trap - EXIT
done

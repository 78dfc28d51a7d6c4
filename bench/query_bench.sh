#!/usr/bin/env bash
# Query latency vs table size: for each N in $SIZES, start a fresh server,
# load N items (bench/query_load.lua), check the count, then run wrk with
# bench/query.lua (Query of 100 items of a random partition).
# Usage: bench/query_bench.sh [rocksdb|memory]   knobs: SIZES="10000 1000000"
#   DURATION=10s CONNS=32 SETTLE=20 FDYNO_BIN=build/fdyno FDYNO_ARGS=...
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-rocksdb}
FDYNO_BIN=${FDYNO_BIN:-build/fdyno}
SIZES=${SIZES:-"10000 1000000"}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-32}
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
  LOAD_SECS=$(( N / 4000 + 5 ))
  START=$(date +%s.%N)
  FDYNO_BENCH_ITEMS=$N wrk -t1 -c32 -d${LOAD_SECS}s -s bench/query_load.lua http://127.0.0.1:$PORT/ >/dev/null
  COUNT=$(curl -s -X POST http://127.0.0.1:$PORT/ -H 'X-Amz-Target: DynamoDB_20120810.DescribeTable' \
    -H 'Content-Type: application/x-amz-json-1.0' -d '{"TableName":"qbench"}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["Table"]["ItemCount"])')
  echo "== N=$N loaded $COUNT items in $(python3 -c "import time;print(round(time.time()-$START,1))")s ($BACKEND)"
  [[ $COUNT == "$N" ]] || { echo "load incomplete: $COUNT of $N" >&2; exit 1; }
  # Let RocksDB finish the flushes/compactions the load triggered, and warm
  # up, so the figures measure Query rather than the load's aftermath.
  sleep ${SETTLE:-20}
  FDYNO_BENCH_PARTITIONS=$(( N / 100 )) wrk -t1 -c$CONNS -d3s -s bench/query.lua http://127.0.0.1:$PORT/ >/dev/null
  FDYNO_BENCH_PARTITIONS=$(( N / 100 )) wrk -t1 -c$CONNS -d$DURATION --latency -s bench/query.lua http://127.0.0.1:$PORT/
  kill $PID; wait $PID 2>/dev/null || true; rm -rf "$DIR"; trap - EXIT
done

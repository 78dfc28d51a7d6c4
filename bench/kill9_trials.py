#!/usr/bin/env python3
"""kill -9 trials (not part of make test; figures for docs/reliability.md).

Each trial starts `fdyno serve` on a fresh data directory (sync durability),
runs WRITERS threads of PutItem (unique keys, recorded only once answered
200) and TRANSFERS threads of two-item TransactWriteItems (a bank transfer:
the sum of all balances never changes), SIGKILLs the server at a random
moment, restarts it and checks that every acknowledged item is there, no
transfer is torn and the total is unchanged.

Usage: bench/kill9_trials.py [TRIALS] (default 20). FDYNO_BIN picks the binary.
"""
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
from botocore.config import Config

BIN = os.environ.get("FDYNO_BIN", os.path.join(os.path.dirname(__file__), "..", "build", "fdyno"))
WRITERS, TRANSFERS, ACCOUNTS, START_BALANCE = 8, 4, 20, 1000


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data, port):
    p = subprocess.Popen([BIN, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data, "--log-level", "warn"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    c = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                     aws_access_key_id="k", aws_secret_access_key="k",
                     config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=10,
                                   max_pool_connections=32))
    for _ in range(500):
        try:
            c.list_tables()
            return p, c
        except Exception:  # noqa: BLE001
            time.sleep(0.01)
    raise RuntimeError("server did not start")


def trial(n, rng):
    data = tempfile.mkdtemp(prefix="fdyno-kill9-")
    port = free_port()
    proc, c = start(data, port)
    for t in ("items", "bank"):
        c.create_table(TableName=t, BillingMode="PAY_PER_REQUEST",
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    for a in range(ACCOUNTS):
        c.put_item(TableName="bank", Item={"pk": {"S": f"a{a}"}, "bal": {"N": str(START_BALANCE)}})
    acked, stop = [], threading.Event()

    def writer(w):
        i = 0
        while not stop.is_set():
            k = f"w{w}-{i}"
            try:
                c.put_item(TableName="items", Item={"pk": {"S": k}, "v": {"S": "x" * 200}})
            except Exception:  # noqa: BLE001  (the kill)
                return
            acked.append(k)
            i += 1

    def transfer():
        r = random.Random()
        while not stop.is_set():
            a, b = r.sample(range(ACCOUNTS), 2)
            amt = str(r.randint(1, 50))
            try:
                c.transact_write_items(TransactItems=[
                    {"Update": {"TableName": "bank", "Key": {"pk": {"S": f"a{a}"}},
                                "UpdateExpression": "SET bal = bal - :m", "ExpressionAttributeValues": {":m": {"N": amt}}}},
                    {"Update": {"TableName": "bank", "Key": {"pk": {"S": f"a{b}"}},
                                "UpdateExpression": "SET bal = bal + :m", "ExpressionAttributeValues": {":m": {"N": amt}}}}])
            except c.exceptions.TransactionCanceledException:
                continue
            except Exception:  # noqa: BLE001
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    threads += [threading.Thread(target=transfer) for _ in range(TRANSFERS)]
    for t in threads:
        t.start()
    time.sleep(rng.uniform(1.0, 4.0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    proc, c = start(data, port)
    try:
        keys = list(acked)
        found = set()
        for i in range(0, len(keys), 100):
            req = {"items": {"Keys": [{"pk": {"S": k}} for k in keys[i:i + 100]], "ProjectionExpression": "pk"}}
            while req:
                r = c.batch_get_item(RequestItems=req)
                found.update(x["pk"]["S"] for x in r["Responses"].get("items", []))
                req = r.get("UnprocessedKeys") or None
        lost = len(set(keys) - found)
        bal = sum(int(x["bal"]["N"]) for x in c.scan(TableName="bank", ConsistentRead=True)["Items"])
        return len(keys), lost, bal == ACCOUNTS * START_BALANCE
    finally:
        proc.terminate()
        proc.wait()
        subprocess.run(["rm", "-rf", data])


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    rng = random.Random(int(os.environ.get("SEED", "1")))
    total_acked = total_lost = bad_totals = 0
    for n in range(trials):
        acked, lost, total_ok = trial(n, rng)
        total_acked += acked
        total_lost += lost
        bad_totals += 0 if total_ok else 1
        print(f"trial {n + 1}: {acked} acknowledged, {lost} lost, bank total {'kept' if total_ok else 'BROKEN'}",
              flush=True)
    print(f"{trials} trials: {total_acked} acknowledged writes, {total_lost} lost, {bad_totals} broken totals")
    sys.exit(1 if total_lost or bad_totals else 0)


if __name__ == "__main__":
    main()

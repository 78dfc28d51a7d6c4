#!/usr/bin/env python3
"""One, two and three fdyno servers on one PostgreSQL, next to the database's
own ceiling, measured in one run.

    bench/pg_cluster.py            # starts a private PostgreSQL (scripts/pg-cluster.sh)
    PG_URL=postgresql://... bench/pg_cluster.py

Environment: DURATION (wrk seconds, default 10), CONNS (client connections in
all, default 32, split evenly over the servers), SERVERS (default "1 2 3"),
WORKLOADS (default "getitem putitem updateitem query transactwrite"),
FDYNO_ARGS (extra `fdyno serve` flags), FDYNO_BIN (default build/fdyno),
ROCKSDB (default 1: also run the workloads against one server on the
embedded RocksDB store, in the same run, for the GetItem comparison).

Every measured run starts right after a CHECKPOINT (the URL's user must be
allowed to run it: a superuser or pg_checkpoint). The ceiling is pgbench with CONNS clients running a custom script of one
single-row INSERT ... ON CONFLICT per transaction (1 KB value, the same
synchronous_commit as fdyno's default durability), in pgbench's default
(simple) protocol and with -M prepared, and one of a single-row SELECT by
primary key. Each fdyno workload runs one wrk per server at once
(CONNS / servers connections each); throughput is the sum, p99 the worst
server's. Prints a Markdown table for docs/performance.md.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("FDYNO_BIN", str(ROOT / "build" / "fdyno"))
DURATION = int(os.environ.get("DURATION", "10"))
CONNS = int(os.environ.get("CONNS", "32"))
SERVERS = [int(x) for x in os.environ.get("SERVERS", "1 2 3").split()]
WORKLOADS = os.environ.get("WORKLOADS", "getitem putitem updateitem query transactwrite").split()
FDYNO_ARGS = os.environ.get("FDYNO_ARGS", "").split()
ROCKSDB = os.environ.get("ROCKSDB", "1") == "1"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def parse_wrk(out):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(m.group(1)) * scale, int(errors.group(1)) if errors else 0


# Every measured run, pgbench's and fdyno's, starts right after a
# checkpoint: otherwise the WAL written by the run before leaves one in
# progress (full-page writes, flushing) that slows the next run's commits.
CHECKPOINT_URL = None


def checkpoint():
    if CHECKPOINT_URL:
        subprocess.run(["psql", "-q", CHECKPOINT_URL, "-c", "CHECKPOINT"], capture_output=True)


def pgbench(url, script, conns, mode="simple"):
    checkpoint()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        r = subprocess.run(["pgbench", "-n", "-c", str(conns), "-j", "1", "-T", str(DURATION), "-M", mode, "-f", path, url],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("pgbench failed: " + r.stdout + r.stderr)
        out = r.stdout
    finally:
        os.unlink(path)
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    lat = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return tps, lat


def ceiling(base_url):
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", base_url]
    subprocess.run(psql + ["-c", "DROP TABLE IF EXISTS bench_ceiling; "
                                 "CREATE TABLE bench_ceiling (k text PRIMARY KEY, v bytea)"], check=True)
    subprocess.run(psql + ["-c", "INSERT INTO bench_ceiling SELECT 'k' || g, convert_to(repeat('x', 1000), 'UTF8') "
                                 "FROM generate_series(0, 999) g"], check=True)
    insert = ("\\set k random(0, 999999)\n"
              "INSERT INTO bench_ceiling VALUES ('w' || :k, convert_to(repeat('x', 1000), 'UTF8')) "
              "ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;\n")
    write = pgbench(base_url, insert, CONNS)
    # The same with prepared statements (no planning per transaction, as
    # fdyno's own statements): the higher, stricter ceiling.
    write_prepared = pgbench(base_url, insert, CONNS, "prepared")
    read = pgbench(base_url, "\\set k random(0, 999)\nSELECT v FROM bench_ceiling WHERE k = 'k' || :k;\n", CONNS)
    return write, write_prepared, read


class Server:
    def __init__(self, store_url, log_dir, store_args=None):
        self.port = free_port()
        self.log = open(os.path.join(log_dir, "fdyno-%d.log" % self.port), "w")
        store_args = store_args or ["--store", store_url]
        self.proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:%d" % self.port] + store_args +
                                     ["--log-level", "warn"] + FDYNO_ARGS, stdout=self.log, stderr=self.log)
        self.url = "http://127.0.0.1:%d" % self.port
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("fdyno did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


def load(url):
    c = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1", aws_access_key_id="bench",
                     aws_secret_access_key="bench", config=Config(retries={"max_attempts": 10}))
    c.create_table(TableName="bench", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                   BillingMode="PAY_PER_REQUEST")
    c.create_table(TableName="qbench", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "sk", "KeyType": "RANGE"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "sk", "AttributeType": "N"}],
                   BillingMode="PAY_PER_REQUEST")
    data = "x" * 1000
    for start in range(0, 1000, 25):
        c.batch_write_item(RequestItems={"bench": [
            {"PutRequest": {"Item": {"pk": {"S": "k%d" % i}, "data": {"S": data}}}} for i in range(start, start + 25)]})
    small = "y" * 100
    for p in range(100):
        for start in range(0, 100, 25):
            c.batch_write_item(RequestItems={"qbench": [
                {"PutRequest": {"Item": {"pk": {"S": "p%d" % p}, "sk": {"N": str(s)}, "v": {"S": small}}}}
                for s in range(start, start + 25)]})


def run_workload(servers, workload):
    checkpoint()
    per = max(1, CONNS // len(servers))
    procs = []
    for i, s in enumerate(servers):
        env = dict(os.environ, FDYNO_BENCH_PREFIX="s%d-" % i)
        procs.append(subprocess.Popen(["wrk", "-t1", "-c%d" % per, "-d%ds" % DURATION, "--latency", "-s",
                                       str(ROOT / "bench" / (workload + ".lua")), s.url + "/"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    total, worst, errors = 0.0, 0.0, 0
    for p in procs:
        out, err = p.communicate()
        rps, p99, e = parse_wrk(out)
        total += rps
        worst = max(worst, p99)
        errors += e
    return total, worst, errors


def main():
    pg_dir = None
    base = os.environ.get("PG_URL")
    if not base:
        pg_dir = tempfile.mkdtemp(prefix="fdyno-bench-pg-", dir="/tmp")
        base = subprocess.run([str(ROOT / "scripts" / "pg-cluster.sh"), "start", pg_dir], capture_output=True,
                              text=True, check=True).stdout.strip()
    global CHECKPOINT_URL
    CHECKPOINT_URL = base
    log_dir = tempfile.mkdtemp(prefix="fdyno-bench-logs-")
    try:
        (wtps, wlat), (ptps, plat), (rtps, rlat) = ceiling(base)
        print("commit %s, %s, DURATION=%ds CONNS=%d FDYNO_ARGS=%r" % (
            subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True).stdout.strip(), os.uname().nodename, DURATION, CONNS, " ".join(FDYNO_ARGS)))
        print("pgbench INSERT ... ON CONFLICT (1 KB), %d clients: %.0f tps, mean latency %.2f ms" % (CONNS, wtps, wlat))
        print("pgbench the same, -M prepared: %.0f tps, mean latency %.2f ms" % (ptps, plat))
        print("pgbench SELECT by key, %d clients: %.0f tps, mean latency %.2f ms" % (CONNS, rtps, rlat))
        rows = {}
        for n in SERVERS:
            schema = "bench_" + uuid.uuid4().hex[:8]
            sep = "&" if "?" in base else "?"
            url = "%s%soptions=-csearch_path%%3D%s" % (base, sep, schema)
            servers = [Server(url, log_dir)]
            load(servers[0].url)
            servers += [Server(url, log_dir) for _ in range(n - 1)]
            for w in WORKLOADS:
                rows[(w, n)] = run_workload(servers, w)
                print("  %d server(s) %-14s %9.0f req/s  p99 %8.2f ms  errors %d" % ((n, w) + rows[(w, n)]),
                      flush=True)
            for s in servers:
                s.stop()
            subprocess.run(["psql", "-q", base, "-c", "DROP SCHEMA %s CASCADE" % schema], capture_output=True)
        columns = list(SERVERS)
        if ROCKSDB:
            data_dir = tempfile.mkdtemp(prefix="fdyno-bench-rocksdb-", dir="/tmp")
            try:
                server = Server(None, log_dir, ["--data-dir", data_dir])
                load(server.url)
                for w in WORKLOADS:
                    rows[(w, "rocksdb")] = run_workload([server], w)
                    print("  RocksDB store  %-14s %9.0f req/s  p99 %8.2f ms  errors %d" % ((w,) + rows[(w, "rocksdb")]),
                          flush=True)
                server.stop()
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
            columns.append("rocksdb")
        print()
        print("| workload | " + " | ".join("RocksDB store, 1 server" if n == "rocksdb" else
                                           "%d server%s" % (n, "s" if n > 1 else "") for n in columns) + " |")
        print("|---|" + "---|" * len(columns))
        for w in WORKLOADS:
            cells = []
            for n in columns:
                rps, p99, e = rows[(w, n)]
                cells.append("%.0f/s, p99 %.1f ms%s" % (rps, p99, ", %d errors" % e if e else ""))
            print("| %s | %s |" % (w, " | ".join(cells)))
        if ("getitem", "rocksdb") in rows:
            for n in SERVERS:
                if ("getitem", n) in rows:
                    print("GetItem, %d server(s): %.0f%% of the RocksDB store's" %
                          (n, 100 * rows[("getitem", n)][0] / rows[("getitem", "rocksdb")][0]))
        for n in SERVERS:
            if ("putitem", n) in rows:
                rps = rows[("putitem", n)][0]
                print("PutItem, %d server(s): %.0f%% of the pgbench ceiling, %.0f%% of the -M prepared one" %
                      (n, 100 * rps / wtps, 100 * rps / ptps))
    finally:
        if pg_dir:
            subprocess.run([str(ROOT / "scripts" / "pg-cluster.sh"), "stop", pg_dir], capture_output=True)
            shutil.rmtree(pg_dir, ignore_errors=True)
        shutil.rmtree(log_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

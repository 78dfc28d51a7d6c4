# Three fdyno servers on one PostgreSQL database behave as one server
# (issue 10): clients spread over all three see serializable transactions,
# strongly consistent indexes and streams, and one server's tables, tokens,
# iterators and pagination keys on every other. Also: kill -9 of one server
# and a PostgreSQL restart under load.
import os
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from conftest import (DUMMY_KEY, DUMMY_SECRET, REGION, client_for, conditional_increments, create_table_and_wait,
                      expect_error, free_port, postgres_store_args, start_server, unique_name)

SCRIPT = str(Path(__file__).resolve().parents[2] / "scripts" / "pg-cluster.sh")


@pytest.fixture(scope="module")
def servers(postgres_base_url, tmp_path_factory):
    args = postgres_store_args(postgres_base_url)  # one schema for all three
    logs = tmp_path_factory.mktemp("several-logs")
    started = [start_server(args + ["--lease-ms", "1000"], log_dir=logs) for _ in range(3)]
    yield started
    for s in started:
        s.stop()


def clients(servers):
    return [client_for(s) for s in servers]


def test_table_changes_on_one_server_are_seen_by_the_others_at_once(servers):
    a, b, c = clients(servers)
    t = unique_name("several")
    create_table_and_wait(a, t)
    b.put_item(TableName=t, Item={"pk": {"S": "x"}, "v": {"N": "1"}})
    assert c.get_item(TableName=t, Key={"pk": {"S": "x"}})["Item"]["v"] == {"N": "1"}
    a.update_table(TableName=t, BillingMode="PROVISIONED",
                   ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3})
    assert b.describe_table(TableName=t)["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    a.delete_table(TableName=t)
    expect_error(lambda: b.get_item(TableName=t, Key={"pk": {"S": "x"}}), "ResourceNotFoundException",
                 "Requested resource not found")
    expect_error(lambda: c.put_item(TableName=t, Item={"pk": {"S": "y"}}), "ResourceNotFoundException",
                 "Requested resource not found")


def test_a_write_on_one_server_is_in_a_gsi_query_on_another(servers):
    a, b, c = clients(servers)
    t = unique_name("severalgsi")
    a.create_table(TableName=t, BillingMode="PAY_PER_REQUEST",
                   KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexes=[{"IndexName": "byg", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                            "Projection": {"ProjectionType": "ALL"}}])
    a.get_waiter("table_exists").wait(TableName=t)
    for i in range(20):
        (a if i % 2 else c).put_item(TableName=t, Item={"pk": {"S": f"k{i}"}, "g": {"S": "G"}, "n": {"N": str(i)}})
        got = b.query(TableName=t, IndexName="byg", KeyConditionExpression="g = :g",
                      ExpressionAttributeValues={":g": {"S": "G"}})["Items"]
        assert sorted(int(x["n"]["N"]) for x in got) == list(range(i + 1))
    a.delete_table(TableName=t)


def test_conditional_increments_from_eight_clients_over_three_servers(servers):
    t = unique_name("severalinc")
    create_table_and_wait(client_for(servers[0]), t)
    client_for(servers[0]).put_item(TableName=t, Item={"pk": {"S": "c"}, "n": {"N": "0"}})
    errors = conditional_increments(t, [servers[i % 3] for i in range(8)], 300)
    assert errors == []
    for s in servers:
        got = client_for(s).get_item(TableName=t, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]
        assert got == {"N": "2400"}
    client_for(servers[0]).delete_table(TableName=t)


def test_money_transfers_keep_the_total_for_readers_on_every_server(servers):
    t = unique_name("severalbank")
    a = client_for(servers[0])
    create_table_and_wait(a, t)
    accounts, total = 10, 10 * 100
    for i in range(accounts):
        a.put_item(TableName=t, Item={"pk": {"S": f"acct{i}"}, "bal": {"N": "100"}})
    stop = threading.Event()
    bad, errors, transfers = [], [], [0]

    def writer(w):
        c = client_for(servers[w % 3])
        n = 0
        while not stop.is_set():
            n += 1
            src, dst = (w * 7 + n) % accounts, (w * 3 + n * 5 + 1) % accounts
            if src == dst:
                continue
            try:
                c.transact_write_items(TransactItems=[
                    {"Update": {"TableName": t, "Key": {"pk": {"S": f"acct{src}"}},
                                "UpdateExpression": "SET bal = bal - :a", "ConditionExpression": "bal >= :a",
                                "ExpressionAttributeValues": {":a": {"N": "7"}}}},
                    {"Update": {"TableName": t, "Key": {"pk": {"S": f"acct{dst}"}},
                                "UpdateExpression": "SET bal = bal + :a",
                                "ExpressionAttributeValues": {":a": {"N": "7"}}}}])
                transfers[0] += 1
            except ClientError as e:
                if e.response["Error"]["Code"] not in ("TransactionCanceledException", "TransactionConflictException"):
                    errors.append(e.response["Error"])

    def reader(r):
        c = client_for(servers[r % 3])
        while not stop.is_set():
            got = c.transact_get_items(TransactItems=[
                {"Get": {"TableName": t, "Key": {"pk": {"S": f"acct{i}"}}}} for i in range(accounts)])
            s = sum(int(x["Item"]["bal"]["N"]) for x in got["Responses"])
            if s != total:
                bad.append(s)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    threads += [threading.Thread(target=reader, args=(r,)) for r in range(3)]
    for th in threads:
        th.start()
    time.sleep(8)
    stop.set()
    for th in threads:
        th.join()
    assert errors == [] and bad == []
    assert transfers[0] > 20
    for s in servers:
        items = client_for(s).scan(TableName=t, ConsistentRead=True)["Items"]
        assert sum(int(x["bal"]["N"]) for x in items) == total
    a.delete_table(TableName=t)


def test_gsi_added_on_one_server_while_the_others_write_equals_a_recomputation(servers):
    a, b, c = clients(servers)
    t = unique_name("severalbackfill")
    create_table_and_wait(a, t)
    for i in range(300):
        a.put_item(TableName=t, Item={"pk": {"S": f"k{i}"}, "g": {"S": f"g{i % 5}"}})
    stop = threading.Event()
    errors = []

    def writer(cl, w):
        n = 0
        while not stop.is_set() or n < 50:
            n += 1
            k = f"k{(n * 13 + w) % 400}"
            try:
                if n % 4 == 0:
                    cl.delete_item(TableName=t, Key={"pk": {"S": k}})
                else:
                    cl.put_item(TableName=t, Item={"pk": {"S": k}, "g": {"S": f"g{n % 7}"}})
            except ClientError as e:
                errors.append(e.response["Error"])

    threads = [threading.Thread(target=writer, args=(cl, w)) for w, cl in enumerate([client_for(servers[1]),
                                                                                      client_for(servers[2])])]
    for th in threads:
        th.start()
    a.update_table(TableName=t, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "byg",
                                                            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                            "Projection": {"ProjectionType": "KEYS_ONLY"}}}])
    deadline = time.time() + 60
    while time.time() < deadline:
        idx = b.describe_table(TableName=t)["Table"]["GlobalSecondaryIndexes"][0]
        if idx["IndexStatus"] == "ACTIVE":
            break
        time.sleep(0.2)
    assert idx["IndexStatus"] == "ACTIVE"
    stop.set()
    for th in threads:
        th.join()
    assert errors == []
    base = c.scan(TableName=t, ConsistentRead=True)["Items"]
    want = {}
    for it in base:
        want.setdefault(it["g"]["S"], set()).add(it["pk"]["S"])
    for g in set(want) | {f"g{i}" for i in range(7)}:
        got = set()
        kw = {}
        while True:
            r = b.query(TableName=t, IndexName="byg", KeyConditionExpression="g = :g",
                        ExpressionAttributeValues={":g": {"S": g}}, **kw)
            got |= {x["pk"]["S"] for x in r["Items"]}
            if "LastEvaluatedKey" not in r:
                break
            kw = {"ExclusiveStartKey": r["LastEvaluatedKey"]}
        assert got == want.get(g, set()), g
    assert a.describe_table(TableName=t)["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"] == len(base)
    a.delete_table(TableName=t)


def test_stream_on_one_server_sees_every_write_of_the_others_once_in_order(servers):
    a, b, c = clients(servers)
    t = unique_name("severalstream")
    a.create_table(TableName=t, BillingMode="PAY_PER_REQUEST",
                   KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                   StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    a.get_waiter("table_exists").wait(TableName=t)
    arn = a.describe_table(TableName=t)["Table"]["LatestStreamArn"]

    def writer(cl, w):
        for v in range(1, 61):
            for key in (f"own{w}", "shared"):
                cl.update_item(TableName=t, Key={"pk": {"S": key}}, UpdateExpression="ADD v :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})

    threads = [threading.Thread(target=writer, args=(cl, w)) for w, cl in enumerate([a, b])]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    s = boto3.client("dynamodbstreams", endpoint_url=servers[2].url, region_name=REGION,
                     aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_SECRET)
    records = []
    for shard in s.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        # The iterator comes from server A, the reads go to C.
        sa = boto3.client("dynamodbstreams", endpoint_url=servers[0].url, region_name=REGION,
                          aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_SECRET)
        it = sa.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for _ in range(1000):
            r = s.get_records(ShardIterator=it)
            records += r["Records"]
            if not r["Records"] or "NextShardIterator" not in r:
                break
            it = r["NextShardIterator"]
    assert len(records) == 240
    seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert len(set(seqs)) == 240
    per_key = {}
    for r in records:
        per_key.setdefault(r["dynamodb"]["Keys"]["pk"]["S"], []).append(int(r["dynamodb"]["NewImage"]["v"]["N"]))
    assert per_key["own0"] == list(range(1, 61))
    assert per_key["own1"] == list(range(1, 61))
    assert per_key["shared"] == list(range(1, 121))
    a.delete_table(TableName=t)


def test_tokens_and_pagination_keys_of_one_server_work_on_another(servers):
    a, b, c = clients(servers)
    t = unique_name("severaltok")
    create_table_and_wait(a, t)
    for i in range(25):
        a.put_item(TableName=t, Item={"pk": {"S": f"k{i:02}"}})
    seen, kw, turn = [], {}, 0
    while True:
        r = clients(servers)[turn % 3].scan(TableName=t, Limit=4, **kw)
        turn += 1
        seen += [x["pk"]["S"] for x in r["Items"]]
        if "LastEvaluatedKey" not in r:
            break
        kw = {"ExclusiveStartKey": r["LastEvaluatedKey"]}
    assert sorted(seen) == sorted(f"k{i:02}" for i in range(25)) and len(seen) == 25
    token = uuid.uuid4().hex
    inc = [{"Update": {"TableName": t, "Key": {"pk": {"S": "k00"}}, "UpdateExpression": "ADD n :one",
                       "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    a.transact_write_items(TransactItems=inc, ClientRequestToken=token)
    b.transact_write_items(TransactItems=inc, ClientRequestToken=token)  # a replay: no second effect
    assert c.get_item(TableName=t, Key={"pk": {"S": "k00"}})["Item"]["n"] == {"N": "1"}
    expect_error(lambda: c.transact_write_items(
        TransactItems=[{"Put": {"TableName": t, "Item": {"pk": {"S": "other"}}}}], ClientRequestToken=token),
        "IdempotentParameterMismatchException",
        "The request uses the same client token as a previous, but non-identical request.")
    a.delete_table(TableName=t)


def test_kill_9_of_one_server_loses_no_acknowledged_write(postgres_base_url, tmp_path):
    args = postgres_store_args(postgres_base_url)
    srvs = [start_server(args, log_dir=tmp_path) for _ in range(3)]
    try:
        t = unique_name("severalkill")
        create_table_and_wait(client_for(srvs[0]), t)
        acked, lock, stop = [], threading.Lock(), threading.Event()
        after_kill = [0, 0, 0]
        killed = threading.Event()

        def writer(i):
            c = boto3.client("dynamodb", endpoint_url=srvs[i].url, region_name=REGION, aws_access_key_id=DUMMY_KEY,
                             aws_secret_access_key=DUMMY_SECRET,
                             config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=5))
            n = 0
            while not stop.is_set():
                n += 1
                k = f"w{i}-{n}"
                try:
                    c.put_item(TableName=t, Item={"pk": {"S": k}})
                except (ClientError, BotoCoreError):
                    if i == 1 and killed.is_set():
                        return
                    continue
                with lock:
                    acked.append(k)
                if killed.is_set():
                    after_kill[i] += 1

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(3)]
        for th in threads:
            th.start()
        time.sleep(2)
        srvs[1].kill()
        killed.set()
        time.sleep(2)
        stop.set()
        for th in threads:
            th.join()
        assert after_kill[0] > 0 and after_kill[2] > 0, after_kill
        c = client_for(srvs[0])
        for k in acked:
            assert "Item" in c.get_item(TableName=t, Key={"pk": {"S": k}}), k
        assert any(k.startswith("w1-") for k in acked)
    finally:
        for s in srvs:
            s.stop()


def test_postgresql_restart_under_load(tmp_path):
    d = tempfile.mkdtemp(prefix="fdyno-pgr-", dir="/tmp")
    port = free_port()
    out = subprocess.run([SCRIPT, "start", d, str(port)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    url = out.stdout.strip()
    srvs = []
    try:
        args = postgres_store_args(url) + ["--store-timeout-ms", "2000"]
        srvs = [start_server(args, log_dir=tmp_path) for _ in range(2)]
        t = unique_name("severalpg")
        create_table_and_wait(client_for(srvs[0]), t)
        cl = [boto3.client("dynamodb", endpoint_url=s.url, region_name=REGION, aws_access_key_id=DUMMY_KEY,
                           aws_secret_access_key=DUMMY_SECRET,
                           config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=10))
              for s in srvs]
        acked, failures, n = [], [], 0

        def put(c):
            nonlocal n
            n += 1
            k = f"k{n}"
            start = time.monotonic()
            try:
                c.put_item(TableName=t, Item={"pk": {"S": k}})
                acked.append(k)
                return True
            except ClientError as e:
                failures.append((e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"],
                                 time.monotonic() - start))
                return False

        for i in range(50):
            assert put(cl[i % 2])
        subprocess.run([SCRIPT, "stop", d], capture_output=True, check=True)
        for i in range(20):
            assert not put(cl[i % 2])
        # Clear errors, fast, and the servers keep running.
        assert {(code, status) for code, status, _ in failures} <= {("InternalServerError", 500),
                                                                     ("ServiceUnavailable", 503)}, failures
        assert max(s for _, _, s in failures) < 5.0, failures
        assert all(s.alive() for s in srvs)
        out = subprocess.run([SCRIPT, "start", d, str(port)], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        deadline = time.time() + 30
        for i in range(2):
            while not put(cl[i]):
                assert time.time() < deadline, failures[-3:]
                time.sleep(0.2)
        for i in range(50):
            assert put(cl[i % 2])
        c = client_for(srvs[1])
        for k in acked:
            assert "Item" in c.get_item(TableName=t, Key={"pk": {"S": k}}), k
    finally:
        for s in srvs:
            s.stop()
        subprocess.run([SCRIPT, "stop", d], capture_output=True)
        subprocess.run(["rm", "-rf", d])


def test_servers_with_their_own_loops_and_with_a_write_pool_share_one_store(postgres_base_url, tmp_path):
    # The default on a network store: an event loop per I/O thread, handlers
    # on fibers. `--write-threads N` brings back the shared loop and a pool that
    # runs every handler, reads too. Both kinds on one store answer alike,
    # under concurrent conditional writes.
    args = postgres_store_args(postgres_base_url)
    own = start_server(args + ["--threads", "4"], log_dir=tmp_path)
    pooled = start_server(args + ["--threads", "2", "--write-threads", "4"], log_dir=tmp_path)
    try:
        assert "threads: 4 (an event loop each, handlers on fibers)" in own.log_text()
        assert "threads: 2 (+4 for writes)" in pooled.log_text()
        t = unique_name("loops")
        create_table_and_wait(client_for(own), t)
        client_for(pooled).put_item(TableName=t, Item={"pk": {"S": "c"}, "n": {"N": "0"}})
        # More clients than the first server has loops: connections share them.
        errors = conditional_increments(t, [own if i % 2 else pooled for i in range(10)], 100)
        assert errors == []
        for s in (own, pooled):
            got = client_for(s).get_item(TableName=t, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]
            assert got == {"N": "1000"}
        client_for(own).delete_table(TableName=t)
    finally:
        assert own.stop() == 0, own.log_text()
        assert pooled.stop() == 0, pooled.log_text()

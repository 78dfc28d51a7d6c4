# Durability on the persistent stores (RocksDB and the shared PostgreSQL
# store): data survives a clean restart, and every write the server
# acknowledged survives a SIGKILL (--durability sync).
import threading
import time

import pytest
from botocore.exceptions import BotoCoreError, ClientError

from conftest import client_for, create_table_and_wait, start_server, unique_name


def test_restart_keeps_tables_and_items(persistent_store, tmp_path):
    srv = start_server(persistent_store, log_dir=tmp_path)
    try:
        c = client_for(srv)
        t1, t2 = unique_name("dur"), unique_name("dur")
        create_table_and_wait(c, t1)
        create_table_and_wait(c, t2, range_key=("sk", "N"), billing="PROVISIONED", throughput=(3, 4))
        items = {f"k{i}": {"pk": {"S": f"k{i}"}, "v": {"N": str(i)}, "m": {"M": {"x": {"SS": ["a", "b"]}}}}
                 for i in range(50)}
        for it in items.values():
            c.put_item(TableName=t1, Item=it)
        c.put_item(TableName=t2, Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
        c.delete_item(TableName=t1, Key={"pk": {"S": "k0"}})
        del items["k0"]
        before = c.describe_table(TableName=t2)["Table"]
    finally:
        assert srv.stop() == 0, srv.log_text()

    srv2 = start_server(persistent_store, log_dir=tmp_path)
    try:
        c = client_for(srv2)
        names = c.list_tables()["TableNames"]
        assert t1 in names and t2 in names
        after = c.describe_table(TableName=t2)["Table"]
        for f in ("TableArn", "TableId", "KeySchema", "AttributeDefinitions", "CreationDateTime"):
            assert after[f] == before[f], f
        assert after["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
        assert after["ProvisionedThroughput"]["WriteCapacityUnits"] == 4
        for k, it in items.items():
            got = c.get_item(TableName=t1, Key={"pk": {"S": k}}, ConsistentRead=True)["Item"]
            assert got["v"] == it["v"]
            assert sorted(got["m"]["M"]["x"]["SS"]) == ["a", "b"]
        assert "Item" not in c.get_item(TableName=t1, Key={"pk": {"S": "k0"}}, ConsistentRead=True)
        assert "Item" in c.get_item(TableName=t2, Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, ConsistentRead=True)
        # A table deleted before a restart stays deleted.
        c.delete_table(TableName=t2)
    finally:
        assert srv2.stop() == 0, srv2.log_text()

    srv3 = start_server(persistent_store, log_dir=tmp_path)
    try:
        c = client_for(srv3)
        names = c.list_tables()["TableNames"]
        assert t1 in names and t2 not in names
    finally:
        srv3.stop()


def test_sigkill_keeps_acknowledged_writes(persistent_store, tmp_path):
    args = persistent_store + ["--durability", "sync"]
    srv = start_server(args, log_dir=tmp_path)
    table = unique_name("crash")
    acked = []
    stop = threading.Event()
    errors = []
    try:
        c = client_for(srv)
        create_table_and_wait(c, table)

        def writer():
            # Sequential writes; a key is recorded only after the server
            # answered 200 for it.
            i = 0
            while not stop.is_set():
                k = f"key-{i:07d}"
                try:
                    c.put_item(TableName=table, Item={"pk": {"S": k}, "payload": {"S": "p" * 200}})
                except (ClientError, BotoCoreError, OSError) as e:
                    errors.append(e)
                    return
                acked.append(k)
                i += 1

        th = threading.Thread(target=writer, daemon=True)
        th.start()
        deadline = time.monotonic() + 20
        while len(acked) < 300 and time.monotonic() < deadline and th.is_alive():
            time.sleep(0.01)
        assert len(acked) > 0, f"no write acknowledged: {errors} {srv.log_text()}"
        srv.kill()  # SIGKILL mid-stream
        stop.set()
        th.join(timeout=30)
        assert not th.is_alive()
    finally:
        stop.set()
        srv.kill()

    n_acked = len(acked)
    srv2 = start_server(args, log_dir=tmp_path)
    try:
        c = client_for(srv2)
        missing = []
        for k in acked:
            if "Item" not in c.get_item(TableName=table, Key={"pk": {"S": k}}, ConsistentRead=True):
                missing.append(k)
        assert not missing, f"{len(missing)} of {n_acked} acknowledged writes lost, first: {missing[:5]}"
        # New writes work after recovery.
        c.put_item(TableName=table, Item={"pk": {"S": "after-crash"}})
        assert "Item" in c.get_item(TableName=table, Key={"pk": {"S": "after-crash"}}, ConsistentRead=True)
    finally:
        srv2.stop()


def test_relaxed_durability_clean_shutdown_keeps_data(persistent_store, tmp_path):
    # Relaxed mode may lose the last writes on a crash, but SIGTERM flushes.
    args = persistent_store + ["--durability", "relaxed"]
    srv = start_server(args, log_dir=tmp_path)
    table = unique_name("relaxed")
    try:
        c = client_for(srv)
        create_table_and_wait(c, table)
        for i in range(200):
            c.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "v": {"N": str(i)}})
    finally:
        assert srv.stop() == 0, srv.log_text()
    srv2 = start_server(args, log_dir=tmp_path)
    try:
        c = client_for(srv2)
        for i in range(200):
            got = c.get_item(TableName=table, Key={"pk": {"S": f"k{i}"}}, ConsistentRead=True)
            assert got["Item"]["v"] == {"N": str(i)}
    finally:
        srv2.stop()

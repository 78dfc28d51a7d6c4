"""Handlers on fibers (docs/http.md "Event loops with fibers"), the default
on every store: one event loop per I/O thread, and a handler that waits (a
write for its group commit's fsync, or on PostgreSQL any request for the
database) suspends itself while its thread serves the others.

With a single I/O thread every concurrent request shares one thread, so
whatever a fiber's wait got wrong (a lost wake-up, a read running into a
waiting write, an acknowledged write not yet durable) shows here."""
import threading

from conftest import client_for, conditional_increments, create_table_and_wait, start_server, unique_name


def test_one_thread_serves_concurrent_writers_and_readers_and_every_acknowledged_write_survives_kill(
        persistent_store, tmp_path):
    srv = start_server(persistent_store + ["--threads", "1"], log_dir=tmp_path)
    try:
        assert "threads: 1 (an event loop each, handlers on fibers)" in srv.log_text()
        t = unique_name("fib")
        c = client_for(srv)
        create_table_and_wait(c, t)
        c.put_item(TableName=t, Item={"pk": {"S": "c"}, "n": {"N": "0"}})
        acked = [[] for _ in range(12)]
        errors = []

        def putter(i):
            cl = client_for(srv)
            try:
                for j in range(40):
                    cl.put_item(TableName=t, Item={"pk": {"S": f"w{i}-{j}"}, "v": {"N": str(j)}})
                    acked[i].append(j)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        # Twelve writers of new items and, at the same time, twelve clients
        # of conditional increments (read, then a write conditioned on it).
        putters = [threading.Thread(target=putter, args=(i,)) for i in range(12)]
        for th in putters:
            th.start()
        errors += conditional_increments(t, [srv] * 12, 40)
        for th in putters:
            th.join()
        assert errors == []
        got = c.get_item(TableName=t, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]["N"]
        assert int(got) == 12 * 40
        # kill -9: nothing acknowledged may be lost.
        srv.kill()
        srv = start_server(persistent_store + ["--threads", "1"], log_dir=tmp_path)
        c = client_for(srv)
        for i in range(12):
            keys = [{"pk": {"S": f"w{i}-{j}"}} for j in acked[i]]
            for start in range(0, len(keys), 100):
                got = c.batch_get_item(RequestItems={t: {"Keys": keys[start:start + 100], "ConsistentRead": True}})
                assert len(got["Responses"][t]) == len(keys[start:start + 100])
        assert c.get_item(TableName=t, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]["N"] == str(12 * 40)
    finally:
        srv.stop()


def test_a_write_pool_still_serves_when_asked_for(persistent_store, tmp_path):
    # --write-threads N > 0: the shared loop and a pool, as before fibers.
    srv = start_server(persistent_store + ["--threads", "2", "--write-threads", "4"], log_dir=tmp_path)
    try:
        assert "threads: 2 (+4 for writes)" in srv.log_text()
        t = unique_name("pool")
        c = client_for(srv)
        create_table_and_wait(c, t)
        for j in range(20):
            c.update_item(TableName=t, Key={"pk": {"S": "c"}}, UpdateExpression="ADD n :one",
                          ExpressionAttributeValues={":one": {"N": "1"}})
        assert c.get_item(TableName=t, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]["N"] == "20"
    finally:
        srv.stop()

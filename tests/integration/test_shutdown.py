# SIGTERM with requests on keep-alive connections (issue 8, defect 7).
#
# Every request whose bytes were fully sent before the SIGTERM gets a complete
# response, the last one on its connection with "Connection: close"; what was
# answered 200 is applied (checked after a restart on the same data
# directory). Idle connections are closed at once and the server still exits
# promptly; a request that is only partly sent gets a bounded grace period.
import json
import signal
import socket
import threading
import time

from conftest import client_for, create_table_and_wait, start_server, unique_name


def request_bytes(target, body):
    body = json.dumps(body).encode()
    return (f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.{target}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def read_responses(sock, timeout=20):
    """Every response on sock until the server closes it: [(status, headers, body)]."""
    sock.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = sock.recv(1 << 20)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        assert sep, f"truncated response head: {data[:200]!r}"
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        n = int(headers["content-length"])
        assert len(rest) >= n, "truncated response body"
        out.append((int(lines[0].split()[1]), headers, rest[:n]))
        data = rest[n:]
    return out


def put(table, key, extra=None):
    item = {"pk": {"S": key}, "v": {"S": "x" * 100}}
    if extra:
        item.update(extra)
    return request_bytes("PutItem", {"TableName": table, "Item": item})


def test_sigterm_answers_received_requests_then_stops(persistent_store, tmp_path):
    srv = start_server(persistent_store, log_dir=tmp_path)
    table = unique_name("stop")
    create_table_and_wait(client_for(srv), table)

    def connect():
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def warm(s):
        # One answered request, so the connection is an established keep-alive one.
        s.sendall(request_bytes("ListTables", {}))
        buf = b""
        while b"\r\n\r\n" not in buf or not buf.rstrip().endswith(b"}"):
            buf += s.recv(65536)

    # Pipelined on one connection: a slow BatchWriteItem (25 items of 300 KB,
    # 7.5 MB) and three PutItems behind it.
    slow = connect()
    warm(slow)
    batch = request_bytes("BatchWriteItem", {"RequestItems": {table: [
        {"PutRequest": {"Item": {"pk": {"S": f"batch{i}"}, "blob": {"S": "b" * (300 << 10)}}}} for i in range(25)]}})
    pipelined_keys = [f"pipe{i}" for i in range(3)]
    pipeline = batch + b"".join(put(table, k) for k in pipelined_keys)
    # Keep-alive connections that each get one PutItem just before SIGTERM.
    busy = [connect() for _ in range(6)]
    for s in busy:
        warm(s)
    busy_keys = [f"ka{i}" for i in range(len(busy))]
    # Idle keep-alive connections: closed at once.
    idle = [connect() for _ in range(4)]
    for s in idle:
        warm(s)

    sent = threading.Event()

    def send_pipeline():
        slow.sendall(pipeline)
        sent.set()

    sender = threading.Thread(target=send_pipeline)
    sender.start()
    time.sleep(0.05)
    for s, k in zip(busy, busy_keys):
        s.sendall(put(table, k))
    sender.join(timeout=20)
    assert sent.is_set()
    t_term = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)

    idle_closed = []
    for s in idle:
        s.settimeout(5)
        assert s.recv(1) == b"", "an idle connection got data"
        idle_closed.append(time.monotonic() - t_term)
        s.close()

    answered = {}  # key -> status
    responses = read_responses(slow)
    slow.close()
    statuses = [r[0] for r in responses]
    assert statuses == [200, 200, 200, 200], [(r[0], r[2][:200]) for r in responses]
    assert json.loads(responses[0][2])["UnprocessedItems"] == {}
    for _, headers, _ in responses[:-1]:
        assert headers.get("connection", "").lower() != "close"
    assert responses[-1][1]["connection"].lower() == "close"
    for i in range(25):
        answered[f"batch{i}"] = 200
    for k in pipelined_keys:
        answered[k] = 200
    for s, k in zip(busy, busy_keys):
        # Answered, then closed (read_responses reads to EOF). The answer
        # carries "Connection: close" if it was written after the SIGTERM;
        # it may have been written just before.
        rs = read_responses(s)
        s.close()
        assert [r[0] for r in rs] == [200], (k, rs)
        answered[k] = 200

    srv.proc.wait(timeout=10)
    stop_time = time.monotonic() - t_term
    assert srv.stop() == 0, srv.log_text()
    assert max(idle_closed) < 1.0, idle_closed
    assert stop_time < 8.0, stop_time

    # Restart on the same data: everything answered 200 is there.
    srv2 = start_server(persistent_store, log_dir=tmp_path)
    try:
        ddb = client_for(srv2)
        for k in answered:
            item = ddb.get_item(TableName=table, Key={"pk": {"S": k}}, ConsistentRead=True).get("Item")
            assert item is not None, f"{k} was answered 200 but is not stored"
    finally:
        assert srv2.stop() == 0


def test_sigterm_with_a_partial_request_stops_within_the_grace_period(tmp_path):
    srv = start_server(["--in-memory"], log_dir=tmp_path)
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    try:
        # Half a request head, never finished.
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n")
        time.sleep(0.2)
        t0 = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        srv.proc.wait(timeout=15)
        took = time.monotonic() - t0
        assert srv.stop() == 0, srv.log_text()
        assert took < 8.0, took
        assert s.recv(1) == b""
    finally:
        s.close()


def test_sigterm_with_a_request_completed_during_the_grace_period(tmp_path):
    srv = start_server(["--in-memory"], log_dir=tmp_path)
    table = unique_name("grace")
    create_table_and_wait(client_for(srv), table)
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    try:
        req = put(table, "late")
        s.sendall(req[:40])
        time.sleep(0.2)
        srv.proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        # Its first bytes came before the SIGTERM: it is still answered.
        s.sendall(req[40:])
        rs = read_responses(s)
        assert [r[0] for r in rs] == [200], rs
        assert rs[0][1]["connection"].lower() == "close"
        srv.proc.wait(timeout=10)
        assert srv.stop() == 0, srv.log_text()
    finally:
        s.close()

# Memory a burst of large requests leaves behind (issue 8, defect 2).
#
# Every write-pool thread used to keep its JSON parser at the size of the
# largest body it had parsed (about 15 bytes per body byte), connections kept
# their body / inflate / compress buffers at peak size, and glibc kept the
# freed memory in per-thread arenas: 48 rejected 15 MB PutItems left the
# server at 5.5 GB RSS for good. After any burst the server must come back
# near its idle size (docs/http.md, "Memory").
import gzip
import json
import socket
import threading
import time

from conftest import create_table_and_wait, client_for, start_server, unique_name

# What a burst may leave behind once the server is idle again: RocksDB's
# memtable holds what the valid requests below wrote (about 15 MB), plus
# slack for allocator fragmentation.
RSS_SLACK_MB = 100


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise AssertionError("no VmRSS line")


def read_response(sock, buf):
    """Reads one HTTP/1.1 response (Content-Length framed) from sock; `buf` is
    a bytearray of bytes already received. Returns (status, headers, body)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response head")
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    n = int(headers.get("content-length", "0"))
    body = bytearray(rest)
    while len(body) < n:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("closed inside a response body")
        body += chunk
    buf[:] = body[n:]
    return status, headers, bytes(body[:n])


def request_bytes(port, target, body, extra=""):
    return (f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: DynamoDB_20120810.{target}\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
            ).encode() + body


def test_rss_returns_near_idle_after_large_request_burst(tmp_path):
    srv = start_server(["--data-dir", str(tmp_path / "data")], log_dir=tmp_path)
    errors = []
    try:
        ddb = client_for(srv)
        table = unique_name("mem")
        create_table_and_wait(ddb, table)
        for i in range(20):  # warm up the small-request path before measuring idle
            ddb.put_item(TableName=table, Item={"pk": {"S": f"warm{i}"}, "v": {"S": "x" * 100}})
            ddb.get_item(TableName=table, Key={"pk": {"S": f"warm{i}"}})
        time.sleep(0.5)
        idle = rss_mb(srv.proc.pid)

        # 15 MB PutItems: valid JSON under the 16 MB limit, refused (item over
        # 400 KB) after a full parse.
        huge = json.dumps({"TableName": table,
                           "Item": {"pk": {"S": "huge"}, "blob": {"S": "x" * (15 << 20)}}}).encode()
        # Several-MB requests that succeed: 25 items of 150 KB (3.8 MB), the
        # same keys every time so the data stays small, gzip-compressed too,
        # and read back with BatchGetItem (3.8 MB responses, compressed when
        # asked).
        items = [{"PutRequest": {"Item": {"pk": {"S": f"big{i}"}, "blob": {"S": chr(97 + i) * (150 << 10)}}}}
                 for i in range(25)]
        batch = json.dumps({"RequestItems": {table: items}}).encode()
        batch_gz = gzip.compress(batch, 1)
        get = json.dumps({"RequestItems": {table: {"Keys": [{"pk": {"S": f"big{i}"}} for i in range(25)]}}}).encode()

        def client(n):
            try:
                with socket.create_connection(("127.0.0.1", srv.port), timeout=60) as s:
                    buf = bytearray()
                    for k in range(8):
                        s.sendall(request_bytes(srv.port, "PutItem", huge))
                        status, _, body = read_response(s, buf)
                        assert status == 400, (status, body[:200])
                        assert b"ValidationException" in body, body[:200]
                    for k in range(2):
                        if (n + k) % 2:
                            s.sendall(request_bytes(srv.port, "BatchWriteItem", batch_gz, "Content-Encoding: gzip\r\n"))
                        else:
                            s.sendall(request_bytes(srv.port, "BatchWriteItem", batch))
                        status, _, body = read_response(s, buf)
                        assert status == 200, (status, body[:200])
                        assert json.loads(body)["UnprocessedItems"] == {}
                        s.sendall(request_bytes(srv.port, "BatchGetItem", get,
                                                "Accept-Encoding: gzip\r\n" if k else ""))
                        status, headers, body = read_response(s, buf)
                        assert status == 200, (status, body[:200])
                        if headers.get("content-encoding") == "gzip":
                            body = gzip.decompress(body)
                        assert len(json.loads(body)["Responses"][table]) == 25
            except Exception as e:  # reported by the main thread
                errors.append(repr(e))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        peak = idle
        while any(t.is_alive() for t in threads):
            peak = max(peak, rss_mb(srv.proc.pid))
            time.sleep(0.05)
        for t in threads:
            t.join()
        assert not errors, errors

        # Idle again: RSS must come back near where it was. (The server gives
        # freed heap memory back about a second after the last large request.)
        time.sleep(2.5)
        bound = idle + RSS_SLACK_MB
        deadline = time.monotonic() + 10
        after = rss_mb(srv.proc.pid)
        while after > bound and time.monotonic() < deadline:
            time.sleep(0.25)
            after = rss_mb(srv.proc.pid)
        print(f"RSS idle {idle:.0f} MB, peak {peak:.0f} MB, after the burst {after:.0f} MB")
        assert after <= bound, f"RSS idle {idle:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB > {bound:.0f} MB"

        # And the server is still fine for small requests.
        got = ddb.get_item(TableName=table, Key={"pk": {"S": "big3"}})["Item"]
        assert got["blob"]["S"] == "d" * (150 << 10)
    finally:
        assert srv.stop() == 0, srv.log_text()

# Connection limits, descriptor exhaustion and timeouts (issue 8, defect 4),
# against real `fdyno serve` processes.
#
# - Out of file descriptors (server started under `prlimit --nofile=128:128`,
#   300 clients): the accept loop must back off instead of spinning, and the
#   "accept failed" line is rate-limited.
# - --max-connections N: connection N+1 is answered 503 (DynamoDB-shaped
#   body, Connection: close) and served again once a slot frees up.
# - --idle-timeout-seconds closes quiet keep-alive connections;
#   --request-timeout-seconds bounds the time a request may take to arrive
#   once its first byte came (a slow-loris client is cut off).
import json
import os
import shutil
import socket
import time

import pytest
from botocore.exceptions import ClientError

from conftest import FdynoServer, client_for, raw_request

PRLIMIT = shutil.which("prlimit")
CLK_TCK = os.sysconf("SC_CLK_TCK")


class LimitedServer(FdynoServer):
    """An fdyno started through prlimit (which execs it: same PID)."""

    def __init__(self, args, nofile, **kw):
        super().__init__(args, **kw)
        self.nofile = nofile

    def command(self):
        return [PRLIMIT, f"--nofile={self.nofile}:{self.nofile}", "--"] + super().command()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 (utime, stime) of proc(5); [0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def log_lines(srv):
    srv._log.flush()
    return srv.log_path.read_bytes().count(b"\n")


def open_clients(port, n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.settimeout(5)
        s.connect(("127.0.0.1", port))
        socks.append(s)
    return socks


def list_tables_ok(srv):
    resp = raw_request(srv, body={}, target="ListTables", sign=False, timeout=5)
    return resp.status == 200 and "TableNames" in resp.json()


def wait_until(pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


@pytest.mark.skipif(PRLIMIT is None, reason="prlimit (util-linux) not installed")
@pytest.mark.parametrize("extra", [[], ["--max-connections", "5000"]], ids=["default-limit", "limit-above-nofile"])
def test_descriptor_exhaustion_does_not_spin(tmp_path, extra):
    # default-limit: the connection limit derived from RLIMIT_NOFILE keeps the
    # server below EMFILE; limit-above-nofile: accept() really fails with
    # EMFILE and the server must back off.
    srv = LimitedServer(["--in-memory"] + extra, nofile=128, log_dir=tmp_path).start()
    socks = []
    try:
        lines_before = log_lines(srv)
        socks = open_clients(srv.port, 300)
        time.sleep(0.5)
        cpu0 = cpu_seconds(srv.proc.pid)
        time.sleep(3)
        cpu = cpu_seconds(srv.proc.pid) - cpu0
        lines = log_lines(srv) - lines_before
        print(f"{extra}: CPU {cpu:.2f} s in 3 s with 300 clients; {lines} log lines")
        assert srv.alive()
        assert cpu < 0.3, f"server used {cpu:.2f} s of CPU in 3 s while out of descriptors"
        assert lines <= 10, srv.log_text()
    finally:
        for s in socks:
            s.close()
    try:
        # Once the clients are gone the server serves again.
        assert wait_until(lambda: list_tables_ok(srv), 5), srv.log_text()
        ddb = client_for(srv)
        assert "TableNames" in ddb.list_tables()
    finally:
        assert srv.stop() == 0, srv.log_text()


def read_until_close(sock, timeout=5):
    sock.settimeout(timeout)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def parse_response(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


REQUEST = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
           b"X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{}")


def served_connections(srv, n):
    """n keep-alive connections, each proven served. (The server frees the
    slot of start()'s health check once it has seen that connection close,
    which may take a moment: retry until then.)"""
    held = []
    deadline = time.monotonic() + 5
    while len(held) < n:
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        s.sendall(REQUEST)
        status, headers, _ = parse_response(s.recv(65536))
        if status == 503 and time.monotonic() < deadline:
            s.close()
            time.sleep(0.05)
            continue
        assert status == 200
        assert headers.get("connection", "").lower() != "close"
        held.append(s)
    return held


def refused(srv):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
    try:
        s.sendall(REQUEST)
        return parse_response(read_until_close(s))[0] == 503
    finally:
        s.close()


def test_max_connections_from_config_file_and_env(tmp_path):
    # TOML says 1, the environment 2: the environment wins.
    cfg = tmp_path / "fdyno.toml"
    cfg.write_text("max_connections = 1\nidle_timeout_seconds = 30\n")
    srv = FdynoServer(["--in-memory", "--config", str(cfg)], env={"FDYNO_MAX_CONNECTIONS": "2"},
                      log_dir=tmp_path).start()
    try:
        held = served_connections(srv, 2)
        assert refused(srv)
        for s in held:
            s.close()
    finally:
        assert srv.stop() == 0, srv.log_text()


def test_max_connections_refuses_politely_and_recovers(tmp_path):
    srv = FdynoServer(["--in-memory", "--max-connections", "3"], log_dir=tmp_path).start()
    try:
        held = served_connections(srv, 3)
        # The fourth: 503, a DynamoDB-shaped JSON error, Connection: close.
        extra = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        extra.sendall(REQUEST)
        status, headers, body = parse_response(read_until_close(extra))
        extra.close()
        assert status == 503
        assert headers["connection"].lower() == "close"
        assert headers["content-type"] == "application/x-amz-json-1.0"
        assert int(headers["content-length"]) == len(body)
        assert "x-amzn-requestid" in headers
        err = json.loads(body)
        assert err["__type"] == "com.amazonaws.dynamodb.v20120810#ServiceUnavailable"
        assert "connections" in err["message"]
        # A real SDK sees a retryable ServiceUnavailable error.
        with pytest.raises(ClientError) as ei:
            client_for(srv).list_tables()
        assert ei.value.response["Error"]["Code"] == "ServiceUnavailable"
        assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        # The held connections still work.
        held[0].sendall(REQUEST)
        assert parse_response(held[0].recv(65536))[0] == 200
        # Free a slot: a new client is served again.
        held.pop().close()
        assert wait_until(lambda: list_tables_ok(srv), 5)
        # An SDK client too. The probe's own connection has just closed, and
        # the server frees its slot once the connection's event loop has seen
        # that, which may come after the acceptor (a thread of its own) took
        # the SDK's connection: retry until then, as an SDK's retries would.
        def sdk_ok():
            try:
                return "TableNames" in client_for(srv).list_tables()
            except ClientError as e:
                if e.response["Error"]["Code"] != "ServiceUnavailable":
                    raise
                return False
        assert wait_until(sdk_ok, 5)
        for s in held:
            s.close()
    finally:
        assert srv.stop() == 0, srv.log_text()


def test_idle_and_request_timeouts(tmp_path):
    srv = FdynoServer(["--in-memory", "--idle-timeout-seconds", "4", "--request-timeout-seconds", "2"],
                      log_dir=tmp_path).start()
    try:
        # A keep-alive connection quiet for 3 s (longer than the request
        # timeout, shorter than the idle one) still serves its next request:
        # the request timeout starts at the request's first byte.
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        s.sendall(REQUEST)
        assert parse_response(s.recv(65536))[0] == 200
        time.sleep(3)
        s.sendall(REQUEST)
        assert parse_response(s.recv(65536))[0] == 200
        # Then quiet for good: closed after the idle timeout (4 s), not later.
        t0 = time.monotonic()
        assert read_until_close(s, timeout=15) == b""
        idle_close = time.monotonic() - t0
        s.close()
        assert 3.0 <= idle_close <= 6.0, idle_close

        # Slow loris: one header byte every 0.5 s. Cut off about 2 s after
        # the first byte, without an answer.
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        t0 = time.monotonic()
        closed_after = None
        for b in REQUEST[:40]:
            try:
                s.sendall(bytes([b]))
                s.settimeout(0.5)
                if s.recv(65536) == b"":
                    closed_after = time.monotonic() - t0
                    break
            except socket.timeout:
                continue
            except (ConnectionResetError, BrokenPipeError):
                closed_after = time.monotonic() - t0
                break
        s.close()
        assert closed_after is not None, "a slow-loris client was still connected after 20 s"
        assert 1.5 <= closed_after <= 4.0, closed_after

        # A body that stalls is cut off too.
        s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
        s.sendall(REQUEST[:-2].replace(b"Content-Length: 2", b"Content-Length: 200"))
        t0 = time.monotonic()
        assert read_until_close(s, timeout=15) == b""
        assert 1.5 <= time.monotonic() - t0 <= 4.0
        s.close()
        assert list_tables_ok(srv)
    finally:
        assert srv.stop() == 0, srv.log_text()

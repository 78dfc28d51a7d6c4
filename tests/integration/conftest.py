# Shared fixtures for the fdyno integration suite.
#
# Every test here talks to a REAL `fdyno serve` process over HTTP; nothing is
# mocked. The binary comes from $FDYNO_BIN (the Makefile sets it), else
# <repo>/build/fdyno.
#
# Fixtures:
#   server            session-scoped, parametrized over the storage backends
#                     ("memory" = --in-memory, "rocksdb" = --data-dir <tmp>);
#                     every test that uses it runs once per backend.
#   dynamodb          boto3 low-level client for `server` (us-east-1, dummy
#                     keys, no retries, boto3's own parameter validation OFF so
#                     the server's validation is what gets tested).
#   dynamodb_resource boto3 resource for `server`.
#   make_table        factory creating uniquely named tables, deleted at teardown.
#   hash_table / hash_range_table
#                     shared session tables (pk:S) and (pk:S, sk:N) per backend.
#
# Helpers (importable: `from conftest import ...`): FdynoServer, raw_request,
# signed_headers, unique_name, client_for, expect_error.
import gzip  # noqa: F401  (re-exported for tests that compress bodies)
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
FDYNO_BIN = os.environ.get("FDYNO_BIN") or str(REPO / "build" / "fdyno")
REGION = "us-east-1"
DUMMY_KEY = "AKIDINTEGRATIONTEST"
DUMMY_SECRET = "integration-secret"
TARGET_PREFIX = "DynamoDB_20120810."
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"

# Loopback traffic must never go through a proxy from the environment.
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
os.environ["no_proxy"] = "127.0.0.1,localhost"


def free_port():
    """A port that was free a moment ago (bind to :0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique_name(prefix="it"):
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def clean_env(extra=None):
    """The environment for a server: ours minus any FDYNO_* settings, so the
    developer's shell cannot change what a test starts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FDYNO_")}
    if extra:
        env.update(extra)
    return env


def require_binary():
    if not os.path.isfile(FDYNO_BIN) or not os.access(FDYNO_BIN, os.X_OK):
        pytest.fail(f"fdyno binary not found at {FDYNO_BIN} (build it or set FDYNO_BIN)")


class FdynoServer:
    """One `fdyno serve` child process listening on 127.0.0.1:<port>.

    `args` are the extra serve arguments (storage, auth, ...). If `listen` is
    true (default) `--listen 127.0.0.1:<port>` is added; pass listen=False and
    `port=` when the test selects the address another way (config/env)."""

    def __init__(self, args, port=None, listen=True, env=None, log_dir=None):
        require_binary()
        self.args = list(args)
        self.listen = listen
        self.port = port if port is not None else free_port()
        self.env = clean_env(env)
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="fdyno-log-"))
        self.log_path = self.log_dir / f"server-{self.port}-{uuid.uuid4().hex[:6]}.log"
        self.proc = None

    @property
    def host(self):
        return "127.0.0.1"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        cmd = [FDYNO_BIN, "serve"]
        if self.listen:
            cmd += ["--listen", f"127.0.0.1:{self.port}"]
        return cmd + self.args

    def start(self, timeout=10.0):
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT,
                                     env=self.env, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"fdyno exited with {self.proc.returncode} during start-up:\n"
                                   f"{' '.join(self.command())}\n{self.log_text()}")
            if self.healthy():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"fdyno did not answer GET / within {timeout}s:\n{self.log_text()}")

    def healthy(self):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            conn.request("GET", "/")
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15.0):
        """SIGTERM by PID; SIGKILL if it does not exit in time. Returns the
        exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode

    def kill(self):
        """SIGKILL by PID (crash simulation)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        if self.proc is not None:
            self._log.close()

    def log_text(self):
        try:
            self._log.flush()
        except Exception:
            pass
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def start_server(args, attempts=3, **kw):
    """Starts a server, retrying on a fresh port if the chosen one was taken
    between free_port() and the bind."""
    last = None
    for _ in range(attempts):
        srv = FdynoServer(args, **kw)
        try:
            return srv.start()
        except RuntimeError as e:
            last = e
            if "cannot listen" not in str(e):
                raise
    raise last


def client_for(server_or_url, access_key=DUMMY_KEY, secret_key=DUMMY_SECRET, validate=False):
    url = server_or_url if isinstance(server_or_url, str) else server_or_url.url
    return boto3.client(
        "dynamodb", endpoint_url=url, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      parameter_validation=validate, connect_timeout=5, read_timeout=60))


def resource_for(server, access_key=DUMMY_KEY, secret_key=DUMMY_SECRET):
    return boto3.resource(
        "dynamodb", endpoint_url=server.url, region_name=REGION,
        aws_access_key_id=access_key, aws_secret_access_key=secret_key,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      connect_timeout=5, read_timeout=60))


def signed_headers(server, body, target=None, access_key=DUMMY_KEY, secret_key=DUMMY_SECRET,
                   extra_headers=None, method="POST", path="/"):
    """SigV4 headers (botocore's SigV4Auth) for a raw request. `body` is the
    exact bytes that will be sent (e.g. already gzip-compressed)."""
    headers = {"Host": f"127.0.0.1:{server.port}", "Content-Type": JSON_CONTENT_TYPE}
    if target is not None:
        headers["X-Amz-Target"] = target if "." in target else TARGET_PREFIX + target
    if extra_headers:
        headers.update(extra_headers)
    req = AWSRequest(method=method, url=f"{server.url}{path}", data=body, headers=headers)
    SigV4Auth(Credentials(access_key, secret_key), "dynamodb", REGION).add_auth(req)
    return dict(req.headers.items())


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"RawResponse({self.status}, {self.body[:300]!r})"


def raw_request(server, body=b"", target=None, sign=True, headers=None, method="POST", path="/",
                access_key=DUMMY_KEY, secret_key=DUMMY_SECRET, conn=None, timeout=30):
    """One HTTP request with http.client, SigV4-signed unless sign=False.
    `body` may be bytes, str or a dict (JSON-encoded). Pass `conn` to reuse a
    keep-alive connection. Returns RawResponse."""
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    if sign:
        hdrs = signed_headers(server, body, target, access_key, secret_key, headers, method, path)
    else:
        hdrs = {"Host": f"127.0.0.1:{server.port}", "Content-Type": JSON_CONTENT_TYPE}
        if target is not None:
            hdrs["X-Amz-Target"] = target if "." in target else TARGET_PREFIX + target
        hdrs.update(headers or {})
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body if method != "GET" or body else None, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        if own:
            conn.close()


def expect_error(fn, code, message=None, startswith=None, contains=None, status=400):
    """Calls fn(), asserts it raises ClientError with the given short error
    code (the part after '#') and, if given, the exact message / prefix /
    substring. Returns the ClientError."""
    with pytest.raises(ClientError) as ei:
        fn()
    err = ei.value.response["Error"]
    assert err["Code"] == code, ei.value.response
    msg = err.get("Message", "")
    if message is not None:
        assert msg == message
    if startswith is not None:
        assert msg.startswith(startswith), msg
    if contains is not None:
        assert contains in msg, msg
    if status is not None:
        assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    return ei.value


# ---------------------------------------------------------------- fixtures

BACKENDS = ["memory", "rocksdb", "postgres"]


@pytest.fixture(scope="session")
def postgres_base_url(tmp_path_factory):
    """A real PostgreSQL for the shared store: FDYNO_TEST_POSTGRES when set
    (make test starts one with scripts/with-postgres.sh), otherwise a private
    cluster started here with scripts/pg-cluster.sh and stopped at the end.
    Never skipped: no PostgreSQL is a failure."""
    env = os.environ.get("FDYNO_TEST_POSTGRES")
    if env:
        yield env
        return
    script = str(Path(__file__).resolve().parents[2] / "scripts" / "pg-cluster.sh")
    # Directly under /tmp: as root the cluster runs as "nobody", which cannot
    # enter pytest's private (0700) temporary directories.
    d = tempfile.mkdtemp(prefix="fdyno-pg-", dir="/tmp")
    out = subprocess.run([script, "start", d], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    yield out.stdout.strip()
    subprocess.run([script, "stop", d], capture_output=True)
    shutil.rmtree(d, ignore_errors=True)


def postgres_store_args(base_url):
    """--store arguments for a fresh schema of the test database (created by
    the server on start), so every server sees only its own tables."""
    schema = "it_" + uuid.uuid4().hex[:12]
    sep = "&" if "?" in base_url else "?"
    return ["--store", f"{base_url}{sep}options=-csearch_path%3D{schema}"]


@pytest.fixture(scope="session", params=BACKENDS)
def server(request, tmp_path_factory):
    backend = request.param
    if backend == "memory":
        args = ["--in-memory"]
    elif backend == "postgres":
        args = postgres_store_args(request.getfixturevalue("postgres_base_url"))
    else:
        args = ["--data-dir", str(tmp_path_factory.mktemp("fdyno-data"))]
    srv = start_server(args, log_dir=tmp_path_factory.mktemp("fdyno-logs"))
    srv.backend = backend
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def dynamodb(server):
    return client_for(server)


@pytest.fixture(scope="session")
def dynamodb_resource(server):
    return resource_for(server)


def conditional_increments(table, worker_servers, per_worker):
    """One thread per entry of worker_servers, each adding 1 to item "c"'s n
    per_worker times with a read, then an UpdateItem conditioned on the value
    read (retried on ConditionalCheckFailedException). Returns the other
    errors."""
    errors = []

    def worker(server):
        c = client_for(server)
        done = 0
        while done < per_worker:
            cur = c.get_item(TableName=table, Key={"pk": {"S": "c"}}, ConsistentRead=True)["Item"]["n"]["N"]
            try:
                c.update_item(TableName=table, Key={"pk": {"S": "c"}}, UpdateExpression="SET n = n + :one",
                              ConditionExpression="n = :cur",
                              ExpressionAttributeValues={":one": {"N": "1"}, ":cur": {"N": cur}})
                done += 1
            except ClientError as e:
                if e.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    errors.append(e.response["Error"])
                    return

    threads = [threading.Thread(target=worker, args=(s,)) for s in worker_servers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return errors


def create_table_and_wait(client, name, hash_key=("pk", "S"), range_key=None,
                          billing="PAY_PER_REQUEST", throughput=(5, 5)):
    ks = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
    ad = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
    if range_key:
        ks.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        ad.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
    kw = dict(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode=billing)
    if billing == "PROVISIONED":
        kw["ProvisionedThroughput"] = {"ReadCapacityUnits": throughput[0],
                                       "WriteCapacityUnits": throughput[1]}
    resp = client.create_table(**kw)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})
    return resp


def delete_table_quietly(client, name):
    try:
        client.delete_table(TableName=name)
    except ClientError:
        pass


@pytest.fixture
def make_table(dynamodb):
    created = []

    def make(hash_key=("pk", "S"), range_key=None, billing="PAY_PER_REQUEST", name=None,
             throughput=(5, 5)):
        name = name or unique_name()
        create_table_and_wait(dynamodb, name, hash_key, range_key, billing, throughput)
        created.append(name)
        return name

    yield make
    for name in created:
        delete_table_quietly(dynamodb, name)


@pytest.fixture(scope="session")
def hash_table(dynamodb):
    name = unique_name("hash")
    create_table_and_wait(dynamodb, name)
    yield name
    delete_table_quietly(dynamodb, name)


@pytest.fixture(scope="session")
def hash_range_table(dynamodb):
    name = unique_name("hashrange")
    create_table_and_wait(dynamodb, name, range_key=("sk", "N"))
    yield name
    delete_table_quietly(dynamodb, name)


@pytest.fixture
def tmp_server_dir():
    d = tempfile.mkdtemp(prefix="fdyno-it-")
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


# Stores a restarted server finds again: RocksDB in a directory, PostgreSQL
# in a schema of the test database.
PERSISTENT_BACKENDS = ["rocksdb", "postgres"]


def backend_args(request, backend, data_dir):
    """`fdyno serve` store arguments for `backend` ("memory", "rocksdb" or
    "postgres"); `data_dir` (a path) holds RocksDB's data. The same list
    given to a second server reaches the same data (except in memory)."""
    if backend == "memory":
        return ["--in-memory"]
    if backend == "postgres":
        return postgres_store_args(request.getfixturevalue("postgres_base_url"))
    return ["--data-dir", str(data_dir)]


@pytest.fixture(params=PERSISTENT_BACKENDS)
def persistent_store(request, tmp_path):
    """Store arguments, on each persistent backend in turn, for tests that
    restart or kill a server and expect its data back."""
    d = tmp_path / "data"
    d.mkdir()
    return backend_args(request, request.param, d)

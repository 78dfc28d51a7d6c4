# Hostile input, black-box (issue 8): what an attacker or a broken client
# sends, replayed against a real server. Whatever arrives, the server must
# answer without a 500 (except where DynamoDB itself answers 500: a garbage
# Content-Encoding or a body that does not decompress), without crashing or
# hanging, with a body that is valid UTF-8 JSON, and it must still serve
# normal requests afterwards.
#
# The mutation campaign is seeded (FDYNO_HOSTILE_SEED, default 8) so that a
# failure can be replayed; FDYNO_HOSTILE_ROUNDS scales it (default 1).
import gzip
import http.client
import json
import os
import random
import socket
import threading
import time
import zlib

import pytest

from conftest import JSON_CONTENT_TYPE, TARGET_PREFIX, client_for, create_table_and_wait, start_server

SEED = int(os.environ.get("FDYNO_HOSTILE_SEED", "8"))
ROUNDS = int(os.environ.get("FDYNO_HOSTILE_ROUNDS", "1"))

# DynamoDB's own 500s (Alternator test_manual_requests / test_compressed_request).
ALLOWED_500 = ("Unsupported Content-Encoding", "Failed to decompress")


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    s = start_server(["--data-dir", str(d / "data")], log_dir=d)
    c = client_for(s)
    create_table_and_wait(c, "hostile", range_key=("sk", "N"))
    c.update_table(TableName="hostile", AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexUpdates=[{"Create": {
                       "IndexName": "gidx", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                       "Projection": {"ProjectionType": "ALL"}}}])
    yield s
    assert s.alive(), s.log_text()
    s.stop()


class Conn:
    """A keep-alive connection that reconnects when the server closes it."""

    def __init__(self, srv):
        self.srv = srv
        self.c = None

    def send(self, op, body, headers=None):
        hdrs = {"Host": f"127.0.0.1:{self.srv.port}", "Content-Type": JSON_CONTENT_TYPE,
                "X-Amz-Target": TARGET_PREFIX + op}
        hdrs.update(headers or {})
        for attempt in range(2):
            if self.c is None:
                self.c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
            try:
                self.c.request("POST", "/", body=body, headers=hdrs)
                r = self.c.getresponse()
                data = r.read()
                if r.getheader("Connection", "").lower() == "close":
                    self.close()
                return r.status, data
            except (ConnectionError, http.client.HTTPException, socket.timeout):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.c is not None:
            self.c.close()
            self.c = None


def check(status, data, what):
    text = data.decode("utf-8")  # raises: not UTF-8
    if status == 413:
        return None
    doc = json.loads(text)  # raises: not JSON
    if status >= 500:
        assert any(a in doc.get("message", "") for a in ALLOWED_500), (what, status, text[:300])
    assert status in (200, 400, 500), (what, status, text[:300])
    return doc


# Valid requests of every shape the data plane takes; the campaign mutates them.
TEMPLATES = [
    ("PutItem", {"TableName": "hostile", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"},
                                                  "m": {"M": {"l": {"L": [{"N": "1"}, {"SS": ["a"]}]}}}},
                 "ConditionExpression": "attribute_not_exists(#p) OR v < :v",
                 "ExpressionAttributeNames": {"#p": "pk"}, "ExpressionAttributeValues": {":v": {"N": "3"}},
                 "ReturnValues": "ALL_OLD"}),
    ("GetItem", {"TableName": "hostile", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                 "ProjectionExpression": "m.l[0], #g", "ExpressionAttributeNames": {"#g": "g"}}),
    ("UpdateItem", {"TableName": "hostile", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                    "UpdateExpression": "SET v = if_not_exists(v, :z) + :one, m.l = list_append(m.l, :l) "
                                        "REMOVE q ADD s :s DELETE t :t",
                    "ExpressionAttributeValues": {":z": {"N": "0"}, ":one": {"N": "1"}, ":l": {"L": [{"S": "x"}]},
                                                  ":s": {"SS": ["a"]}, ":t": {"NS": ["1"]}},
                    "ReturnValues": "UPDATED_NEW"}),
    ("DeleteItem", {"TableName": "hostile", "Key": {"pk": {"S": "b"}, "sk": {"N": "2"}},
                    "ConditionExpression": "size(m) > :n", "ExpressionAttributeValues": {":n": {"N": "1"}}}),
    ("Query", {"TableName": "hostile", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
               "FilterExpression": "contains(g, :g)", "Limit": 5, "ScanIndexForward": False,
               "ExpressionAttributeValues": {":p": {"S": "a"}, ":a": {"N": "0"}, ":b": {"N": "9"},
                                             ":g": {"S": "x"}}}),
    ("Query", {"TableName": "hostile", "IndexName": "gidx", "KeyConditionExpression": "g = :g",
               "ExpressionAttributeValues": {":g": {"S": "x"}}, "Select": "COUNT"}),
    ("Scan", {"TableName": "hostile", "Segment": 1, "TotalSegments": 3, "Limit": 10,
              "ExclusiveStartKey": {"pk": {"S": "a"}, "sk": {"N": "1"}}}),
    ("BatchWriteItem", {"RequestItems": {"hostile": [
        {"PutRequest": {"Item": {"pk": {"S": "c"}, "sk": {"N": "3"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "d"}, "sk": {"N": "4"}}}}]}}),
    ("BatchGetItem", {"RequestItems": {"hostile": {"Keys": [{"pk": {"S": "a"}, "sk": {"N": "1"}}],
                                                   "ConsistentRead": True}}}),
    ("TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "hostile", "Item": {"pk": {"S": "e"}, "sk": {"N": "5"}}}},
        {"ConditionCheck": {"TableName": "hostile", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                            "ConditionExpression": "attribute_exists(pk)"}}],
        "ClientRequestToken": "tok"}),
    ("TransactGetItems", {"TransactItems": [{"Get": {"TableName": "hostile",
                                                     "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}}]}),
    ("ExecuteStatement", {"Statement": "SELECT * FROM hostile WHERE pk = ? AND sk > ?",
                          "Parameters": [{"S": "a"}, {"N": "0"}]}),
    ("ExecuteStatement", {"Statement": "UPDATE hostile SET v = v + 1 WHERE pk = 'a' AND sk = 1"}),
    ("CreateTable", {"TableName": "hostile2", "BillingMode": "PAY_PER_REQUEST",
                     "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                     "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]}),
    ("DescribeTable", {"TableName": "hostile"}),
    ("ListTables", {"Limit": 3}),
]

WEIRD_VALUES = [
    None, True, False, 0, -1, 2 ** 63, -2 ** 64, 1e308, 1.5, "", "x" * 70000, "\u0000\ufffd\U0001F600",
    "é", [], [None], {}, {"S": None}, {"N": "1e126"}, {"N": "9" * 40}, {"N": "-1e-131"}, {"N": "NaN"},
    {"N": " 1"}, {"B": "not base64!"}, {"SS": []}, {"SS": ["a", "a"]}, {"NS": ["1", "1.0"]},
    {"BOOL": "true"}, {"NULL": False}, {"S": "a", "N": "1"}, {"L": [{"M": {}}] * 50}, {"M": {"": {"S": "x"}}},
    "#", ":", "a.b[", "size(", "SET a = :v REMOVE a", "attribute_exists(a) AND", "pk = :p OR sk = :s",
    "SELECT * FROM \"hostile\" WHERE", "INSERT INTO hostile VALUE {'pk':", "<>", "))))((((",
]


def deep(kind, n):
    v = {"S": "leaf"}
    for _ in range(n):
        v = {"M": {"m": v}} if kind == "M" else {"L": [v]}
    return v


def mutate(rng, value, depth=0):
    """A copy of `value` with a few members replaced, removed or added."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            r = rng.random()
            if r < 0.08:
                continue  # drop a member
            if r < 0.2:
                out[k] = rng.choice(WEIRD_VALUES)
            else:
                out[k] = mutate(rng, v, depth + 1)
        if rng.random() < 0.1:
            out[rng.choice(["Unknown", "TableName", "Key", "Item", "Limit", "Select", "\u00e9"])] = \
                rng.choice(WEIRD_VALUES)
        return out
    if isinstance(value, list):
        out = [mutate(rng, v, depth + 1) for v in value if rng.random() > 0.1]
        if rng.random() < 0.1:
            out = out * rng.choice([0, 2, 30])
        return out
    if isinstance(value, str) and rng.random() < 0.3:
        s = list(value)
        for _ in range(rng.randint(1, 3)):
            if s:
                s[rng.randrange(len(s))] = rng.choice(["(", ")", ":", "#", ".", "[", "]", "'", "\"", "é", "\x00", " "])
        return "".join(s)
    return value


def test_mutated_requests_never_500_or_crash(srv):
    rng = random.Random(SEED)
    conn = Conn(srv)
    counts = {}
    for _ in range(ROUNDS * 1500):
        op, template = rng.choice(TEMPLATES)
        body = mutate(rng, template)
        raw = json.dumps(body, allow_nan=True).encode()
        if rng.random() < 0.05:
            raw = raw[:rng.randrange(max(1, len(raw)))]  # truncated JSON
        status, data = conn.send(op, raw)
        check(status, data, (op, raw[:200]))
        counts[status] = counts.get(status, 0) + 1
    conn.close()
    assert counts.get(200, 0) > 50 and counts.get(400, 0) > 300, counts
    assert srv.alive(), srv.log_text()


RAW_BODIES = [
    b"", b"{", b"[]", b"null", b"\"str\"", b"123", b"{\"TableName\":}", b"\xff\xfe\xfd", b"{\"a\":\"\xc3\"}",
    b"{\"TableName\":\"hostile\",\"Key\":{\"pk\":{\"S\":\"\xed\xa0\x80\"}}}",  # a surrogate in UTF-8
    b"[" * 100_000 + b"]" * 100_000, b"{\"a\":" * 50_000 + b"1" + b"}" * 50_000,
    b"{\"TableName\":\"hostile\",\"Limit\":1" + b"0" * 5000 + b"}",
    b"{\"TableName\":\"hostile\",\"Limit\":1e999999}", b"{\"TableName\":\"hostile\",\"Limit\":-0.0}",
    b"{\"TableName\":\"hostile\"" + b",\"TableName\":\"x\"" * 10_000 + b"}",
    b'{"TableName":"hostile","Item":{"pk":{"S":"z"},"sk":{"N":"1"},"d":' + b'{"M":{"m":' * 2000 +
    b'{"S":"leaf"}' + b"}}" * 2000 + b"}}",
    json.dumps({"TableName": "hostile", "Item": {"pk": {"S": "z"}, "sk": {"N": "1"}, "d": deep("L", 33)}}).encode(),
    json.dumps({"TableName": "hostile", "Item": {"pk": {"S": "z"}, "sk": {"N": "1"},
                                                 "n": {"N": "1" + "0" * 200}}}).encode(),
    json.dumps({"TableName": "hostile", "Item": {"pk": {"S": "z" * 3000}, "sk": {"N": "1"}}}).encode(),
]


@pytest.mark.parametrize("op", ["PutItem", "Query", "ExecuteStatement", "TransactWriteItems"])
def test_malformed_bodies(srv, op):
    conn = Conn(srv)
    for raw in RAW_BODIES:
        status, data = conn.send(op, raw)
        check(status, data, (op, raw[:80]))
        assert status != 200 or op == "Query" and b"Limit" in raw, (op, raw[:80], data[:200])
    conn.close()


def test_compression_bombs_and_garbage_encodings(srv):
    conn = Conn(srv)
    # 1 GB of zeros compresses to ~1 MB: refused while inflating, not after.
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    parts = [bomb.compress(chunk) for _ in range(1024)] + [bomb.flush()]
    gz = b"".join(parts)
    t0 = time.monotonic()
    status, data = conn.send("PutItem", gz, {"Content-Encoding": "gzip"})
    assert status == 413, (status, data[:200])
    assert time.monotonic() - t0 < 10
    for enc, body in [("gzip", b"not gzip"), ("deflate", b"\x78\x9c garbage"), ("br", b"x"),
                      ("gzip", gzip.compress(b"{\"TableName\":\"hostile\"}")[:-8]), ("gzip, gzip", b"")]:
        status, data = conn.send("DescribeTable", body, {"Content-Encoding": enc})
        check(status, data, enc)
    conn.close()
    assert srv.alive()


def test_huge_body_and_head_are_refused(srv):
    conn = Conn(srv)
    status, _ = conn.send("PutItem", b"{" + b" " * (17 << 20) + b"}")
    assert status == 413
    status, data = conn.send("GetItem", b"{}", {"X-Junk": "a" * 20_000})
    assert status == 400
    conn.close()


def test_pipelined_and_slow_clients_do_not_block_others(srv):
    # 50 requests in one write, read back in order.
    req = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {JSON_CONTENT_TYPE}\r\n"
           f"X-Amz-Target: {TARGET_PREFIX}DescribeTable\r\nContent-Length: 24\r\n\r\n"
           "{\"TableName\":\"hostile\"}\n").encode()
    with socket.create_connection(("127.0.0.1", srv.port), timeout=20) as s:
        s.sendall(req * 50)
        got = b""
        deadline = time.monotonic() + 20
        while got.count(b"HTTP/1.1 200") < 50 and time.monotonic() < deadline:
            got += s.recv(1 << 16)
        assert got.count(b"HTTP/1.1 200") == 50
    # Slow clients: a byte of a head every 0.2 s on 20 connections, while a
    # normal client is served promptly.
    slow = [socket.create_connection(("127.0.0.1", srv.port), timeout=5) for _ in range(20)]
    stop = threading.Event()

    def dribble():
        head = b"POST / HTTP/1.1\r\nHost: x\r\n"
        i = 0
        while not stop.is_set():
            for s in slow:
                try:
                    s.send(head[i % len(head):i % len(head) + 1])
                except OSError:
                    pass
            i += 1
            time.sleep(0.2)

    t = threading.Thread(target=dribble)
    t.start()
    try:
        c = client_for(srv)
        t0 = time.monotonic()
        for _ in range(20):
            c.describe_table(TableName="hostile")
        assert time.monotonic() - t0 < 5
    finally:
        stop.set()
        t.join()
        for s in slow:
            s.close()


def test_many_connections_at_once(srv):
    errors = []

    def worker():
        try:
            conn = Conn(srv)
            for _ in range(5):
                status, data = conn.send("GetItem", json.dumps(
                    {"TableName": "hostile", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}).encode())
                check(status, data, "many")
            conn.close()
        except Exception as e:  # noqa: BLE001
            errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]


def test_still_serving_afterwards(srv):
    c = client_for(srv)
    c.put_item(TableName="hostile", Item={"pk": {"S": "after"}, "sk": {"N": "1"}})
    assert c.get_item(TableName="hostile", Key={"pk": {"S": "after"}, "sk": {"N": "1"}},
                      ConsistentRead=True)["Item"]["pk"] == {"S": "after"}
    assert c.describe_table(TableName="hostile")["Table"]["TableStatus"] == "ACTIVE"
    assert srv.alive()

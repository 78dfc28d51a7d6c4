# Wire-protocol behaviour of the HTTP front end, checked with raw requests
# (http.client + botocore SigV4) so nothing in an SDK hides what the server
# actually sends.
import gzip
import http.client
import json
import re
import zlib

import pytest

from conftest import JSON_CONTENT_TYPE, raw_request, signed_headers, unique_name


def test_health_get_root(server):
    resp = raw_request(server, method="GET", sign=False, body=b"")
    assert resp.status == 200


def test_request_id_header(server):
    resp = raw_request(server, body={}, target="ListTables")
    assert resp.status == 200, resp
    rid = resp.headers.get("x-amzn-requestid")
    assert rid, resp.headers
    # A second request gets a different id.
    rid2 = raw_request(server, body={}, target="ListTables").headers.get("x-amzn-requestid")
    assert rid2 and rid2 != rid


def test_response_is_json_1_0(server):
    resp = raw_request(server, body={}, target="ListTables")
    assert resp.headers.get("content-type", "").startswith(JSON_CONTENT_TYPE)
    assert "TableNames" in resp.json()


@pytest.mark.parametrize("target,body", [
    ("ListTables", {}),
    ("DescribeTable", {"TableName": "no_such_table_crc"}),  # an error body too
])
def test_crc32_header_matches_body(server, target, body):
    resp = raw_request(server, body=body, target=target)
    crc = resp.headers.get("x-amz-crc32")
    assert crc is not None, resp.headers
    assert int(crc) == zlib.crc32(resp.body) & 0xFFFFFFFF


def test_unknown_operation(server):
    resp = raw_request(server, body={}, target="NoSuchOperation")
    assert resp.status == 400, resp
    assert resp.json()["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_unknown_target_prefix(server):
    # Right operation name, wrong service/version prefix.
    resp = raw_request(server, body={}, target="DynamoDB_20111205.ListTables")
    assert resp.status == 400, resp
    assert resp.json()["__type"] == "com.amazon.coral.service#UnknownOperationException"


@pytest.mark.parametrize("payload", [b'{"TableName": ', b"habababa", b"}{", b'{"TableName": "x"'])
def test_malformed_json_is_serialization_exception(server, payload):
    resp = raw_request(server, body=payload, target="DescribeTable")
    assert resp.status == 400, resp
    # DynamoDB answers a body it cannot parse with SerializationException; the
    # message text is not pinned down by any record we have, so only __type.
    assert resp.json()["__type"] == "com.amazon.coral.service#SerializationException"


def test_metrics_endpoint_counts_requests(server):
    for _ in range(2):
        assert raw_request(server, body={}, target="ListTables").status == 200
    resp = raw_request(server, method="GET", path="/metrics", sign=False, body=b"")
    assert resp.status == 200
    text = resp.body.decode()
    assert "ListTables" in text, text[:2000]
    assert re.search("request", text, re.I), text[:2000]
    # Some sample line mentioning ListTables carries a count >= 2.
    counts = [float(m.group(1)) for line in text.splitlines()
              if "ListTables" in line and not line.startswith("#")
              for m in [re.search(r"\s([0-9.eE+]+)\s*$", line)] if m]
    assert counts and max(counts) >= 2, text[:2000]


def test_keep_alive_two_requests_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        r1 = raw_request(server, body={}, target="ListTables", conn=conn)
        assert r1.status == 200
        assert r1.headers.get("connection", "").lower() != "close"
        local1 = conn.sock.getsockname()
        r2 = raw_request(server, body={}, target="ListTables", conn=conn)
        assert r2.status == 200
        local2 = conn.sock.getsockname()
        assert local1 == local2, "server closed the connection between requests"
    finally:
        conn.close()


def test_gzip_request_body_accepted(server, dynamodb, hash_table):
    item = {"pk": {"S": unique_name("gz")}, "v": {"S": "compressed " * 50}}
    body = gzip.compress(json.dumps({"TableName": hash_table, "Item": item}).encode())
    resp = raw_request(server, body=body, target="PutItem",
                       headers={"Content-Encoding": "gzip"})
    assert resp.status == 200, resp
    got = dynamodb.get_item(TableName=hash_table, Key={"pk": item["pk"]}, ConsistentRead=True)
    assert got["Item"] == item


def test_request_over_16mb_refused_and_server_survives(server):
    big = b'{"TableName": "big_request_table", "Item": {"pk": {"S": "' + b"x" * (16 * 1024 * 1024 + 64) + b'"}}}'
    hdrs = signed_headers(server, big, "PutItem")
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    status = None
    try:
        conn.putrequest("POST", "/", skip_host=True, skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(len(big)))
        conn.endheaders()
        try:
            view = memoryview(big)
            for off in range(0, len(big), 1 << 20):
                conn.send(view[off:off + (1 << 20)])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may refuse before reading the whole body
        try:
            resp = conn.getresponse()
            status = resp.status
            resp.read()
        except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError):
            status = None  # closed without an answer: still a refusal
    finally:
        conn.close()
    # Refused: a 4xx (DynamoDB sends 413 or a 400 error) or a closed
    # connection; never a 2xx or a 5xx.
    assert status is None or 400 <= status < 500, status
    assert server.alive(), server.log_text()
    assert raw_request(server, method="GET", sign=False, body=b"").status == 200
    assert raw_request(server, body={}, target="ListTables").status == 200


def test_error_body_shape(server):
    name = unique_name("missing")
    resp = raw_request(server, body={"TableName": name}, target="DescribeTable")
    assert resp.status == 400
    body = resp.json()
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
    assert body["message"] == f"Requested resource not found: Table: {name} not found"

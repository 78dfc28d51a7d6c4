# Query and Scan against a simple reference model (property-style, seeded
# random data): every sort-key operator, both orders, filters, limits, page
# by page following LastEvaluatedKey, and parallel-scan segments.
#
# The model: items in a dict; a Query selects one partition, orders it by
# the sort key in DynamoDB's order (S: UTF-8 bytes, B: bytes, N: numeric),
# applies the key condition, then pages of at most Limit items evaluated,
# then the filter on each page. Keys include the tricky bytes 0x00 and 0xFF
# (the escape/terminator bytes of fdyno's key encoding).
import base64
import random
from decimal import Decimal

import pytest

SEED = 4242
OPS = ["=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"]


def gen_value(rng, t):
    if t == "S":
        alphabet = ["a", "b", "\x00", "\x01", "\u00ff", "z", "\U0001F600"]
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
    if t == "B":
        alphabet = [b"\x00", b"\xff", b"\x01", b"a", b"\xfe"]
        return b"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
    return str(Decimal(rng.randint(-300, 300)) / Decimal(rng.choice([1, 10, 100])))


def wire(t, v):
    if t == "B":
        return {"B": v}
    return {t: v}


def from_wire(av):
    (t, v), = av.items()
    if t == "N":
        return ("N", Decimal(v))
    return (t, v)


def order_key(t, v):
    if t == "S":
        return v.encode("utf-8")
    if t == "B":
        return bytes(v)
    return Decimal(v)


def holds(t, op, x, a, b):
    kx, ka = order_key(t, x), order_key(t, a)
    if op == "=":
        return kx == ka
    if op == "<":
        return kx < ka
    if op == "<=":
        return kx <= ka
    if op == ">":
        return kx > ka
    if op == ">=":
        return kx >= ka
    if op == "BETWEEN":
        return ka <= kx <= order_key(t, b)
    return kx[: len(ka)] == ka  # begins_with (S/B)


def key_expr(op):
    if op == "BETWEEN":
        return "pk = :p AND sk BETWEEN :a AND :b"
    if op == "begins_with":
        return "pk = :p AND begins_with(sk, :a)"
    return "pk = :p AND sk %s :a" % op


def run_query(client, table, pk, sk_type, op, a, b, forward, limit, filt):
    values = {":p": {"S": pk}}
    if op is not None:
        values[":a"] = wire(sk_type, a)
        if op == "BETWEEN":
            values[":b"] = wire(sk_type, b)
    req = {"TableName": table, "KeyConditionExpression": key_expr(op) if op else "pk = :p",
           "ExpressionAttributeValues": values, "ScanIndexForward": forward, "ConsistentRead": True}
    if filt is not None:
        req["FilterExpression"] = "v >= :f"
        values[":f"] = {"N": str(filt)}
    if limit:
        req["Limit"] = limit
    got, pages = [], []
    while True:
        r = client.query(**req)
        assert r["Count"] == len(r["Items"])
        if limit:
            assert r["ScannedCount"] <= limit
        pages.append((r["Count"], r["ScannedCount"]))
        got.extend(r["Items"])
        if "LastEvaluatedKey" not in r:
            break
        req["ExclusiveStartKey"] = r["LastEvaluatedKey"]
        assert len(pages) < 500
    return got, pages


@pytest.mark.parametrize("sk_type", ["S", "B", "N"])
def test_query_matches_reference_model(dynamodb, make_table, sk_type):
    rng = random.Random(SEED + ord(sk_type))
    table = make_table(hash_key=("pk", "S"), range_key=("sk", sk_type))
    model = {}
    for _ in range(120):
        pk = rng.choice(["p0", "p1", "p2"])
        sk = gen_value(rng, sk_type)
        if sk_type == "S" and sk == "":
            continue
        item = {"pk": {"S": pk}, "sk": wire(sk_type, sk), "v": {"N": str(rng.randint(0, 9))}}
        dynamodb.put_item(TableName=table, Item=item)
        model[(pk, order_key(sk_type, sk))] = (sk, item)

    sks = [v[0] for v in model.values()]
    for trial in range(60):
        pk = rng.choice(["p0", "p1", "p2", "none"])
        op = rng.choice(OPS + [None])
        if op == "begins_with" and sk_type == "N":
            op = ">="
        a = rng.choice(sks) if rng.random() < 0.7 else gen_value(rng, sk_type)
        b = rng.choice(sks)
        if op == "begins_with":
            a = a[: rng.randint(1, len(a))]
        if op == "BETWEEN" and order_key(sk_type, b) < order_key(sk_type, a):
            a, b = b, a
        forward = rng.random() < 0.5
        limit = rng.choice([None, 1, 2, 3, 7, 50])
        filt = rng.choice([None, 3, 7])

        rows = sorted((k[1], sk, item) for k, (sk, item) in model.items() if k[0] == pk)
        matching = [item for _, sk, item in rows if op is None or holds(sk_type, op, sk, a, b)]
        if not forward:
            matching.reverse()
        expected = [it for it in matching if filt is None or int(it["v"]["N"]) >= filt]

        got, pages = run_query(dynamodb, table, pk, sk_type, op, a, b, forward, limit, filt)
        ctx = (pk, op, a, b, forward, limit, filt)
        assert [from_wire(i["sk"]) for i in got] == [from_wire(i["sk"]) for i in expected], ctx
        assert sum(p[1] for p in pages) == len(matching), ctx
        if limit:
            # Every page but the last is full (Limit counts items before the filter).
            assert all(p[1] == limit for p in pages[:-1]), ctx


def test_scan_and_parallel_scan_match_reference_model(dynamodb, make_table):
    rng = random.Random(SEED)
    table = make_table(hash_key=("pk", "B"))
    model = {}
    for _ in range(150):
        pk = gen_value(rng, "B")
        item = {"pk": {"B": pk}, "v": {"N": str(rng.randint(0, 9))}}
        dynamodb.put_item(TableName=table, Item=item)
        model[pk] = item
    want_all = sorted(model)
    for limit in [None, 1, 4, 33]:
        for filt in [None, 5]:
            for total in [None, 1, 2, 3, 8]:
                got, scanned = [], 0
                for seg in range(total or 1):
                    req = {"TableName": table, "ConsistentRead": True}
                    if limit:
                        req["Limit"] = limit
                    if filt is not None:
                        req["FilterExpression"] = "v < :f"
                        req["ExpressionAttributeValues"] = {":f": {"N": str(filt)}}
                    if total:
                        req["Segment"], req["TotalSegments"] = seg, total
                    while True:
                        r = dynamodb.scan(**req)
                        if limit:
                            assert r["ScannedCount"] <= limit
                        scanned += r["ScannedCount"]
                        got.extend(bytes(i["pk"]["B"]) for i in r["Items"])
                        if "LastEvaluatedKey" not in r:
                            break
                        req["ExclusiveStartKey"] = r["LastEvaluatedKey"]
                expected = [k for k in want_all if filt is None or int(model[k]["v"]["N"]) < filt]
                ctx = (limit, filt, total)
                assert sorted(got) == expected, ctx
                assert len(got) == len(set(got)), ctx  # segments are disjoint
                assert scanned == len(model), ctx
                if not total or total == 1:
                    assert got == expected, ctx  # one segment: key order

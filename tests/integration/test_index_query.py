# Query and Scan on secondary indexes (GSIs, LSIs, multi-attribute GSI
# keys) against a real server, on both storage backends:
# - strong consistency: a write is visible to the next index Query at once
#   (fdyno writes index entries in the same transaction as the item);
# - a changed index key moves the item between index partitions, a removed
#   one drops it (sparse index);
# - projections KEYS_ONLY / INCLUDE / ALL, Select rules, LSI fetches from
#   the table, capacity per index;
# - a reference model (property style, seeded random data): random key
#   conditions, both orders, filters, limits, paging by LastEvaluatedKey,
#   parallel scan segments. Ties on the index sort key are ordered by the
#   table key (DynamoDB leaves that order unspecified; the model only
#   compares the multiset for Scan and the sorted order for Query).
import random
from decimal import Decimal

import pytest

from conftest import delete_table_quietly, expect_error, unique_name

SEED = 777


def create_index_table(client):
    name = unique_name("idxq")
    ad = [("pk", "S"), ("sk", "N"), ("g", "S"), ("gs", "N"), ("ls", "S"),
          ("m1", "S"), ("m2", "N"), ("n1", "S"), ("n2", "N")]

    def ks(hash_keys, range_keys=()):
        return ([{"AttributeName": h, "KeyType": "HASH"} for h in hash_keys] +
                [{"AttributeName": r, "KeyType": "RANGE"} for r in range_keys])

    client.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=ks(["pk"], ["sk"]),
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in ad],
        GlobalSecondaryIndexes=[
            {"IndexName": "by_g", "KeySchema": ks(["g"], ["gs"]), "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "by_g_keys", "KeySchema": ks(["g"], ["gs"]),
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
            {"IndexName": "by_g_incl", "KeySchema": ks(["g"]),
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}},
            {"IndexName": "multi", "KeySchema": ks(["m1", "m2"], ["n1", "n2"]),
             "Projection": {"ProjectionType": "ALL"}},
        ],
        LocalSecondaryIndexes=[
            {"IndexName": "by_l", "KeySchema": ks(["pk"], ["ls"]), "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ])
    return name


@pytest.fixture
def table(dynamodb):
    name = create_index_table(dynamodb)
    yield name
    delete_table_quietly(dynamodb, name)


def query_all(client, **kw):
    items, pages = [], 0
    while True:
        r = client.query(**kw)
        items.extend(r["Items"])
        pages += 1
        if "LastEvaluatedKey" not in r:
            return items, pages
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def scan_all(client, **kw):
    items = []
    while True:
        r = client.scan(**kw)
        items.extend(r["Items"])
        if "LastEvaluatedKey" not in r:
            return items
        kw["ExclusiveStartKey"] = r["LastEvaluatedKey"]


def keys_of(items):
    return [(i["pk"]["S"], Decimal(i["sk"]["N"])) for i in items]


def test_write_is_visible_to_the_next_index_query_and_key_changes_move_it(dynamodb, table):
    for i in range(30):
        pk = f"p{i}"
        dynamodb.put_item(TableName=table, Item={"pk": {"S": pk}, "sk": {"N": "1"}, "g": {"S": f"G{i}"},
                                                 "gs": {"N": str(i)}, "a": {"S": "x"}})
        r = dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": f"G{i}"}})
        assert keys_of(r["Items"]) == [(pk, 1)]
        # Change the index partition key: the item moves at once.
        dynamodb.update_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"N": "1"}},
                             UpdateExpression="SET g = :n", ExpressionAttributeValues={":n": {"S": f"H{i}"}})
        old = dynamodb.query(TableName=table, IndexName="by_g_keys", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": f"G{i}"}})
        new = dynamodb.query(TableName=table, IndexName="by_g_keys", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": f"H{i}"}})
        assert old["Items"] == [] and keys_of(new["Items"]) == [(pk, 1)]
        # Remove an index key attribute: the item leaves the index (sparse).
        dynamodb.update_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"N": "1"}},
                             UpdateExpression="REMOVE gs")
        gone = dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                              ExpressionAttributeValues={":g": {"S": f"H{i}"}})
        assert gone["Items"] == []
        incl = dynamodb.query(TableName=table, IndexName="by_g_incl", KeyConditionExpression="g = :g",
                              ExpressionAttributeValues={":g": {"S": f"H{i}"}})
        assert incl["Items"] == [{"pk": {"S": pk}, "sk": {"N": "1"}, "g": {"S": f"H{i}"}, "a": {"S": "x"}}]


def test_sparse_index_and_projections(dynamodb, table):
    full = {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "G"}, "gs": {"N": "5"}, "ls": {"S": "l1"},
            "a": {"S": "A"}, "b": {"S": "B"}}
    dynamodb.put_item(TableName=table, Item=full)
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"N": "2"}, "b": {"S": "only-b"}})
    assert keys_of(scan_all(dynamodb, TableName=table, IndexName="by_g")) == [("a", 1)]
    assert keys_of(scan_all(dynamodb, TableName=table, IndexName="by_l", ConsistentRead=True)) == [("a", 1)]
    q = dict(TableName=table, KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "G"}})
    assert dynamodb.query(IndexName="by_g", **q)["Items"] == [full]
    assert dynamodb.query(IndexName="by_g_keys", **q)["Items"] == [
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "G"}, "gs": {"N": "5"}}]
    assert dynamodb.query(IndexName="by_g_incl", Select="ALL_PROJECTED_ATTRIBUTES", **q)["Items"] == [
        {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "G"}, "a": {"S": "A"}}]
    expect_error(lambda: dynamodb.query(IndexName="by_g_keys", Select="ALL_ATTRIBUTES", **q), "ValidationException",
                 "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                 "global secondary index by_g_keys because its projection type is not ALL")
    expect_error(lambda: dynamodb.query(IndexName="by_g_incl", ProjectionExpression="b", **q), "ValidationException",
                 "One or more parameter values were invalid: Global secondary index by_g_incl does not project "
                 "attribute b")
    expect_error(lambda: dynamodb.query(IndexName="by_g", ConsistentRead=True, **q), "ValidationException",
                 "Consistent reads are not supported on global secondary indexes")
    expect_error(lambda: dynamodb.query(IndexName="nope", **q), "ValidationException",
                 "The table does not have the specified index: nope")


def test_lsi_fetches_unprojected_attributes_and_charges_the_table(dynamodb, table):
    item = {"pk": {"S": "a"}, "sk": {"N": "1"}, "ls": {"S": "l1"}, "b": {"S": "B" * 5000}}
    dynamodb.put_item(TableName=table, Item=item)
    q = dict(TableName=table, IndexName="by_l", KeyConditionExpression="pk = :p AND ls >= :l",
             ExpressionAttributeValues={":p": {"S": "a"}, ":l": {"S": "l"}}, ConsistentRead=True,
             ReturnConsumedCapacity="INDEXES")
    r = dynamodb.query(**q)
    assert r["Items"] == [{"pk": {"S": "a"}, "sk": {"N": "1"}, "ls": {"S": "l1"}}]
    assert r["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0,
                                     "LocalSecondaryIndexes": {"by_l": {"CapacityUnits": 1.0}}}
    r = dynamodb.query(Select="ALL_ATTRIBUTES", **q)
    assert r["Items"] == [item]
    # Index entry: 1 unit; the fetched item (over 4 KB): 2 units on the table.
    assert r["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 3.0, "Table": {"CapacityUnits": 2.0},
                                     "LocalSecondaryIndexes": {"by_l": {"CapacityUnits": 1.0}}}
    r = dynamodb.query(ProjectionExpression="ls, b", **q)
    assert r["Items"] == [{"ls": {"S": "l1"}, "b": item["b"]}]


# ---------- reference model ----------

def gen_items(rng, n):
    items = {}
    for i in range(n):
        pk, sk = f"p{rng.randint(0, 9)}", Decimal(rng.randint(0, 20))
        it = {"pk": {"S": pk}, "sk": {"N": str(sk)}, "a": {"N": str(rng.randint(0, 5))}}
        if rng.random() < 0.85:
            it["g"] = {"S": rng.choice(["x", "y", "z\x00", "z\u00ff"])}
            it["gs"] = {"N": str(Decimal(rng.randint(-4, 4)) / 2)}  # many ties
        if rng.random() < 0.8:
            it["ls"] = {"S": rng.choice(["a", "ab", "b", "b\x00", "c"])}
        if rng.random() < 0.8:
            it["m1"], it["m2"] = {"S": rng.choice(["u", "v"])}, {"N": str(rng.randint(1, 2))}
            it["n1"], it["n2"] = {"S": rng.choice(["k", "ka", "l"])}, {"N": str(rng.randint(0, 3))}
        items[(pk, sk)] = it
    return items


def sval(item, name):
    (t, v), = item[name].items()
    return Decimal(v) if t == "N" else v.encode("utf-8")


def table_order(item):
    return (sval(item, "pk"), sval(item, "sk"))


def holds(op, x, a, b):
    return {"=": x == a, "<": x < a, "<=": x <= a, ">": x > a, ">=": x >= a,
            "BETWEEN": a <= x <= b}.get(op, isinstance(x, bytes) and x.startswith(a))


def cond_text(name, op):
    if op == "BETWEEN":
        return f"{name} BETWEEN :a AND :b"
    if op == "begins_with":
        return f"begins_with({name}, :a)"
    return f"{name} {op} :a"


def check_query(client, table, index, partition, sort_attrs, items, rng, consistent=False):
    """partition: [(name, wire value)]; sort_attrs: [(name, type)] of the index."""
    members = [it for it in items.values()
               if all(n in it for n, _ in partition) and all(n in it for n, _ in sort_attrs)
               and all(it[n] == v for n, v in partition)]
    values = {f":h{i}": v for i, (_, v) in enumerate(partition)}
    conds = [f"{n} = :h{i}" for i, (n, _) in enumerate(partition)]
    pred = lambda it: True  # noqa: E731
    # Equality on a random prefix of the sort attributes, then maybe one condition.
    used = rng.randint(0, len(sort_attrs))
    for j in range(used):
        n, t = sort_attrs[j]
        last = j == used - 1
        op = rng.choice(["=", "<", "<=", ">", ">=", "BETWEEN"] + (["begins_with"] if t == "S" else [])) if last else "="
        pool = [it[n] for it in members] or [{t: "0" if t == "N" else "a"}]
        a, b = rng.choice(pool), rng.choice(pool)
        if op == "begins_with":
            a = {"S": a["S"][:rng.randint(0, len(a["S"]))] or "a"}
        if op == "BETWEEN" and sval({"v": b}, "v") < sval({"v": a}, "v"):
            a, b = b, a
        ph_a, ph_b = f":s{j}a", f":s{j}b"
        conds.append(cond_text(n, op).replace(":a", ph_a).replace(":b", ph_b))
        values[ph_a] = a
        if op == "BETWEEN":
            values[ph_b] = b
        pred = (lambda prev, n=n, op=op, a=a, b=b:
                lambda it: prev(it) and holds(op, sval(it, n), sval({"v": a}, "v"), sval({"v": b}, "v")))(pred)
    forward = rng.random() < 0.5
    limit = rng.choice([None, 1, 2, 5, 50])
    # Filters read the projected item: only ALL indexes project "a".
    filt = index in ("by_g", "multi") and rng.random() < 0.4
    kw = dict(TableName=table, IndexName=index, KeyConditionExpression=" AND ".join(conds),
              ExpressionAttributeValues=dict(values), ScanIndexForward=forward, ConsistentRead=consistent)
    if limit:
        kw["Limit"] = limit
    if filt:
        kw["FilterExpression"] = "a >= :fa"
        kw["ExpressionAttributeValues"][":fa"] = {"N": "3"}
    got, _ = query_all(client, **kw)
    want = sorted((it for it in members if pred(it)),
                  key=lambda it: tuple(sval(it, n) for n, _ in sort_attrs) + table_order(it),
                  reverse=not forward)
    if filt:
        want = [it for it in want if int(it["a"]["N"]) >= 3]
    assert keys_of(got) == keys_of(want), kw
    return len(got)


def test_index_queries_match_reference_model(dynamodb, table):
    rng = random.Random(SEED)
    items = gen_items(rng, 150)
    for it in items.values():
        dynamodb.put_item(TableName=table, Item=it)
    returned = 0
    for _ in range(40):
        g = rng.choice(["x", "y", "z\x00", "z\u00ff"])
        returned += check_query(dynamodb, table, "by_g", [("g", {"S": g})], [("gs", "N")], items, rng)
        returned += check_query(dynamodb, table, "by_g_keys", [("g", {"S": g})], [("gs", "N")], items, rng)
        p = f"p{rng.randint(0, 9)}"
        returned += check_query(dynamodb, table, "by_l", [("pk", {"S": p})], [("ls", "S")], items, rng,
                                consistent=rng.random() < 0.5)
        returned += check_query(dynamodb, table, "multi",
                    [("m1", {"S": rng.choice(["u", "v"])}), ("m2", {"N": str(rng.randint(1, 2))})],
                                [("n1", "S"), ("n2", "N")], items, rng)
    assert returned > 300  # the model is exercised, not trivially empty
    # Scan of an index, whole and in parallel segments, paged.
    want = sorted(keys_of([it for it in items.values() if "g" in it]))
    for total in (1, 3, 7):
        got = []
        for seg in range(total):
            kw = dict(TableName=table, IndexName="by_g_keys", Limit=rng.choice([3, 10, 100]))
            if total > 1:
                kw.update(Segment=seg, TotalSegments=total)
            got.extend(keys_of(scan_all(dynamodb, **kw)))
        assert sorted(got) == want, total

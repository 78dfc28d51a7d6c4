# BatchGetItem and BatchWriteItem through boto3 against a real server:
# multi-table batches, the Responses/UnprocessedKeys/UnprocessedItems shapes,
# duplicates, limits, whole-batch validation and capacity per table.
import random
import threading
import uuid

import pytest

from conftest import client_for, delete_table_quietly, expect_error, raw_request, unique_name

DUP = "Provided list of item keys contains duplicates"


def k():
    return {"S": uuid.uuid4().hex}


def test_multi_table_write_then_get(dynamodb, hash_table, hash_range_table):
    a, b, c = k(), k(), k()
    r = dynamodb.batch_write_item(RequestItems={
        hash_table: [{"PutRequest": {"Item": {"pk": a, "v": {"N": "1"}}}},
                     {"PutRequest": {"Item": {"pk": b, "v": {"S": "x"}}}}],
        hash_range_table: [{"PutRequest": {"Item": {"pk": c, "sk": {"N": "7"}, "w": {"BOOL": True}}}}],
    })
    assert r["UnprocessedItems"] == {}
    r = dynamodb.batch_get_item(RequestItems={
        hash_table: {"Keys": [{"pk": a}, {"pk": k()}, {"pk": b}], "ConsistentRead": True},
        hash_range_table: {"Keys": [{"pk": c, "sk": {"N": "7"}}]},
    })
    assert r["UnprocessedKeys"] == {}
    got = sorted(r["Responses"][hash_table], key=lambda i: i["pk"]["S"])
    assert got == sorted([{"pk": a, "v": {"N": "1"}}, {"pk": b, "v": {"S": "x"}}], key=lambda i: i["pk"]["S"])
    assert r["Responses"][hash_range_table] == [{"pk": c, "sk": {"N": "7"}, "w": {"BOOL": True}}]

    # Deletes and replacing puts in one batch.
    r = dynamodb.batch_write_item(RequestItems={
        hash_table: [{"DeleteRequest": {"Key": {"pk": a}}}, {"PutRequest": {"Item": {"pk": b}}}],
        hash_range_table: [{"DeleteRequest": {"Key": {"pk": c, "sk": {"N": "7"}}}}],
    })
    assert r["UnprocessedItems"] == {}
    r = dynamodb.batch_get_item(RequestItems={
        hash_table: {"Keys": [{"pk": a}, {"pk": b}]},
        hash_range_table: {"Keys": [{"pk": c, "sk": {"N": "7"}}]},
    })
    assert r["Responses"] == {hash_table: [{"pk": b}], hash_range_table: []}


def test_projection_and_attributes_to_get(dynamodb, hash_table):
    a = k()
    dynamodb.put_item(TableName=hash_table, Item={"pk": a, "x": {"S": "1"}, "y": {"S": "2"}})
    r = dynamodb.batch_get_item(RequestItems={hash_table: {
        "Keys": [{"pk": a}], "ProjectionExpression": "#x", "ExpressionAttributeNames": {"#x": "x"}}})
    assert r["Responses"][hash_table] == [{"x": {"S": "1"}}]
    r = dynamodb.batch_get_item(RequestItems={hash_table: {"Keys": [{"pk": a}], "AttributesToGet": ["pk", "y"]}})
    assert r["Responses"][hash_table] == [{"pk": a, "y": {"S": "2"}}]


def test_duplicates(dynamodb, hash_table, hash_range_table):
    a = k()
    expect_error(lambda: dynamodb.batch_get_item(RequestItems={hash_table: {"Keys": [{"pk": a}, {"pk": a}]}}),
                 "ValidationException", DUP)
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={hash_table: [
        {"PutRequest": {"Item": {"pk": a}}}, {"DeleteRequest": {"Key": {"pk": a}}}]}),
        "ValidationException", DUP)
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={hash_range_table: [
        {"PutRequest": {"Item": {"pk": a, "sk": {"N": "1000"}}}},
        {"PutRequest": {"Item": {"pk": a, "sk": {"N": "1e3"}}}}]}),
        "ValidationException", DUP)
    # The same key in two tables is not a duplicate.
    dynamodb.batch_write_item(RequestItems={hash_table: [{"PutRequest": {"Item": {"pk": a}}}],
                                            hash_range_table: [{"PutRequest": {"Item": {"pk": a, "sk": {"N": "1"}}}}]})


def test_limits(dynamodb, hash_table, hash_range_table):
    keys = [{"pk": {"S": f"l{i}"}} for i in range(101)]
    expect_error(lambda: dynamodb.batch_get_item(RequestItems={hash_table: {"Keys": keys}}),
                 "ValidationException",
                 f"1 validation error detected: Value at 'RequestItems.{hash_table}.member.Keys' failed to "
                 "satisfy constraint: Member must have length less than or equal to 100")
    expect_error(lambda: dynamodb.batch_get_item(RequestItems={
        hash_table: {"Keys": keys[:100]}, hash_range_table: {"Keys": [{"pk": k(), "sk": {"N": "1"}}]}}),
        "ValidationException", "Too many items requested for the BatchGetItem call")
    puts = [{"PutRequest": {"Item": {"pk": {"S": f"w{i}"}}}} for i in range(26)]
    err = expect_error(lambda: dynamodb.batch_write_item(RequestItems={hash_table: puts}), "ValidationException")
    msg = err.response["Error"]["Message"]
    assert msg.startswith(f"1 validation error detected: Value '{{{hash_table}=[")
    assert msg.endswith("]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
                        "[Member must have length less than or equal to 25, Member must have length greater "
                        "than or equal to 1]")
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={
        hash_table: puts[:20],
        hash_range_table: [{"DeleteRequest": {"Key": {"pk": k(), "sk": {"N": str(i)}}}} for i in range(6)]}),
        "ValidationException", "Too many items requested for the BatchWriteItem call")
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={}), "ValidationException",
                 "The requestItems parameter is required for BatchWriteItem")
    expect_error(lambda: dynamodb.batch_get_item(RequestItems={}), "ValidationException",
                 "The requestItems parameter is required for BatchGetItem")
    # Exactly 25 writes and 100 keys are fine.
    assert dynamodb.batch_write_item(RequestItems={hash_table: puts[:25]})["UnprocessedItems"] == {}
    written = [{"pk": {"S": f"w{i}"}} for i in range(25)]
    r = dynamodb.batch_get_item(RequestItems={hash_table: {"Keys": written + keys[:75]}})
    assert len(r["Responses"][hash_table]) == 25


def test_missing_table_and_whole_batch_validation(dynamodb, hash_table):
    a, b = k(), k()
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={
        hash_table: [{"PutRequest": {"Item": {"pk": a}}}],
        "no_such_table_xyz": [{"PutRequest": {"Item": {"pk": b}}}]}),
        "ResourceNotFoundException", "Requested resource not found")
    expect_error(lambda: dynamodb.batch_get_item(RequestItems={"no_such_table_xyz": {"Keys": [{"pk": a}]}}),
                 "ResourceNotFoundException", "Requested resource not found")
    # One invalid item rejects the batch before anything is written.
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={hash_table: [
        {"PutRequest": {"Item": {"pk": a}}}, {"PutRequest": {"Item": {"pk": {"N": "3"}}}},
        {"PutRequest": {"Item": {"pk": b}}}]}),
        "ValidationException", "The provided key element does not match the schema")
    r = dynamodb.batch_get_item(RequestItems={hash_table: {"Keys": [{"pk": a}, {"pk": b}], "ConsistentRead": True}})
    assert r["Responses"][hash_table] == []
    expect_error(lambda: dynamodb.batch_write_item(RequestItems={hash_table: [{}]}), "ValidationException",
                 "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                 "supported datatypes")


def test_consumed_capacity_per_table(dynamodb, hash_table, hash_range_table):
    a, b = k(), k()
    r = dynamodb.batch_write_item(ReturnConsumedCapacity="TOTAL", RequestItems={
        hash_table: [{"PutRequest": {"Item": {"pk": a}}},
                     {"PutRequest": {"Item": {"pk": b, "v": {"S": "x" * 1024}}}}],
        hash_range_table: [{"DeleteRequest": {"Key": {"pk": a, "sk": {"N": "1"}}}}]})
    assert r["UnprocessedItems"] == {}
    assert sorted(r["ConsumedCapacity"], key=lambda c: c["TableName"] != hash_table) == [
        {"TableName": hash_table, "CapacityUnits": 3.0},
        {"TableName": hash_range_table, "CapacityUnits": 1.0}]
    r = dynamodb.batch_get_item(ReturnConsumedCapacity="INDEXES", RequestItems={
        hash_table: {"Keys": [{"pk": a}, {"pk": b}], "ConsistentRead": True},
        hash_range_table: {"Keys": [{"pk": a, "sk": {"N": "1"}}]}})
    caps = {c["TableName"]: c for c in r["ConsumedCapacity"]}
    assert caps[hash_table] == {"TableName": hash_table, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 2.0}}
    assert caps[hash_range_table] == {"TableName": hash_range_table, "CapacityUnits": 0.5,
                                      "Table": {"CapacityUnits": 0.5}}


def test_unprocessed_keys_over_16mb(server, dynamodb, make_table):
    t = make_table()
    big = "x" * (390 * 1024)
    for start in range(0, 50, 5):
        dynamodb.batch_write_item(RequestItems={t: [
            {"PutRequest": {"Item": {"pk": {"S": f"b{i}"}, "v": {"S": big}}}} for i in range(start, start + 5)]})
    keys = [{"pk": {"S": f"b{i}"}} for i in range(50)]
    r = raw_request(server, {"RequestItems": {t: {"Keys": keys, "ConsistentRead": True,
                                                   "ProjectionExpression": "pk"}}}, target="BatchGetItem")
    assert r.status == 200
    body = r.json()
    got = [i["pk"]["S"] for i in body["Responses"][t]]
    left = body["UnprocessedKeys"][t]
    # The unprocessed entry keeps the table's other parameters.
    assert left["ConsistentRead"] is True and left["ProjectionExpression"] == "pk"
    assert len(got) + len(left["Keys"]) == 50 and len(left["Keys"]) > 0
    assert set(got) | {x["pk"]["S"] for x in left["Keys"]} == {f"b{i}" for i in range(50)}
    # Resubmitting UnprocessedKeys as is reads the rest.
    r = dynamodb.batch_get_item(RequestItems=body["UnprocessedKeys"])
    assert r["UnprocessedKeys"] == {}
    assert len(r["Responses"][t]) == len(left["Keys"])


@pytest.mark.parametrize("n", [1, 25])
def test_batch_writer(dynamodb_resource, hash_table, n):
    table = dynamodb_resource.Table(hash_table)
    items = [{"pk": uuid.uuid4().hex, "n": i} for i in range(n)]
    with table.batch_writer() as w:
        for item in items:
            w.put_item(Item=item)
    for item in items:
        assert table.get_item(Key={"pk": item["pk"]}, ConsistentRead=True)["Item"] == item


def make_gsi_table(dynamodb, make_table_name):
    """A table (pk:S) with GSI "by_g" on g:S, projection ALL."""
    dynamodb.create_table(
        TableName=make_table_name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST")
    dynamodb.get_waiter("table_exists").wait(TableName=make_table_name, WaiterConfig={"Delay": 0.2})


def query_gsi(dynamodb, table, g):
    """Every item the GSI holds under g (paged)."""
    out, kw = [], {}
    while True:
        r = dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": g}}, **kw)
        out += r["Items"]
        if "LastEvaluatedKey" not in r:
            return out
        kw = {"ExclusiveStartKey": r["LastEvaluatedKey"]}


def scan_all(dynamodb, table):
    out, kw = [], {}
    while True:
        r = dynamodb.scan(TableName=table, ConsistentRead=True, **kw)
        out += r["Items"]
        if "LastEvaluatedKey" not in r:
            return out
        kw = {"ExclusiveStartKey": r["LastEvaluatedKey"]}


def test_25_puts_and_deletes_across_two_gsi_tables(dynamodb):
    """A batch (one kv transaction) moves, adds and removes GSI entries right in both tables."""
    ta, tb = unique_name("bga"), unique_name("bgb")
    try:
        make_gsi_table(dynamodb, ta)
        make_gsi_table(dynamodb, tb)
        for i in range(8):
            dynamodb.put_item(TableName=ta, Item={"pk": {"S": f"a{i}"}, "g": {"S": "old"}})
            dynamodb.put_item(TableName=tb, Item={"pk": {"S": f"b{i}"}, "g": {"S": "old"}, "v": {"N": "1"}})
        req = {
            ta: [{"PutRequest": {"Item": {"pk": {"S": f"a{i}"}, "g": {"S": "new"}}}} for i in range(3)]  # moved
            + [{"PutRequest": {"Item": {"pk": {"S": "a3"}}}}]  # loses its index key
            + [{"DeleteRequest": {"Key": {"pk": {"S": f"a{i}"}}}} for i in (4, 5)]
            + [{"DeleteRequest": {"Key": {"pk": {"S": "a-absent"}}}}]
            + [{"PutRequest": {"Item": {"pk": {"S": f"an{i}"}, "g": {"S": "new"}}}} for i in range(6)],
            tb: [{"DeleteRequest": {"Key": {"pk": {"S": f"b{i}"}}}} for i in range(4)]
            + [{"PutRequest": {"Item": {"pk": {"S": f"b{i}"}, "g": {"S": "old"}, "v": {"N": "2"}}}}
               for i in (4, 5)]
            + [{"PutRequest": {"Item": {"pk": {"S": f"bn{i}"}, "g": {"S": "other"}}}} for i in range(6)],
        }
        assert sum(len(v) for v in req.values()) == 25
        r = dynamodb.batch_write_item(RequestItems=req)
        assert r["UnprocessedItems"] == {}

        pks = lambda items: sorted(i["pk"]["S"] for i in items)
        assert pks(query_gsi(dynamodb, ta, "new")) == ["a0", "a1", "a2"] + [f"an{i}" for i in range(6)]
        assert pks(query_gsi(dynamodb, ta, "old")) == ["a6", "a7"]
        assert pks(query_gsi(dynamodb, tb, "old")) == ["b4", "b5", "b6", "b7"]
        assert pks(query_gsi(dynamodb, tb, "other")) == [f"bn{i}" for i in range(6)]
        by_pk = {i["pk"]["S"]: i for i in query_gsi(dynamodb, tb, "old")}
        assert by_pk["b5"]["v"] == {"N": "2"} and by_pk["b6"]["v"] == {"N": "1"}

        da = dynamodb.describe_table(TableName=ta)["Table"]
        db = dynamodb.describe_table(TableName=tb)["Table"]
        assert da["ItemCount"] == 8 - 2 + 6 == len(scan_all(dynamodb, ta))
        assert db["ItemCount"] == 8 - 4 + 6 == len(scan_all(dynamodb, tb))
        assert da["GlobalSecondaryIndexes"][0]["ItemCount"] == 11
        assert db["GlobalSecondaryIndexes"][0]["ItemCount"] == 10

        # A wrong GSI key type anywhere rejects the whole batch: nothing is written in either table.
        expect_error(lambda: dynamodb.batch_write_item(RequestItems={
            ta: [{"DeleteRequest": {"Key": {"pk": {"S": "a0"}}}}],
            tb: [{"PutRequest": {"Item": {"pk": {"S": "x1"}, "g": {"S": "z"}}}},
                 {"PutRequest": {"Item": {"pk": {"S": "x2"}, "g": {"N": "1"}}}}]}),
            "ValidationException",
            "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N "
            "IndexName: by_g")
        assert dynamodb.get_item(TableName=ta, Key={"pk": {"S": "a0"}}, ConsistentRead=True)["Item"]
        assert "Item" not in dynamodb.get_item(TableName=tb, Key={"pk": {"S": "x1"}}, ConsistentRead=True)
        assert query_gsi(dynamodb, tb, "z") == []
    finally:
        delete_table_quietly(dynamodb, ta)
        delete_table_quietly(dynamodb, tb)


def test_concurrent_overlapping_batches_stay_consistent(server, dynamodb):
    """8 threads write overlapping batches on the same keys; every item ends as one written version and
    the table and GSI counters equal a recount."""
    t = unique_name("bconc")
    try:
        make_gsi_table(dynamodb, t)
        keys = [f"k{i}" for i in range(30)]
        written = {k_: set() for k_ in keys}
        lock = threading.Lock()
        errors = []

        def worker(th):
            c = client_for(server)
            rng = random.Random(th)
            for n in range(15):
                chosen = rng.sample(keys, 25)
                reqs, mine = [], []
                for key in chosen:
                    if rng.random() < 0.25:
                        reqs.append({"DeleteRequest": {"Key": {"pk": {"S": key}}}})
                    else:
                        ver = f"t{th}-{n}"
                        item = {"pk": {"S": key}, "ver": {"S": ver}}
                        if rng.random() < 0.7:
                            item["g"] = {"S": f"g{rng.randrange(4)}"}
                        reqs.append({"PutRequest": {"Item": item}})
                        mine.append((key, ver))
                try:
                    r = c.batch_write_item(RequestItems={t: reqs})
                    assert r["UnprocessedItems"] == {}
                except Exception as e:  # noqa: BLE001 - reported below
                    errors.append(repr(e))
                    continue
                with lock:
                    for key, ver in mine:
                        written[key].add(ver)

        threads = [threading.Thread(target=worker, args=(th,)) for th in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert errors == []

        items = scan_all(dynamodb, t)
        for it in items:
            assert it["ver"]["S"] in written[it["pk"]["S"]], it
        indexed = sum(len(query_gsi(dynamodb, t, f"g{i}")) for i in range(4))
        assert indexed == sum(1 for it in items if "g" in it)
        d = dynamodb.describe_table(TableName=t)["Table"]
        assert d["ItemCount"] == len(items)
        assert d["GlobalSecondaryIndexes"][0]["ItemCount"] == indexed
    finally:
        delete_table_quietly(dynamodb, t)

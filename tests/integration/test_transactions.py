# TransactGetItems and TransactWriteItems through boto3 against a real
# server: atomicity, cancellation reasons, ClientRequestToken idempotency
# (also across a restart), capacity, and serializability under concurrency
# (money moved between accounts while other clients read the total).
import random
import threading
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import client_for, create_table_and_wait, expect_error, start_server, unique_name


def k():
    return {"S": uuid.uuid4().hex}


def get(dynamodb, table, key):
    return dynamodb.get_item(TableName=table, Key={"pk": key}, ConsistentRead=True).get("Item")


def test_write_then_get_across_tables(dynamodb, hash_table, hash_range_table):
    a, b, c = k(), k(), k()
    dynamodb.put_item(TableName=hash_table, Item={"pk": b, "n": {"N": "5"}})
    dynamodb.put_item(TableName=hash_table, Item={"pk": c})
    r = dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": hash_table, "Item": {"pk": a, "v": {"S": "x"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": hash_table, "Key": {"pk": b}, "UpdateExpression": "SET n = n + :d",
                    "ExpressionAttributeValues": {":d": {"N": "2"}}}},
        {"Delete": {"TableName": hash_table, "Key": {"pk": c}}},
        {"Put": {"TableName": hash_range_table, "Item": {"pk": a, "sk": {"N": "1"}}}},
    ], ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": 6.0, "WriteCapacityUnits": 6.0},
        {"TableName": hash_range_table, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
    ]
    g = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": hash_table, "Key": {"pk": a}}},
        {"Get": {"TableName": hash_table, "Key": {"pk": b}, "ProjectionExpression": "n"}},
        {"Get": {"TableName": hash_table, "Key": {"pk": c}}},
        {"Get": {"TableName": hash_range_table, "Key": {"pk": a, "sk": {"N": "1"}}}},
    ], ReturnConsumedCapacity="TOTAL")
    assert g["Responses"] == [{"Item": {"pk": a, "v": {"S": "x"}}}, {"Item": {"n": {"N": "7"}}}, {},
                              {"Item": {"pk": a, "sk": {"N": "1"}}}]
    assert g["ConsumedCapacity"] == [
        {"TableName": hash_table, "CapacityUnits": 6.0, "ReadCapacityUnits": 6.0},
        {"TableName": hash_range_table, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0},
    ]


def test_cancellation_reasons(dynamodb, hash_table):
    a, b = k(), k()
    dynamodb.put_item(TableName=hash_table, Item={"pk": b, "s": {"S": "old"}})
    with pytest.raises(ClientError) as e:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": hash_table, "Item": {"pk": a}}},
            {"Put": {"TableName": hash_table, "Item": {"pk": b}, "ConditionExpression": "attribute_not_exists(pk)",
                     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        ])
    err = e.value.response
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err["Error"]["Code"] == "TransactionCanceledException"
    assert err["Error"]["Message"] == ("Transaction cancelled, please refer cancellation reasons for specific "
                                       "reasons [None, ConditionalCheckFailed]")
    assert err["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
         "Item": {"pk": b, "s": {"S": "old"}}},
    ]
    assert get(dynamodb, hash_table, a) is None

    with pytest.raises(ClientError) as e:
        dynamodb.transact_write_items(TransactItems=[{"Put": {"TableName": hash_table, "Item": {"pk": {"N": "7"}}}}])
    assert e.value.response["CancellationReasons"] == [
        {"Code": "ValidationError",
         "Message": "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"}]


def test_request_level_errors(dynamodb, hash_table):
    a = k()
    expect_error(lambda: dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": hash_table, "Item": {"pk": a}}},
        {"Delete": {"TableName": hash_table, "Key": {"pk": a}}}]),
        "ValidationException", "Transaction request cannot include multiple operations on one item")
    expect_error(lambda: dynamodb.transact_get_items(TransactItems=[]), "ValidationException",
                 "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
                 "Member must have length greater than or equal to 1")
    expect_error(lambda: dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": hash_table, "Item": {"pk": a}, "ConditionExpression": "attribute_exists(#xyz)"}}]),
        "ValidationException", contains="#xyz")
    expect_error(lambda: dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": unique_name("missing"), "Key": {"pk": a}}}]),
        "ResourceNotFoundException", "Requested resource not found")


def test_client_request_token(dynamodb, hash_table):
    a, token = k(), uuid.uuid4().hex
    dynamodb.put_item(TableName=hash_table, Item={"pk": a, "n": {"N": "0"}})
    inc = [{"Update": {"TableName": hash_table, "Key": {"pk": a}, "UpdateExpression": "ADD n :one",
                       "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    dynamodb.transact_write_items(TransactItems=inc, ClientRequestToken=token)
    r = dynamodb.transact_write_items(TransactItems=inc, ClientRequestToken=token, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [{"TableName": hash_table, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}]
    assert get(dynamodb, hash_table, a)["n"] == {"N": "1"}
    expect_error(lambda: dynamodb.transact_write_items(
        TransactItems=[{"Put": {"TableName": hash_table, "Item": {"pk": k()}}}], ClientRequestToken=token),
        "IdempotentParameterMismatchException",
        "The request uses the same client token as a previous, but non-identical request.")


def test_token_survives_restart(persistent_store, tmp_path):
    token, key = uuid.uuid4().hex, k()
    srv = start_server(persistent_store, log_dir=tmp_path)
    try:
        c = client_for(srv)
        t = unique_name("txr")
        create_table_and_wait(c, t)
        c.put_item(TableName=t, Item={"pk": key, "n": {"N": "0"}})
        inc = [{"Update": {"TableName": t, "Key": {"pk": key}, "UpdateExpression": "ADD n :one",
                           "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
        c.transact_write_items(TransactItems=inc, ClientRequestToken=token)
    finally:
        assert srv.stop() == 0, srv.log_text()
    srv2 = start_server(persistent_store, log_dir=tmp_path)
    try:
        c = client_for(srv2)
        c.transact_write_items(TransactItems=inc, ClientRequestToken=token)  # replay: no write
        assert c.get_item(TableName=t, Key={"pk": key}, ConsistentRead=True)["Item"]["n"] == {"N": "1"}
        expect_error(lambda: c.transact_write_items(
            TransactItems=[{"Put": {"TableName": t, "Item": {"pk": k()}}}], ClientRequestToken=token),
            "IdempotentParameterMismatchException")
    finally:
        srv2.stop()


ACCOUNTS = 50
INITIAL = 100


def test_concurrent_transfers_are_serializable(server, make_table):
    table = make_table()
    setup = client_for(server)
    keys = [{"pk": {"S": f"acct{i:02d}"}} for i in range(ACCOUNTS)]
    for key in keys:
        setup.put_item(TableName=table, Item={**key, "bal": {"N": str(INITIAL)}})

    deadline = time.monotonic() + 5
    stats = {"committed": 0, "canceled": 0, "reads": 0, "bad": [], "errors": []}
    lock = threading.Lock()

    def writer(seed):
        c, rng = client_for(server), random.Random(seed)
        while time.monotonic() < deadline:
            a, b = rng.sample(range(ACCOUNTS), 2)
            amt = {"N": str(rng.randint(1, 40))}
            try:
                c.transact_write_items(TransactItems=[
                    {"Update": {"TableName": table, "Key": keys[a], "UpdateExpression": "SET bal = bal - :a",
                                "ConditionExpression": "bal >= :a", "ExpressionAttributeValues": {":a": amt}}},
                    {"Update": {"TableName": table, "Key": keys[b], "UpdateExpression": "SET bal = bal + :a",
                                "ExpressionAttributeValues": {":a": amt}}},
                ])
                with lock:
                    stats["committed"] += 1
            except ClientError as e:
                with lock:
                    if e.response["Error"]["Code"] == "TransactionCanceledException":
                        stats["canceled"] += 1
                    else:
                        stats["errors"].append(str(e))

    def reader():
        c = client_for(server)
        gets = [{"Get": {"TableName": table, "Key": key}} for key in keys]
        while time.monotonic() < deadline:
            try:
                r = c.transact_get_items(TransactItems=gets)
            except ClientError as e:
                with lock:
                    stats["errors"].append(str(e))
                continue
            total = sum(int(x["Item"]["bal"]["N"]) for x in r["Responses"])
            with lock:
                stats["reads"] += 1
                if total != ACCOUNTS * INITIAL:
                    stats["bad"].append(total)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(16)]
    threads += [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert stats["errors"] == []
    assert stats["bad"] == [], f"{len(stats['bad'])} of {stats['reads']} reads saw another total"
    assert stats["committed"] > 50 and stats["reads"] > 10, stats
    final = sum(int(get(setup, table, key["pk"])["bal"]["N"]) for key in keys)
    assert final == ACCOUNTS * INITIAL
    assert all(int(get(setup, table, key["pk"])["bal"]["N"]) >= 0 for key in keys)


def test_same_token_from_many_threads_writes_once(server, make_table):
    table = make_table()
    c0 = client_for(server)
    key = k()
    c0.put_item(TableName=table, Item={"pk": key, "n": {"N": "0"}})
    token = uuid.uuid4().hex
    inc = [{"Update": {"TableName": table, "Key": {"pk": key}, "UpdateExpression": "ADD n :one",
                       "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    results, barrier = [], threading.Barrier(8)

    def send():
        c = client_for(server)
        barrier.wait()
        try:
            c.transact_write_items(TransactItems=inc, ClientRequestToken=token)
            results.append("ok")
        except ClientError as e:
            results.append(e.response["Error"]["Code"])

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["ok"] * 8
    assert get(c0, table, key)["n"] == {"N": "1"}

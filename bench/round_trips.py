#!/usr/bin/env python3
"""Round trips to the store per DynamoDB operation, from a server's /metrics.

Runs each operation N times, one at a time (so every commit is a group of
one), against a running fdyno server on a remote store (PostgreSQL), and
divides the growth of fdyno_store_read_round_trips_total and
fdyno_store_commit_round_trips_total by N.

    bench/round_trips.py http://127.0.0.1:8000 [N]

Prints one line per operation: reads/op, commits/op, total/op.
"""
import re
import sys
import urllib.request

import boto3
from botocore.config import Config

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200


def counters():
    text = urllib.request.urlopen(URL + "/metrics").read().decode()
    out = {}
    for name in ("fdyno_store_read_round_trips_total", "fdyno_store_commit_round_trips_total"):
        m = re.search(r"^" + name + r" (\d+)", text, re.M)
        out[name] = int(m.group(1)) if m else 0
    return out


def main():
    c = boto3.client("dynamodb", endpoint_url=URL, region_name="us-east-1", aws_access_key_id="x",
                     aws_secret_access_key="x", config=Config(retries={"max_attempts": 1}))
    table = "round_trips"
    try:
        c.delete_table(TableName=table)
        c.get_waiter("table_not_exists").wait(TableName=table)
    except c.exceptions.ResourceNotFoundException:
        pass
    c.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                   KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                   AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                         {"AttributeName": "sk", "AttributeType": "N"}])
    c.get_waiter("table_exists").wait(TableName=table)
    payload = "x" * 1000
    for i in range(100):
        c.put_item(TableName=table, Item={"pk": {"S": "q"}, "sk": {"N": str(i)}, "v": {"S": "y" * 100}})

    def key(i):
        return {"pk": {"S": "k%d" % (i % 50)}, "sk": {"N": "0"}}

    ops = [
        ("PutItem 1 KB", lambda i: c.put_item(TableName=table, Item={**key(i), "v": {"S": payload}})),
        ("GetItem", lambda i: c.get_item(TableName=table, Key=key(i))),
        ("GetItem ConsistentRead", lambda i: c.get_item(TableName=table, Key=key(i), ConsistentRead=True)),
        ("UpdateItem ADD", lambda i: c.update_item(TableName=table, Key=key(i), UpdateExpression="ADD n :one",
                                                    ExpressionAttributeValues={":one": {"N": "1"}})),
        ("DeleteItem", lambda i: c.delete_item(TableName=table, Key=key(i + 25))),
        ("Query 100 items", lambda i: c.query(TableName=table, KeyConditionExpression="pk = :p",
                                               ExpressionAttributeValues={":p": {"S": "q"}})),
        ("TransactWriteItems 4", lambda i: c.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "t%d" % (4 * (i % 25) + j)}, "sk": {"N": "0"}}}}
            for j in range(4)])),
        ("TransactGetItems 4", lambda i: c.transact_get_items(TransactItems=[
            {"Get": {"TableName": table, "Key": {"pk": {"S": "t%d" % j}, "sk": {"N": "0"}}}} for j in range(4)])),
        ("BatchGetItem 4", lambda i: c.batch_get_item(RequestItems={
            table: {"Keys": [{"pk": {"S": "k%d" % j}, "sk": {"N": "0"}} for j in range(4)]}})),
    ]
    print("%-24s %8s %8s %8s" % ("operation", "reads", "commits", "total"))
    for name, fn in ops:
        fn(0)  # warm the caches (table definition, prepared paths)
        before = counters()
        for i in range(N):
            fn(i)
        after = counters()
        r = (after["fdyno_store_read_round_trips_total"] - before["fdyno_store_read_round_trips_total"]) / N
        w = (after["fdyno_store_commit_round_trips_total"] - before["fdyno_store_commit_round_trips_total"]) / N
        print("%-24s %8.2f %8.2f %8.2f" % (name, r, w, r + w))
    c.delete_table(TableName=table)


if __name__ == "__main__":
    main()

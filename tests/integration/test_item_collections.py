# Item collections (tables with local secondary indexes) and index write
# capacity, over HTTP with boto3:
# - ReturnConsumedCapacity=INDEXES on every write operation: "Table", and
#   "GlobalSecondaryIndexes"/"LocalSecondaryIndexes" {name: {CapacityUnits}}
#   with the index writes; the total includes them (transactions: 2x).
# - ReturnItemCollectionMetrics=SIZE: ItemCollectionKey and
#   SizeEstimateRangeGB [lower, upper] (the whole-GB bracket of the size).
# - ItemCollectionSizeLimitExceededException "Collection size exceeded." once
#   a collection would grow past the limit. The 10 GB limit is lowered for
#   this module's servers so small items reach it: with the flag
#   --item-collection-limit-bytes on one, the environment variable
#   FDYNO_ITEM_COLLECTION_LIMIT_BYTES on the other (src/cli/config.h).
import pytest
from botocore.exceptions import ClientError

from conftest import backend_args, client_for, expect_error, start_server, unique_name

LIMIT = 20000  # bytes; an item below (~3 KB, ALL-projected LSI) counts ~6 KB


@pytest.fixture(scope="module", params=["memory", "rocksdb", "postgres"])
def ddb(request, tmp_path_factory):
    if request.param == "memory":
        args, env = ["--in-memory", "--item-collection-limit-bytes", str(LIMIT)], {}
    elif request.param == "postgres":
        args = backend_args(request, "postgres", None) + ["--item-collection-limit-bytes", str(LIMIT)]
        env = {}
    else:
        args = ["--data-dir", str(tmp_path_factory.mktemp("collections-data"))]
        env = {"FDYNO_ITEM_COLLECTION_LIMIT_BYTES": str(LIMIT)}
    srv = start_server(args, env=env, log_dir=tmp_path_factory.mktemp("collections-logs"))
    yield client_for(srv)
    srv.stop()


def make_table(ddb, lsi_projection="KEYS_ONLY", gsi=True):
    name = unique_name("coll")
    kw = dict(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                              {"AttributeName": "c", "AttributeType": "S"},
                              {"AttributeName": "x", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        LocalSecondaryIndexes=[{
            "IndexName": "lsi",
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "x", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": lsi_projection}}],
    )
    if gsi:
        kw["GlobalSecondaryIndexes"] = [{
            "IndexName": "gsi",
            "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}}]
    ddb.create_table(**kw)
    return name


def S(v):
    return {"S": v}


def cap(units, split=None):
    d = {"CapacityUnits": units}
    if split:
        d[split] = units
    return d


# ---------------------------------------------------------------- capacity

def test_single_item_writes_report_index_units(ddb):
    t = make_table(ddb)
    item = {"p": S("a"), "c": S("1"), "x": S("k")}
    r = ddb.put_item(TableName=t, Item=item, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": t, "CapacityUnits": 3.0, "Table": cap(1.0),
        "GlobalSecondaryIndexes": {"gsi": cap(1.0)}, "LocalSecondaryIndexes": {"lsi": cap(1.0)}}
    # TOTAL: the same total, no breakdown.
    r = ddb.put_item(TableName=t, Item={**item, "y": S("1")}, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": t, "CapacityUnits": 2.0}  # only the ALL GSI changed
    # A non-key attribute the KEYS_ONLY LSI does not project: only the GSI is written.
    r = ddb.update_item(TableName=t, Key={"p": S("a"), "c": S("1")}, UpdateExpression="SET a = :v",
                        ExpressionAttributeValues={":v": S("hi")}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": t, "CapacityUnits": 2.0, "Table": cap(1.0), "GlobalSecondaryIndexes": {"gsi": cap(1.0)}}
    # An index key change: a delete and a put in each index.
    r = ddb.update_item(TableName=t, Key={"p": S("a"), "c": S("1")}, UpdateExpression="SET x = :v",
                        ExpressionAttributeValues={":v": S("j")}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {
        "TableName": t, "CapacityUnits": 5.0, "Table": cap(1.0),
        "GlobalSecondaryIndexes": {"gsi": cap(2.0)}, "LocalSecondaryIndexes": {"lsi": cap(2.0)}}
    r = ddb.delete_item(TableName=t, Key={"p": S("a"), "c": S("1")}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 3.0
    assert r["ConsumedCapacity"]["LocalSecondaryIndexes"] == {"lsi": cap(1.0)}
    # An item without the index key touches no index.
    r = ddb.put_item(TableName=t, Item={"p": S("a"), "c": S("2")}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == {"TableName": t, "CapacityUnits": 1.0, "Table": cap(1.0)}


def test_large_projection_costs_per_started_kilobyte(ddb):
    t = make_table(ddb)
    item = {"p": S("a"), "c": S("1"), "x": S("k"), "filler": S("z" * 2500)}
    r = ddb.put_item(TableName=t, Item=item, ReturnConsumedCapacity="INDEXES")
    # Base item ~2.5 KB: 3 units; the ALL GSI entry too; the KEYS_ONLY LSI entry 1.
    assert r["ConsumedCapacity"] == {
        "TableName": t, "CapacityUnits": 7.0, "Table": cap(3.0),
        "GlobalSecondaryIndexes": {"gsi": cap(3.0)}, "LocalSecondaryIndexes": {"lsi": cap(1.0)}}


def test_batch_write_reports_index_units_per_table(ddb):
    t = make_table(ddb)
    r = ddb.batch_write_item(RequestItems={t: [
        {"PutRequest": {"Item": {"p": S("a"), "c": S("1"), "x": S("k")}}},
        {"PutRequest": {"Item": {"p": S("a"), "c": S("2")}}},
    ]}, ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"] == [{
        "TableName": t, "CapacityUnits": 4.0, "Table": cap(2.0),
        "GlobalSecondaryIndexes": {"gsi": cap(1.0)}, "LocalSecondaryIndexes": {"lsi": cap(1.0)}}]


def test_transaction_charges_index_writes_twice(ddb):
    t = make_table(ddb)
    r = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": t, "Item": {"p": S("a"), "c": S("1"), "x": S("k")}}},
    ], ReturnConsumedCapacity="INDEXES")
    w = "WriteCapacityUnits"
    assert r["ConsumedCapacity"] == [{
        "TableName": t, "CapacityUnits": 6.0, w: 6.0, "Table": cap(2.0, w),
        "GlobalSecondaryIndexes": {"gsi": cap(2.0, w)}, "LocalSecondaryIndexes": {"lsi": cap(2.0, w)}}]
    r = ddb.transact_write_items(TransactItems=[
        {"Update": {"TableName": t, "Key": {"p": S("a"), "c": S("1")}, "UpdateExpression": "SET a = :v",
                    "ExpressionAttributeValues": {":v": S("1")}}},
    ], ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == [{"TableName": t, "CapacityUnits": 4.0, w: 4.0}]


# ---------------------------------------------------------------- metrics

def test_item_collection_metrics_on_every_write(ddb):
    t = make_table(ddb)
    m = {"ItemCollectionKey": {"p": S("a")}, "SizeEstimateRangeGB": [0.0, 1.0]}
    r = ddb.put_item(TableName=t, Item={"p": S("a"), "c": S("1"), "x": S("k")}, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == m
    r = ddb.update_item(TableName=t, Key={"p": S("a"), "c": S("1")}, UpdateExpression="SET y = :v",
                        ExpressionAttributeValues={":v": S("1")}, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == m
    r = ddb.delete_item(TableName=t, Key={"p": S("a"), "c": S("1")}, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == m
    r = ddb.put_item(TableName=t, Item={"p": S("a"), "c": S("1")}, ReturnItemCollectionMetrics="NONE")
    assert "ItemCollectionMetrics" not in r
    r = ddb.batch_write_item(RequestItems={t: [
        {"PutRequest": {"Item": {"p": S("a"), "c": S("2")}}},
        {"PutRequest": {"Item": {"p": S("b"), "c": S("1")}}},
        {"DeleteRequest": {"Key": {"p": S("a"), "c": S("1")}}},
    ]}, ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == {t: [
        {"ItemCollectionKey": {"p": S("a")}, "SizeEstimateRangeGB": [0.0, 1.0]},
        {"ItemCollectionKey": {"p": S("b")}, "SizeEstimateRangeGB": [0.0, 1.0]}]}
    r = ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": t, "Item": {"p": S("c"), "c": S("1")}}},
        {"ConditionCheck": {"TableName": t, "Key": {"p": S("a"), "c": S("2")},
                            "ConditionExpression": "attribute_exists(p)"}},
    ], ReturnItemCollectionMetrics="SIZE")
    assert r["ItemCollectionMetrics"] == {t: [
        {"ItemCollectionKey": {"p": S("c")}, "SizeEstimateRangeGB": [0.0, 1.0]}]}


def test_no_metrics_without_local_indexes(ddb):
    name = unique_name("coll")
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    r = ddb.put_item(TableName=name, Item={"p": S("a")}, ReturnItemCollectionMetrics="SIZE",
                     ReturnConsumedCapacity="INDEXES")
    assert "ItemCollectionMetrics" not in r
    assert r["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0, "Table": cap(1.0)}


# ---------------------------------------------------------------- limit

def big(p, c, pad=3000):
    return {"p": S(p), "c": S(c), "x": S("k" + c), "filler": S("z" * pad)}


def test_collection_size_limit(ddb):
    t = make_table(ddb, lsi_projection="ALL", gsi=False)
    for c in ("1", "2", "3"):  # ~6 KB each in the collection: 3 fit under 20000
        ddb.put_item(TableName=t, Item=big("a", c))
    expect_error(lambda: ddb.put_item(TableName=t, Item=big("a", "4")),
                 "ItemCollectionSizeLimitExceededException", "Collection size exceeded.")
    assert "Item" not in ddb.get_item(TableName=t, Key={"p": S("a"), "c": S("4")}, ConsistentRead=True)
    # Growing an existing item fails too.
    expect_error(lambda: ddb.update_item(TableName=t, Key={"p": S("a"), "c": S("1")},
                                         UpdateExpression="SET more = :v",
                                         ExpressionAttributeValues={":v": S("m" * 2000)}),
                 "ItemCollectionSizeLimitExceededException", "Collection size exceeded.")
    # Other collections are independent; shrinking writes are allowed.
    ddb.put_item(TableName=t, Item=big("b", "1"))
    ddb.update_item(TableName=t, Key={"p": S("a"), "c": S("1")}, UpdateExpression="REMOVE filler")
    ddb.put_item(TableName=t, Item=big("a", "4"))
    # A batch crossing the limit fails whole.
    expect_error(lambda: ddb.batch_write_item(RequestItems={t: [
        {"PutRequest": {"Item": big("c", "1")}},
        {"PutRequest": {"Item": big("a", "5")}},
    ]}), "ItemCollectionSizeLimitExceededException", "Collection size exceeded.")
    assert "Item" not in ddb.get_item(TableName=t, Key={"p": S("c"), "c": S("1")}, ConsistentRead=True)
    # A transaction is cancelled with the reason at the action.
    with pytest.raises(ClientError) as ei:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": t, "Item": big("c", "1")}},
            {"Put": {"TableName": t, "Item": big("a", "5")}},
        ])
    resp = ei.value.response
    assert resp["Error"]["Code"] == "TransactionCanceledException"
    assert resp["Error"]["Message"] == ("Transaction cancelled, please refer cancellation reasons for specific "
                                        "reasons [None, ItemCollectionSizeLimitExceeded]")
    assert resp["CancellationReasons"] == [
        {"Code": "None"}, {"Code": "ItemCollectionSizeLimitExceeded", "Message": "Collection size exceeded."}]
    assert "Item" not in ddb.get_item(TableName=t, Key={"p": S("c"), "c": S("1")}, ConsistentRead=True)
    # Deleting makes room again.
    ddb.delete_item(TableName=t, Key={"p": S("a"), "c": S("2")})
    ddb.put_item(TableName=t, Item=big("a", "5"))


def test_limit_applies_only_to_tables_with_local_indexes(ddb):
    name = unique_name("coll")
    ddb.create_table(TableName=name,
                     KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                           {"AttributeName": "c", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    for c in range(10):  # ~30 KB in one partition, over LIMIT
        ddb.put_item(TableName=name, Item=big("a", str(c)))

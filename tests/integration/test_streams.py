# DynamoDB Streams through boto3's `dynamodbstreams` client: ListStreams,
# DescribeStream, GetShardIterator, GetRecords, record contents per view
# type, no-op writes, transactions, disabling, iterator errors. Runs once per
# storage backend (the `server` fixture).
import time

import boto3
import pytest
from botocore.config import Config

from conftest import DUMMY_KEY, DUMMY_SECRET, REGION, delete_table_quietly, expect_error, unique_name


@pytest.fixture(scope="session")
def streams(server):
    return boto3.client(
        "dynamodbstreams", endpoint_url=server.url, region_name=REGION,
        aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_SECRET,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"},
                      parameter_validation=False, connect_timeout=5, read_timeout=60))


@pytest.fixture
def stream_table(dynamodb):
    created = []

    def make(view="NEW_AND_OLD_IMAGES", range_key=False):
        name = unique_name("st")
        ks = [{"AttributeName": "pk", "KeyType": "HASH"}]
        ad = [{"AttributeName": "pk", "AttributeType": "S"}]
        if range_key:
            ks.append({"AttributeName": "sk", "KeyType": "RANGE"})
            ad.append({"AttributeName": "sk", "AttributeType": "N"})
        d = dynamodb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad,
                                  BillingMode="PAY_PER_REQUEST",
                                  StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
        created.append(name)
        return name, d["TableDescription"]["LatestStreamArn"]

    yield make
    for name in created:
        delete_table_quietly(dynamodb, name)


def shard_of(streams, arn):
    return streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]


def read_all(streams, arn, iterator_type="TRIM_HORIZON", **kw):
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                    ShardIteratorType=iterator_type, **kw)["ShardIterator"]
    out = []
    while it:
        r = streams.get_records(ShardIterator=it)
        out += r["Records"]
        if not r["Records"]:
            break
        it = r.get("NextShardIterator")
    return out


def test_list_and_describe(dynamodb, streams, stream_table):
    name, arn = stream_table("KEYS_ONLY", range_key=True)
    assert arn.startswith(f"arn:aws:dynamodb:{REGION}:000000000000:table/{name}/stream/")
    listed = streams.list_streams(TableName=name)["Streams"]
    label = arn.rsplit("/", 1)[1]
    assert listed == [{"StreamArn": arn, "TableName": name, "StreamLabel": label}]
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] == "ENABLED"
    assert d["StreamViewType"] == "KEYS_ONLY"
    assert d["TableName"] == name
    assert d["StreamLabel"] == label
    assert d["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                              {"AttributeName": "sk", "KeyType": "RANGE"}]
    shard = d["Shards"][0]
    assert shard["ShardId"].startswith("shardId-") and 28 <= len(shard["ShardId"]) <= 65
    assert shard["SequenceNumberRange"]["StartingSequenceNumber"].isdecimal()
    assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]


def test_list_streams_paging(dynamodb, streams, stream_table):
    names = sorted(stream_table("KEYS_ONLY")[0] for _ in range(3))
    seen, start = [], None
    while True:
        kw = {"Limit": 1}
        if start:
            kw["ExclusiveStartStreamArn"] = start
        r = streams.list_streams(**kw)
        assert len(r["Streams"]) <= 1
        seen += [s["TableName"] for s in r["Streams"]]
        start = r.get("LastEvaluatedStreamArn")
        if not start:
            break
    for n in names:
        assert seen.count(n) == 1


def test_records_new_and_old_images(dynamodb, streams, stream_table):
    name, arn = stream_table("NEW_AND_OLD_IMAGES")
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    dynamodb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                         ExpressionAttributeValues={":v": {"N": "2"}})
    dynamodb.delete_item(TableName=name, Key={"pk": {"S": "a"}})
    recs = read_all(streams, arn)
    assert [r["eventName"] for r in recs] == ["INSERT", "MODIFY", "REMOVE"]
    ins, mod, rem = (r["dynamodb"] for r in recs)
    assert ins["Keys"] == {"pk": {"S": "a"}}
    assert ins["NewImage"] == {"pk": {"S": "a"}, "v": {"N": "1"}} and "OldImage" not in ins
    assert mod["OldImage"]["v"] == {"N": "1"} and mod["NewImage"]["v"] == {"N": "2"}
    assert rem["OldImage"]["v"] == {"N": "2"} and "NewImage" not in rem
    seqs = [r["dynamodb"]["SequenceNumber"] for r in recs]
    assert all(s.isdecimal() for s in seqs)
    assert [int(s) for s in seqs] == sorted(int(s) for s in seqs) and len(set(seqs)) == 3
    for r in recs:
        assert r["eventSource"] == "aws:dynamodb" and r["eventVersion"] == "1.1"
        assert r["awsRegion"] == REGION and len(r["eventID"]) == 32
        assert r["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert r["dynamodb"]["SizeBytes"] > 0
        assert "userIdentity" not in r
    assert len({r["eventID"] for r in recs}) == 3


@pytest.mark.parametrize("view,new,old", [("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False),
                                          ("OLD_IMAGE", False, True)])
def test_view_types(dynamodb, streams, stream_table, view, new, old):
    name, arn = stream_table(view)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "k"}, "x": {"S": "1"}})
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "k"}, "x": {"S": "2"}})
    recs = read_all(streams, arn)
    assert [r["eventName"] for r in recs] == ["INSERT", "MODIFY"]
    mod = recs[1]["dynamodb"]
    assert ("NewImage" in mod) == new and ("OldImage" in mod) == old
    assert mod["Keys"] == {"pk": {"S": "k"}}


def test_noop_writes_have_no_record(dynamodb, streams, stream_table):
    name, arn = stream_table("KEYS_ONLY")
    item = {"pk": {"S": "n"}, "s": {"SS": ["a", "b"]}}
    dynamodb.put_item(TableName=name, Item=item)
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "n"}, "s": {"SS": ["b", "a"]}})  # same set
    dynamodb.update_item(TableName=name, Key={"pk": {"S": "n"}}, UpdateExpression="ADD c :z",
                         ExpressionAttributeValues={":z": {"N": "0"}})  # INSERT of c? no: c becomes 0
    dynamodb.update_item(TableName=name, Key={"pk": {"S": "n"}}, UpdateExpression="SET c = :z",
                         ExpressionAttributeValues={":z": {"N": "0"}})  # unchanged
    dynamodb.delete_item(TableName=name, Key={"pk": {"S": "missing"}})
    recs = read_all(streams, arn)
    assert [r["eventName"] for r in recs] == ["INSERT", "MODIFY"]


def test_transaction_one_record_per_item(dynamodb, streams, stream_table):
    name, arn = stream_table("NEW_IMAGE")
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "c"}})
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t1"}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "t2"}}}},
        {"ConditionCheck": {"TableName": name, "Key": {"pk": {"S": "c"}},
                            "ConditionExpression": "attribute_exists(pk)"}},
    ])
    recs = read_all(streams, arn)
    assert [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in recs] == \
        [("INSERT", "c"), ("INSERT", "t1"), ("INSERT", "t2")]
    # The two items of the transaction share a commit: consecutive numbers.
    assert int(recs[2]["dynamodb"]["SequenceNumber"]) == int(recs[1]["dynamodb"]["SequenceNumber"]) + 1


def test_iterator_types(dynamodb, streams, stream_table):
    name, arn = stream_table("KEYS_ONLY")
    for k in "abc":
        dynamodb.put_item(TableName=name, Item={"pk": {"S": k}})
    recs = read_all(streams, arn)
    seq_b = recs[1]["dynamodb"]["SequenceNumber"]
    at = read_all(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=seq_b)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in at] == ["b", "c"]
    after = read_all(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=seq_b)
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in after] == ["c"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                    ShardIteratorType="LATEST")["ShardIterator"]
    r = streams.get_records(ShardIterator=it)
    assert r["Records"] == [] and "NextShardIterator" in r
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "d"}})
    r = streams.get_records(ShardIterator=r["NextShardIterator"], Limit=5)
    assert [x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]] == ["d"]
    # Limit pages.
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_of(streams, arn),
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    r = streams.get_records(ShardIterator=it, Limit=2)
    assert len(r["Records"]) == 2
    r = streams.get_records(ShardIterator=r["NextShardIterator"], Limit=2)
    assert [x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]] == ["c", "d"]


def test_no_stream_no_records_and_disable(dynamodb, streams, stream_table):
    name, arn = stream_table("KEYS_ONLY")
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "1"}})
    dynamodb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    dynamodb.put_item(TableName=name, Item={"pk": {"S": "2"}})  # not recorded
    d = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert d["StreamStatus"] == "DISABLED"
    rng = d["Shards"][0]["SequenceNumberRange"]
    assert rng["EndingSequenceNumber"] == rng["StartingSequenceNumber"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=d["Shards"][0]["ShardId"],
                                    ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    r = streams.get_records(ShardIterator=it)
    assert [x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]] == ["1"]
    assert "NextShardIterator" not in r  # closed shard, drained
    assert streams.list_streams(TableName=name)["Streams"][0]["StreamArn"] == arn


def test_table_without_stream(dynamodb, streams, make_table):
    name = make_table()
    assert streams.list_streams(TableName=name)["Streams"] == []


def test_errors(dynamodb, streams, stream_table):
    name, arn = stream_table("KEYS_ONLY")
    shard = shard_of(streams, arn)
    expect_error(lambda: streams.describe_stream(StreamArn="sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"),
                 "ValidationException", startswith="Invalid StreamArn")
    missing = arn.replace(name, name + "_nope")
    expect_error(lambda: streams.describe_stream(StreamArn=missing), "ResourceNotFoundException",
                 message=f"Requested resource not found: Stream: {missing} not found")
    expect_error(lambda: streams.get_shard_iterator(StreamArn=arn, ShardId="shardId-00000000000000000000-00000000",
                                                    ShardIteratorType="LATEST"),
                 "ResourceNotFoundException", message="Requested resource not found: Shard does not exist")
    expect_error(lambda: streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                                    ShardIteratorType="AT_SEQUENCE_NUMBER"),
                 "ValidationException")
    expect_error(lambda: streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="bulle"),
                 "ValidationException", contains="shardIteratorType")
    expect_error(lambda: streams.get_records(ShardIterator="x" * 60), "ValidationException",
                 startswith="Invalid ShardIterator")
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    for bad in (0, 1001):
        expect_error(lambda: streams.get_records(ShardIterator=it, Limit=bad), "ValidationException",
                     contains="'limit'")
    expect_error(lambda: streams.list_streams(Limit=0), "ValidationException", contains="'limit'")
    tampered = it[:-1] + ("0" if it[-1] != "0" else "1")
    expect_error(lambda: streams.get_records(ShardIterator=tampered), "ValidationException")


def _forge_iterator(arn, position, created_ms):
    # Same layout as the server's: "<arn>|1|" hex(position + created_ms u64 BE)
    # + FNV-1a 32 of arn + payload. The check is no secret, so clients can
    # forge any creation time; the server must reject absurd ones.
    payload = position + (created_ms & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")
    h = 2166136261
    for b in arn.encode() + payload:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return f"{arn}|1|{payload.hex()}{h:08x}"


def test_forged_iterator_creation_time(dynamodb, streams, stream_table):
    name, arn = stream_table("KEYS_ONLY")
    now_ms = int(time.time() * 1000)
    # A well-formed forgery with a sane time is accepted (the layout matches).
    ok = _forge_iterator(arn, bytes(10), now_ms)
    assert streams.get_records(ShardIterator=ok)["Records"] == []
    for created in (-(2 ** 63), -1, now_ms + 3600 * 1000):
        bad = _forge_iterator(arn, bytes(10), created)
        expect_error(lambda: streams.get_records(ShardIterator=bad), "ValidationException",
                     message=f"Invalid ShardIterator: {bad}")

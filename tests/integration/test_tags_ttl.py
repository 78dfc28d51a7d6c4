# Tags, Time to Live, DescribeLimits and DescribeEndpoints over HTTP with
# boto3, against both storage backends.
#
# TTL tests run their own server with a short sweep interval
# (--ttl-interval-ms 200), so an expired item vanishes within a second or
# two; the default interval (5 s) is checked only for being accepted.
import subprocess
import time

import pytest
from conftest import (
    BACKENDS,
    backend_args,
    FDYNO_BIN,
    clean_env,
    client_for,
    create_table_and_wait,
    expect_error,
    raw_request,
    start_server,
    unique_name,
)

SWEEP_MS = 200


def arn_of(client, table):
    return client.describe_table(TableName=table)["Table"]["TableArn"]


def tags_dict(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_of_resource(ResourceArn=arn)["Tags"]}


# ---------------------------------------------------------------- tags


def test_tags_round_trip(dynamodb, make_table):
    table = make_table()
    arn = arn_of(dynamodb, table)
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "test"},
                                                 {"Key": "team", "Value": ""}])
    assert tags_dict(dynamodb, arn) == {"env": "test", "team": ""}
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["team", "never-there"])
    assert tags_dict(dynamodb, arn) == {"env": "prod"}


def test_tag_and_untag_answer_an_empty_body(server, dynamodb, make_table):
    table = make_table()
    arn = arn_of(dynamodb, table)
    r = raw_request(server, {"ResourceArn": arn, "Tags": [{"Key": "k", "Value": "v"}]}, target="TagResource")
    assert (r.status, r.body) == (200, b"")
    r = raw_request(server, {"ResourceArn": arn, "TagKeys": ["k"]}, target="UntagResource")
    assert (r.status, r.body) == (200, b"")


def test_create_table_tags_and_delete_table_removes_them(dynamodb):
    name = unique_name("tagged")
    dynamodb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
                          Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    arn = arn_of(dynamodb, name)
    assert tags_dict(dynamodb, arn) == {"a": "1", "b": "2"}
    dynamodb.delete_table(TableName=name)
    expect_error(lambda: dynamodb.list_tags_of_resource(ResourceArn=arn), "ResourceNotFoundException",
                 f"Requested resource not found: ResourceArn: {arn} not found")
    create_table_and_wait(dynamodb, name, hash_key=("p", "S"))
    try:
        assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    finally:
        dynamodb.delete_table(TableName=name)


def test_create_table_with_too_many_tags_creates_nothing(dynamodb):
    name = unique_name("toomany")
    expect_error(lambda: dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        Tags=[{"Key": str(i), "Value": str(i)} for i in range(51)]),
        "ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn")
    expect_error(lambda: dynamodb.describe_table(TableName=name), "ResourceNotFoundException")


def test_tag_limits_and_messages(dynamodb, make_table):
    table = make_table()
    arn = arn_of(dynamodb, table)
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": str(i), "Value": "v"} for i in range(30)])
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": str(i), "Value": "w"} for i in range(20, 50)])
    assert len(tags_dict(dynamodb, arn)) == 50
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "new", "Value": "v"}]),
                 "ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn")
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "0", "Value": "again"}])  # existing key at 50: fine
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=arn, Tags=[]), "ValidationException",
                 "Atleast one Tag needs to be provided as Input.")
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "x" * 129, "Value": "v"}]),
                 "ValidationException", "The Tag Key provided is invalid, Key: " + "x" * 129)
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "a,b"}]),
                 "ValidationException", "The Tag Value provided is invalid, Value: a,b")
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "d", "Value": "1"},
                                                                      {"Key": "d", "Value": "2"}]),
                 "ValidationException", "Duplicate Tag Keys provided as input: Duplicate Tag Key found d")
    expect_error(lambda: dynamodb.untag_resource(ResourceArn=arn, TagKeys=[]), "ValidationException",
                 "Atleast one Tag Key needs to be provided as Input.")


def test_arn_forms(dynamodb, make_table):
    table = make_table()
    arn = arn_of(dynamodb, table)
    expect_error(lambda: dynamodb.list_tags_of_resource(ResourceArn=table), "ValidationException",
                 f"One or more parameter values were invalid: ARNs must start with 'arn:': {table}")
    foreign = arn.replace(":000000000000:", ":123456789012:")
    expect_error(lambda: dynamodb.list_tags_of_resource(ResourceArn=foreign), "AccessDeniedException",
                 "Access is denied")
    index_arn = arn + "/index/gsi"
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=index_arn, Tags=[{"Key": "k", "Value": "v"}]),
                 "ValidationException", f"Invalid TableArn: Invalid ResourceArn provided as input {index_arn}")
    expect_error(lambda: dynamodb.tag_resource(ResourceArn=arn + "x", Tags=[{"Key": "k", "Value": "v"}]),
                 "ResourceNotFoundException", f"Requested resource not found: ResourceArn: {arn}x not found")


# ---------------------------------------------------------------- service


def test_describe_limits(dynamodb):
    r = dynamodb.describe_limits()
    r.pop("ResponseMetadata")
    assert r == {"AccountMaxReadCapacityUnits": 80000, "AccountMaxWriteCapacityUnits": 80000,
                 "TableMaxReadCapacityUnits": 40000, "TableMaxWriteCapacityUnits": 40000}


def test_describe_endpoints_points_back_at_this_server(server, dynamodb):
    eps = dynamodb.describe_endpoints()["Endpoints"]
    assert eps == [{"Address": f"127.0.0.1:{server.port}", "CachePeriodInMinutes": 1440}]
    # The address is usable as is (no scheme), as DynamoDB's is.
    client_for("http://" + eps[0]["Address"]).describe_endpoints()


# ---------------------------------------------------------------- TTL


@pytest.fixture(scope="module", params=BACKENDS)
def ttl_server(request, tmp_path_factory):
    args = ["--ttl-interval-ms", str(SWEEP_MS)] + backend_args(request, request.param,
                                                              tmp_path_factory.mktemp("fdyno-ttl-data"))
    srv = start_server(args, log_dir=tmp_path_factory.mktemp("fdyno-ttl-logs"))
    srv.backend = request.param
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ttl_client(ttl_server):
    return client_for(ttl_server)


def wait_until(pred, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def test_update_and_describe_time_to_live(ttl_client):
    c = ttl_client
    table = unique_name("ttl")
    create_table_and_wait(c, table, hash_key=("p", "S"))
    assert c.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    spec = {"AttributeName": "expires", "Enabled": True}
    assert c.update_time_to_live(TableName=table, TimeToLiveSpecification=spec)["TimeToLiveSpecification"] == spec
    assert c.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}
    expect_error(lambda: c.update_time_to_live(TableName=table, TimeToLiveSpecification=spec),
                 "ValidationException", "TimeToLive is already enabled")
    expect_error(lambda: c.update_time_to_live(TableName=table, TimeToLiveSpecification={
        "AttributeName": "other", "Enabled": False}), "ValidationException",
        "TimeToLive is active on a different AttributeName: current AttributeName is expires")
    c.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "expires", "Enabled": False})
    expect_error(lambda: c.update_time_to_live(TableName=table, TimeToLiveSpecification={
        "AttributeName": "expires", "Enabled": False}), "ValidationException", "TimeToLive is already disabled")
    expect_error(lambda: c.update_time_to_live(TableName=table, TimeToLiveSpecification={
        "AttributeName": "", "Enabled": True}), "ValidationException",
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1")
    expect_error(lambda: c.describe_time_to_live(TableName="nope_" + table), "ResourceNotFoundException",
                 f"Requested resource not found: Table: nope_{table} not found")
    c.delete_table(TableName=table)


def test_expired_items_vanish_with_their_index_entries(ttl_client):
    c = ttl_client
    table = unique_name("ttlgsi")
    c.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                   KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"},
                                         {"AttributeName": "g", "AttributeType": "S"}],
                   GlobalSecondaryIndexes=[{"IndexName": "by_g",
                                            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                            "Projection": {"ProjectionType": "ALL"}}])
    c.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "exp", "Enabled": True})
    now = int(time.time())
    items = {
        "past": {"N": str(now - 60)},
        "past_fraction": {"N": f"{now - 60}.25"},
        "past_exponent": {"N": f"{(now - 60) // 10}e1"},
        "soon": {"N": str(now + 2)},
        "future": {"N": str(now + 3600)},
        "string": {"S": str(now - 60)},
        "ancient": {"N": "162777600"},  # more than five years ago: ignored, as DynamoDB does
        "missing": None,
    }
    for p, exp in items.items():
        item = {"p": {"S": p}, "g": {"S": "G"}}
        if exp is not None:
            item["exp"] = exp
        c.put_item(TableName=table, Item=item)

    def index_keys():
        r = c.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                    ExpressionAttributeValues={":g": {"S": "G"}})
        return sorted(i["p"]["S"] for i in r["Items"])

    survivors = ["ancient", "future", "missing", "string"]
    assert wait_until(lambda: index_keys() == survivors, timeout=15), index_keys()
    for p in survivors:
        assert "Item" in c.get_item(TableName=table, Key={"p": {"S": p}}, ConsistentRead=True)
    for p in ["past", "past_fraction", "past_exponent", "soon"]:
        assert "Item" not in c.get_item(TableName=table, Key={"p": {"S": p}}, ConsistentRead=True)
    desc = c.describe_table(TableName=table)["Table"]
    assert desc["ItemCount"] == 4
    assert desc["GlobalSecondaryIndexes"][0]["ItemCount"] == 4
    c.delete_table(TableName=table)


def test_ttl_on_a_key_attribute_and_disabling_stops_expiry(ttl_client):
    c = ttl_client
    table = unique_name("ttlkey")
    create_table_and_wait(c, table, hash_key=("p", "N"))
    c.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "p", "Enabled": True})
    now = int(time.time())
    c.put_item(TableName=table, Item={"p": {"N": str(now - 30)}})
    c.put_item(TableName=table, Item={"p": {"N": str(now + 3600)}})
    assert wait_until(lambda: "Item" not in c.get_item(TableName=table, Key={"p": {"N": str(now - 30)}}))
    assert "Item" in c.get_item(TableName=table, Key={"p": {"N": str(now + 3600)}})

    c.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "p", "Enabled": False})
    c.put_item(TableName=table, Item={"p": {"N": str(now - 40)}})
    time.sleep(SWEEP_MS * 4 / 1000)
    assert "Item" in c.get_item(TableName=table, Key={"p": {"N": str(now - 40)}})
    c.delete_table(TableName=table)


def test_ttl_and_tags_survive_a_restart(persistent_store):
    args = persistent_store + ["--ttl-interval-ms", str(SWEEP_MS)]
    srv = start_server(args)
    table = unique_name("ttlrestart")
    try:
        c = client_for(srv)
        create_table_and_wait(c, table, hash_key=("p", "S"))
        c.update_time_to_live(TableName=table, TimeToLiveSpecification={"AttributeName": "e", "Enabled": True})
        arn = arn_of(c, table)
        c.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    finally:
        srv.stop()
    srv = start_server(args)
    try:
        c = client_for(srv)
        assert c.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {
            "TimeToLiveStatus": "ENABLED", "AttributeName": "e"}
        assert tags_dict(c, arn) == {"k": "v"}
        c.put_item(TableName=table, Item={"p": {"S": "x"}, "e": {"N": str(int(time.time()) - 5)}})
        assert wait_until(lambda: "Item" not in c.get_item(TableName=table, Key={"p": {"S": "x"}}))
    finally:
        srv.stop()


def test_ttl_interval_setting_is_validated():
    r = subprocess.run([FDYNO_BIN, "serve", "--in-memory", "--listen", "127.0.0.1:1", "--ttl-interval-ms", "-5"],
                       capture_output=True, text=True, env=clean_env(), timeout=10)
    assert r.returncode != 0
    assert "ttl-interval-ms" in (r.stdout + r.stderr)
    r = subprocess.run([FDYNO_BIN, "serve", "--in-memory", "--listen", "127.0.0.1:1"], capture_output=True,
                       text=True, env=clean_env({"FDYNO_TTL_INTERVAL_MS": "soon"}), timeout=10)
    assert r.returncode == 2
    assert "FDYNO_TTL_INTERVAL_MS: expected a number, got 'soon'" in r.stderr

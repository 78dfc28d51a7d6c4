# Attribute name limits, through boto3 against a real server.
#
# DynamoDB's rules (AWS "Service, account, and table quotas in Amazon
# DynamoDB" and the API model):
#   - a non-key attribute name is 1..65535 bytes; 65536 bytes is refused with
#     "1 validation error detected: Attribute name is too large, must be less
#     than 65536 bytes" (captured from the service), wherever the name comes
#     from (Item, nested map keys, AttributeUpdates, AttributesToGet,
#     ExpressionAttributeNames);
#   - an empty name is refused: "Empty attribute name" (bare for items and
#     legacy parameters; best inference) and "ExpressionAttributeNames
#     contains invalid value: Empty attribute name for key #n" (captured);
#   - key attribute names (KeySchema, AttributeDefinitions, index key
#     schemas, projected NonKeyAttributes) are 1..255 characters: Coral
#     constraint errors, reported before any KeySchema/AttributeDefinitions
#     consistency check.
import pytest

from conftest import delete_table_quietly, expect_error, unique_name

TOO_LARGE = "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"
EMPTY = "Empty attribute name"


def too_long_key(value, path):
    return (f"Value '{value}' at '{path}' failed to satisfy constraint: "
            "Member must have length less than or equal to 255")


def create_args(name, defs, keys, **extra):
    args = {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in defs],
        "KeySchema": [{"AttributeName": n, "KeyType": t} for n, t in keys],
        "BillingMode": "PAY_PER_REQUEST",
    }
    args.update(extra)
    return args


# ---- non-key names ----

def test_nonkey_name_of_65535_bytes_works_everywhere(dynamodb, hash_table):
    n = "a" * 65535
    key = {"pk": {"S": "long-name-ok"}}
    dynamodb.put_item(TableName=hash_table, Item={**key, n: {"N": "1"}})
    got = dynamodb.get_item(TableName=hash_table, Key=key, AttributesToGet=[n], ConsistentRead=True)
    assert got["Item"] == {n: {"N": "1"}}
    dynamodb.update_item(TableName=hash_table, Key=key, AttributeUpdates={n: {"Value": {"N": "5"}, "Action": "PUT"}})
    dynamodb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET #n = #n + :one",
                         ConditionExpression="#n = :five", ExpressionAttributeNames={"#n": n},
                         ExpressionAttributeValues={":one": {"N": "1"}, ":five": {"N": "5"}})
    got = dynamodb.get_item(TableName=hash_table, Key=key, ProjectionExpression="#n",
                            ExpressionAttributeNames={"#n": n}, ConsistentRead=True)
    assert got["Item"] == {n: {"N": "6"}}


def test_nonkey_name_of_65536_bytes_is_refused(dynamodb, hash_table):
    n = "b" * 65536
    key = {"pk": {"S": "long-name-bad"}}
    calls = [
        lambda: dynamodb.put_item(TableName=hash_table, Item={**key, n: {"N": "1"}}),
        lambda: dynamodb.put_item(TableName=hash_table, Item={**key, "m": {"M": {n: {"S": "x"}}}}),
        lambda: dynamodb.get_item(TableName=hash_table, Key=key, ProjectionExpression="#n",
                                  ExpressionAttributeNames={"#n": n}),
        lambda: dynamodb.get_item(TableName=hash_table, Key=key, AttributesToGet=[n]),
        lambda: dynamodb.update_item(TableName=hash_table, Key=key,
                                     AttributeUpdates={n: {"Value": {"N": "2"}, "Action": "PUT"}}),
        lambda: dynamodb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET #n = :v",
                                     ExpressionAttributeNames={"#n": n},
                                     ExpressionAttributeValues={":v": {"N": "3"}}),
        lambda: dynamodb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET a = :v",
                                     ConditionExpression="#n = :v", ExpressionAttributeNames={"#n": n},
                                     ExpressionAttributeValues={":v": {"N": "1"}}),
    ]
    for call in calls:
        expect_error(call, "ValidationException", TOO_LARGE)
    assert "Item" not in dynamodb.get_item(TableName=hash_table, Key=key, ConsistentRead=True)


def test_empty_nonkey_name_is_refused(dynamodb, hash_table):
    key = {"pk": {"S": "empty-name"}}
    ean = "ExpressionAttributeNames contains invalid value: Empty attribute name for key #name"
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={**key, "": {"N": "1"}}),
                 "ValidationException", EMPTY)
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key=key, ProjectionExpression="#name",
                                           ExpressionAttributeNames={"#name": ""}),
                 "ValidationException", ean)
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key=key, AttributesToGet=[""]),
                 "ValidationException", EMPTY)
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key=key,
                                              AttributeUpdates={"": {"Value": {"N": "2"}, "Action": "PUT"}}),
                 "ValidationException", EMPTY)
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET #name = :v",
                                              ExpressionAttributeNames={"#name": ""},
                                              ExpressionAttributeValues={":v": {"N": "3"}}),
                 "ValidationException", ean)
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key=key, UpdateExpression="SET a = :v",
                                              ConditionExpression="#name = :v",
                                              ExpressionAttributeNames={"#name": ""},
                                              ExpressionAttributeValues={":v": {"N": "1"}}),
                 "ValidationException", ean)
    assert "Item" not in dynamodb.get_item(TableName=hash_table, Key=key, ConsistentRead=True)


# ---- key names ----

def test_key_names_of_255_characters_work(dynamodb):
    a, b, c = "a" * 255, "b" * 255, "c" * 255
    name = unique_name("keyname")
    dynamodb.create_table(**create_args(
        name, [a, b, c], [(a, "HASH"), (b, "RANGE")],
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": c, "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}]))
    try:
        dynamodb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1})
        item = {a: {"S": "hi"}, b: {"S": "ho"}, c: {"S": "dog"}}
        dynamodb.put_item(TableName=name, Item=item)
        got = dynamodb.get_item(TableName=name, Key={a: {"S": "hi"}, b: {"S": "ho"}}, ConsistentRead=True)
        assert got["Item"] == item
    finally:
        delete_table_quietly(dynamodb, name)


@pytest.mark.parametrize("defs_long, keys_long", [(True, True), (False, True), (True, False)])
def test_key_name_over_255_is_a_constraint_error(dynamodb, defs_long, keys_long):
    n = "k" * 256
    short = "incoherent-short-name"
    d = n if defs_long else short
    k = n if keys_long else short
    expected = []
    if defs_long:
        expected.append(too_long_key(n, "attributeDefinitions.1.member.attributeName"))
    if keys_long:
        expected.append(too_long_key(n, "keySchema.1.member.attributeName"))
    count = f"{len(expected)} validation error{'s' if len(expected) > 1 else ''} detected: "
    expect_error(lambda: dynamodb.create_table(**create_args(unique_name(), [d], [(k, "HASH")])),
                 "ValidationException", count + "; ".join(expected))


def test_index_key_and_projection_names_over_255(dynamodb):
    n = "i" * 256
    base_defs = ["a", "b"]
    keys = [("a", "HASH"), ("b", "RANGE")]
    expect_error(lambda: dynamodb.create_table(**create_args(
        unique_name(), base_defs + ["short"], keys,
        LocalSecondaryIndexes=[{"IndexName": "lsi",
                                "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"},
                                              {"AttributeName": n, "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])),
        "ValidationException",
        "1 validation error detected: " +
        too_long_key(n, "localSecondaryIndexes.1.member.keySchema.2.member.attributeName"))
    expect_error(lambda: dynamodb.create_table(**create_args(
        unique_name(), base_defs + ["c"], keys,
        GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": [{"AttributeName": "c", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": [n]}}])),
        "ValidationException",
        f"1 validation error detected: Value '[{n}]' at 'globalSecondaryIndexes.1.member.projection."
        "nonKeyAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must have "
        "length less than or equal to 255, Member must have length greater than or equal to 1]")


def test_update_table_index_key_name_over_255(dynamodb, hash_table):
    n = "u" * 256
    path = "globalSecondaryIndexUpdates.1.member.create.keySchema.1.member.attributeName"
    expect_error(lambda: dynamodb.update_table(
        TableName=hash_table,
        AttributeDefinitions=[{"AttributeName": "incoherent-short-name", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "hello",
                                                 "KeySchema": [{"AttributeName": n, "KeyType": "HASH"}],
                                                 "Projection": {"ProjectionType": "ALL"}}}]),
        "ValidationException", "1 validation error detected: " + too_long_key(n, path))

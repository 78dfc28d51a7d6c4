# UpdateItem through boto3 against a real fdyno server (both backends):
# UpdateExpression semantics, key protection, item creation rules, size
# limit, ReturnValues, legacy AttributeUpdates. Exact texts are DynamoDB's
# (nubo-db/dynamodb-conformance tier3 error-messages, dynalite, Alternator).
import uuid

import pytest

from conftest import expect_error

KEY_UPDATE = ("One or more parameter values were invalid: Cannot update attribute {}. "
              "This attribute is part of the key")


def key():
    return {"S": uuid.uuid4().hex}


def get(dynamodb, table, k):
    return dynamodb.get_item(TableName=table, Key={"pk": k}, ConsistentRead=True).get("Item")


def test_update_creates_and_merges(dynamodb, hash_table):
    k = key()
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :v, b = :w",
                             ExpressionAttributeValues={":v": {"N": "1"}, ":w": {"S": "x"}})
    assert "Attributes" not in r
    assert get(dynamodb, hash_table, k) == {"pk": k, "a": {"N": "1"}, "b": {"S": "x"}}
    dynamodb.update_item(TableName=hash_table, Key={"pk": k},
                         UpdateExpression="SET a = a + :v REMOVE b ADD s :s",
                         ExpressionAttributeValues={":v": {"N": "2"}, ":s": {"SS": ["q"]}})
    assert get(dynamodb, hash_table, k) == {"pk": k, "a": {"N": "3"}, "s": {"SS": ["q"]}}


def test_update_without_actions_creates_key_only_item(dynamodb, hash_table):
    k = key()
    dynamodb.update_item(TableName=hash_table, Key={"pk": k})
    assert get(dynamodb, hash_table, k) == {"pk": k}


def test_remove_only_update_does_not_create(dynamodb, hash_table):
    k = key()
    dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="REMOVE a")
    assert get(dynamodb, hash_table, k) is None
    dynamodb.update_item(TableName=hash_table, Key={"pk": k}, AttributeUpdates={"a": {"Action": "DELETE"}})
    assert get(dynamodb, hash_table, k) is None


def test_key_attributes_cannot_be_updated(dynamodb, hash_table, hash_range_table):
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": key()}, UpdateExpression="SET pk = :v",
                                              ExpressionAttributeValues={":v": {"S": "x"}}),
                 "ValidationException", KEY_UPDATE.format("pk"))
    expect_error(lambda: dynamodb.update_item(TableName=hash_range_table, Key={"pk": key(), "sk": {"N": "1"}},
                                              UpdateExpression="REMOVE sk"),
                 "ValidationException", KEY_UPDATE.format("sk"))
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": key()},
                                              AttributeUpdates={"pk": {"Value": {"S": "x"}}}),
                 "ValidationException", KEY_UPDATE.format("pk"))


def test_update_errors(dynamodb, hash_table):
    k = key()
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = b"),
                 "ValidationException",
                 "The provided expression refers to an attribute that does not exist in the item")
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression=""),
                 "ValidationException", "Invalid UpdateExpression: The expression can not be empty;")
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :v"),
                 "ValidationException",
                 "Invalid UpdateExpression: An expression attribute value used in expression is not defined; "
                 "attribute value: :v")
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :v",
                                              ExpressionAttributeValues={":v": {"S": "x"}},
                                              AttributeUpdates={"a": {"Value": {"S": "x"}, "Action": "PUT"}}),
                 "ValidationException",
                 "Can not use both expression and non-expression parameters in the same request: Non-expression "
                 "parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}")
    expect_error(lambda: dynamodb.update_item(TableName="no_such_table_x", Key={"pk": k},
                                              UpdateExpression="REMOVE a"),
                 "ResourceNotFoundException", "Requested resource not found")
    assert get(dynamodb, hash_table, k) is None


def test_item_size_limit_after_update(dynamodb, hash_table):
    k = key()
    big = "x" * (300 * 1024)
    dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :v",
                         ExpressionAttributeValues={":v": {"S": big}})
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET b = :v",
                                              ExpressionAttributeValues={":v": {"S": big}}),
                 "ValidationException", "Item size to update has exceeded the maximum allowed size")
    assert set(get(dynamodb, hash_table, k)) == {"pk", "a"}


@pytest.mark.parametrize("rv,expected", [
    ("NONE", None),
    ("ALL_OLD", {"a": {"N": "1"}, "b": {"N": "2"}}),
    ("UPDATED_OLD", {"a": {"N": "1"}}),
    ("ALL_NEW", {"a": {"N": "9"}, "b": {"N": "2"}, "c": {"N": "9"}}),
    ("UPDATED_NEW", {"a": {"N": "9"}, "c": {"N": "9"}}),
])
def test_return_values(dynamodb, hash_table, rv, expected):
    k = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": k, "a": {"N": "1"}, "b": {"N": "2"}})
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :v, c = :v",
                             ExpressionAttributeValues={":v": {"N": "9"}}, ReturnValues=rv)
    if expected is None:
        assert "Attributes" not in r
    else:
        if rv.startswith("ALL"):
            expected = dict(expected, pk=k)
        assert r["Attributes"] == expected


def test_updated_values_empty_projection_has_no_attributes(dynamodb, hash_table):
    k = key()
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :v",
                             ExpressionAttributeValues={":v": {"N": "1"}}, ReturnValues="UPDATED_OLD")
    assert "Attributes" not in r
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="REMOVE a",
                             ReturnValues="UPDATED_NEW")
    assert "Attributes" not in r
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET m = :m",
                             ExpressionAttributeValues={":m": {"M": {"x": {"L": [{"N": "1"}, {"N": "2"}]}}}},
                             ReturnValues="UPDATED_NEW")
    assert r["Attributes"] == {"m": {"M": {"x": {"L": [{"N": "1"}, {"N": "2"}]}}}}
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET m.x[1] = :v",
                             ExpressionAttributeValues={":v": {"N": "7"}}, ReturnValues="UPDATED_OLD")
    assert r["Attributes"] == {"m": {"M": {"x": {"L": [{"N": "2"}]}}}}


def test_legacy_attribute_updates(dynamodb, hash_table):
    k = key()
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": k},
                             AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "5"}},
                                               "s": {"Action": "PUT", "Value": {"S": "v"}}},
                             ReturnValues="ALL_NEW")
    assert r["Attributes"] == {"pk": k, "n": {"N": "5"}, "s": {"S": "v"}}
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k},
                                              AttributeUpdates={"s": {"Action": "ADD", "Value": {"N": "1"}}}),
                 "ValidationException", "Type mismatch for attribute to update")
    dynamodb.update_item(TableName=hash_table, Key={"pk": k}, AttributeUpdates={"s": {"Action": "DELETE"}})
    assert get(dynamodb, hash_table, k) == {"pk": k, "n": {"N": "5"}}


def test_consumed_capacity(dynamodb, hash_table):
    r = dynamodb.update_item(TableName=hash_table, Key={"pk": key()}, UpdateExpression="SET a = :v",
                             ExpressionAttributeValues={":v": {"N": "1"}}, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": hash_table, "CapacityUnits": 1.0}


NESTING_TOO_DEEP = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested "
                    "levels beyond supported limit")


def nested_map(wraps):
    """`wraps` single-member maps {"m": ...} around a string: 31 wraps put the
    leaf at level 32, the deepest DynamoDB stores."""
    v = {"S": "leaf"}
    for _ in range(wraps):
        v = {"M": {"m": v}}
    return v


def test_update_cannot_build_an_item_deeper_than_32_levels(dynamodb, make_table):
    """Issue 8, defect 1: `SET a.m.(30 times).z = a` on a 32-level map built a
    63-level value; the update answered 200 and, after a second one, the item
    could never be read again (500 on GetItem, Query, Scan, BatchGetItem,
    PartiQL; a GSI added later stayed CREATING). Every written item must obey
    the 32-level limit, with the ValidationException PutItem gives."""
    table = make_table()
    k = {"S": "deep"}
    dynamodb.put_item(TableName=table, Item={"pk": k, "a": nested_map(31), "g": {"S": "x"}})
    path = "a" + ".m" * 30 + ".z"
    for _ in range(2):
        expect_error(lambda: dynamodb.update_item(TableName=table, Key={"pk": k},
                                                  UpdateExpression=f"SET {path} = a"),
                     "ValidationException", NESTING_TOO_DEEP)
    # list_append builds values too: a list at level 32 cannot hold members.
    expect_error(lambda: dynamodb.update_item(
        TableName=table, Key={"pk": k}, UpdateExpression=f"SET {path} = list_append(:one, :two)",
        ExpressionAttributeValues={":one": {"L": []}, ":two": {"L": [{"S": "x"}]}}),
        "ValidationException", NESTING_TOO_DEEP)
    # A value just within the limit is still accepted: z at level 32 is a leaf.
    dynamodb.update_item(TableName=table, Key={"pk": k}, UpdateExpression=f"SET {path} = :s",
                         ExpressionAttributeValues={":s": {"S": "ok"}})
    # Nothing unreadable was stored: every read path still serves the item.
    item = dynamodb.get_item(TableName=table, Key={"pk": k}, ConsistentRead=True)["Item"]
    leaf = item["a"]
    for _ in range(30):
        leaf = leaf["M"]["m"]
    assert leaf["M"]["z"] == {"S": "ok"}
    assert dynamodb.scan(TableName=table, Select="COUNT")["Count"] == 1
    assert dynamodb.query(TableName=table, KeyConditionExpression="pk = :k",
                          ExpressionAttributeValues={":k": k})["Count"] == 1
    got = dynamodb.batch_get_item(RequestItems={table: {"Keys": [{"pk": k}]}})["Responses"][table]
    assert len(got) == 1
    rows = dynamodb.execute_statement(Statement=f'SELECT pk FROM "{table}"')["Items"]
    assert rows == [{"pk": k}]
    # A transaction that writes a too deep value cancels with a ValidationError
    # reason carrying the same text (dynamodb-conformance, 30 of 33 regions).
    err = expect_error(lambda: dynamodb.transact_write_items(TransactItems=[{"Update": {
        "TableName": table, "Key": {"pk": k}, "UpdateExpression": f"SET {path} = a"}}]),
        "TransactionCanceledException")
    reasons = err.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["ValidationError"]
    assert reasons[0]["Message"] == NESTING_TOO_DEEP

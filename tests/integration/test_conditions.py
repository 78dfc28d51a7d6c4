# ConditionExpression / Expected on PutItem, UpdateItem, DeleteItem, GetItem
# projections, expression parameter validation, and concurrent conditional
# increments (the condition is checked in the write's own transaction).
import threading
import uuid

from conftest import client_for, expect_error, raw_request

CCF = "The conditional request failed"


def key():
    return {"S": uuid.uuid4().hex}


def test_put_condition(server, dynamodb, hash_table):
    k = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": k, "a": {"S": "1"}},
                      ConditionExpression="attribute_not_exists(pk)")
    err = expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": k},
                                                 ConditionExpression="attribute_not_exists(pk)"),
                       "ConditionalCheckFailedException", CCF)
    assert "Item" not in err.response
    # The system's botocore predates ReturnValuesOnConditionCheckFailure: raw request.
    r = raw_request(server, {"TableName": hash_table, "Item": {"pk": k},
                             "ConditionExpression": "attribute_not_exists(pk)",
                             "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, target="PutItem")
    assert r.status == 400
    assert r.json() == {"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                        "message": CCF, "Item": {"pk": k, "a": {"S": "1"}}}
    r = dynamodb.put_item(TableName=hash_table, Item={"pk": k, "a": {"S": "2"}}, ConditionExpression="a = :v",
                          ExpressionAttributeValues={":v": {"S": "1"}}, ReturnValues="ALL_OLD")
    assert r["Attributes"] == {"pk": k, "a": {"S": "1"}}


def test_update_and_delete_conditions(dynamodb, hash_table):
    k = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": k, "n": {"N": "1"}})
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET n = :v",
                                              ConditionExpression="n > :v", ExpressionAttributeValues={":v": {"N": "5"}}),
                 "ConditionalCheckFailedException", CCF)
    expect_error(lambda: dynamodb.delete_item(TableName=hash_table, Key={"pk": k}, ConditionExpression="#n <> :v",
                                              ExpressionAttributeNames={"#n": "n"},
                                              ExpressionAttributeValues={":v": {"N": "1"}}),
                 "ConditionalCheckFailedException", CCF)
    # Legacy Expected goes through the same path.
    expect_error(lambda: dynamodb.delete_item(TableName=hash_table, Key={"pk": k},
                                              Expected={"n": {"Value": {"N": "2"}}}),
                 "ConditionalCheckFailedException", CCF)
    dynamodb.delete_item(TableName=hash_table, Key={"pk": k}, Expected={"n": {"Value": {"N": "1"}}})
    assert "Item" not in dynamodb.get_item(TableName=hash_table, Key={"pk": k})


def test_expression_parameter_validation(dynamodb, hash_table):
    k = key()
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": k},
                                           ExpressionAttributeValues={":a": {"S": "x"}}),
                 "ValidationException",
                 "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null")
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": k}, ConditionExpression="a = :a",
                                           ExpressionAttributeValues={":a": {"S": "x"}, ":unused": {"S": "y"}}),
                 "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}")
    expect_error(lambda: dynamodb.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET a = :a",
                                              ExpressionAttributeValues={":a": {"S": "x"}},
                                              ExpressionAttributeNames={"#unused": "u"}),
                 "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}")
    expect_error(lambda: dynamodb.delete_item(TableName=hash_table, Key={"pk": k}, ConditionExpression="a = :a",
                                              ExpressionAttributeValues={}),
                 "ValidationException", "ExpressionAttributeValues must not be empty")
    expect_error(lambda: dynamodb.delete_item(TableName=hash_table, Key={"pk": k}, ReturnValues="ALL_NEW"),
                 "ValidationException", "ReturnValues can only be ALL_OLD or NONE")
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": k}, ReturnValues="UPDATED_NEW"),
                 "ValidationException", "ReturnValues can only be ALL_OLD or NONE")


def test_get_item_projection(dynamodb, hash_table):
    k = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": k, "a": {"N": "1"}, "b": {"S": "x"},
                                                  "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}})
    r = dynamodb.get_item(TableName=hash_table, Key={"pk": k}, ProjectionExpression="a, m.y, #b",
                          ExpressionAttributeNames={"#b": "b"})
    assert r["Item"] == {"a": {"N": "1"}, "b": {"S": "x"}, "m": {"M": {"y": {"N": "2"}}}}
    assert dynamodb.get_item(TableName=hash_table, Key={"pk": k}, ProjectionExpression="zz")["Item"] == {}
    r = dynamodb.get_item(TableName=hash_table, Key={"pk": k}, AttributesToGet=["a", "pk"])
    assert r["Item"] == {"a": {"N": "1"}, "pk": k}
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": k}, ProjectionExpression="a",
                                           AttributesToGet=["a"]),
                 "ValidationException",
                 "Can not use both expression and non-expression parameters in the same request: "
                 "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")


def test_concurrent_conditional_increments(server, hash_table):
    """8 clients x 500 compare-and-set increments: every success must be
    counted exactly once, so the final value is exactly 4000."""
    threads_n, per_thread = 8, 500
    k = key()
    setup = client_for(server)
    setup.put_item(TableName=hash_table, Item={"pk": k, "n": {"N": "0"}})
    errors = []

    def worker():
        c = client_for(server)
        done = 0
        try:
            while done < per_thread:
                cur = c.get_item(TableName=hash_table, Key={"pk": k}, ConsistentRead=True)["Item"]["n"]["N"]
                try:
                    c.update_item(TableName=hash_table, Key={"pk": k}, UpdateExpression="SET n = n + :one",
                                  ConditionExpression="n = :old",
                                  ExpressionAttributeValues={":one": {"N": "1"}, ":old": {"N": cur}})
                    done += 1
                except c.exceptions.ConditionalCheckFailedException:
                    pass
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = setup.get_item(TableName=hash_table, Key={"pk": k}, ConsistentRead=True)["Item"]["n"]["N"]
    assert final == str(threads_n * per_thread)

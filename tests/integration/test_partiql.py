# PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction
# against a real server through boto3 (behaviour from the AWS PartiQL
# reference: ql-reference.select/insert/update/delete and the three API
# references).
import json

import pytest

from conftest import expect_error, raw_request, unique_name

SYNTAX = "Statement wasn't well formed, can't be processed: "


def stmt(dynamodb, text, params=None, **kw):
    args = {"Statement": text, **kw}
    if params is not None:
        args["Parameters"] = params
    return dynamodb.execute_statement(**args)


def get(dynamodb, table, key):
    return dynamodb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


@pytest.fixture
def composite(make_table, dynamodb):
    t = make_table(range_key=("sk", "N"))
    for sk in range(1, 8):
        dynamodb.put_item(TableName=t, Item={"pk": {"S": "p"}, "sk": {"N": str(sk)},
                                             "v": {"N": str(sk * 10)}, "tag": {"S": "t%d" % (sk % 2)}})
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "other"}, "sk": {"N": "1"}, "v": {"N": "5"}})
    return t


def test_insert_select_roundtrip_with_all_literal_types(dynamodb, hash_table):
    pk = unique_name("pq")
    stmt(dynamodb, f"""INSERT INTO "{hash_table}" VALUE {{'pk': '{pk}', 'n': 1.50, 'neg': -3, 'b': true,
        'z': null, 'l': [1, 'x'], 'ss': <<'b', 'a'>>, 'ns': <<1, 2>>, 'm': {{'k': 'v'}}}}""")
    item = get(dynamodb, hash_table, {"pk": {"S": pk}})
    assert item == {
        "pk": {"S": pk}, "n": {"N": "1.5"}, "neg": {"N": "-3"}, "b": {"BOOL": True}, "z": {"NULL": True},
        "l": {"L": [{"N": "1"}, {"S": "x"}]}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]},
        "m": {"M": {"k": {"S": "v"}}},
    }
    r = stmt(dynamodb, f'SELECT * FROM "{hash_table}" WHERE pk = ?', [{"S": pk}])
    assert r["Items"] == [item]
    assert "NextToken" not in r


def test_insert_duplicate_fails(dynamodb, hash_table):
    pk = unique_name("pq")
    stmt(dynamodb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': ?, 'a': 1}}", [{"S": pk}])
    expect_error(lambda: stmt(dynamodb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': ?, 'a': 2}}", [{"S": pk}]),
                 "DuplicateItemException", "Duplicate primary key exists in table")
    assert get(dynamodb, hash_table, {"pk": {"S": pk}})["a"] == {"N": "1"}


def test_parameter_count_mismatch(dynamodb, hash_table):
    expect_error(lambda: stmt(dynamodb, f'SELECT * FROM "{hash_table}" WHERE pk = ?'),
                 "ValidationException", "Number of parameters in request and statement don't match.")
    expect_error(lambda: stmt(dynamodb, f"SELECT * FROM \"{hash_table}\" WHERE pk = 'a'", [{"S": "x"}]),
                 "ValidationException", "Number of parameters in request and statement don't match.")


def test_syntax_error_and_missing_table(dynamodb, hash_table):
    expect_error(lambda: stmt(dynamodb, f'SELECTT * FROMM "{hash_table}"'), "ValidationException",
                 startswith=SYNTAX)
    expect_error(lambda: stmt(dynamodb, "SELECT * FROM \"no_such_table_pq\" WHERE pk = 'x'"),
                 "ResourceNotFoundException")


def test_select_query_with_sort_conditions_and_order(dynamodb, composite):
    def sks(text, **kw):
        return [int(i["sk"]["N"]) for i in stmt(dynamodb, text, **kw)["Items"]]

    assert sks(f"SELECT * FROM \"{composite}\" WHERE pk = 'p' AND sk BETWEEN 2 AND 4") == [2, 3, 4]
    assert sks(f"SELECT * FROM \"{composite}\" WHERE pk = 'p' AND sk > 5") == [6, 7]
    assert sks(f"SELECT * FROM \"{composite}\" WHERE 3 >= sk AND pk = 'p'") == [1, 2, 3]
    assert sks(f"SELECT * FROM \"{composite}\" WHERE pk = 'p' ORDER BY sk DESC") == [7, 6, 5, 4, 3, 2, 1]
    assert sks(f"SELECT * FROM \"{composite}\" WHERE pk = 'p' AND (v = 20 OR v = 70)") == [2, 7]
    assert sks(f"SELECT * FROM \"{composite}\" WHERE pk = 'p' AND sk IN [1, 3] AND tag = 't1'") == [1, 3]
    assert sks(f"SELECT * FROM \"{composite}\" WHERE pk = 'p' AND NOT tag = 't1'") == [2, 4, 6]
    # No partition key equality: a Scan over both partitions.
    assert sorted(sks(f'SELECT * FROM "{composite}" WHERE v < 15')) == [1, 1]
    expect_error(lambda: stmt(dynamodb, f'SELECT * FROM "{composite}" ORDER BY sk'), "ValidationException",
                 "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.")


def test_select_functions_and_projection(dynamodb, hash_table):
    pk = unique_name("pq")
    dynamodb.put_item(TableName=hash_table, Item={
        "pk": {"S": pk}, "name": {"S": "prefix-x"}, "tags": {"SS": ["a", "b"]},
        "m": {"M": {"inner": {"S": "deep"}, "l": {"L": [{"N": "1"}, {"N": "2"}]}}}})

    def count(where):
        return len(stmt(dynamodb, f"SELECT * FROM \"{hash_table}\" WHERE pk = '{pk}' AND {where}")["Items"])

    assert count("begins_with(name, 'prefix-')") == 1
    assert count("begins_with(name, 'nope')") == 0
    assert count("contains(tags, 'a')") == 1
    assert count("size(tags) = 2") == 1
    assert count("attribute_type(name, 'S')") == 1
    assert count("nothere IS MISSING") == 1
    assert count("name IS MISSING") == 0
    assert count("name IS NOT MISSING") == 1
    assert count("m.inner = 'deep' AND m.l[1] = 2") == 1
    r = stmt(dynamodb, f"SELECT m.inner, name, m.l[0] FROM \"{hash_table}\" WHERE pk = '{pk}'")
    assert r["Items"] == [{"inner": {"S": "deep"}, "name": {"S": "prefix-x"}, "l": {"N": "1"}}]


def test_select_paging_with_limit_and_next_token(dynamodb, composite):
    seen, token, pages = [], None, 0
    while True:
        kw = {"Limit": 3}
        if token:
            kw["NextToken"] = token
        r = stmt(dynamodb, f"SELECT sk FROM \"{composite}\" WHERE pk = 'p'", **kw)
        seen += [int(i["sk"]["N"]) for i in r["Items"]]
        pages += 1
        token = r.get("NextToken")
        if not token:
            break
    assert seen == [1, 2, 3, 4, 5, 6, 7]
    assert pages == 3


def test_consumed_capacity(dynamodb, hash_table):
    pk = unique_name("pq")
    r = stmt(dynamodb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}'}}", ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"] == {"TableName": hash_table, "CapacityUnits": 1.0}
    r = stmt(dynamodb, f"SELECT * FROM \"{hash_table}\" WHERE pk = '{pk}'", ReturnConsumedCapacity="TOTAL",
             ConsistentRead=True)
    assert r["ConsumedCapacity"] == {"TableName": hash_table, "CapacityUnits": 1.0}


def test_update_set_remove_arithmetic_and_sets(dynamodb, hash_table):
    pk = unique_name("pq")
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "n": {"N": "5"}, "gone": {"S": "x"},
                                                  "l": {"L": [{"N": "1"}]}, "s": {"SS": ["a"]}})
    stmt(dynamodb, f"""UPDATE "{hash_table}" SET n = n + 2, l = list_append(l, [2]) SET s = set_add(s, <<'b'>>)
         SET m.x = 1 REMOVE gone WHERE pk = '{pk}'""".replace("SET m.x = 1 ", "SET new = {'x': 1} "))
    item = get(dynamodb, hash_table, {"pk": {"S": pk}})
    assert item["n"] == {"N": "7"}
    assert item["l"] == {"L": [{"N": "1"}, {"N": "2"}]}
    assert sorted(item["s"]["SS"]) == ["a", "b"]
    assert item["new"] == {"M": {"x": {"N": "1"}}}
    assert "gone" not in item
    stmt(dynamodb, f"UPDATE \"{hash_table}\" SET s = set_delete(s, <<'a'>>) WHERE pk = '{pk}'")
    assert get(dynamodb, hash_table, {"pk": {"S": pk}})["s"] == {"SS": ["b"]}


def test_update_conditions(dynamodb, hash_table):
    pk = unique_name("pq")
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "v": {"N": "1"}})
    expect_error(lambda: stmt(dynamodb, f"UPDATE \"{hash_table}\" SET v = 2 WHERE pk = '{pk}' AND v = 9"),
                 "ConditionalCheckFailedException", "The conditional request failed")
    stmt(dynamodb, f"UPDATE \"{hash_table}\" SET v = 2 WHERE pk = '{pk}' AND v = 1")
    assert get(dynamodb, hash_table, {"pk": {"S": pk}})["v"] == {"N": "2"}
    # UPDATE never creates an item.
    expect_error(lambda: stmt(dynamodb, f"UPDATE \"{hash_table}\" SET v = 2 WHERE pk = 'missing-{pk}'"),
                 "ConditionalCheckFailedException", "The conditional request failed")
    expect_error(lambda: stmt(dynamodb, f"UPDATE \"{hash_table}\" SET v = 2 WHERE v = 1"),
                 "ValidationException", "Where clause does not contain a mandatory equality on all key attributes")
    expect_error(lambda: stmt(dynamodb, f"UPDATE \"{hash_table}\" SET pk = 'x' WHERE pk = '{pk}'"),
                 "ValidationException", "Cannot update attribute pk. This attribute is part of the key")


def test_delete_conditions(dynamodb, composite):
    expect_error(lambda: stmt(dynamodb, f"DELETE FROM \"{composite}\" WHERE pk = 'p'"), "ValidationException",
                 "Where clause does not contain a mandatory equality on all key attributes")
    expect_error(lambda: stmt(dynamodb, f"DELETE FROM \"{composite}\" WHERE pk = 'p' AND sk = 1 AND v = 99"),
                 "ConditionalCheckFailedException", "The conditional request failed")
    stmt(dynamodb, f"DELETE FROM \"{composite}\" WHERE pk = 'p' AND sk = 1 AND v = 10")
    assert get(dynamodb, composite, {"pk": {"S": "p"}, "sk": {"N": "1"}}) is None
    # A missing item: success, nothing deleted, even with a condition.
    stmt(dynamodb, f"DELETE FROM \"{composite}\" WHERE pk = 'p' AND sk = 100 AND v = 1")


def test_batch_execute_statement(dynamodb, hash_table):
    a, b = unique_name("pq"), unique_name("pq")
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": a}, "d": {"S": "x"}})
    r = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f'SELECT * FROM "{hash_table}" WHERE pk = ?', "Parameters": [{"S": a}],
         "ConsistentRead": True},
        {"Statement": "SELECT * FROM \"no_such_table_pq\" WHERE pk = 'x'"},
        {"Statement": f"SELECT * FROM \"{hash_table}\" WHERE d = 'x'"},
        {"Statement": f"SELECT * FROM \"{hash_table}\" WHERE pk = 'missing-{a}'"},
    ])["Responses"]
    assert r[0] == {"TableName": hash_table, "Item": {"pk": {"S": a}, "d": {"S": "x"}}}
    assert r[1]["Error"]["Code"] == "ResourceNotFound"
    assert r[2]["Error"] == {"Code": "ValidationError",
                             "Message": "Where clause does not contain a mandatory equality on all key attributes"}
    assert r[3] == {"TableName": hash_table}
    r = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{b}'}}"},
        {"Statement": f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{a}'}}"},
        {"Statement": "SELECTT"},
    ])["Responses"]
    assert r[0] == {"TableName": hash_table}
    assert r[1]["Error"] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert r[2]["Error"]["Code"] == "ValidationError"
    assert r[2]["Error"]["Message"].startswith(SYNTAX)
    assert get(dynamodb, hash_table, {"pk": {"S": b}}) == {"pk": {"S": b}}
    expect_error(lambda: dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{hash_table}\" WHERE pk = 'x'"},
        {"Statement": f"DELETE FROM \"{hash_table}\" WHERE pk = 'x'"},
    ]), "ValidationException", "Batch must consist of either all read statements or all write statements")
    expect_error(lambda: dynamodb.batch_execute_statement(Statements=[]), "ValidationException")
    too_many = [{"Statement": f"SELECT * FROM \"{hash_table}\" WHERE pk = 'x'"}] * 26
    expect_error(lambda: dynamodb.batch_execute_statement(Statements=too_many), "ValidationException")


def test_execute_transaction_writes_all_or_nothing(dynamodb, hash_table):
    a, b, c, d = (unique_name("pq") for _ in range(4))
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": a}, "v": {"N": "1"}})
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": d}, "v": {"N": "1"}})
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{hash_table}\" VALUE {{'pk': ?, 'v': 1}}", "Parameters": [{"S": b}]},
        {"Statement": f"UPDATE \"{hash_table}\" SET v = v + 1 WHERE pk = '{a}'"},
        {"Statement": f"EXISTS(SELECT * FROM \"{hash_table}\" WHERE pk = '{d}' AND v = 1)"},
    ])
    assert get(dynamodb, hash_table, {"pk": {"S": a}})["v"] == {"N": "2"}
    assert get(dynamodb, hash_table, {"pk": {"S": b}})["v"] == {"N": "1"}
    err = expect_error(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{c}'}}"},
        {"Statement": f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{b}'}}"},
        {"Statement": f"UPDATE \"{hash_table}\" SET v = 5 WHERE pk = '{a}' AND v = 100"},
    ]), "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, DuplicateItem, ConditionalCheckFailed]")
    reasons = err.response["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert reasons[2] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
    assert get(dynamodb, hash_table, {"pk": {"S": c}}) is None
    expect_error(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{c}'}}"},
        {"Statement": f"EXISTS(SELECT * FROM \"{hash_table}\" WHERE pk = '{d}' AND v = 2)"},
    ]), "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]")
    assert get(dynamodb, hash_table, {"pk": {"S": c}}) is None


def test_execute_transaction_reads_and_validation(dynamodb, hash_table):
    a = unique_name("pq")
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": a}, "v": {"N": "1"}, "w": {"N": "2"}})
    r = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT v FROM \"{hash_table}\" WHERE pk = '{a}'"},
        {"Statement": f"SELECT * FROM \"{hash_table}\" WHERE pk = 'missing-{a}'"},
    ])
    assert r["Responses"] == [{"Item": {"v": {"N": "1"}}}, {}]
    expect_error(lambda: dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{hash_table}\" WHERE pk = '{a}'"},
        {"Statement": f"DELETE FROM \"{hash_table}\" WHERE pk = '{a}'"},
    ]), "ValidationException", "Transactions must contain either all reads or all writes")
    expect_error(lambda: dynamodb.execute_transaction(TransactStatements=[]), "ValidationException")


def test_error_quoting_a_non_ascii_character_is_valid_utf8(server, dynamodb, hash_table):
    """Issue 8, defect 5: the lexer quoted one byte of 'é' and boto3 raised
    UnicodeDecodeError instead of the ValidationException. The raw body must
    be valid UTF-8 JSON, and boto3 must see the error."""
    expect_error(lambda: dynamodb.execute_statement(Statement=f'SELECT * FROM "{hash_table}" WHERE é = 1'),
                 "ValidationException", contains="Unexpected character 'é'")
    r = raw_request(server, {"Statement": f'SELECT * FROM "{hash_table}" WHERE é€😀 = 1'},
                    target="ExecuteStatement")
    assert r.status == 400
    text = r.body.decode("utf-8")  # raises if not UTF-8
    assert "Unexpected character 'é'" in json.loads(text)["message"]

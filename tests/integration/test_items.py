# Single-item operations: PutItem, GetItem, DeleteItem.
#
# Uses the low-level client so the exact wire values (number strings, set
# members, base64 binaries) are what gets compared. Exact error texts are
# DynamoDB's, from nubo-db/dynamodb-conformance (run against AWS) and
# mhart/dynalite's tests (written against AWS responses).
import uuid
from decimal import Decimal

import pytest

from conftest import expect_error, unique_name

MAX_ITEM = 400 * 1024  # 409,600 bytes: names + values, UTF-8

NOT_MATCH_SCHEMA = "The provided key element does not match the schema"
EMPTY_AV = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
RESOURCE_NOT_FOUND = "Requested resource not found"


def key():
    return {"S": uuid.uuid4().hex}


def canon(v):
    """Attribute value with set members sorted (DynamoDB sets are unordered)."""
    (t, x), = v.items()
    if t in ("SS", "BS"):
        return {t: sorted(x)}
    if t == "NS":
        return {t: sorted(x, key=Decimal)}
    if t == "M":
        return {t: {k: canon(y) for k, y in x.items()}}
    if t == "L":
        return {t: [canon(y) for y in x]}
    return v


def canon_item(item):
    return {k: canon(v) for k, v in item.items()}


# ------------------------------------------------------------ round trips

def all_types_item(pk):
    return {
        "pk": pk,
        "s": {"S": "h\u00e9llo \u2603 \U0001F600 \"quoted\" \\ back"},
        "s_empty": {"S": ""},
        "n": {"N": "123.45"},
        "n_neg": {"N": "-7"},
        "b": {"B": b"\x00\x01\xfe\xff binary"},
        "b_empty": {"B": b""},
        "ss": {"SS": ["a", "b", "c\u00e9"]},
        "ns": {"NS": ["1", "2.5", "-3", "100"]},
        "bs": {"BS": [b"\x01", b"\x02\x03", b"\xff"]},
        "bool_t": {"BOOL": True},
        "bool_f": {"BOOL": False},
        "nul": {"NULL": True},
        "m": {"M": {"inner": {"M": {"deep": {"L": [{"S": "x"}, {"N": "1"}, {"NULL": True}]}}},
                    "flag": {"BOOL": False}, "empty_m": {"M": {}}, "empty_l": {"L": []}}},
        "l": {"L": [{"S": "a"}, {"N": "2"}, {"B": b"z"}, {"SS": ["q"]}, {"NS": ["9"]}, {"BS": [b"r"]},
                    {"M": {"k": {"S": "v"}}}, {"L": [{"L": []}]}, {"BOOL": True}, {"NULL": True}]},
    }


def test_round_trip_all_types(dynamodb, hash_table):
    item = all_types_item(key())
    assert dynamodb.put_item(TableName=hash_table, Item=item).get("Attributes") is None
    got = dynamodb.get_item(TableName=hash_table, Key={"pk": item["pk"]}, ConsistentRead=True)
    assert canon_item(got["Item"]) == canon_item(item)


def test_round_trip_resource_api(dynamodb_resource, hash_table):
    t = dynamodb_resource.Table(hash_table)
    pk = uuid.uuid4().hex
    item = {"pk": pk, "n": Decimal("42"), "f": Decimal("0.5"), "s": "x", "ss": {"a", "b"}, "ns": {1, 2},
            "m": {"a": [1, "two", None, True]}, "b": b"bytes"}
    t.put_item(Item=item)
    got = t.get_item(Key={"pk": pk}, ConsistentRead=True)["Item"]
    got["b"] = bytes(got["b"].value)
    assert got == item


@pytest.mark.parametrize("sent,expected", [
    ("00042", "42"),
    ("1.5E2", "150"),
    ("1.0", "1"),
    ("3.1400", "3.14"),
    ("-0", "0"),
    ("+7", "7"),
    ("0.000", "0"),
])
def test_number_normalization(dynamodb, hash_table, sent, expected):
    pk = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "v": {"N": sent}, "vs": {"NS": [sent, "5"]}})
    got = dynamodb.get_item(TableName=hash_table, Key={"pk": pk}, ConsistentRead=True)["Item"]
    assert got["v"] == {"N": expected}
    assert sorted(got["vs"]["NS"], key=Decimal) == sorted([expected, "5"], key=Decimal)


@pytest.mark.parametrize("num", [
    "99999999999999999999999999999999999999",          # 38 significant digits
    "-99999999999999999999999999999999999999",
    "9.9999999999999999999999999999999999999E+125",    # largest magnitude
    "-9.9999999999999999999999999999999999999E+125",
    "1E-130",                                          # smallest magnitude
    "-1E-130",
    "3.1415926535897932384626433832795028841",
    "0.1",
])
def test_extreme_numbers_round_trip(dynamodb, hash_table, num):
    pk = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "v": {"N": num}})
    got = dynamodb.get_item(TableName=hash_table, Key={"pk": pk}, ConsistentRead=True)["Item"]["v"]["N"]
    assert Decimal(got) == Decimal(num)


def test_number_key_is_normalized(dynamodb, hash_range_table):
    pk = key()
    dynamodb.put_item(TableName=hash_range_table, Item={"pk": pk, "sk": {"N": "00042.500"}, "v": {"S": "a"}})
    got = dynamodb.get_item(TableName=hash_range_table, Key={"pk": pk, "sk": {"N": "42.5"}}, ConsistentRead=True)
    assert got["Item"]["sk"] == {"N": "42.5"}
    assert got["Item"]["v"] == {"S": "a"}
    # Same number, different spelling: same item (overwritten, not a second one).
    dynamodb.put_item(TableName=hash_range_table, Item={"pk": pk, "sk": {"N": "4.25E1"}, "v": {"S": "b"}})
    got = dynamodb.get_item(TableName=hash_range_table, Key={"pk": pk, "sk": {"N": "42.50"}}, ConsistentRead=True)
    assert got["Item"]["v"] == {"S": "b"}


def test_binary_keys(dynamodb, make_table):
    t = make_table(hash_key=("h", "B"), range_key=("r", "B"))
    item = {"h": {"B": b"\x00\xff"}, "r": {"B": b"\x01"}, "v": {"S": "bin"}}
    dynamodb.put_item(TableName=t, Item=item)
    got = dynamodb.get_item(TableName=t, Key={"h": {"B": b"\x00\xff"}, "r": {"B": b"\x01"}})
    assert got["Item"] == item


def test_put_overwrites_whole_item(dynamodb, hash_table):
    pk = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "a": {"S": "1"}, "b": {"S": "2"}})
    dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "c": {"S": "3"}})
    got = dynamodb.get_item(TableName=hash_table, Key={"pk": pk}, ConsistentRead=True)["Item"]
    assert got == {"pk": pk, "c": {"S": "3"}}


def test_get_missing_item_has_no_item_key(dynamodb, hash_table, server):
    resp = dynamodb.get_item(TableName=hash_table, Key={"pk": key()})
    assert "Item" not in resp
    from conftest import raw_request
    raw = raw_request(server, body={"TableName": hash_table, "Key": {"pk": {"S": "never-written"}}},
                      target="GetItem")
    assert raw.status == 200 and raw.json() == {}


def test_delete_item(dynamodb, hash_range_table):
    pk = key()
    k = {"pk": pk, "sk": {"N": "1"}}
    dynamodb.put_item(TableName=hash_range_table, Item={**k, "v": {"S": "x"}})
    dynamodb.put_item(TableName=hash_range_table, Item={"pk": pk, "sk": {"N": "2"}})
    resp = dynamodb.delete_item(TableName=hash_range_table, Key=k)
    assert "Attributes" not in resp
    assert "Item" not in dynamodb.get_item(TableName=hash_range_table, Key=k, ConsistentRead=True)
    # The sibling under the same partition key is untouched.
    assert "Item" in dynamodb.get_item(TableName=hash_range_table, Key={"pk": pk, "sk": {"N": "2"}},
                                       ConsistentRead=True)
    # Deleting a missing item succeeds.
    dynamodb.delete_item(TableName=hash_range_table, Key=k)


def test_consistent_read_both_ways(dynamodb, hash_table):
    pk = key()
    dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "v": {"N": "1"}})
    for consistent in (True, False):
        assert dynamodb.get_item(TableName=hash_table, Key={"pk": pk}, ConsistentRead=consistent)["Item"]["v"] == {"N": "1"}


# ------------------------------------------------------------ ReturnValues

def test_put_return_values_all_old(dynamodb, hash_table):
    pk = key()
    first = {"pk": pk, "v": {"S": "one"}, "n": {"N": "1"}}
    resp = dynamodb.put_item(TableName=hash_table, Item=first, ReturnValues="ALL_OLD")
    assert "Attributes" not in resp
    resp = dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "v": {"S": "two"}}, ReturnValues="ALL_OLD")
    assert resp["Attributes"] == first
    resp = dynamodb.put_item(TableName=hash_table, Item={"pk": pk}, ReturnValues="NONE")
    assert "Attributes" not in resp


def test_delete_return_values_all_old(dynamodb, hash_table):
    pk = key()
    item = {"pk": pk, "v": {"SS": ["x", "y"]}}
    dynamodb.put_item(TableName=hash_table, Item=item)
    resp = dynamodb.delete_item(TableName=hash_table, Key={"pk": pk}, ReturnValues="ALL_OLD")
    assert canon_item(resp["Attributes"]) == canon_item(item)
    resp = dynamodb.delete_item(TableName=hash_table, Key={"pk": pk}, ReturnValues="ALL_OLD")
    assert "Attributes" not in resp


@pytest.mark.parametrize("rv", ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"])
def test_put_return_values_not_allowed(dynamodb, hash_table, rv):
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": key()}, ReturnValues=rv),
                 "ValidationException", "ReturnValues can only be ALL_OLD or NONE")


def test_return_values_invalid_enum(dynamodb, hash_table):
    err = expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": key()}, ReturnValues="INVALID"),
                       "ValidationException",
                       startswith="1 validation error detected: Value 'INVALID' at 'returnValues' failed to "
                                  "satisfy constraint: Member must satisfy enum value set: [")
    # DynamoDB's set order has varied over time; the members have not.
    members = err.response["Error"]["Message"].rsplit("[", 1)[1].rstrip("]").split(", ")
    assert sorted(members) == ["ALL_NEW", "ALL_OLD", "NONE", "UPDATED_NEW", "UPDATED_OLD"]


def test_invalid_return_consumed_capacity(dynamodb, hash_table):
    err = expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": key()},
                                                 ReturnConsumedCapacity="DUMMY"),
                       "ValidationException",
                       startswith="1 validation error detected: Value 'DUMMY' at 'returnConsumedCapacity' failed "
                                  "to satisfy constraint: Member must satisfy enum value set: [")
    members = err.response["Error"]["Message"].rsplit("[", 1)[1].rstrip("]").split(", ")
    assert sorted(members) == ["INDEXES", "NONE", "TOTAL"]


# ------------------------------------------------------- key validation

def test_get_missing_key_attribute(dynamodb, hash_range_table):
    expect_error(lambda: dynamodb.get_item(TableName=hash_range_table, Key={"pk": key()}),
                 "ValidationException", NOT_MATCH_SCHEMA)


def test_get_wrong_key_type(dynamodb, hash_table):
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": {"N": "1"}}),
                 "ValidationException", NOT_MATCH_SCHEMA)


def test_get_extra_key_attribute(dynamodb, hash_table):
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": key(), "other": {"S": "x"}}),
                 "ValidationException", NOT_MATCH_SCHEMA)


def test_get_wrong_key_name(dynamodb, hash_table):
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"notpk": key()}),
                 "ValidationException", NOT_MATCH_SCHEMA)


def test_delete_missing_range_key(dynamodb, hash_range_table):
    expect_error(lambda: dynamodb.delete_item(TableName=hash_range_table, Key={"pk": key()}),
                 "ValidationException", NOT_MATCH_SCHEMA)


def test_get_empty_string_key(dynamodb, hash_table):
    # Recorded AWS text for PutItem carries the "One or more parameter values
    # are not valid. " prefix; for GetItem only the tail is pinned here.
    err = expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": ""}}),
                       "ValidationException")
    assert err.response["Error"]["Message"].endswith(
        "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")


def test_put_empty_string_key(dynamodb, hash_table):
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": ""}}),
                 "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty string value. Key: pk")


def test_put_empty_string_range_key(dynamodb, make_table):
    t = make_table(range_key=("sk", "S"))
    expect_error(lambda: dynamodb.put_item(TableName=t, Item={"pk": key(), "sk": {"S": ""}}),
                 "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty string value. Key: sk")


def test_put_empty_binary_key(dynamodb, make_table):
    t = make_table(hash_key=("h", "B"))
    expect_error(lambda: dynamodb.put_item(TableName=t, Item={"h": {"B": b""}}),
                 "ValidationException",
                 "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                 "contain an empty binary value. Key: h")


def test_put_missing_hash_key(dynamodb, hash_table):
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"other": {"S": "x"}}),
                 "ValidationException", "One or more parameter values were invalid: Missing the key pk in the item")


def test_put_missing_range_key(dynamodb, hash_range_table):
    expect_error(lambda: dynamodb.put_item(TableName=hash_range_table, Item={"pk": key()}),
                 "ValidationException", "One or more parameter values were invalid: Missing the key sk in the item")


@pytest.mark.parametrize("value,actual", [({"N": "1"}, "N"), ({"B": b"ab"}, "B"), ({"BOOL": True}, "BOOL"),
                                          ({"SS": ["a"]}, "SS"), ({"L": []}, "L")])
def test_put_key_type_mismatch(dynamodb, hash_table, value, actual):
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": value}),
                 "ValidationException",
                 f"One or more parameter values were invalid: Type mismatch for key pk expected: S actual: {actual}")


# ------------------------------------------------- AttributeValue checks

INVALID_VALUE_CASES = [
    ({"SS": []}, "One or more parameter values were invalid: An string set  may not be empty"),
    ({"NS": []}, "One or more parameter values were invalid: An number set  may not be empty"),
    ({"SS": ["a", "a"]}, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
    ({"NULL": False}, "One or more parameter values were invalid: Null attribute value types must have the value of true"),
    ({}, EMPTY_AV),
    ({"S": "a", "N": "1"}, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
                           "the supported datatypes"),
    ({"N": "b"}, "The parameter cannot be converted to a numeric value: b"),
    ({"N": "123456789012345678901234567890123456789"}, "Attempting to store more than 38 significant digits in a Number"),
    ({"N": "1e126"}, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ({"N": "-1e126"}, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ({"N": "1e-131"}, "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
]


@pytest.mark.parametrize("value,message", INVALID_VALUE_CASES, ids=[str(c[0]) for c in INVALID_VALUE_CASES])
def test_put_invalid_attribute_value(dynamodb, hash_table, value, message):
    pk = key()
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": pk, "a": value}),
                 "ValidationException", message)
    assert "Item" not in dynamodb.get_item(TableName=hash_table, Key={"pk": pk}, ConsistentRead=True)


def test_put_empty_binary_set(dynamodb, hash_table):
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": key(), "a": {"BS": []}}),
                 "ValidationException", contains="Binary sets should not be empty")


@pytest.mark.parametrize("nested", [{"M": {"inner": {"SS": []}}}, {"L": [{"NS": []}]}, {"L": [{}]},
                                    {"M": {"x": {"N": "zz"}}}])
def test_put_invalid_nested_value(dynamodb, hash_table, nested):
    # Exact texts for the nested cases are not pinned by our records.
    err = expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": key(), "a": nested}),
                       "ValidationException")
    assert err.response["Error"]["Message"]


@pytest.mark.parametrize("keyval", [{}, {"N": "x"}])
def test_get_invalid_key_value(dynamodb, hash_table, keyval):
    err = expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": keyval}), "ValidationException")
    if keyval == {}:
        assert err.response["Error"]["Message"] == EMPTY_AV


# ------------------------------------------------------------ size limit

def test_item_size_limit(dynamodb, hash_table):
    pk = uuid.uuid4().hex
    # size = len("pk") + len(pk) + len("d") + len(value)
    fill = MAX_ITEM - len("pk") - len(pk) - len("d")
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "d": {"S": "x" * fill}})
    got = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ConsistentRead=True)["Item"]
    assert len(got["d"]["S"]) == fill

    pk2 = uuid.uuid4().hex
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk2}, "d": {"S": "x" * (fill + 1)}}),
                 "ValidationException", "Item size has exceeded the maximum allowed size")
    assert "Item" not in dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk2}}, ConsistentRead=True)


def test_item_size_counts_attribute_names_and_utf8(dynamodb, hash_table):
    pk = uuid.uuid4().hex
    long_name = "n" * 1000
    # "\u00e9" is 2 bytes in UTF-8.
    fill_chars = (MAX_ITEM - len("pk") - len(pk) - len(long_name)) // 2
    item = {"pk": {"S": pk}, long_name: {"S": "\u00e9" * (fill_chars + 1)}}
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item=item),
                 "ValidationException", "Item size has exceeded the maximum allowed size")
    item[long_name] = {"S": "\u00e9" * (fill_chars - 1)}
    dynamodb.put_item(TableName=hash_table, Item=item)


def test_item_size_binary_over_limit(dynamodb, hash_table):
    expect_error(lambda: dynamodb.put_item(TableName=hash_table,
                                           Item={"pk": key(), "b": {"B": b"\x00" * (MAX_ITEM + 1)}}),
                 "ValidationException", "Item size has exceeded the maximum allowed size")


# ------------------------------------------------------ consumed capacity

def test_consumed_capacity_get(dynamodb, hash_table):
    pk = uuid.uuid4().hex
    # About 1 KB: well under one 4 KB read unit.
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "d": {"S": "x" * 1000}})
    strong = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ConsistentRead=True,
                               ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["TableName"] == hash_table
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert "Table" not in strong["ConsumedCapacity"]
    eventual = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ConsistentRead=False,
                                 ReturnConsumedCapacity="TOTAL")
    assert eventual["ConsumedCapacity"]["CapacityUnits"] == 0.5
    indexes = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ConsistentRead=True,
                                ReturnConsumedCapacity="INDEXES")
    assert indexes["ConsumedCapacity"]["CapacityUnits"] == 1.0
    assert indexes["ConsumedCapacity"]["Table"] == {"CapacityUnits": 1.0}
    none = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ReturnConsumedCapacity="NONE")
    assert "ConsumedCapacity" not in none
    default = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}})
    assert "ConsumedCapacity" not in default


def test_consumed_capacity_get_large_and_missing(dynamodb, hash_table):
    pk = uuid.uuid4().hex
    # 4 KB + 1 byte: two read units strongly consistent, one eventually.
    fill = 4096 + 1 - len("pk") - len(pk) - len("d")
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "d": {"S": "x" * fill}})
    r = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0
    r = dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": pk}}, ConsistentRead=False, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0
    # A missing item still costs the minimum.
    r = dynamodb.get_item(TableName=hash_table, Key={"pk": key()}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_consumed_capacity_put_and_delete(dynamodb, hash_table):
    pk = uuid.uuid4().hex
    small = dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "d": {"S": "x"}},
                              ReturnConsumedCapacity="TOTAL")
    assert small["ConsumedCapacity"]["TableName"] == hash_table
    assert small["ConsumedCapacity"]["CapacityUnits"] == 1.0
    pk2 = uuid.uuid4().hex
    # About 1.5 KB: two write units (1 KB each, rounded up).
    r = dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": pk2}, "d": {"S": "x" * 1500}},
                          ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["TableName"] == hash_table
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0
    r = dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": uuid.uuid4().hex}, "d": {"S": "y" * 1500}},
                          ReturnConsumedCapacity="INDEXES")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 2.0
    assert r["ConsumedCapacity"]["Table"] == {"CapacityUnits": 2.0}
    # Deleting a missing item costs one write unit.
    r = dynamodb.delete_item(TableName=hash_table, Key={"pk": key()}, ReturnConsumedCapacity="TOTAL")
    assert r["ConsumedCapacity"]["CapacityUnits"] == 1.0


# ------------------------------------------------------- missing table

@pytest.mark.parametrize("op", ["get", "put", "delete"])
def test_item_ops_on_missing_table(dynamodb, op):
    name = unique_name("missing")
    calls = {
        "get": lambda: dynamodb.get_item(TableName=name, Key={"pk": {"S": "x"}}),
        "put": lambda: dynamodb.put_item(TableName=name, Item={"pk": {"S": "x"}}),
        "delete": lambda: dynamodb.delete_item(TableName=name, Key={"pk": {"S": "x"}}),
    }
    expect_error(calls[op], "ResourceNotFoundException", RESOURCE_NOT_FOUND)


def test_put_table_name_validation(dynamodb):
    expect_error(lambda: dynamodb.put_item(TableName="bad table!@#", Item={"pk": {"S": "x"}}),
                 "ValidationException",
                 "1 validation error detected: Value 'bad table!@#' at 'tableName' failed to satisfy constraint: "
                 "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")


# ------------------------------------------------------- key size limits

def test_hash_key_size_limit(dynamodb, hash_table):
    ok = "h" * 2048
    dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": ok}, "v": {"N": "1"}})
    assert dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": ok}}, ConsistentRead=True)["Item"]["v"] == {"N": "1"}
    too_big = "h" * 2049
    # "of2048" (no space) is DynamoDB's own spelling.
    msg = "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    expect_error(lambda: dynamodb.put_item(TableName=hash_table, Item={"pk": {"S": too_big}}), "ValidationException", msg)
    expect_error(lambda: dynamodb.get_item(TableName=hash_table, Key={"pk": {"S": too_big}}), "ValidationException", msg)


def test_range_key_size_limit(dynamodb, make_table):
    t = make_table(range_key=("sk", "S"))
    ok = "r" * 1024
    dynamodb.put_item(TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": ok}})
    assert "Item" in dynamodb.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"S": ok}}, ConsistentRead=True)
    too_big = "r" * 1025
    msg = ("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size "
           "limit of 1024 bytes")
    expect_error(lambda: dynamodb.put_item(TableName=t, Item={"pk": {"S": "a"}, "sk": {"S": too_big}}),
                 "ValidationException", msg)
    expect_error(lambda: dynamodb.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"S": too_big}}),
                 "ValidationException", msg)


# ------------------------------------------------------------ concurrency

def test_concurrent_writers(server, hash_range_table):
    import threading
    from conftest import client_for
    pk = uuid.uuid4().hex
    n_threads, per_thread = 8, 40
    errors = []

    def writer(t):
        c = client_for(server)
        try:
            for i in range(per_thread):
                c.put_item(TableName=hash_range_table,
                           Item={"pk": {"S": pk}, "sk": {"N": str(t * 1000 + i)}, "w": {"N": str(t)}})
                # Everyone also overwrites one shared item.
                c.put_item(TableName=hash_range_table,
                           Item={"pk": {"S": pk}, "sk": {"N": "-1"}, "w": {"N": str(t)}})
        except Exception as e:  # reported below; a thread must not die silently
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors[:3]
    c = client_for(server)
    for t in range(n_threads):
        for i in range(per_thread):
            got = c.get_item(TableName=hash_range_table, Key={"pk": {"S": pk}, "sk": {"N": str(t * 1000 + i)}},
                             ConsistentRead=True)
            assert got["Item"]["w"] == {"N": str(t)}
    shared = c.get_item(TableName=hash_range_table, Key={"pk": {"S": pk}, "sk": {"N": "-1"}}, ConsistentRead=True)
    assert int(shared["Item"]["w"]["N"]) in range(n_threads)

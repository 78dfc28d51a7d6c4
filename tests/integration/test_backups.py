# On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
# RestoreTableFromBackup) and the point-in-time recovery flag
# (DescribeContinuousBackups, UpdateContinuousBackups) over HTTP with boto3,
# against both storage backends. Engine side: engine/backups.h.
import re

from conftest import create_table_and_wait, delete_table_quietly, expect_error, unique_name

ARN_RE = re.compile(r"^arn:aws:dynamodb:[^:]+:[0-9]+:table/([^/]+)/backup/[0-9]{14}-[0-9a-f]{8}$")


def make_gsi_table(client, name):
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"},
                              {"AttributeName": "g", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})


# ---------------------------------------------------------------- continuous backups


def test_continuous_backups_default_and_update(dynamodb, make_table):
    table = make_table()
    d = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert d["ContinuousBackupsStatus"] == "DISABLED"
    assert d["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}
    r = dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    p = r["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert p["PointInTimeRecoveryStatus"] == "ENABLED"
    assert "EarliestRestorableDateTime" in p
    d = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert d["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    d = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert d["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}


def test_continuous_backups_missing_table(dynamodb):
    name = unique_name("nope")
    expect_error(lambda: dynamodb.describe_continuous_backups(TableName=name), "TableNotFoundException",
                 message="Table not found: " + name)
    expect_error(lambda: dynamodb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}),
        "TableNotFoundException", message="Table not found: " + name)


# ---------------------------------------------------------------- on-demand backups


def test_backup_modify_restore_with_gsi(dynamodb):
    src = unique_name("bsrc")
    dst = unique_name("bdst")
    make_gsi_table(dynamodb, src)
    try:
        for i in range(30):
            dynamodb.put_item(TableName=src, Item={"pk": {"S": "p%d" % (i % 3)}, "sk": {"N": str(i)},
                                                   "g": {"S": "g%d" % (i % 5)}, "v": {"S": "old%d" % i}})
        b = dynamodb.create_backup(TableName=src, BackupName="first")["BackupDetails"]
        assert ARN_RE.match(b["BackupArn"]).group(1) == src
        assert b["BackupName"] == "first"
        assert b["BackupStatus"] == "AVAILABLE"
        assert b["BackupType"] == "USER"
        assert b["BackupSizeBytes"] > 0
        # Modify the source after the backup: none of this may be restored.
        dynamodb.put_item(TableName=src, Item={"pk": {"S": "p0"}, "sk": {"N": "0"}, "g": {"S": "new"}})
        dynamodb.delete_item(TableName=src, Key={"pk": {"S": "p1"}, "sk": {"N": "1"}})
        dynamodb.put_item(TableName=src, Item={"pk": {"S": "extra"}, "sk": {"N": "99"}, "g": {"S": "g0"}})

        r = dynamodb.restore_table_from_backup(TargetTableName=dst, BackupArn=b["BackupArn"])
        td = r["TableDescription"]
        assert td["TableName"] == dst
        assert td["RestoreSummary"]["SourceBackupArn"] == b["BackupArn"]
        assert [g["IndexName"] for g in td["GlobalSecondaryIndexes"]] == ["by_g"]
        dynamodb.get_waiter("table_exists").wait(TableName=dst, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100})

        items = dynamodb.scan(TableName=dst)["Items"]
        assert len(items) == 30
        got = dynamodb.get_item(TableName=dst, Key={"pk": {"S": "p0"}, "sk": {"N": "0"}})["Item"]
        assert got["g"] == {"S": "g0"} and got["v"] == {"S": "old0"}
        assert "Item" in dynamodb.get_item(TableName=dst, Key={"pk": {"S": "p1"}, "sk": {"N": "1"}})
        assert "Item" not in dynamodb.get_item(TableName=dst, Key={"pk": {"S": "extra"}, "sk": {"N": "99"}})
        # The GSI was rebuilt: g0 holds items 0, 5, 10, 15, 20, 25.
        q = dynamodb.query(TableName=dst, IndexName="by_g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": "g0"}})
        assert sorted(int(i["sk"]["N"]) for i in q["Items"]) == [0, 5, 10, 15, 20, 25]
        desc = dynamodb.describe_table(TableName=dst)["Table"]
        assert desc["ItemCount"] == 30
        assert desc["GlobalSecondaryIndexes"][0]["ItemCount"] == 30

        # Restoring onto an existing table fails.
        expect_error(lambda: dynamodb.restore_table_from_backup(TargetTableName=dst, BackupArn=b["BackupArn"]),
                     "TableAlreadyExistsException", message="Table already exists: " + dst)
    finally:
        delete_table_quietly(dynamodb, src)
        delete_table_quietly(dynamodb, dst)


def test_describe_list_delete_backup(dynamodb, make_table):
    table = make_table()
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    arns = [dynamodb.create_backup(TableName=table, BackupName="bak%d" % i)["BackupDetails"]["BackupArn"]
            for i in range(3)]
    d = dynamodb.describe_backup(BackupArn=arns[0])["BackupDescription"]
    assert d["BackupDetails"]["BackupArn"] == arns[0]
    assert d["BackupDetails"]["BackupName"] == "bak0"
    assert d["SourceTableDetails"]["TableName"] == table
    assert d["SourceTableDetails"]["ItemCount"] == 1

    listed = dynamodb.list_backups(TableName=table)["BackupSummaries"]
    assert [s["BackupArn"] for s in listed] == arns
    # Paging: one at a time.
    seen, start = [], None
    while True:
        kw = {"TableName": table, "Limit": 1}
        if start:
            kw["ExclusiveStartBackupArn"] = start
        page = dynamodb.list_backups(**kw)
        seen += [s["BackupArn"] for s in page["BackupSummaries"]]
        start = page.get("LastEvaluatedBackupArn")
        if not start:
            break
    assert seen == arns

    r = dynamodb.delete_backup(BackupArn=arns[1])["BackupDescription"]
    assert r["BackupDetails"]["BackupStatus"] == "DELETED"
    assert [s["BackupArn"] for s in dynamodb.list_backups(TableName=table)["BackupSummaries"]] == [arns[0], arns[2]]
    expect_error(lambda: dynamodb.describe_backup(BackupArn=arns[1]), "BackupNotFoundException",
                 message="Backup not found: " + arns[1])
    expect_error(lambda: dynamodb.delete_backup(BackupArn=arns[1]), "BackupNotFoundException",
                 message="Backup not found: " + arns[1])
    expect_error(lambda: dynamodb.restore_table_from_backup(TargetTableName=unique_name(), BackupArn=arns[1]),
                 "BackupNotFoundException", message="Backup not found: " + arns[1])
    for a in (arns[0], arns[2]):
        dynamodb.delete_backup(BackupArn=a)


def test_backup_survives_table_deletion(dynamodb):
    src = unique_name("bdel")
    dst = unique_name("bdel2")
    create_table_and_wait(dynamodb, src)
    try:
        dynamodb.put_item(TableName=src, Item={"pk": {"S": "k"}, "x": {"N": "1"}})
        arn = dynamodb.create_backup(TableName=src, BackupName="keep")["BackupDetails"]["BackupArn"]
        dynamodb.delete_table(TableName=src)
        dynamodb.restore_table_from_backup(TargetTableName=dst, BackupArn=arn)
        assert dynamodb.get_item(TableName=dst, Key={"pk": {"S": "k"}})["Item"]["x"] == {"N": "1"}
        dynamodb.delete_backup(BackupArn=arn)
    finally:
        delete_table_quietly(dynamodb, src)
        delete_table_quietly(dynamodb, dst)


def test_create_backup_errors(dynamodb):
    name = unique_name("nope")
    expect_error(lambda: dynamodb.create_backup(TableName=name, BackupName="bk1"), "TableNotFoundException",
                 message="Table not found: " + name)
    expect_error(lambda: dynamodb.describe_backup(
        BackupArn="arn:aws:dynamodb:us-east-1:000000000000:table/x/backup/01576616366715-b4e58d3a"),
        "BackupNotFoundException",
        message="Backup not found: arn:aws:dynamodb:us-east-1:000000000000:table/x/backup/01576616366715-b4e58d3a")

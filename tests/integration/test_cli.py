# The AWS CLI, unchanged, against fdyno: only --endpoint-url differs from a
# real AWS call.
import json
import shutil
import subprocess

import pytest

from conftest import unique_name

pytestmark = pytest.mark.skipif(shutil.which("aws") is None, reason="aws CLI not on PATH")


@pytest.fixture(scope="module")
def aws(server, tmp_path_factory):
    home = tmp_path_factory.mktemp("awscli-home")
    env = {
        "PATH": __import__("os").environ["PATH"],
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "AKIDCLITEST",
        "AWS_SECRET_ACCESS_KEY": "cli-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    for k in ("PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL"):
        v = __import__("os").environ.get(k)
        if v:
            env[k] = v

    def run(*args, check=True):
        cmd = ["aws", "dynamodb", *args, "--endpoint-url", server.url, "--output", "json"]
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if check:
            assert p.returncode == 0, f"{cmd}\nstdout: {p.stdout}\nstderr: {p.stderr}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    return run


def test_cli_table_and_item_lifecycle(aws):
    name = unique_name("cli")
    out = aws("create-table", "--table-name", name,
              "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
              "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
              "--billing-mode", "PAY_PER_REQUEST")
    try:
        t = out["TableDescription"]
        assert t["TableName"] == name
        assert t["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}]
        assert t["TableStatus"] in ("CREATING", "ACTIVE")

        aws("wait", "table-exists", "--table-name", name)
        d = aws("describe-table", "--table-name", name)["Table"]
        assert d["TableStatus"] == "ACTIVE"
        assert d["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert d["ItemCount"] == 0

        assert name in aws("list-tables")["TableNames"]

        item = {"pk": {"S": "user#1"}, "sk": {"N": "10"}, "name": {"S": "Ada"},
                "tags": {"SS": ["x", "y"]}, "meta": {"M": {"age": {"N": "36"}}}}
        put = aws("put-item", "--table-name", name, "--item", json.dumps(item),
                  "--return-consumed-capacity", "TOTAL")
        assert put["ConsumedCapacity"]["TableName"] == name
        assert put["ConsumedCapacity"]["CapacityUnits"] == 1.0

        got = aws("get-item", "--table-name", name, "--consistent-read",
                  "--key", json.dumps({"pk": {"S": "user#1"}, "sk": {"N": "10"}}))
        assert got["Item"]["name"] == {"S": "Ada"}
        assert sorted(got["Item"]["tags"]["SS"]) == ["x", "y"]
        assert got["Item"]["meta"] == {"M": {"age": {"N": "36"}}}

        deleted = aws("delete-item", "--table-name", name,
                      "--key", json.dumps({"pk": {"S": "user#1"}, "sk": {"N": "10"}}),
                      "--return-values", "ALL_OLD")
        assert deleted["Attributes"]["name"] == {"S": "Ada"}

        got = aws("get-item", "--table-name", name,
                  "--key", json.dumps({"pk": {"S": "user#1"}, "sk": {"N": "10"}}))
        assert "Item" not in got
    finally:
        aws("delete-table", "--table-name", name, check=False)


def test_cli_error_is_reported(aws):
    p = aws("describe-table", "--table-name", unique_name("missing"), check=False)
    assert p.returncode != 0
    assert "ResourceNotFoundException" in p.stderr

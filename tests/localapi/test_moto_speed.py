"""The embedded moto DynamoDB in time proportional to what a call touches, not to the table or to the
calls before it, with the same answers:

- a Query reads only the queried partition (localapi/moto_queries.py), and its answers are moto's own,
  item for item: after random puts, updates (index keys set, changed and removed), deletes,
  transactions and batch writes, every Query (table and each index, sort key conditions, both
  orders, pages, projections, counts) gets the same response with the index as without;
- item values go into the JSON responses without moto's generic serializer (localapi/moto_responses.py),
  byte for byte as it writes them;
- a transaction with a ClientRequestToken does not walk every token of the last ten minutes
  (localapi/moto_transactions.py)."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from localapi import database, moto_queries, moto_responses, moto_transactions
from localapi.template import load

PARTITIONS = [f"P#{n}" for n in range(6)]
OWNERS = [f"OWNER#{n}" for n in range(4)]
SORT_KEYS = ["META", "META#000", "META#001", "META#7", "ARTICLE#a", "ARTICLE#b", "COMMENT#0001", "COMMENT#0002", "Z"]


@pytest.fixture(scope="module")
def ddb() -> Iterator[tuple[Any, str]]:
    server = database.EmbeddedDynamoDB()
    endpoint = server.start()
    name = f"conduit-local-queries-{uuid.uuid4().hex[:6]}"
    template = load()
    (logical,) = template.tables()
    with pytest.MonkeyPatch.context() as env:
        for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            env.setenv(variable, os.environ.get(variable, "local"))
        database.create_tables(template, endpoint, {logical: name})
        client = database.client(endpoint)
        yield client, name
        client.delete_table(TableName=name)
    server.stop()


def s(value: str) -> dict[str, str]:
    return {"S": value}


def random_item(rng: random.Random) -> dict[str, Any]:
    item: dict[str, Any] = {
        "PK": s(rng.choice(PARTITIONS)),
        "SK": s(rng.choice(SORT_KEYS)),
        "n": {"N": str(rng.randint(0, 9))},
    }
    if rng.random() < 0.7:
        item["GSI1PK"], item["GSI1SK"] = s(rng.choice(OWNERS)), s(rng.choice(SORT_KEYS))
    if rng.random() < 0.3:
        item["GSI2PK"], item["GSI2SK"] = s("ARTICLES"), s(str(rng.randint(0, 50)))
    if rng.random() < 0.3:
        item["GSI3PK"], item["tagCount"] = s(rng.choice(["TAGS", "TAGS#1"])), {"N": str(rng.randint(-2, 5))}
    return item


def key(rng: random.Random) -> dict[str, Any]:
    return {"PK": s(rng.choice(PARTITIONS)), "SK": s(rng.choice(SORT_KEYS))}


def write(client: Any, table: str, rng: random.Random) -> None:
    kind = rng.choice(["put", "put", "update", "update", "delete", "transact", "batch"])
    if kind == "put":
        client.put_item(TableName=table, Item=random_item(rng))
    elif kind == "update":
        update = rng.choice(
            [
                ("SET GSI1PK = :o, GSI1SK = :k", {":o": s(rng.choice(OWNERS)), ":k": s(rng.choice(SORT_KEYS))}),
                ("REMOVE GSI1PK", None),
                ("SET GSI3PK = :t ADD tagCount :one", {":t": s("TAGS"), ":one": {"N": "1"}}),
                ("ADD n :one", {":one": {"N": "1"}}),
            ]
        )
        request = {"TableName": table, "Key": key(rng), "UpdateExpression": update[0]}
        if update[1]:
            request["ExpressionAttributeValues"] = update[1]
        client.update_item(**request)
    elif kind == "delete":
        client.delete_item(TableName=table, Key=key(rng))
    elif kind == "transact":
        keys = {(k["PK"]["S"], k["SK"]["S"]): k for k in (key(rng) for _ in range(3))}
        actions = [
            {"Put": {"TableName": table, "Item": {**random_item(rng), **k}}}
            if n % 2
            else {"Delete": {"TableName": table, "Key": k}}
            for n, k in enumerate(keys.values())
        ]
        client.transact_write_items(TransactItems=actions)
    else:
        items = {(i["PK"]["S"], i["SK"]["S"]): i for i in (random_item(rng) for _ in range(4))}
        requests = [{"PutRequest": {"Item": i}} for i in items.values()]
        requests += [{"DeleteRequest": {"Key": k}} for k in (key(rng),) if (k["PK"]["S"], k["SK"]["S"]) not in items]
        client.batch_write_item(RequestItems={table: requests})


def random_query(table: str, rng: random.Random) -> dict[str, Any]:
    index = rng.choice([None, None, "ByOwner", "ByKind", "TagsByCount"])
    pk, sk, partition = {
        None: ("PK", "SK", rng.choice([*PARTITIONS, "P#none"])),
        "ByOwner": ("GSI1PK", "GSI1SK", rng.choice(OWNERS)),
        "ByKind": ("GSI2PK", "GSI2SK", "ARTICLES"),
        "TagsByCount": ("GSI3PK", "tagCount", rng.choice(["TAGS", "TAGS#1"])),
    }[index]
    values: dict[str, Any] = {":pk": s(partition)}
    condition = "#pk = :pk"
    bound = {"N": str(rng.randint(-1, 4))} if sk == "tagCount" else s(rng.choice([*SORT_KEYS, "META#", "C", ""]))
    shape = rng.choice(["", "begins", "<", ">=", "between", "="])
    if shape == "begins" and sk != "tagCount" and bound["S"]:
        condition += " AND begins_with(#sk, :a)"
    elif shape in ("<", ">=", "=") and bound.get("S", "x"):
        condition += f" AND #sk {shape} :a"
    elif shape == "between" and bound.get("S", "x"):
        upper = {"N": str(int(bound["N"]) + 2)} if "N" in bound else s(bound["S"] + "~")
        condition += " AND #sk BETWEEN :a AND :b"
        values[":b"] = upper
    if ":a" in condition:
        values[":a"] = bound
    request: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": {"#pk": pk, **({"#sk": sk} if "#sk" in condition else {})},
        "ExpressionAttributeValues": values,
        "ScanIndexForward": rng.random() < 0.5,
    }
    if index:
        request["IndexName"] = index
    elif rng.random() < 0.5:
        request["ConsistentRead"] = True
    if rng.random() < 0.5:
        request["Limit"] = rng.randint(1, 4)
    if rng.random() < 0.2:
        request["Select"] = "COUNT"
    elif rng.random() < 0.3 and not index:
        request["ProjectionExpression"] = "#pk, n"
    return request


def pages(client: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of the query, each response without its metadata."""
    out, request = [], dict(request)
    while True:
        response = client.query(**request)
        response.pop("ResponseMetadata", None)
        out.append(response)
        if "LastEvaluatedKey" not in response or len(out) > 50:
            return out
        request["ExclusiveStartKey"] = response["LastEvaluatedKey"]


@pytest.mark.parametrize("seed", range(4))
def test_every_query_answers_as_moto_itself_after_random_writes(ddb, monkeypatch, seed):
    client, table = ddb
    rng = random.Random(seed)
    compared = 0
    for _ in range(40):
        for _ in range(rng.randint(1, 15)):
            write(client, table, rng)
        for _ in range(10):
            request = random_query(table, rng)
            indexed = pages(client, request)
            monkeypatch.setattr(moto_queries, "enabled", False)
            own = pages(client, request)
            monkeypatch.setattr(moto_queries, "enabled", True)
            assert indexed == own, request
            compared += sum(page["Count"] for page in own)
    assert compared > 500  # the queries found items: the comparison is not between empty answers


def test_a_query_never_lists_the_whole_table(ddb, monkeypatch):
    """The cause of the slowness: moto's Query listed and sorted every item of the table."""
    client, table = ddb
    item = {"PK": s("WIDE"), "SK": s("META#1"), "GSI1PK": s("WIDE-OWNER"), "GSI1SK": s("1")}
    client.put_item(TableName=table, Item=item)

    def whole_table(_table: Any) -> Any:
        raise AssertionError("the whole table was listed")

    monkeypatch.setitem(moto_queries._original, "all_items", whole_table)
    on_table = client.query(
        TableName=table,
        KeyConditionExpression="PK = :p AND begins_with(SK, :m)",
        ExpressionAttributeValues={":p": s("WIDE"), ":m": s("META#")},
        ConsistentRead=True,
    )
    on_index = client.query(
        TableName=table,
        IndexName="ByOwner",
        KeyConditionExpression="GSI1PK = :p",
        ExpressionAttributeValues={":p": s("WIDE-OWNER")},
    )
    assert on_table["Items"] == [item]
    assert on_index["Items"] == [{k: item[k] for k in ("PK", "SK", "GSI1PK", "GSI1SK")}]


class _Remembered(dict):
    """Tokens committed within the last ten minutes, which a transaction must not walk through."""

    def items(self):  # type: ignore[override]
        raise AssertionError("every remembered token was walked")

    def values(self):  # type: ignore[override]
        raise AssertionError("every remembered token was walked")


def test_a_transaction_does_not_walk_every_remembered_token(ddb, monkeypatch):
    client, table = ddb
    now = moto_transactions._now()
    remembered = _Remembered((f"token-{n}", ("fingerprint", now)) for n in range(20000))
    monkeypatch.setattr(moto_transactions, "_tokens", remembered)
    update = {
        "Update": {
            "TableName": table,
            "Key": {"PK": s("TOKENS"), "SK": s("N")},
            "UpdateExpression": "ADD n :one",
            "ExpressionAttributeValues": {":one": {"N": "1"}},
        }
    }
    for _ in range(2):
        client.transact_write_items(TransactItems=[update], ClientRequestToken="token-new")
    assert client.get_item(TableName=table, Key={"PK": s("TOKENS"), "SK": s("N")})["Item"]["n"] == {"N": "1"}
    assert len(remembered) == 20001


RICH = {
    "PK": s("RICH"),
    "SK": s("1"),
    "text": s('héllo "quoted" \u2603'),
    "empty": s(""),
    "count": {"N": "-12.50"},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "nothing": {"NULL": True},
    "tags": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "blob": {"B": b"\x00\xffbytes"},
    "blobs": {"BS": [b"x", b"y"]},
    "list": {"L": [s("x"), {"N": "1"}, {"M": {"deep": {"L": [{"BOOL": False}, {"B": b"z"}]}}}, {"L": []}]},
    "map": {"M": {"a": s("b"), "empty": {"M": {}}, "n": {"NULL": True}, "tags": {"SS": ["c"]}}},
}


def raw_bodies(client: Any, table: str) -> list[bytes]:
    """The raw response bodies of every read and write that returns items."""
    bodies: list[bytes] = []

    def keep(http_response: Any, **_: Any) -> None:
        bodies.append(http_response.content)

    key = {"PK": RICH["PK"], "SK": RICH["SK"]}
    client.put_item(TableName=table, Item=RICH)
    client.meta.events.register("after-call.dynamodb", keep)
    try:
        client.put_item(TableName=table, Item=RICH, ReturnValues="ALL_OLD")
        client.get_item(TableName=table, Key=key)
        client.query(TableName=table, KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": RICH["PK"]})
        client.batch_get_item(RequestItems={table: {"Keys": [key]}})
        client.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": key}}])
        client.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET #c = #c",
            ExpressionAttributeNames={"#c": "count"},
            ReturnValues="ALL_NEW",
        )
    finally:
        client.meta.events.unregister("after-call.dynamodb", keep)
    return bodies


def test_item_values_are_written_as_moto_writes_them(ddb, monkeypatch):
    client, table = ddb
    fast = raw_bodies(client, table)
    monkeypatch.setattr(moto_responses, "enabled", False)
    own = raw_bodies(client, table)
    assert len(fast) == 6 and fast == own
    assert b"h\\u00e9llo" in fast[1] or "héllo".encode() in fast[1]


def test_the_values_the_store_writes_skip_the_generic_serializer(ddb, monkeypatch):
    client, table = ddb
    item = {key: value for key, value in RICH.items() if key not in ("blob", "blobs", "list")}
    client.put_item(TableName=table, Item={**item, "SK": s("2")})

    moto_own = moto_responses._original["structure"]

    def generic(serializer: Any, serialized: Any, value: Any, shape: Any, key: str) -> Any:
        assert shape.name != "AttributeValue", "an item value went through the generic serializer"
        return moto_own(serializer, serialized, value, shape, key)

    monkeypatch.setitem(moto_responses._original, "structure", generic)
    found = client.get_item(TableName=table, Key={"PK": RICH["PK"], "SK": s("2")})["Item"]
    assert found["map"] == item["map"] and found["count"] == {"N": "-12.50"}

"""A write that committed but whose answer was lost, retried by botocore: success, applied once.

botocore retries a call whose answer it did not get (a read timeout, a dropped connection). The
first attempt may have committed: the retry must then succeed without applying the write again.
Here a `before-send` hook on the store's client sends the first attempt of one operation to the
database itself, lets it commit, and raises ReadTimeoutError as if the answer never came; botocore
retries with the same request, as it would in Lambda. The flows run the layer's services directly
(inside a request scope, as the endpoint decorator runs them), on the embedded moto DynamoDB or,
with DYNAMODB_ENDPOINT set, on that endpoint (CI: AWS's DynamoDB Local), each on a table of its own.

- transactions (registration, article create, comment create, comment delete) carry the request's
  ClientRequestToken, so the retry returns the first attempt's success;
- the write quota's single UpdateItem and the idempotency record's PutItem recognise their own
  earlier success by the attempt id they carry.

The last tests pin the token semantics the local moto now shares with DynamoDB (and DynamoDB Local).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.exceptions import ClientError, ReadTimeoutError

from conduit.settings import get_settings
from conduit.store import client as store_client
from conduit.store import keys, ops, request_scope
from localapi import database, moto_transactions
from localapi.template import load

ENDPOINT = os.environ.get("DYNAMODB_ENDPOINT")  # as the session was started: DynamoDB Local in CI's second pass


LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local", "AWS_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in LOCAL_CREDENTIALS.items():
            patch.setenv(name, os.environ.get(name) or value)
        if ENDPOINT:
            yield ENDPOINT
            return
        embedded = database.EmbeddedDynamoDB()
        yield embedded.start()
        embedded.stop()


@pytest.fixture(scope="module")
def table_name(endpoint: str) -> Iterator[str]:
    template = load()
    (logical,) = template.tables()
    name = f"conduit-lost-answers-{uuid.uuid4().hex[:8]}"
    database.create_tables(template, endpoint, {logical: name})
    yield name
    database.client(endpoint).delete_table(TableName=name)


@pytest.fixture
def store(endpoint: str, table_name: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The layer pointed at the test table through a client of its own, built as the product builds
    it (same timeouts and retries), without touching the client the local API uses."""
    for name, value in {
        "TABLE_NAME": table_name,
        "DYNAMODB_ENDPOINT": endpoint,
        "JWT_SECRET": "lost-answers-" + "x" * 40,
        "WRITE_QUOTA_PER_MINUTE": "1000000",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("JWT_SECRET_PARAMETER", raising=False)
    get_settings.cache_clear()
    client = store_client.dynamodb.__wrapped__()
    monkeypatch.setattr(ops, "dynamodb", lambda: client)
    monkeypatch.setattr(store_client, "dynamodb", lambda: client)  # what conduit.idempotency reads
    monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, context: 0)
    try:
        yield client
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def lose_first_answer(client: Any, operation: str) -> list[dict[str, Any]]:
    """The first `operation` call commits but its answer is lost; returns each attempt's parameters."""
    attempts: list[dict[str, Any]] = []

    def send(request: Any, **_: Any) -> None:
        attempts.append(json.loads(request.body))
        if len(attempts) == 1:
            answer = requests.post(request.url, data=request.body, headers=dict(request.headers), timeout=30)
            assert answer.status_code == 200, answer.text  # it committed
            raise ReadTimeoutError(endpoint_url=request.url)

    client.meta.events.register(f"before-send.dynamodb.{operation}", send)
    return attempts


def stop_losing(client: Any, operation: str) -> None:
    client.meta.events.unregister(f"before-send.dynamodb.{operation}")


def in_request(story: Callable[[], Any], request_id: str | None = None) -> Any:
    with request_scope.serving(request_id or f"req-{uuid.uuid4()}"):
        return story()


def register(name: str, request_id: str | None = None) -> dict[str, Any]:
    from conduit.services import users
    from conduit.validation import NewUser

    new = NewUser(username=name, email=f"{name}@example.com", password="password123")
    return in_request(lambda: users.register(new), request_id)


def _retried_with_one_token(attempts: list[dict[str, Any]]) -> None:
    assert len(attempts) == 2, "botocore retried the call once"
    tokens = {attempt.get("ClientRequestToken") for attempt in attempts}
    assert len(tokens) == 1 and None not in tokens, tokens


def test_registration_whose_answer_was_lost_succeeds_once(store):
    from conduit.store import users

    name, request_id = f"lost{uuid.uuid4().hex[:10]}", f"req-{uuid.uuid4()}"
    attempts = lose_first_answer(store, "TransactWriteItems")
    try:
        view = register(name, request_id)  # before: 409 "username has already been taken", for a brand-new name
    finally:
        stop_losing(store, "TransactWriteItems")
    _retried_with_one_token(attempts)
    assert attempts[0]["ClientRequestToken"] == request_scope.token_for(request_id, 1), "derived from the request"
    assert view["username"] == name
    uid = users.id_for_username(name)
    assert uid is not None and users.id_for_email(f"{name}@example.com") == uid
    assert users.get(uid)["username"] == name


def test_article_create_whose_answer_was_lost_makes_one_article(store):
    from conduit.services import articles
    from conduit.store import articles as stored_articles
    from conduit.store import counters, users
    from conduit.validation import NewArticle

    author = users.id_for_username(register(f"lost{uuid.uuid4().hex[:10]}")["username"])
    total_before = counters.article_total()
    new = NewArticle(title=f"Lost answer {uuid.uuid4().hex[:6]}", description="d", body="b", tagList=["lost"])
    attempts = lose_first_answer(store, "TransactWriteItems")
    try:
        view = in_request(lambda: articles.create(author, new))  # before: a second article, "<slug>-xxxxxx"
    finally:
        stop_losing(store, "TransactWriteItems")
    _retried_with_one_token(attempts)
    written = ops.query(keys.authored_partition(author), index=keys.BY_OWNER_INDEX)
    assert len(written) == 1, written
    assert stored_articles.find_by_slug(view["slug"]).article_id == keys.suffix(written[0]["PK"])
    assert users.get(author)["articlesCount"] == 1, "counted once"
    assert counters.article_total() == total_before + 1


def test_comment_create_and_delete_whose_answers_were_lost_apply_once(store):
    from conduit.services import articles, comments
    from conduit.store import articles as stored_articles
    from conduit.store import comments as stored_comments
    from conduit.store import users
    from conduit.validation import NewArticle

    author = users.id_for_username(register(f"lost{uuid.uuid4().hex[:10]}")["username"])
    new = NewArticle(title=f"Commented {uuid.uuid4().hex[:6]}", description="d", body="b")
    slug = in_request(lambda: articles.create(author, new))["slug"]
    aid = stored_articles.find_by_slug(slug).article_id

    attempts = lose_first_answer(store, "TransactWriteItems")
    try:
        comment = in_request(lambda: comments.add(slug, author, "only once"))  # before: two comments
    finally:
        stop_losing(store, "TransactWriteItems")
    _retried_with_one_token(attempts)
    assert [c.body for c in stored_comments.page(aid, limit=25)] == ["only once"]

    attempts = lose_first_answer(store, "TransactWriteItems")
    try:
        in_request(lambda: comments.delete(slug, comment["id"], author))  # before: 404 for its own delete
    finally:
        stop_losing(store, "TransactWriteItems")
    _retried_with_one_token(attempts)
    assert stored_comments.page(aid, limit=25) == []


def test_a_quota_hit_whose_answer_was_lost_counts_once(store):
    from conduit.store import quotas

    subject = f"lost-{uuid.uuid4().hex}"
    attempts = lose_first_answer(store, "UpdateItem")
    try:
        first = quotas.reserve("write", subject, limit=2)  # before: counted twice, the retry's own hit
    finally:
        stop_losing(store, "UpdateItem")
    assert len(attempts) == 2 and attempts[0] == attempts[1], "botocore resent the same request"
    assert not first.refused
    assert not quotas.reserve("write", subject, limit=2).refused, "counted once: a second hit still fits"
    assert quotas.reserve("write", subject, limit=2).refused, "and the limit still holds"


def test_a_release_whose_answer_was_lost_uncounts_once(store):
    from conduit.store import quotas

    subject = f"lost-{uuid.uuid4().hex}"
    first, second = quotas.reserve("login", subject, limit=2), quotas.reserve("login", subject, limit=2)
    attempts = lose_first_answer(store, "UpdateItem")
    try:
        quotas.release(first)  # the retry finds its attempt gone: nothing uncounted twice
    finally:
        stop_losing(store, "UpdateItem")
    assert len(attempts) == 2
    assert not quotas.reserve("login", subject, limit=2).refused  # one slot came back ...
    assert quotas.reserve("login", subject, limit=2).refused  # ... and only one
    assert not second.refused


def test_an_idempotent_create_whose_record_put_was_lost_runs_once(store):
    from conduit import idempotency

    runs: list[int] = []

    def story() -> dict[str, Any]:
        runs.append(1)
        return {"run": len(runs)}

    key = uuid.uuid4().hex
    attempts = lose_first_answer(store, "PutItem")
    try:
        first = idempotency.run_once("POST /api/articles", "u1", key, b"body", story)  # before: 409 in progress
    finally:
        stop_losing(store, "PutItem")
    assert len(attempts) == 2 and attempts[0] == attempts[1]
    assert first == {"run": 1}
    assert idempotency.run_once("POST /api/articles", "u1", key, b"body", story) == {"run": 1}, "replayed"
    assert len(runs) == 1


# --- the token semantics, on the database itself (moto as patched here, or DynamoDB Local) -----------


def _counter_update(table: str, key: str, by: int) -> list[dict[str, Any]]:
    return [
        {
            "Update": {
                "TableName": table,
                "Key": {"PK": {"S": key}, "SK": {"S": "N"}},
                "UpdateExpression": "ADD n :by",
                "ExpressionAttributeValues": {":by": {"N": str(by)}},
            }
        }
    ]


def _raw(endpoint: str) -> Any:
    """A plain client, with the credentials the tables were made with (DynamoDB Local keeps one
    database per access key and region)."""
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=os.environ["AWS_REGION"])


def _count(raw: Any, table: str, key: str) -> int:
    item = raw.get_item(TableName=table, Key={"PK": {"S": key}, "SK": {"S": "N"}}, ConsistentRead=True).get("Item")
    return int(item["n"]["N"]) if item else 0


def test_a_token_makes_a_transaction_apply_once(endpoint, table_name):
    raw, key, token = _raw(endpoint), f"tok-{uuid.uuid4().hex}", uuid.uuid4().hex
    for _ in range(3):
        raw.transact_write_items(TransactItems=_counter_update(table_name, key, 1), ClientRequestToken=token)
    assert _count(raw, table_name, key) == 1
    with pytest.raises(ClientError) as mismatch:
        raw.transact_write_items(TransactItems=_counter_update(table_name, key, 2), ClientRequestToken=token)
    assert mismatch.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    raw.transact_write_items(TransactItems=_counter_update(table_name, key, 1), ClientRequestToken=token + "x")
    assert _count(raw, table_name, key) == 2, "another token is another transaction"


def test_a_cancelled_transaction_does_not_keep_its_token(endpoint, table_name):
    raw, key, token = _raw(endpoint), f"tok-{uuid.uuid4().hex}", uuid.uuid4().hex
    item = {"PK": {"S": key}, "SK": {"S": "N"}}
    create = [{"Put": {"TableName": table_name, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}}]
    raw.put_item(TableName=table_name, Item=item)
    with pytest.raises(ClientError) as cancelled:
        raw.transact_write_items(TransactItems=create, ClientRequestToken=token)
    assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
    raw.delete_item(TableName=table_name, Key=item)
    raw.transact_write_items(TransactItems=create, ClientRequestToken=token)  # evaluated again: now it holds
    assert "Item" in raw.get_item(TableName=table_name, Key=item, ConsistentRead=True)


def test_embedded_moto_forgets_tokens_after_ten_minutes(endpoint, monkeypatch):
    """DynamoDB's window, on the embedded moto only (no DynamoDB to wait ten minutes for)."""
    embedded = database.EmbeddedDynamoDB()
    endpoint = embedded.start()
    try:
        template = load()
        (logical,) = template.tables()
        name = f"conduit-tokens-{uuid.uuid4().hex[:8]}"
        database.create_tables(template, endpoint, {logical: name})
        raw, key, token = _raw(endpoint), "tok-expiry", uuid.uuid4().hex
        now = [1000.0]
        monkeypatch.setattr(moto_transactions, "_now", lambda: now[0])
        raw.transact_write_items(TransactItems=_counter_update(name, key, 1), ClientRequestToken=token)
        now[0] += moto_transactions.TOKEN_VALID_SECONDS - 1
        raw.transact_write_items(TransactItems=_counter_update(name, key, 1), ClientRequestToken=token)
        assert _count(raw, name, key) == 1
        now[0] += 2
        raw.transact_write_items(TransactItems=_counter_update(name, key, 1), ClientRequestToken=token)
        assert _count(raw, name, key) == 2, "a token older than 10 minutes is a new request"
    finally:
        embedded.stop()

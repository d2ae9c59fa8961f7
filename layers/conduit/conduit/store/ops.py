"""Thin wrappers over DynamoDB calls: pagination, batching, transactions, and fault translation.

Throttling, timeouts and service errors become StorageUnavailable (retryable: a 503). A cancelled
transaction becomes TransactionCancelled with one reason code per item, so callers can tell which
condition failed; nothing of a cancelled transaction was written.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from conduit.errors import StorageUnavailable
from conduit.store import keys, request_scope
from conduit.store.client import Item, dynamodb, from_ddb, table_name, to_ddb
from conduit.store.keys import Key

RETRYABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
        "TransactionInProgressException",
        "LimitExceededException",
    }
)
BATCH_GET_MAX = 100


class ConditionFailed(Exception):
    """A single-item write's ConditionExpression did not hold; `item` is the item as it was, if any."""

    def __init__(self, item: Item | None) -> None:
        super().__init__("conditional check failed")
        self.item = item


class TransactionCancelled(Exception):
    """A transaction's conditions did not hold; `reasons[i]` is the code for the i-th action."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(f"transaction cancelled: {reasons}")
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return 0 <= index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        translated = _translation(exc)
        if translated is None:
            raise
        # a failed condition is an answer, not a fault: no traceback chained to it
        raise translated from (exc if isinstance(translated, StorageUnavailable) else None)
    except BotoCoreError as exc:  # timeouts, connection errors
        raise StorageUnavailable() from exc


RETRYABLE_REASONS = RETRYABLE_CODES | {"ThrottlingError", "TransactionConflict"}


def _translation(exc: ClientError) -> Exception | None:
    """What a DynamoDB error means to the store, or None for a bug (a request DynamoDB refuses)."""
    code = exc.response.get("Error", {}).get("Code", "")
    if code == "ConditionalCheckFailedException":
        raw = exc.response.get("Item")
        return ConditionFailed(from_ddb(raw) if raw else None)
    if code == "TransactionCanceledException":
        reasons = [r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])]
        retryable = any(reason in RETRYABLE_REASONS for reason in reasons)
        return StorageUnavailable() if retryable else TransactionCancelled(reasons)
    if code in RETRYABLE_CODES or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500:
        return StorageUnavailable()
    return None


def get_item(key: Key, projection: Sequence[str] | None = None, consistent: bool = False) -> Item | None:
    if not keys.storable(key):  # DynamoDB would refuse to look it up: no item has it
        return None
    request: dict[str, Any] = {"TableName": table_name(), "Key": to_ddb(key), "ConsistentRead": consistent}
    request.update(_projection(projection))
    with _translated():
        raw = dynamodb().get_item(**request).get("Item")
    return from_ddb(raw) if raw else None


def batch_get(wanted: Sequence[Key], projection: Sequence[str] | None = None) -> dict[tuple[str, str], Item]:
    """Fetch many items by key; returns them keyed by (PK, SK). Missing items are simply absent, as are
    keys no item can have (DynamoDB would refuse the whole batch)."""
    unique = list({(k["PK"], k["SK"]): k for k in wanted if keys.storable(k)}.values())
    found: dict[tuple[str, str], Item] = {}
    for start in range(0, len(unique), BATCH_GET_MAX):
        request: dict[str, Any] = {"Keys": [to_ddb(k) for k in unique[start : start + BATCH_GET_MAX]]}
        if projection:
            request.update(_projection(("PK", "SK", *projection)))
        found.update(_batch_get_all({table_name(): request}))
    return found


BATCH_GET_ATTEMPTS = 5


def _batch_get_all(pending: dict[str, Any] | None) -> dict[tuple[str, str], Item]:
    """One BatchGetItem request, its unprocessed keys asked again up to BATCH_GET_ATTEMPTS times in all."""
    found: dict[tuple[str, str], Item] = {}
    for _attempt in range(BATCH_GET_ATTEMPTS):
        with _translated():
            response = dynamodb().batch_get_item(RequestItems=pending)
        for raw in response.get("Responses", {}).get(table_name(), []):
            item = from_ddb(raw)
            found[(item["PK"], item["SK"])] = item
        pending = response.get("UnprocessedKeys") or None
        if not pending:
            return found
    raise StorageUnavailable()


def query(
    partition: str,
    *,
    index: str | None = None,
    sk_prefix: str | None = None,
    newest_first: bool = False,
    limit: int | None = None,
    projection: Sequence[str] | None = None,
    consistent: bool = False,
    after: Key | None = None,
) -> list[Item]:
    """Items of one partition (of the table or an index), in sort-key order, at most `limit`.

    `consistent` asks for a strongly consistent read (base table only); `after`, the key of an item
    of the partition, starts the read right after it (a key-based cursor: no item before it is read).
    A partition or prefix longer than a key can be holds nothing."""
    if not keys.partition_storable(partition) or (sk_prefix is not None and not keys.sort_storable(sk_prefix)):
        return []
    request = _query_request(partition, index, sk_prefix, projection)
    request["ScanIndexForward"] = not newest_first
    if consistent:
        request["ConsistentRead"] = True
    if after is not None:
        request["ExclusiveStartKey"] = to_ddb(after)
    return _query_pages(request, limit)


def _query_request(
    partition: str, index: str | None, sk_prefix: str | None, projection: Sequence[str] | None
) -> dict[str, Any]:
    """A Query's key condition (the partition, and the sort key's prefix if any) and projection."""
    pk_name, sk_name = _index_keys(index)
    condition = "#pk = :pk"
    names = {"#pk": pk_name}
    expression_values: dict[str, Any] = {":pk": {"S": partition}}
    if sk_prefix is not None:
        condition += " AND begins_with(#sk, :prefix)"
        names["#sk"] = sk_name
        expression_values[":prefix"] = {"S": sk_prefix}
    request: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": condition,
        "ExpressionAttributeValues": expression_values,
    }
    if index:
        request["IndexName"] = index
    projected = _projection(projection)
    names.update(projected.pop("ExpressionAttributeNames", {}))
    request.update(projected)
    request["ExpressionAttributeNames"] = names
    return request


def _query_pages(request: dict[str, Any], limit: int | None) -> list[Item]:
    """Run the Query page after page until `limit` items (or the partition's end)."""
    items: list[Item] = []
    while True:
        if limit is not None:
            request["Limit"] = limit - len(items)
        with _translated():
            response = dynamodb().query(**request)
        items.extend(from_ddb(raw) for raw in response.get("Items", []))
        last = response.get("LastEvaluatedKey")
        if not last or (limit is not None and len(items) >= limit):
            return items
        request["ExclusiveStartKey"] = last


def put_item(item: Item, condition: str | None = None, **condition_values: Any) -> None:
    request: dict[str, Any] = {"TableName": table_name(), "Item": to_ddb(item)}
    _add_condition(request, condition, condition_values)
    with _translated():
        dynamodb().put_item(**request)


def delete_item(key: Key, condition: str | None = None, **condition_values: Any) -> None:
    request: dict[str, Any] = {"TableName": table_name(), "Key": to_ddb(key)}
    _add_condition(request, condition, condition_values)
    with _translated():
        dynamodb().delete_item(**request)


def update_item(
    key: Key, update: str, condition: str | None = None, names: dict[str, str] | None = None, **expression_values: Any
) -> Item:
    """Apply an update expression; returns the item's new attributes (ALL_NEW)."""
    from conduit.store.client import values

    request: dict[str, Any] = {
        "TableName": table_name(),
        "Key": to_ddb(key),
        "UpdateExpression": update,
        "ReturnValues": "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if condition:
        request["ConditionExpression"] = condition
    if names:
        request["ExpressionAttributeNames"] = names
    if expression_values:
        request["ExpressionAttributeValues"] = values(**expression_values)
    with _translated():
        return from_ddb(dynamodb().update_item(**request)["Attributes"])


def transact(actions: list[dict[str, Any]]) -> None:
    """Run TransactWriteItems; actions come from the builders in transactions.py.

    It carries the request's next ClientRequestToken (store.request_scope): a retry of a transaction
    that committed (botocore's, after a lost answer) succeeds without applying it twice.

    A transaction cancelled because another one held one of its items (TransactionConflict) wrote
    nothing, so it is sent again - up to TRANSACTION_ATTEMPTS times in all, after a random pause of
    up to 10, 20, 40 ms ("full jitter", so that the two that collided do not collide again) - each
    time with a new token (an attempt is a new transaction). Only then does it become a 503."""
    for action in actions:
        next(iter(action.values()))["TableName"] = table_name()
    request: dict[str, Any] = {"TransactItems": actions}
    for attempt in range(1, TRANSACTION_ATTEMPTS + 1):
        token = request_scope.transaction_token()
        if token is not None:
            request["ClientRequestToken"] = token
        try:
            with _translated():
                dynamodb().transact_write_items(**request)
            return
        except StorageUnavailable as unavailable:
            if attempt == TRANSACTION_ATTEMPTS or not _is_conflict(unavailable.__cause__):
                raise
            time.sleep(random.uniform(0, CONFLICT_PAUSE_SECONDS * 2 ** (attempt - 1)))


TRANSACTION_ATTEMPTS = 4
CONFLICT_PAUSE_SECONDS = 0.010


def _is_conflict(error: BaseException | None) -> bool:
    if not isinstance(error, ClientError):
        return False
    code = error.response.get("Error", {}).get("Code", "")
    reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
    return code == "TransactionConflictException" or "TransactionConflict" in reasons


def _add_condition(request: dict[str, Any], condition: str | None, condition_values: dict[str, Any]) -> None:
    from conduit.store.client import values

    if condition:
        request["ConditionExpression"] = condition
        request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if condition_values:
        request["ExpressionAttributeValues"] = values(**condition_values)


def _projection(attributes: Sequence[str] | None) -> dict[str, Any]:
    if not attributes:
        return {}
    names = {f"#p{i}": name for i, name in enumerate(dict.fromkeys(attributes))}
    return {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}


def _index_keys(index: str | None) -> tuple[str, str]:
    return {
        None: ("PK", "SK"),
        keys.BY_OWNER_INDEX: ("GSI1PK", "GSI1SK"),
        keys.BY_KIND_INDEX: ("GSI2PK", "GSI2SK"),
        keys.TAGS_BY_COUNT_INDEX: ("GSI3PK", "tagCount"),
    }[index]

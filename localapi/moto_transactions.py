"""TransactWriteItems for the embedded moto DynamoDB without whole-table copies.

moto snapshots every table a transaction touches with `copy.deepcopy` (once per action) so that
it can roll back a cancelled transaction. That makes each transaction O(size of the table): the
local API slows down as data accumulates (hundreds of ms per write after a few thousand items),
until the handlers' DynamoDB client times out and retries writes that had in fact succeeded.

This version does what DynamoDB does: it evaluates every condition first and writes only when
all of them hold, keeping a copy of just the items it writes (to undo a write that fails midway).
Requests to the embedded server are serialized (see database.EmbeddedDynamoDB), so it is atomic.

It also honours ClientRequestToken as DynamoDB documents it (moto ignores it): a token is valid for
10 minutes after the transaction that used it committed; within them the same token with the same
parameters answers success without applying anything again, and with other parameters
IdempotentParameterMismatchException. A cancelled transaction is not remembered (DynamoDB Local
behaves the same: tests/reliability/test_lost_answers.py runs on both).
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

TOKEN_VALID_SECONDS = 600
_installed = False
_tokens: dict[str, tuple[str, float]] = {}  # token -> (fingerprint of the request, when it committed)
_tokens_lock = threading.Lock()


def install() -> None:
    """Replace moto's TransactWriteItems (backend and request handler) in this process (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = _idempotent(DynamoHandler.transact_write_items)  # type: ignore[method-assign]
    _installed = True


def _idempotent(handle: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Wrap moto's request handler with DynamoDB's ClientRequestToken semantics."""

    def transact_write_items(handler: Any) -> Any:
        from moto.core.responses import ActionResult

        body = dict(handler.body)
        token = body.pop("ClientRequestToken", None)
        if token is None:
            return handle(handler)
        # Tokens are per account and region in DynamoDB; the embedded server serves one of each.
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
        now = _now()
        with _tokens_lock:
            _expire(now)
            seen = _tokens.get(token)
            if seen is not None and now - seen[1] > TOKEN_VALID_SECONDS:  # whatever the order of the others
                del _tokens[token]
                seen = None
        if seen is not None:
            if seen[0] != fingerprint:
                raise _parameter_mismatch()
            return ActionResult({})  # committed before: success, nothing applied again
        result = handle(handler)
        with _tokens_lock:
            _tokens.pop(token, None)
            _tokens[token] = (fingerprint, _now())  # the newest last: they expire from the front
        return result

    return transact_write_items


def _expire(now: float) -> None:
    """Forget the tokens older than TOKEN_VALID_SECONDS: the oldest first, so in time proportional to
    the number forgotten (a sweep of every token per transaction made each one O(transactions in the
    last 10 minutes): ~5 ms each while a large account was deleted)."""
    while _tokens:
        oldest = next(iter(_tokens))
        if now - _tokens[oldest][1] <= TOKEN_VALID_SECONDS:
            return
        del _tokens[oldest]


def _now() -> float:
    return time.monotonic()


def _parameter_mismatch() -> Exception:
    from moto.dynamodb.exceptions import DynamodbException

    return DynamodbException(
        "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
        "Request parameters do not match the parameters of the request that first used this token",
    )


def _transact_write_items(backend: Any, transact_items: list[dict[str, Any]]) -> None:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    actions: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    targets: set[tuple[str, str]] = set()
    for item in transact_items:
        if len(item) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(item.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise ValueError("Unsupported transaction operation")
        table = backend.get_table(op["TableName"])
        if op_type == "Put":
            key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = op["Item"][table.range_key_attr]
        else:
            key = op["Key"]
        target = (str(op["TableName"]), str(dict(sorted(key.items()))))
        if target in targets:
            raise MultipleTransactionsException()
        targets.add(target)
        actions.append((op_type, op, key))

    # Every condition is evaluated against the state before the transaction.
    errors: list[tuple[str | None, str | None, dict[str, Any] | None]] = []
    for _, op, key in actions:
        try:
            current = backend.get_item(op["TableName"], key)
            condition = op.get("ConditionExpression")
            if condition is not None:
                check = get_filter_expression(
                    condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
                )
                if not check.expr(current):
                    old = None
                    if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                        old = current.to_json()["Attributes"]
                    errors.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, old))
                    continue
            errors.append((None, None, None))
        except Exception as error:  # reported per action, as moto does
            errors.append((type(error).__name__, str(error), None))
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)

    written: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []
    try:
        for index, (op_type, op, key) in enumerate(actions):
            if op_type == "ConditionCheck":
                continue
            table_name = op["TableName"]
            before = backend.get_item(table_name, key)
            written.append((table_name, key, copy.deepcopy(before.to_json()["Attributes"]) if before else None))
            try:
                _write(backend, op_type, op, key)
            except Exception as error:
                if type(error).__name__ in {"MockValidationException", "MultipleTransactionsException"}:
                    raise
                reasons: list[tuple[str | None, str | None, dict[str, Any] | None]] = [(None, None, None)] * len(
                    actions
                )
                reasons[index] = (type(error).__name__, str(error), None)
                raise TransactionCanceledException(reasons) from error
    except Exception:
        for table_name, key, attributes in reversed(written):
            if attributes is None:
                backend.delete_item(table_name, key)
            else:
                backend.put_item(table_name, attributes)
        raise


def _write(backend: Any, op_type: str, op: dict[str, Any], key: dict[str, Any]) -> None:
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    if op_type == "Put":
        backend.put_item(op["TableName"], op["Item"])
    elif op_type == "Delete":
        backend.delete_item(op["TableName"], key)
    else:
        backend.update_item(
            op["TableName"],
            key,
            update_expression=op["UpdateExpression"],
            expression_attribute_names=names,
            expression_attribute_values=values,
        )

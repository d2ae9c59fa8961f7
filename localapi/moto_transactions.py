"""TransactWriteItems for the embedded moto DynamoDB without whole-table copies.

moto snapshots every table a transaction touches with `copy.deepcopy` (once per action) so that
it can roll back a cancelled transaction. That makes each transaction O(size of the table): the
local API slows down as data accumulates (hundreds of ms per write after a few thousand items),
until the handlers' DynamoDB client times out and retries writes that had in fact succeeded.

This version does what DynamoDB does: it evaluates every condition first and writes only when
all of them hold, keeping a copy of just the items it writes (to undo a write that fails midway).
Requests to the embedded server are serialized (see database.EmbeddedDynamoDB), so it is atomic.
"""

from __future__ import annotations

import copy
from typing import Any

_installed = False


def install() -> None:
    """Replace moto's DynamoDBBackend.transact_write_items in this process (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend

    DynamoDBBackend.transact_write_items = _transact_write_items  # type: ignore[method-assign]
    _installed = True


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

"""Builders for TransactWriteItems actions (TableName is filled in by ops.transact)."""

from __future__ import annotations

from typing import Any

from conduit.store.client import Item, to_ddb, values
from conduit.store.conditions import ABSENT, EXISTS
from conduit.store.keys import Key

Action = dict[str, Any]


def put_new(item: Item) -> Action:
    """Create an item that must not exist yet (uniqueness markers, edges, new entities)."""
    return {"Put": {"Item": to_ddb(item), "ConditionExpression": ABSENT}}


def put(item: Item) -> Action:
    return {"Put": {"Item": to_ddb(item)}}


def delete(key: Key, condition: str | None = None, **condition_values: Any) -> Action:
    action: dict[str, Any] = {"Key": to_ddb(key)}
    if condition:
        action["ConditionExpression"] = condition
    if condition_values:
        action["ExpressionAttributeValues"] = values(**condition_values)
    return {"Delete": action}


def update(key: Key, expression: str, condition: str | None = None, **expression_values: Any) -> Action:
    action: dict[str, Any] = {"Key": to_ddb(key), "UpdateExpression": expression}
    if condition:
        action["ConditionExpression"] = condition
    if expression_values:
        action["ExpressionAttributeValues"] = values(**expression_values)
    return {"Update": action}


def check(key: Key, condition: str, **condition_values: Any) -> Action:
    action: dict[str, Any] = {"Key": to_ddb(key), "ConditionExpression": condition}
    if condition_values:
        action["ExpressionAttributeValues"] = values(**condition_values)
    return {"ConditionCheck": action}


def add_to_counter(key: Key, attribute: str, delta: int, must_exist: bool = False) -> Action:
    """Atomic `ADD attribute delta`; creates the counter item when it is missing unless must_exist."""
    return update(
        key,
        f"ADD {attribute} :delta",
        EXISTS if must_exist else None,
        delta=delta,
    )

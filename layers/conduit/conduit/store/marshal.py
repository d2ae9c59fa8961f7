"""Python values to DynamoDB attribute values and back, for the types this project stores.

Written here instead of importing boto3.dynamodb.types: importing boto3 costs ~110 ms of every
cold start (it pulls in s3transfer), and these few lines are all the layer needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

AttributeValue = dict[str, Any]


def serialize(value: Any) -> AttributeValue:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):  # before int: bool is an int
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(key): serialize(item) for key, item in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [serialize(item) for item in value]}
    if isinstance(value, set | frozenset) and value and all(isinstance(item, str) for item in value):
        return {"SS": sorted(value)}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB: {value!r}")


def deserialize(attribute: AttributeValue) -> Any:
    ((kind, value),) = attribute.items()
    if kind == "S":
        return value
    if kind == "N":
        return _number(value)
    if kind == "BOOL":
        return bool(value)
    if kind == "NULL":
        return None
    if kind == "M":
        return {key: deserialize(item) for key, item in value.items()}
    if kind == "L":
        return [deserialize(item) for item in value]
    if kind == "SS":
        return set(value)
    if kind == "NS":
        return {_number(item) for item in value}
    if kind == "B":
        return bytes(value)
    if kind == "BS":
        return {bytes(item) for item in value}
    raise TypeError(f"unknown DynamoDB attribute type {kind}")


def _number(text: str) -> int | float:
    # Every number this project writes is an integer; anything else (a float someone stored) stays usable.
    try:
        return int(text)
    except ValueError:
        return float(text)

"""Python values to DynamoDB attribute values and back, for the types this project stores.

Written here instead of importing boto3.dynamodb.types: importing boto3 costs ~110 ms of every
cold start (it pulls in s3transfer), and these few lines are all the layer needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

AttributeValue = dict[str, Any]


def serialize(value: Any) -> AttributeValue:
    for matches, convert in _SERIALIZERS:  # in order: bool before int (a bool is an int)
        if matches(value):
            return convert(value)
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB: {value!r}")


def _is_string_set(value: Any) -> bool:
    return isinstance(value, set | frozenset) and bool(value) and all(isinstance(item, str) for item in value)


_SERIALIZERS: tuple[tuple[Callable[[Any], bool], Callable[[Any], AttributeValue]], ...] = (
    (lambda value: value is None, lambda value: {"NULL": True}),
    (lambda value: isinstance(value, bool), lambda value: {"BOOL": value}),
    (lambda value: isinstance(value, str), lambda value: {"S": value}),
    (lambda value: isinstance(value, int), lambda value: {"N": str(value)}),
    (lambda value: isinstance(value, bytes | bytearray), lambda value: {"B": bytes(value)}),
    (
        lambda value: isinstance(value, Mapping),
        lambda value: {"M": {str(key): serialize(item) for key, item in value.items()}},
    ),
    (lambda value: isinstance(value, list | tuple), lambda value: {"L": [serialize(item) for item in value]}),
    (_is_string_set, lambda value: {"SS": sorted(value)}),
)


def deserialize(attribute: AttributeValue) -> Any:
    ((kind, value),) = attribute.items()
    convert = _DESERIALIZERS.get(kind)
    if convert is None:
        raise TypeError(f"unknown DynamoDB attribute type {kind}")
    return convert(value)


_DESERIALIZERS: dict[str, Callable[[Any], Any]] = {
    "S": lambda value: value,
    "N": lambda value: _number(value),
    "BOOL": bool,
    "NULL": lambda value: None,
    "M": lambda value: {key: deserialize(item) for key, item in value.items()},
    "L": lambda value: [deserialize(item) for item in value],
    "SS": set,
    "NS": lambda value: {_number(item) for item in value},
    "B": bytes,
    "BS": lambda value: {bytes(item) for item in value},
}


def _number(text: str) -> int | float:
    # Every number this project writes is an integer; anything else (a float someone stored) stays usable.
    try:
        return int(text)
    except ValueError:
        return float(text)

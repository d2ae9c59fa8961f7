"""DynamoDB item values into moto's JSON responses without its generic serializer's per-value walk.

moto 5 writes every response through a serializer driven by the service model: each attribute
value of each item is a structure of ten possible members (S, N, B, SS, NS, BS, M, L, NULL, BOOL),
and for each of them the serializer looks the member up under two spellings. That walk was a third
of the embedded server's time while a large account was deleted (Query pages, returned items).

For the value types the store writes (S, N, BOOL, NULL, string sets, maps and lists of them) this
builds the same JSON directly: each member as the serializer writes it (strings as they are, booleans
as they are, maps and lists member by member). Any other value (binary, a shape not as expected) goes
to moto's own code. tests/localapi/test_moto_speed.py compares the responses with moto's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

enabled = True  # False: moto's own serializer for every value (the tests compare the two)
_original: dict[str, Callable[..., Any]] = {}


class _Other(Exception):
    """A value this module leaves to moto's serializer."""


def install() -> None:
    """Patch moto's JSON serializer in this process (idempotent)."""
    if _original:
        return
    from moto.core.serialize import BaseJSONSerializer

    _original["structure"] = BaseJSONSerializer._serialize_type_structure
    BaseJSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign]


def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if enabled and key and shape.name == "AttributeValue" and self.service_model.service_name == "dynamodb":
        try:
            converted = attribute_value(value)
        except _Other:
            pass
        else:
            self._default_serialize(serialized, converted, shape, key)
            return
    _original["structure"](self, serialized, value, shape, key)


def attribute_value(value: Any) -> dict[str, Any]:
    """The serialized form of one AttributeValue (raises _Other for any value left to moto)."""
    if type(value) is not dict or len(value) != 1:
        raise _Other
    ((kind, member),) = value.items()
    if kind in ("S", "N"):
        if type(member) is str:
            return {kind: member}
    elif kind in ("BOOL", "NULL"):
        if type(member) is bool:
            return {kind: member}
    elif kind in ("SS", "NS"):
        if type(member) is list and all(type(entry) is str for entry in member):
            return {kind: list(member)}
    elif kind == "M":
        if type(member) is dict and all(type(name) is str for name in member):
            return {"M": {name: attribute_value(entry) for name, entry in member.items()}}
    elif kind == "L" and type(member) is list:
        return {"L": [attribute_value(entry) for entry in member]}
    raise _Other

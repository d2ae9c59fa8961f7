"""DynamoDB's size and capacity rules, applied to items in wire format ({"S": "..."}).

moto reports a fixed ConsumedCapacity per call (0.5 or 1.0 whatever the item sizes), so the bench
models request units itself from the items a call touched, with the published rules:

* item size: attribute-name bytes + value bytes; a number is about 1 byte per 2 significant digits
  + 1; a list or map costs 3 bytes + 1 byte per element; booleans and nulls 1 byte.
* reads: 4 KB units; eventually consistent reads cost half. GetItem / BatchGetItem round every item
  up on its own (a missing item still costs the minimum); Query / Scan add the sizes of every item
  read (before any filter) and round the total once per page.
* writes: 1 KB units of the larger of the old and the new item. Inside TransactWriteItems every
  action costs twice (prepare + commit); a ConditionCheck is modelled as a transactional read.
* global secondary indexes: one write unit per index entry put or deleted (an entry whose key
  changes is a delete + a put). Index writes are not doubled inside transactions (assumption).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

READ_UNIT = 4096
WRITE_UNIT = 1024
PAGE_BYTES = 1024 * 1024


def number_size(text: str) -> int:
    digits = text.strip().lstrip("-+").replace(".", "").split("e")[0].split("E")[0].strip("0")
    return (max(len(digits), 1) + 1) // 2 + 1


def value_size(value: Any) -> int:
    """Size of one attribute value: a wire dict {"S": "x"} or an object with .type/.value (moto)."""
    if isinstance(value, Mapping):
        (kind, raw), *_ = value.items()
    else:
        kind, raw = value.type, value.value
    if kind == "S":
        return len(raw.encode("utf-8"))
    if kind == "N":
        return number_size(str(raw))
    if kind == "B":
        return len(raw)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(item.encode("utf-8")) for item in raw)
    if kind == "NS":
        return sum(number_size(str(item)) for item in raw)
    if kind == "BS":
        return sum(len(item) for item in raw)
    if kind == "L":
        return 3 + sum(1 + value_size(item) for item in raw)
    if kind == "M":
        return 3 + sum(1 + len(name.encode("utf-8")) + value_size(item) for name, item in raw.items())
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: Mapping[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(value) for name, value in item.items())


def read_units(size: int, consistent: bool = False) -> float:
    """One item read by GetItem / BatchGetItem (a missing item costs the minimum)."""
    units = max(1, math.ceil(size / READ_UNIT))
    return units if consistent else units / 2


def query_units(sizes: list[int], consistent: bool = False) -> float:
    """Query / Scan: the sizes of all items read are added, then rounded once per 1 MB page."""
    total = sum(sizes)
    pages = max(1, math.ceil(total / PAGE_BYTES))
    units = sum(max(1, math.ceil(min(PAGE_BYTES, total - page * PAGE_BYTES) / READ_UNIT)) for page in range(pages))
    return units if consistent else units / 2


def write_units(old_size: int, new_size: int) -> int:
    return max(1, math.ceil(max(old_size, new_size) / WRITE_UNIT))


def index_key(item: Mapping[str, Any] | None, key_attrs: tuple[str, str]) -> tuple[str, ...] | None:
    """The entry an item has in one index (None when it lacks one of the index's key attributes)."""
    if not item or any(name not in item for name in key_attrs):
        return None
    return tuple(repr(item[name]) for name in key_attrs)


def index_writes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, indexes: dict) -> int:
    """Index entries written when an item goes from `old` to `new` (keys-only indexes)."""
    writes = 0
    for key_attrs in indexes.values():
        before, after = index_key(old, key_attrs), index_key(new, key_attrs)
        if before == after:
            continue
        writes += (before is not None) + (after is not None)
    return writes

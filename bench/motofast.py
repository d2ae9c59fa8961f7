"""Make in-process moto usable at 100,000 articles, and time the simulated server.

moto 5.2 answers every Query by sorting the whole table (Table.all_items), and every
TransactWriteItems starts by deep-copying the whole table once per action (its rollback copy).
At ~400,000 items that is seconds to minutes per call. These patches keep moto's code paths and
results and only hand it a smaller candidate list:

* Query: the local API's patch (localapi/moto_queries.py): the items of the queried partition (of
  the table or an index) that can meet the sort key condition.
* Scan without an index: the table in key order, starting after ExclusiveStartKey (cached until the
  next write, handed to moto through moto_queries.listing); moto's per-item deep copy is skipped
  (Scan never mutates what it copies), and its 1 MB pages are cut by item sizes computed once with
  capacity.py's rules instead of moto's own.
* TransactWriteItems: the local API's (localapi/moto_transactions.py): conditions first, then the
  writes through moto's put/update/delete, with a copy of only the items written (it rolls back through
  them too, so moto_queries' partition index and this module's caches stay in step).
* Items: moto re-measures the whole item on every attribute it sets (its 400 KB check, quadratic in
  the attribute count); the check is skipped - the bench's items are a few KB.
* Responses of the data-plane calls: plain json.dumps instead of moto's model-driven serializer
  (half of moto's time for a page of articles). The first response of every operation is produced
  both ways and compared; an operation whose bodies differ keeps moto's serializer.

What a call returns, and so what the bench counts, is unchanged (the bench never reads capacity
from moto). `server_seconds()` is the time spent inside moto (the simulated DynamoDB) on this thread.
"""

from __future__ import annotations

import base64
import bisect
import copy
import inspect
import json
import threading
import time
from typing import Any

from bench import capacity
from localapi import moto_queries, moto_transactions

_local = threading.local()
_lock = threading.RLock()
_version = 0
_caches: dict[tuple[int, str], tuple[int, Any]] = {}
_installed = False


def server_seconds() -> float:
    """Seconds spent inside moto by this thread since it started."""
    return getattr(_local, "server", 0.0)


def _bump() -> None:
    global _version
    with _lock:
        _version += 1
        _caches.clear()


def _cached(table: Any, name: str, build: Any) -> Any:
    key = (id(table), name)
    with _lock:
        entry = _caches.get(key)
        if entry is not None and entry[0] == _version and entry[1][0] is table:
            return entry[1][1]
        value = build()
        _caches[key] = (_version, (table, value))
        return value


def _items(table: Any) -> list[Any]:
    return [item for partition in list(table.items.values()) for item in list(partition.values())]


def _sorted_table(table: Any) -> tuple[list[tuple[str, str]], list[Any]]:
    def build() -> tuple[list[tuple[str, str]], list[Any]]:
        rows = sorted(((item.hash_key.value, item.range_key.value), item) for item in _items(table))
        return [key for key, _ in rows], [item for _, item in rows]

    return _cached(table, "sorted", build)


def _sizes(table: Any) -> list[int]:
    """Item sizes (DynamoDB's rules, capacity.py) in key order, until the next write."""
    return _cached(table, "sizes", lambda: [capacity.item_size(item.attrs) for item in _sorted_table(table)[1]])


def _sizes_by_id(table: Any) -> dict[int, int]:
    """The same sizes by item identity: moto's Scan pages by them instead of re-measuring every item."""

    def build() -> dict[int, int]:
        return {id(item): size for item, size in zip(_sorted_table(table)[1], _sizes(table), strict=True)}

    return _cached(table, "sizes_by_id", build)


def scanned_bytes(table: Any, start: int, count: int) -> int:
    """Bytes of the `count` items a Scan read from position `start` (for the capacity model)."""
    return sum(_sizes(table)[start : start + count])


def install() -> None:
    """Patch moto's DynamoDB table and backend (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.dynamodb import models
    from moto.dynamodb.models import table as table_module
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.models.table import Table

    LimitedSizeDict.__setitem__ = dict.__setitem__

    original_call = BotocoreStubber.__call__

    def timed_call(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        started = time.thread_time()  # CPU time of this thread: excludes waiting for the GIL
        try:
            return original_call(self, event_name, request, **kwargs)
        finally:
            _local.server = server_seconds() + time.thread_time() - started

    BotocoreStubber.__call__ = timed_call

    moto_transactions.install()  # TransactWriteItems and Query: the local API's (see the module docstring)
    moto_queries.install()

    from moto.dynamodb.responses import DynamoHandler

    original_serialized = DynamoHandler.serialized

    def serialized(self: Any, action_result: Any) -> Any:
        action, result = self._get_action(), action_result.result
        if action not in FAST_ACTIONS or action in _slow_actions or not isinstance(result, dict):
            return original_serialized(self, action_result)
        body = json.dumps(result, default=_plain)
        if action not in _checked_actions:
            expected = original_serialized(self, action_result)
            _checked_actions.add(action)
            if _normalised(json.loads(expected[2] or "{}")) != _normalised(json.loads(body)):
                _slow_actions.add(action)
            return expected
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        headers.update(self.response_headers)
        return 200, headers, body

    DynamoHandler.serialized = serialized

    original_scan = Table.scan
    scan_signature = inspect.signature(original_scan)

    def scan(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = scan_signature.bind(self, *args, **kwargs).arguments
        if bound.get("index_name"):
            return original_scan(self, *args, **kwargs)
        keys, items = _sorted_table(self)
        start = 0
        start_key = bound.get("exclusive_start_key")
        if start_key:
            after = (
                DynamoType(start_key[self.hash_key_attr]).value,
                DynamoType(start_key[self.range_key_attr]).value,
            )
            start = bisect.bisect_right(keys, after)
        _local.scan_start = start
        sizes = _sizes_by_id(self)
        measure = Item.size
        table_module.copy = _ShallowCopy
        Item.size = lambda item: sizes.get(id(item)) or measure(item)
        try:
            with moto_queries.listing(self, items[start:], ordered=True):
                return original_scan(self, *args, **kwargs)
        finally:
            Item.size = measure
            table_module.copy = copy

    Table.scan = scan

    for name in ("put_item", "delete_item"):
        _bump_after(Table, name)
    _bump_after(models.DynamoDBBackend, "update_item")


FAST_ACTIONS = frozenset(
    {"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems"}
)
_checked_actions: set[str] = set()
_slow_actions: set[str] = set()


def serializer_report() -> dict[str, list[str]]:
    """Which operations were answered by the fast serializer (verified) and which fell back."""
    return {"fast": sorted(_checked_actions - _slow_actions), "moto": sorted(_slow_actions)}


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if hasattr(value, "to_json"):  # moto's DynamoType
        return value.to_json()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _normalised(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {key: _normalised(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, {}, [])}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value


def last_scan_start() -> int:
    return getattr(_local, "scan_start", 0)


def _bump_after(owner: type, name: str) -> None:
    original = getattr(owner, name)

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        finally:
            _bump()

    setattr(owner, name, wrapped)


class _ShallowCopy:
    """`copy` as moto's Table.scan sees it: no per-item deep copy (a Scan only reads)."""

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        return value

    copy = staticmethod(copy.copy)


def backend() -> Any:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]


def stored_item(table_name: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The whole stored item for a wire-format key (for sizes), or None."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    table = backend().get_table(table_name)
    hash_value = DynamoType(key[table.hash_key_attr])
    range_value = DynamoType(key[table.range_key_attr])
    item = table.items.get(hash_value, {}).get(range_value)
    return item.to_json()["Attributes"] if item is not None else None

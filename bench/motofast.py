"""Make in-process moto usable at 100,000 articles, and time the simulated server.

moto 5.2 answers every Query by sorting the whole table (Table.all_items), and every
TransactWriteItems starts by deep-copying the whole table once per action (its rollback copy).
At ~400,000 items that is seconds to minutes per call. These patches keep moto's code paths and
results and only hand it a smaller candidate list:

* Query on the table: the items of the requested partition only.
* Query on an index: the items whose index partition key matches (an index map rebuilt after writes).
* Scan without an index: the table in key order, starting after ExclusiveStartKey (cached until the
  next write); moto's per-item deep copy is skipped (Scan never mutates what it copies), and its
  1 MB pages are cut by item sizes computed once with capacity.py's rules instead of moto's own.
* TransactWriteItems: the rollback copy holds only the items the transaction touches.
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
from collections import defaultdict
from typing import Any

from bench import capacity

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


def _index_members(table: Any, index_name: str) -> dict[Any, list[Any]]:
    index = table.get_index(index_name)
    hash_attr = next(key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH")

    def build() -> dict[Any, list[Any]]:
        members: dict[Any, list[Any]] = defaultdict(list)
        for item in _items(table):
            value = item.attrs.get(hash_attr)
            if value is not None:
                members[value].append(item)
        return members

    return _cached(table, f"index:{index_name}", build)


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

    original_all_items = Table.all_items

    def all_items(self: Any) -> list[Any]:
        candidates = getattr(_local, "candidates", None)
        return candidates if candidates is not None else original_all_items(self)

    Table.all_items = all_items

    original_query = Table.query
    query_signature = inspect.signature(original_query)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = query_signature.bind(self, *args, **kwargs).arguments
        index_name = bound.get("index_name")
        if index_name:
            conditions = bound.get("hash_key_conditions") or []
            value = conditions[0][1] if conditions else bound.get("hash_key")
            candidates = list(_index_members(self, index_name).get(value, ()))
        else:
            candidates = list(self.items.get(bound.get("hash_key"), {}).values())
        _local.candidates = candidates
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _local.candidates = None

    Table.query = query

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
        _local.candidates = items[start:]
        _local.scan_start = start
        sizes = _sizes_by_id(self)
        measure = Item.size
        table_module.copy = _ShallowCopy
        Item.size = lambda item: sizes.get(id(item)) or measure(item)
        try:
            return original_scan(self, *args, **kwargs)
        finally:
            Item.size = measure
            table_module.copy = copy
            _local.candidates = None

    Table.scan = scan

    for name in ("put_item", "delete_item"):
        _bump_after(Table, name)
    _bump_after(models.DynamoDBBackend, "update_item")

    models.copy = _NoTableCopy
    original_transact = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        touched = []
        for action in transact_items:
            op = next(iter(action.values()))
            if op.get("TableName") not in self.tables:
                continue
            table = self.get_table(op["TableName"])
            key = op.get("Key") or op.get("Item") or {}
            if table.hash_key_attr not in key or table.range_key_attr not in key:
                continue
            hash_value, range_value = DynamoType(key[table.hash_key_attr]), DynamoType(key[table.range_key_attr])
            current = table.items.get(hash_value, {}).get(range_value)
            touched.append((table, hash_value, range_value, copy.deepcopy(current)))
        try:
            return original_transact(self, transact_items)
        except Exception:
            for table, hash_value, range_value, before in touched:
                if before is None:
                    table.items.get(hash_value, {}).pop(range_value, None)
                else:
                    table.items[hash_value][range_value] = before
            raise
        finally:
            _bump()

    models.DynamoDBBackend.transact_write_items = transact_write_items


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


class _NoTableCopy:
    """`copy` as moto's backend sees it: whole tables are not deep-copied (see transact_write_items)."""

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

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

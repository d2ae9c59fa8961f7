"""Query for the embedded moto DynamoDB in time proportional to the partition, not to the table.

moto answers every Query (on the table or on an index) by listing and sorting every item of the
table (`Table.all_items`), then keeping those of the queried partition: each Query is O(n log n) in
the size of the table. With 50,000 items a query took ~70 ms, and a large account's deletion job,
which queries per batch and per article, ran for an hour.

This keeps, per table, which items each index partition holds (for every hash key attribute of its
global secondary indexes) and each partition's string sort keys in order, up to date on every write
moto makes: Table.put_item, Table.delete_item and DynamoDBBackend.update_item are the only paths
that add, remove or change stored items (transactions, batch writes and PartiQL go through them).
A Query then hands moto's own Query only the items that can match: those of the queried partition
(the table's own for a table query or a local index), narrowed to those meeting the sort key
condition by moto's own test (a begins_with on the table's sort key by a binary search). moto
filters, sorts, pages, projects and counts them exactly as before, so the answers are the same item
for item (tests/localapi/test_moto_speed.py compares them with moto's own on random writes).
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

KEY_TYPES = ("S", "N", "B")  # the types a key attribute can have (an item holding another is in no index)
MAX_ITEM_BYTES = 400 * 1024
enabled = True  # False: every Query goes to moto's own code (the tests compare the two)
_original: dict[str, Callable[..., Any]] = {}
_candidates = threading.local()  # (table, its items as moto lists them, ordered) while `listing`


def install() -> None:
    """Patch moto's Table and DynamoDBBackend in this process (idempotent)."""
    if _original:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    _original.update(all_items=Table.all_items, query=Table.query)
    Table.all_items = _all_items  # type: ignore[method-assign]
    Table.query = _query  # type: ignore[method-assign]
    Table.put_item = _put_item(Table.put_item)  # type: ignore[method-assign]
    Table.delete_item = _delete_item(Table.delete_item)  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _update_item(DynamoDBBackend.update_item)  # type: ignore[method-assign]


class PartitionIndex:
    """For one table: (attribute, value) -> keys of the items holding that value, for every hash key
    attribute of the table's global secondary indexes; and, when the table's sort key is a string,
    each partition's sort keys in order."""

    def __init__(self, table: Any, attributes: frozenset[str]) -> None:
        self.items = table.items  # the dict it was built from (a restored table gets a new one)
        self.attributes = attributes
        self.keys: dict[tuple[str, Any], dict[tuple[Any, Any], None]] = {}
        self.entries: dict[tuple[Any, Any], list[tuple[str, Any]]] = {}
        self.sort_keys: dict[Any, list[str]] | None = {} if table.range_key_type == "S" else None
        for item in _stored(table):
            self.add(item)
        for ordered in (self.sort_keys or {}).values():
            ordered.sort()

    def add(self, item: Any) -> None:
        key = (item.hash_key, item.range_key)
        entries = [
            (name, item.attrs[name])
            for name in self.attributes
            if name in item.attrs and item.attrs[name].type in KEY_TYPES
        ]
        if entries:
            self.entries[key] = entries
            for entry in entries:
                self.keys.setdefault(entry, {})[key] = None
        if self.sort_keys is not None:
            self.sort_keys.setdefault(item.hash_key, []).append(item.range_key.value)

    def remove(self, key: tuple[Any, Any]) -> None:
        for entry in self.entries.pop(key, ()):
            holders = self.keys.get(entry)
            if holders is not None:
                holders.pop(key, None)
                if not holders:
                    del self.keys[entry]

    def refresh(self, table: Any, hash_key: Any, range_key: Any) -> None:
        """Re-read one item after a write (it may be new, changed or gone)."""
        key = (hash_key, range_key)
        self.remove(key)
        item = _lookup(table, hash_key, range_key)
        if item is not None:
            self.add_entries(item)
        if self.sort_keys is not None and range_key is not None:
            ordered = self.sort_keys.setdefault(hash_key, [])
            at = bisect.bisect_left(ordered, range_key.value)
            present = at < len(ordered) and ordered[at] == range_key.value
            if item is not None and not present:
                ordered.insert(at, range_key.value)
            elif item is None and present:
                del ordered[at]

    def add_entries(self, item: Any) -> None:
        sort_keys, self.sort_keys = self.sort_keys, None  # the sort keys are kept in order by refresh
        try:
            self.add(item)
        finally:
            self.sort_keys = sort_keys

    def holding(self, table: Any, name: str, value: Any) -> list[Any]:
        found = []
        for hash_key, range_key in self.keys.get((name, value), {}):
            item = _lookup(table, hash_key, range_key)
            if item is not None:
                found.append(item)
        return found

    def beginning_with(self, table: Any, hash_key: Any, prefix: str) -> list[Any]:
        """The items whose sort key begins with `prefix`, with their neighbours (see _with_neighbours)."""
        from moto.dynamodb.models.dynamo_type import DynamoType

        ordered = (self.sort_keys or {}).get(hash_key, [])
        low = high = bisect.bisect_left(ordered, prefix)
        while high < len(ordered) and ordered[high].startswith(prefix):
            high += 1
        found = []
        for value in ordered[max(low - 1, 0) : high + 1]:
            item = _lookup(table, hash_key, DynamoType({"S": value}))
            if item is not None:
                found.append(item)
        return found


def _index_attributes(table: Any) -> frozenset[str]:
    names = set()
    for index in table.global_indexes or []:
        names.update(key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH")
    names.discard(table.hash_key_attr)
    return frozenset(names)


def _index_of(table: Any) -> PartitionIndex:
    attributes = _index_attributes(table)
    index = table.__dict__.get("_partition_index")
    if index is None or index.items is not table.items or index.attributes != attributes:
        index = PartitionIndex(table, attributes)
        table.__dict__["_partition_index"] = index
    return index


def _refresh(table: Any, hash_key: Any, range_key: Any) -> None:
    index = table.__dict__.get("_partition_index")
    if index is None:
        return
    if index.items is table.items and index.attributes == _index_attributes(table):
        index.refresh(table, hash_key, range_key)
    else:
        table.__dict__.pop("_partition_index", None)  # built afresh by the next query that needs it


def _stored(table: Any) -> list[Any]:
    if table.range_key_attr:
        return [item for partition in table.items.values() for item in partition.values()]
    return list(table.items.values())


def _lookup(table: Any, hash_key: Any, range_key: Any) -> Any:
    stored = table.items.get(hash_key)  # `items` is a defaultdict: never index it with a missing key
    if stored is None or not table.range_key_attr:
        return stored
    return stored.get(range_key)


def _candidates_for(
    table: Any,
    index_name: str | None,
    hash_key: Any,
    comparison: str | None,
    hash_conditions: Any,
    range_conditions: Any,
) -> list[Any] | None:
    """The items that can match the query (a superset of its answer), or None when unknown."""
    if index_name:
        if not hash_conditions:
            return None
        name, value = hash_conditions[0]
    else:
        name, value = table.hash_key_attr, hash_key
    if value is None or getattr(value, "type", None) not in KEY_TYPES:
        return None
    if name == table.hash_key_attr:
        if not index_name and comparison == "BEGINS_WITH" and range_conditions and value in table.items:
            sort_key, _, (prefix, *_) = range_conditions[-1]
            if sort_key == table.range_key_attr and prefix.type == "S" and table.range_key_type == "S":
                kept = _index_of(table).beginning_with(table, value, prefix.value)
                return _with_neighbours(kept, lambda: list(table.items[value].values()))
        stored = table.items.get(value)
        if stored is None:
            return []
        partition = list(stored.values()) if table.range_key_attr else [stored]
    else:
        index = _index_of(table)
        if name not in index.attributes:
            return None
        partition = index.holding(table, name, value)
    return _in_range(partition, comparison, range_conditions)


def _in_range(partition: list[Any], comparison: str | None, conditions: Any) -> list[Any]:
    """The items of the partition that meet the sort key condition moto applies (its last one), by the
    same test, with one item below and one above them (see _with_neighbours)."""
    if not comparison or not conditions:
        return partition
    from moto.dynamodb.comparisons import get_comparison_func

    name, _, values = conditions[-1]
    test = get_comparison_func(comparison)
    tests = [value.cast_value for value in values]
    kept, others = [], []
    try:
        for item in partition:
            value = item.attrs.get(name)
            if value is not None and test(_cast(value), *tests):  # DynamoType.compare, inlined
                kept.append(item)
            elif value is not None:
                others.append(item)
        if kept:
            first = _cast(kept[0].attrs[name])
            below = next((item for item in others if _cast(item.attrs[name]) < first), None)
            above = next((item for item in others if _cast(item.attrs[name]) > first), None)
            kept += [item for item in (below, above) if item is not None]
    except Exception:  # a value moto cannot compare: let its own Query meet it where it would
        return partition
    return _with_neighbours(kept, lambda: partition)


def _with_neighbours(kept: list[Any], partition: Callable[[], list[Any]]) -> list[Any]:
    """moto's Query stops at the Limit when it meets any further item of the partition, matching or
    not, and answers a LastEvaluatedKey: so the candidates keep one item on each side of the matches
    (the sort key conditions are ranges). It also stops when the next item, matching or not, would
    take the page past 1 MB: when the matches come near that, all of the partition goes to it."""
    from moto.dynamodb.models.table import RESULT_SIZE_LIMIT

    if sum(item.size() for item in kept) > RESULT_SIZE_LIMIT - MAX_ITEM_BYTES:
        return partition()
    return kept


def _cast(value: Any) -> Any:
    """DynamoType.cast_value, without its five type tests for the key types."""
    if value.type == "S":
        return value.value
    if value.type == "N":
        return Decimal(value.value)
    return value.cast_value


@contextmanager
def listing(table: Any, items: list[Any], ordered: bool = False) -> Iterator[None]:
    """Meanwhile, on this thread, moto lists `table` (Table.all_items, where its Query and its Scan
    start) as `items`, put in key order unless `ordered` says they are. The Query below hands it the
    items that can match; bench/motofast.py's Scan, the table from the requested start key."""
    outer = getattr(_candidates, "value", None)
    _candidates.value = (table, items, ordered)
    try:
        yield
    finally:
        _candidates.value = outer


def _all_items(self: Any) -> Any:
    scoped = getattr(_candidates, "value", None)
    if scoped is not None and scoped[0] is self:
        _, items, ordered = scoped
        return (
            items if ordered else sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)
        )
    return _original["all_items"](self)


def _query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    original = _original["query"]
    if not enabled:
        return original(self, hash_key, *args, **kwargs)
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    comparison = kwargs.get("range_comparison", args[0] if args else None)
    candidates = _candidates_for(
        self,
        index_name,
        hash_key,
        comparison,
        kwargs.get("hash_key_conditions"),
        kwargs.get("range_key_conditions"),
    )
    if candidates is None:
        return original(self, hash_key, *args, **kwargs)
    with listing(self, candidates):
        return original(self, hash_key, *args, **kwargs)


def _put_item(original: Callable[..., Any]) -> Callable[..., Any]:
    def put_item(self: Any, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        from moto.dynamodb.models.dynamo_type import DynamoType

        try:
            return original(self, item_attrs, *args, **kwargs)
        finally:
            range_value = item_attrs.get(self.range_key_attr) if self.range_key_attr else None
            if self.hash_key_attr in item_attrs and (range_value is not None or not self.range_key_attr):
                _refresh(
                    self,
                    DynamoType(item_attrs[self.hash_key_attr]),
                    DynamoType(range_value) if range_value is not None else None,
                )

    return put_item


def _delete_item(original: Callable[..., Any]) -> Callable[..., Any]:
    def delete_item(self: Any, hash_key: Any, range_key: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, hash_key, range_key, *args, **kwargs)
        finally:
            _refresh(self, hash_key, range_key)

    return delete_item


def _update_item(original: Callable[..., Any]) -> Callable[..., Any]:
    def update_item(self: Any, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, table_name, key, *args, **kwargs)
        finally:
            try:
                table = self.get_table(table_name)
                hash_key, range_key = self.get_keys_value(table, key)
            except Exception:  # no such table or a malformed key: nothing was written
                pass
            else:
                _refresh(table, hash_key, range_key)

    return update_item

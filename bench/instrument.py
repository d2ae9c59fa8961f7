"""botocore hooks on the layer's DynamoDB client: what every call did, how long it took, what it cost.

`before-parameter-build.dynamodb.*` adds ReturnConsumedCapacity=TOTAL and notes the start;
`after-call.dynamodb.*` (emitted for failed calls too) notes the end and counts:

* items read: GetItem's Item, BatchGetItem's Responses, Query/Scan's ScannedCount;
* items written: Put/Update/Delete, also inside TransactWriteItems (ConditionChecks counted apart);
* capacity: moto's reported ConsumedCapacity (a constant per call) and, with `model_capacity`,
  request units modelled from the sizes of the items touched (see capacity.py).

Round trips: every call is one; `sequential` counts what the handler waits for. Calls on the
handler's thread follow each other. Calls on other threads (the feed's thread pool) made between two
calls of the handler's thread - while it waits for the pool - form one parallel stage, which counts
ceil(calls / 32) sequential trips: the waves the feed's pool of 32 threads needs if every call takes
about as long. (Grouping by overlapping time spans does not work here: in-process moto holds the GIL
for most of a call, so the pool's calls barely overlap and only a few of its threads get work.)
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bench import capacity, motofast
from conduit.services.articles import FEED_THREADS

POOL_THREADS = FEED_THREADS  # the feed's pool (conduit.services.articles)


@dataclass
class Call:
    op: str
    thread: int
    start: float
    end: float
    server: float
    items_read: int = 0
    items_written: int = 0
    checks: int = 0
    reported_units: float = 0.0
    rru: float = 0.0
    wru: float = 0.0
    error: str | None = None


@dataclass
class Window:
    """The calls of one measured request."""

    thread: int
    calls: list[Call] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        total, sequential = round_trips(self.calls, self.thread)
        return {
            "calls": total,
            "sequential": sequential,
            "ops": dict(Counter(call.op for call in self.calls)),
            "stages": stages(self.calls, self.thread),
            "items_read": sum(call.items_read for call in self.calls),
            "items_written": sum(call.items_written for call in self.calls),
            "condition_checks": sum(call.checks for call in self.calls),
            "rru": sum(call.rru for call in self.calls),
            "wru": sum(call.wru for call in self.calls),
            "reported_units": sum(call.reported_units for call in self.calls),
            "errors": [call.error for call in self.calls if call.error],
            "detail": [
                {
                    "op": call.op,
                    "parallel": call.thread != self.thread,
                    "items_read": call.items_read,
                    "items_written": call.items_written,
                    "rru": call.rru,
                    "wru": call.wru,
                    **({"error": call.error} if call.error else {}),
                }
                for call in sorted(self.calls, key=lambda c: c.start)
            ],
        }

    def db_wall(self) -> float:
        """Wall time during which at least one call was in flight."""
        return sum(end - start for start, end in _union((c.start, c.end) for c in self.calls))

    def server_time(self) -> float:
        return sum(call.server for call in self.calls)


def _stages(calls: list[Call], handler_thread: int) -> list[list[Call]]:
    """Calls in order, grouped: one group per call of the handler's thread, one per parallel stage."""
    groups: list[list[Call]] = []
    parallel: list[Call] = []
    for call in sorted(calls, key=lambda c: c.start):
        if call.thread != handler_thread:
            parallel.append(call)
            continue
        if parallel:
            groups.append(parallel)
            parallel = []
        groups.append([call])
    if parallel:
        groups.append(parallel)
    return groups


def round_trips(calls: list[Call], handler_thread: int) -> tuple[int, int]:
    """(total calls, sequential round trips) - see the module docstring."""
    sequential = 0
    for group in _stages(calls, handler_thread):
        parallel = group[0].thread != handler_thread
        sequential += math.ceil(len(group) / max(POOL_THREADS, len({c.thread for c in group}))) if parallel else 1
    return len(calls), sequential


def stages(calls: list[Call], handler_thread: int) -> list[str]:
    """E.g. ["GetItem", "Query", "(BatchGetItem + 10 Query)", "BatchGetItem"]."""
    described = []
    for group in _stages(calls, handler_thread):
        if group[0].thread == handler_thread:
            described.append(group[0].op)
            continue
        counts = Counter(call.op for call in group)
        described.append("(" + " + ".join(f"{n} {op}" if n > 1 else op for op, n in counts.items()) + ")")
    return described


def _union(spans: Iterator[tuple[float, float]] | Any) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class Recorder:
    def __init__(self, client: Any, indexes: dict[str, tuple[str, str]]) -> None:
        self.client = client
        self.indexes = indexes
        self.model_capacity = False
        self._window: Window | None = None
        self._lock = threading.Lock()
        client.meta.events.register("before-parameter-build.dynamodb.*", self._before)
        client.meta.events.register("after-call.dynamodb.*", self._after)

    @contextmanager
    def window(self) -> Iterator[Window]:
        window = Window(thread=threading.get_ident())
        self._window = window
        try:
            yield window
        finally:
            self._window = None

    # hooks ---------------------------------------------------------------------------------------

    def _before(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        if self._window is None:
            return
        if "ReturnConsumedCapacity" in model.input_shape.members:
            params["ReturnConsumedCapacity"] = "TOTAL"
        old = None
        if self.model_capacity:
            try:
                old = self._old_items(model.name, params)
            except Exception:  # reported by _after as a model error
                old = None
        context["bench"] = (params, old, motofast.server_seconds(), threading.get_ident(), time.perf_counter())

    def _after(self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        end = time.perf_counter()
        noted = context.get("bench")
        window = self._window
        if noted is None or window is None:
            return
        params, old, server0, thread, start = noted
        call = Call(model.name, thread, start, end, motofast.server_seconds() - server0)
        if http_response.status_code >= 300:
            call.error = parsed.get("Error", {}).get("Code", str(http_response.status_code))
        _count(call, params, parsed)
        call.reported_units = _reported(parsed.get("ConsumedCapacity"))
        if self.model_capacity:
            try:
                self._model(call, params, parsed, old or {})
            except Exception as error:  # a bench bug must not fail the request it observes
                call.error = f"capacity model: {error!r}"
        with self._lock:
            window.calls.append(call)

    # capacity model ------------------------------------------------------------------------------

    def _old_items(self, op: str, params: dict[str, Any]) -> dict[Any, Any]:
        """Stored items a write is about to change (their size and index entries matter)."""
        old = {}
        for table, key in _write_targets(op, params):
            old[_key_id(key)] = motofast.stored_item(table, key)
        return old

    def _model(self, call: Call, params: dict[str, Any], parsed: dict[str, Any], old: dict[Any, Any]) -> None:
        op = call.op
        if op == "GetItem":
            item = motofast.stored_item(params["TableName"], params["Key"])
            call.rru = capacity.read_units(capacity.item_size(item), params.get("ConsistentRead", False))
        elif op == "BatchGetItem":
            for table, request in params["RequestItems"].items():
                for key in request["Keys"]:
                    size = capacity.item_size(motofast.stored_item(table, key))
                    call.rru += capacity.read_units(size, request.get("ConsistentRead", False))
        elif op in ("Query", "Scan"):
            call.rru = self._query_units(op, params, parsed)
        elif op in ("PutItem", "UpdateItem", "DeleteItem"):
            call.wru = self._write(op, params["TableName"], params, old, transactional=False)
        elif op == "TransactWriteItems":
            for action in params["TransactItems"]:
                kind, body = next(iter(action.items()))
                if kind == "ConditionCheck":
                    size = capacity.item_size(motofast.stored_item(body["TableName"], body["Key"]))
                    call.rru += 2 * capacity.read_units(size, consistent=True)
                else:
                    call.wru += self._write(kind + "Item", body["TableName"], body, old, transactional=True)

    def _query_units(self, op: str, params: dict[str, Any], parsed: dict[str, Any]) -> float:
        consistent = params.get("ConsistentRead", False)
        if op == "Scan":
            table = motofast.backend().get_table(params["TableName"])
            count = parsed.get("ScannedCount", 0)
            size = motofast.scanned_bytes(table, motofast.last_scan_start(), count)
            return capacity.query_units([size], consistent)
        if params.get("IndexName"):  # keys-only index entries: what the query returned
            sizes = [capacity.item_size(item) for item in parsed.get("Items", [])]
        else:  # table items are charged whole, whatever the projection
            partition = params["ExpressionAttributeValues"][":pk"]  # conduit.store.ops.query's key condition
            sizes = [
                capacity.item_size(motofast.stored_item(params["TableName"], _table_key({"PK": partition, **item})))
                for item in parsed.get("Items", [])
            ]
        return capacity.query_units(sizes, consistent)

    def _write(self, op: str, table: str, body: dict[str, Any], old: dict[Any, Any], transactional: bool) -> float:
        key = _target_key(op, body)
        before = old.get(_key_id(key))
        after = body["Item"] if op == "PutItem" else motofast.stored_item(table, key)
        units = capacity.write_units(capacity.item_size(before), capacity.item_size(after))
        return units * (2 if transactional else 1) + capacity.index_writes(before, after, self.indexes)


def _count(call: Call, params: dict[str, Any], parsed: dict[str, Any]) -> None:
    op = call.op
    if op == "GetItem":
        call.items_read = 1 if parsed.get("Item") else 0
    elif op == "BatchGetItem":
        call.items_read = sum(len(items) for items in parsed.get("Responses", {}).values())
    elif op in ("Query", "Scan"):
        call.items_read = parsed.get("ScannedCount", len(parsed.get("Items", [])))
    elif op in ("PutItem", "UpdateItem", "DeleteItem"):
        call.items_written = 1
    elif op == "BatchWriteItem":
        call.items_written = sum(len(requests) for requests in params.get("RequestItems", {}).values())
    elif op == "TransactWriteItems":
        kinds = [next(iter(action)) for action in params.get("TransactItems", [])]
        call.checks = kinds.count("ConditionCheck")
        call.items_written = len(kinds) - call.checks


def _reported(consumed: Any) -> float:
    if not consumed:
        return 0.0
    entries = consumed if isinstance(consumed, list) else [consumed]
    return float(sum(entry.get("CapacityUnits", 0) for entry in entries))


def _write_targets(op: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if op in ("PutItem", "UpdateItem", "DeleteItem"):
        return [(params["TableName"], _target_key(op, params))]
    if op == "TransactWriteItems":
        return [
            (body["TableName"], _target_key(kind + "Item", body))
            for kind, body in (next(iter(action.items())) for action in params["TransactItems"])
            if kind != "ConditionCheck"
        ]
    return []


def _target_key(op: str, body: dict[str, Any]) -> dict[str, Any]:
    return _table_key(body["Item"]) if op == "PutItem" else body["Key"]


def _table_key(item: dict[str, Any]) -> dict[str, Any]:
    return {"PK": item["PK"], "SK": item["SK"]}


def _key_id(key: dict[str, Any]) -> tuple[str, str]:
    return repr(key["PK"]), repr(key["SK"])

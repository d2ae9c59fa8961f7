"""The local AWS endpoint the functions talk to: it knows the caller by its access key (each function's
environment has its role's own, localapi/iam.py), refuses what the role may not do with DynamoDB's own
AccessDeniedException, and passes the rest to the database (the embedded moto app, or any
DynamoDB-compatible endpoint such as DynamoDB Local, over HTTP).

Requests signed with any other key (the test harness, seeding, tools) are the local administrator's.

`IamGate.conflicts` (off unless a test sets a `ConflictSimulator`) makes the local database behave
like DynamoDB under contention: moto and DynamoDB Local serialise transactions, so two that touch
the same item both pass; DynamoDB cancels one (TransactionConflict). The simulator holds each
TransactWriteItems' items while it is in flight and answers the cancellation for a transaction -
or the TransactionConflictException for a single-item write - that touches an item held.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from localapi.iam import Role, access_denied_body, dynamodb_actions

log = logging.getLogger("localapi")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


ItemKey = tuple[str, str]  # (table, canonical JSON of the key)
SINGLE_WRITES = ("PutItem", "UpdateItem", "DeleteItem")


class ConflictSimulator:
    """DynamoDB's transaction conflicts, locally: items held by in-flight TransactWriteItems.

    `hold_seconds` keeps a transaction's items held that much longer (the local database answers in
    about a millisecond; DynamoDB's transactions take about ten). `pin(table, key)` holds an item as
    if a transaction of another client had it, until `unpin` - or, with `once=True`, until it has
    cancelled one transaction. `fired` counts the cancellations answered, `cancelled` lists the items
    of each request cancelled, `touched` the transactions seen per item."""

    def __init__(self, hold_seconds: float = 0.0) -> None:
        self.hold_seconds = hold_seconds
        self.fired = 0
        self.touched: dict[ItemKey, int] = {}
        self.cancelled: list[list[ItemKey]] = []  # the items of each request answered with a cancellation
        self._held: dict[ItemKey, int] = {}
        self._pinned: dict[ItemKey, bool] = {}  # key -> released after one cancellation
        self._lock = threading.Lock()

    def pin(self, table: str, key: dict[str, Any], once: bool = False) -> None:
        with self._lock:
            self._pinned[_item_key(table, key)] = once

    def unpin(self, table: str, key: dict[str, Any]) -> None:
        with self._lock:
            self._pinned.pop(_item_key(table, key), None)

    def enter(self, operation: str, request: dict[str, Any]) -> tuple[list[ItemKey], list[int]]:
        """Hold the request's items; returns (items held, indexes of the actions that conflict)."""
        items = _items_of(operation, request)
        with self._lock:
            busy = [i for i, item in enumerate(items) if item in self._held or item in self._pinned]
            if busy:
                self.fired += 1
                self.cancelled.append(items)
                for i in busy:
                    if self._pinned.get(items[i]):
                        del self._pinned[items[i]]
                return [], busy
            if operation == "TransactWriteItems":
                for item in items:
                    self._held[item] = self._held.get(item, 0) + 1
                    self.touched[item] = self.touched.get(item, 0) + 1
                return items, []
            return [], []

    def leave(self, items: list[ItemKey]) -> None:
        if not items:
            return
        if self.hold_seconds:
            time.sleep(self.hold_seconds)
        with self._lock:
            for item in items:
                self._held[item] -= 1
                if not self._held[item]:
                    del self._held[item]


def _item_key(table: str, key: dict[str, Any]) -> ItemKey:
    return table, json.dumps({name: key[name] for name in ("PK", "SK") if name in key}, sort_keys=True)


def _items_of(operation: str, request: dict[str, Any]) -> list[ItemKey]:
    if operation == "TransactWriteItems":
        out = []
        for action in request.get("TransactItems", []):
            body = next(iter(action.values()))
            out.append(_item_key(body.get("TableName", ""), body.get("Key") or body.get("Item") or {}))
        return out
    key = request.get("Key") or request.get("Item") or {}
    return [_item_key(request.get("TableName", ""), key)]


def _conflict_answer(operation: str, request: dict[str, Any], busy: list[int]) -> tuple[str, bytes]:
    if operation == "TransactWriteItems":
        count = len(request.get("TransactItems", []))
        reasons = [
            {"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
            if i in busy
            else {"Code": "None"}
            for i in range(count)
        ]
        body = {
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
            f"[{', '.join(r['Code'] for r in reasons)}]",
            "CancellationReasons": reasons,
        }
    else:
        body = {
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionConflictException",
            "message": "Transaction is ongoing for the item",
        }
    return "400 Bad Request", json.dumps(body).encode()


class IamGate:
    """WSGI middleware: IAM first, then the database app."""

    def __init__(self, app: WsgiApp | None = None, roles_by_key: dict[str, Role] | None = None) -> None:
        self.app: WsgiApp | None = app
        self.roles_by_key = roles_by_key if roles_by_key is not None else {}
        self.denials: list[tuple[str, str, str]] = []  # (function, action, resource), newest last
        self.conflicts: ConflictSimulator | None = None  # tests switch the simulation on

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        found = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        role = self.roles_by_key.get(found.group(1)) if found else None
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        simulator = self.conflicts
        operation = target.rsplit(".", 1)[-1]
        simulated = simulator is not None and operation in ("TransactWriteItems", *SINGLE_WRITES)
        if (role is not None or simulated) and target.startswith("DynamoDB_"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
        if role is not None and target.startswith("DynamoDB_"):
            denied = role.denied(dynamodb_actions(target.rsplit(".", 1)[1], json.loads(body or b"{}")))
            if denied is not None:
                self.denials.append((role.function, *denied))
                log.warning("AccessDenied: %s may not %s on %s", role.function, *denied)
                payload = json.dumps(access_denied_body(role, *denied)).encode()
                start_response(
                    "400 Bad Request",
                    [
                        ("Content-Type", "application/x-amz-json-1.0"),
                        ("x-amzn-RequestId", str(uuid.uuid4())),
                        ("Content-Length", str(len(payload))),
                    ],
                )
                return [payload]
        assert self.app is not None, "the gate has no database behind it"
        if simulator is None or not simulated:
            return self.app(environ, start_response)
        request = json.loads(body or b"{}")
        held, busy = simulator.enter(operation, request)
        if busy:
            status, payload = _conflict_answer(operation, request, busy)
            start_response(
                status,
                [
                    ("Content-Type", "application/x-amz-json-1.0"),
                    ("x-amzn-RequestId", str(uuid.uuid4())),
                    ("Content-Length", str(len(payload))),
                ],
            )
            return [payload]
        try:
            return list(self.app(environ, start_response))  # answered while its items are held
        finally:
            simulator.leave(held)

    def wrap(self, app: WsgiApp) -> IamGate:
        self.app = app
        return self


class Forwarder:
    """A WSGI app that sends each request on to an HTTP endpoint (one keep-alive connection per thread)."""

    _HOP = {"connection", "keep-alive", "transfer-encoding", "host", "content-length"}

    def __init__(self, endpoint: str) -> None:
        parts = urlsplit(endpoint)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return connection

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").title(): value for key, value in environ.items() if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        headers = {k: v for k, v in headers.items() if k.lower() not in self._HOP}
        path = environ.get("PATH_INFO") or "/"
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        for attempt in (1, 2):  # a keep-alive connection the server closed meanwhile is reopened once
            connection = self._connection()
            try:
                connection.request(environ["REQUEST_METHOD"], path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in self._HOP]
        start_response(f"{response.status} {response.reason}", [*kept, ("Content-Length", str(len(payload)))])
        return [payload]


class GateServer:
    """The gate on its own local port, in front of a database at `endpoint` (DYNAMODB_ENDPOINT)."""

    def __init__(self, endpoint: str, gate: IamGate) -> None:
        self.gate = gate.wrap(Forwarder(endpoint))
        self._server: Any = None

    def start(self) -> str:
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = make_server("127.0.0.1", 0, self.gate, threaded=True)
        threading.Thread(target=self._server.serve_forever, name="iam-gate", daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

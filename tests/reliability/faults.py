"""Injected DynamoDB faults on the product's shared client (conduit.store.client.dynamodb()).

The local API runs the handlers in this process, so a hook on that client's event system reaches
the server. `Fault(kind, at=n)` fails the n-th DynamoDB call made while it is armed (counted over
all operations, or only over `operation` when given) and records every call's operation name:

- before the call, nothing sent (a 'before-call' hook answers in DynamoDB's place, so botocore
  raises its real modelled exception and does not retry, as when its retries are exhausted):
  `throughput` ProvisionedThroughputExceededException (400), `throttling` ThrottlingException
  (400), `conflict` TransactionCanceledException with a TransactionConflict reason for
  TransactWriteItems, TransactionConflictException (400) for the other operations, `internal`
  InternalServerError (500), `timeout` a ReadTimeoutError;
- `lost`: the call reaches DynamoDB and commits, then a ReadTimeoutError is raised on the way back
  ('after-call'): the caller cannot know its write happened.

`TransientFault` works one level lower ('before-send', once per HTTP attempt), so botocore's own
retries see it: it fails the first `attempts` attempts of an operation.

Hooks are unregistered on exit, whatever happens.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

BEFORE_KINDS = ("throughput", "throttling", "conflict", "internal", "timeout")
LOST = "lost"
KINDS = (*BEFORE_KINDS, LOST)
_ERRORS = {
    "throughput": (400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput"),
    "throttling": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "internal": (500, "InternalServerError", "Internal server error"),
    "conflict": (400, "TransactionConflictException", "Transaction is ongoing for the item"),
}
_ids = itertools.count()


def _client() -> Any:
    from conduit.store.client import dynamodb

    return dynamodb()


def error_response(operation: str, kind: str, body: str | bytes | None = None) -> tuple[AWSResponse, dict[str, Any]]:
    """(http response, parsed response) as botocore would produce them for this DynamoDB error."""
    status, code, message = _ERRORS[kind]
    parsed: dict[str, Any] = {"Error": {"Code": code, "Message": message}}
    if kind == "conflict" and operation == "TransactWriteItems":
        count = len(json.loads(body or "{}").get("TransactItems", [])) or 1
        reasons = [{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}]
        reasons += [{"Code": "None"}] * (count - 1)
        parsed = {
            "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
            "CancellationReasons": reasons,
        }
    parsed["ResponseMetadata"] = {"HTTPStatusCode": status, "RequestId": "injected", "HTTPHeaders": {}}
    return AWSResponse("https://dynamodb.injected", status, {}, None), parsed


class Fault:
    """Fail the `at`-th DynamoDB call (1-based) with `kind` while armed (a context manager)."""

    def __init__(self, kind: str, at: int, operation: str | None = None) -> None:
        assert kind in KINDS, kind
        self.kind, self.at, self.operation = kind, at, operation
        self.calls: list[str] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []  # (operation, request parameters)
        self.hit: str | None = None  # operation that got the fault, once it fired
        self._lock = threading.Lock()
        self._id = f"reliability-fault-{next(_ids)}"

    @property
    def fired(self) -> bool:
        return self.hit is not None

    def _before(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> Any:
        with self._lock:
            self.calls.append(model.name)
            self.requests.append((model.name, json.loads(params.get("body") or "{}")))
            counted = [c for c in self.calls if self.operation in (None, c)]
            target = model.name == (self.operation or model.name) and len(counted) == self.at
            if target:
                self.hit = model.name
        if not target:
            return None
        if self.kind == LOST:
            context[self._id] = True  # let the call through; fail it on the way back
            return None
        if self.kind == "timeout":
            raise ReadTimeoutError(endpoint_url="https://dynamodb.injected")
        return error_response(model.name, self.kind, params.get("body"))

    def _after(self, context: dict[str, Any], **_: Any) -> None:
        if context.pop(self._id, False):
            raise ReadTimeoutError(endpoint_url="https://dynamodb.injected")

    def __enter__(self) -> Fault:
        events = _client().meta.events
        events.register("before-call.dynamodb", self._before, unique_id=f"{self._id}-before")
        events.register("after-call.dynamodb", self._after, unique_id=f"{self._id}-after")
        return self

    def __exit__(self, *exc: object) -> None:
        events = _client().meta.events
        events.unregister("before-call.dynamodb", unique_id=f"{self._id}-before")
        events.unregister("after-call.dynamodb", unique_id=f"{self._id}-after")

    def describe(self) -> str:
        return f"{self.kind} on call {self.at} ({self.hit}) of {self.calls}"


class Recorder(Fault):
    """Records the DynamoDB calls made while armed; injects nothing."""

    def __init__(self) -> None:
        super().__init__("throttling", at=0)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


class TransientFault:
    """Fail the first `attempts` HTTP attempts of `operation` with `kind` (botocore retries them)."""

    def __init__(self, operation: str, kind: str, attempts: int) -> None:
        assert kind in ("throttling", "throughput", "internal", "timeout"), kind
        self.operation, self.kind, self.attempts = operation, kind, attempts
        self.failed = 0
        self._lock = threading.Lock()
        self._id = f"reliability-transient-{next(_ids)}"

    def _send(self, request: Any, **_: Any) -> Any:
        with self._lock:
            if self.failed >= self.attempts:
                return None
            self.failed += 1
        if self.kind == "timeout":
            raise ReadTimeoutError(endpoint_url=request.url)
        status, code, message = _ERRORS[self.kind]
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}).encode()
        headers = {"x-amzn-RequestId": "injected", "Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, status, headers, _Raw(body))

    def __enter__(self) -> TransientFault:
        _client().meta.events.register(f"before-send.dynamodb.{self.operation}", self._send, unique_id=self._id)
        return self

    def __exit__(self, *exc: object) -> None:
        _client().meta.events.unregister(f"before-send.dynamodb.{self.operation}", unique_id=self._id)

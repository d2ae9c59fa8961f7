"""Injected DynamoDB faults on the functions' DynamoDB calls, made in their worker processes.

The local API runs each function in its own process; the test runtime starts them instrumented
(localapi/worker.py's botocore hooks), and an armed instrument here (localapi/instruments.py) is asked
about every call. `Fault(kind, at=n)` fails the n-th DynamoDB call made while it is armed (counted over
all operations, or only over `operation` when given) and records every call's operation name:

- before the call, nothing sent (the 'before-call' hook answers in DynamoDB's place, so botocore
  raises its real modelled exception and does not retry, as when its retries are exhausted):
  `throughput` ProvisionedThroughputExceededException (400), `throttling` ThrottlingException
  (400), `conflict` TransactionCanceledException with a TransactionConflict reason for
  TransactWriteItems, TransactionConflictException (400) for the other operations, `internal`
  InternalServerError (500), `timeout` a ReadTimeoutError;
- `lost`: the call reaches DynamoDB and commits, then a ReadTimeoutError is raised on the way back
  ('after-call'): the caller cannot know its write happened.

`TransientFault` works one level lower ('before-send', once per HTTP attempt), so botocore's own
retries see it: it fails the first `attempts` attempts of an operation.

Instruments are disarmed on exit, whatever happens.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from localapi import instruments

BEFORE_KINDS = ("throughput", "throttling", "conflict", "internal", "timeout")
LOST = "lost"
KINDS = (*BEFORE_KINDS, LOST)
_ERRORS = {
    "throughput": (400, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput"),
    "throttling": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "internal": (500, "InternalServerError", "Internal server error"),
    "conflict": (400, "TransactionConflictException", "Transaction is ongoing for the item"),
    # not one of the kinds above: an error the code has no answer for (tests of masking)
    "validation": (400, "ValidationException", "secret detail of the failure"),
}


def error_answer(operation: str, kind: str, body: str | None = None) -> dict[str, Any]:
    """The instrument's answer standing for DynamoDB's error: status and the response as botocore parses it."""
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
    return {"action": "error", "status": status, "parsed": parsed}


class _Armed:
    def __enter__(self) -> Any:
        instruments.arm(self)  # type: ignore[arg-type]
        return self

    def __exit__(self, *exc: object) -> None:
        instruments.disarm(self)  # type: ignore[arg-type]


class Fault(_Armed):
    """Fail the `at`-th DynamoDB call (1-based) with `kind` while armed (a context manager)."""

    def __init__(self, kind: str, at: int, operation: str | None = None) -> None:
        assert kind in KINDS or kind in _ERRORS, kind
        self.kind, self.at, self.operation = kind, at, operation
        self.calls: list[str] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []  # (operation, request parameters)
        self.hit: str | None = None  # operation that got the fault, once it fired
        self._lock = threading.Lock()

    @property
    def fired(self) -> bool:
        return self.hit is not None

    def answer(self, hook: dict[str, Any]) -> dict[str, Any] | None:
        if hook["name"] != "before-call":
            return None
        operation, body = hook["operation"], hook.get("body") or "{}"
        with self._lock:
            self.calls.append(operation)
            self.requests.append((operation, json.loads(body)))
            counted = [c for c in self.calls if self.operation in (None, c)]
            target = operation == (self.operation or operation) and len(counted) == self.at
            if target:
                self.hit = operation
        if not target:
            return None
        if self.kind == LOST:
            return {"action": "lost"}
        if self.kind == "timeout":
            return {"action": "timeout"}
        return error_answer(operation, self.kind, body)

    def describe(self) -> str:
        return f"{self.kind} on call {self.at} ({self.hit}) of {self.calls}"


class Recorder(Fault):
    """Records the DynamoDB calls made while armed; injects nothing."""

    def __init__(self) -> None:
        super().__init__("throttling", at=0)


class TransientFault(_Armed):
    """Fail the first `attempts` HTTP attempts of `operation` with `kind` (botocore retries them)."""

    def __init__(self, operation: str, kind: str, attempts: int) -> None:
        assert kind in ("throttling", "throughput", "internal", "timeout"), kind
        self.operation, self.kind, self.attempts = operation, kind, attempts
        self.failed = 0
        self._lock = threading.Lock()

    def answer(self, hook: dict[str, Any]) -> dict[str, Any] | None:
        if hook["name"] != "before-send" or hook["operation"] != self.operation:
            return None
        with self._lock:
            if self.failed >= self.attempts:
                return None
            self.failed += 1
        if self.kind == "timeout":
            return {"action": "timeout"}
        status, code, message = _ERRORS[self.kind]
        body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message})
        headers = {"x-amzn-RequestId": "injected", "Content-Type": "application/x-amz-json-1.0"}
        return {"action": "error", "status": status, "headers": headers, "body": body}

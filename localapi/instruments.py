"""Test instruments on the functions' DynamoDB calls (fault injection, call recording).

An instrument armed here is asked, in the harness's process, about every DynamoDB call that any function
makes in its worker process (localapi/worker.py's hooks), and answers what the worker should do:
{"action": "pass"}, {"action": "error", "status": ..., "parsed": ...} (before the call, botocore raises the
modelled error without retrying), {"action": "timeout"}, {"action": "lost"} (the call commits, then a read
timeout), or, per HTTP attempt ("before-send"), {"action": "error", "status", "headers", "body"}.
Workers carry the hooks only when the runtime was started with `instrumented=True` (the test suite).
"""

from __future__ import annotations

import threading
from typing import Any, Protocol


class Instrument(Protocol):
    def answer(self, hook: dict[str, Any]) -> dict[str, Any] | None: ...


_armed: list[Instrument] = []
_lock = threading.Lock()


def arm(instrument: Instrument) -> None:
    with _lock:
        _armed.append(instrument)


def disarm(instrument: Instrument) -> None:
    with _lock:
        if instrument in _armed:
            _armed.remove(instrument)


class _Armed:
    """What a worker asks while anything is armed: every instrument hears the call (recorders record it);
    the first one in arming order that does not pass decides."""

    def answer(self, hook: dict[str, Any]) -> dict[str, Any]:
        with _lock:
            instruments = list(_armed)
        decided: dict[str, Any] = {"action": "pass"}
        for instrument in instruments:
            reply = instrument.answer(hook) or {"action": "pass"}
            if decided["action"] == "pass" and reply.get("action", "pass") != "pass":
                decided = reply
        return decided


def current() -> _Armed | None:
    """The answerer for an invocation starting now, or None when nothing is armed."""
    with _lock:
        return _Armed() if _armed else None

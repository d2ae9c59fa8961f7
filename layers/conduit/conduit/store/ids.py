"""Time-ordered ids: 16 hex digits of nanoseconds since the epoch, then 8 random hex digits."""

from __future__ import annotations

import secrets
import threading
import time

_lock = threading.Lock()
_last = 0


def new_id() -> str:
    global _last
    with _lock:
        now = max(time.time_ns(), _last + 1)  # strictly increasing within a container
        _last = now
    return f"{now:016x}{secrets.token_hex(4)}"


def iso_now() -> str:
    """UTC timestamp with milliseconds, e.g. 2026-11-23T16:43:20.123Z."""
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now * 1000) % 1000:03d}Z"

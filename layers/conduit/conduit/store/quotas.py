"""Fixed-window counters for rate limits: one item per subject and window, expired by TTL.

`reserve` is one atomic UpdateItem whose condition refuses the event once the window is full, so
concurrent requests can never count past the limit: the counter update is the gate, taken before
the work it limits. `release` gives a reservation back (a login whose password was right).

Both are safe to retry: a reservation adds a random attempt id to the window's `attempts` set in the
same update, and the condition refuses an attempt already there. botocore resends the same request when
an answer is lost, so a retry of a reservation that counted finds its own id (returned with the failed
condition) and is granted, instead of counting twice or answering 429 for a counted request; a release
removes the id under the condition that it is there, so a retried release uncounts nothing twice.
"""

from __future__ import annotations

import contextlib
import math
import secrets
import time

from conduit.entities.quotas import Reservation
from conduit.store import keys, ops

__all__ = ["Reservation", "release", "reserve"]


def _window(window_seconds: int, now: float) -> int:
    return int(now // window_seconds) * window_seconds


def reserve(kind: str, subject: str, limit: int, window_seconds: int = 60) -> Reservation:
    """Count one event of `subject` in the current window, unless `limit` events are already counted."""
    now = time.time()
    window = _window(window_seconds, now)
    key = keys.quota(kind, subject, window)
    attempt = secrets.token_hex(6)
    try:
        ops.update_item(
            key,
            "ADD hits :one, attempts :attempts SET expiresAt = if_not_exists(expiresAt, :expires)",
            "(attribute_not_exists(hits) OR hits < :limit) AND NOT contains(attempts, :attempt)",
            one=1,
            attempts={attempt},
            attempt=attempt,
            expires=window + 2 * window_seconds,
            limit=limit,
        )
    except ops.ConditionFailed as failed:
        if failed.item and attempt in failed.item.get("attempts", ()):
            return Reservation(kind, subject, window, attempt)  # a retry of this very reservation, which counted
        return Reservation.refusal(kind, subject, retry_after=max(1, math.ceil(window + window_seconds - now)))
    return Reservation(kind, subject, window, attempt)


def release(reservation: Reservation) -> None:
    """Uncount a reserved event, in the window it was counted in (a no-op once that item expired)."""
    if reservation.window is None:
        return
    with contextlib.suppress(ops.ConditionFailed):  # already released (a retry), or the window's item is gone
        ops.update_item(
            keys.quota(reservation.kind, reservation.subject, reservation.window),
            "ADD hits :minus DELETE attempts :attempts",
            "contains(attempts, :attempt)",
            minus=-1,
            attempts={reservation.attempt},
            attempt=reservation.attempt,
        )

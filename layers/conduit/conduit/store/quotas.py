"""Fixed-window counters for rate limits: one item per subject and window, expired by TTL.

`reserve` is one atomic UpdateItem whose condition refuses the event once the window is full, so
concurrent requests can never count past the limit: the counter update is the gate, taken before
the work it limits. `release` gives a reservation back (a login whose password was right).
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from conduit.store import keys, ops
from conduit.store.keys import Key


@dataclass(frozen=True, slots=True)
class Reservation:
    """One event counted on `key`, or refused (`key` None) until `retry_after` seconds from now."""

    key: Key | None
    retry_after: int = 0

    @property
    def refused(self) -> bool:
        return self.key is None


def _window(window_seconds: int, now: float) -> int:
    return int(now // window_seconds) * window_seconds


def reserve(kind: str, subject: str, limit: int, window_seconds: int = 60) -> Reservation:
    """Count one event of `subject` in the current window, unless `limit` events are already counted."""
    now = time.time()
    window = _window(window_seconds, now)
    key = keys.quota(kind, subject, window)
    try:
        ops.update_item(
            key,
            "ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expires)",
            "attribute_not_exists(hits) OR hits < :limit",
            one=1,
            expires=window + 2 * window_seconds,
            limit=limit,
        )
    except ops.ConditionFailed:
        return Reservation(None, max(1, math.ceil(window + window_seconds - now)))
    return Reservation(key)


def release(reservation: Reservation) -> None:
    """Uncount a reserved event, in the window it was counted in (a no-op once that item expired)."""
    if reservation.key is None:
        return
    with contextlib.suppress(ops.ConditionFailed):  # the window's item is gone (TTL): nothing to give back
        ops.update_item(reservation.key, "ADD hits :minus", "hits > :zero", minus=-1, zero=0)

"""Fixed-window counters for rate limits: one item per subject and window, expired by TTL.

`hit` is one atomic UpdateItem whose condition refuses the event once the window is full, so
concurrent requests can never exceed the limit. `level` reads a counter without counting.
"""

from __future__ import annotations

import math
import time

from conduit.store import keys, ops


def _window(window_seconds: int, now: float) -> int:
    return int(now // window_seconds) * window_seconds


def _retry_after(window: int, window_seconds: int, now: float) -> int:
    return max(1, math.ceil(window + window_seconds - now))


def hit(kind: str, subject: str, limit: int, window_seconds: int = 60) -> int | None:
    """Count one event; None when allowed, else the seconds until the window resets."""
    now = time.time()
    window = _window(window_seconds, now)
    try:
        ops.update_item(
            keys.quota(kind, subject, window),
            "ADD hits :one SET expiresAt = if_not_exists(expiresAt, :expires)",
            "attribute_not_exists(hits) OR hits < :limit",
            one=1,
            expires=window + 2 * window_seconds,
            limit=limit,
        )
    except ops.ConditionFailed:
        return _retry_after(window, window_seconds, now)
    return None


def over_limit(checks: list[tuple[str, str, int]], window_seconds: int = 60) -> int | None:
    """Whether any (kind, subject, limit) counter is already full; one BatchGetItem for all of them."""
    now = time.time()
    window = _window(window_seconds, now)
    wanted = {(kind, subject): keys.quota(kind, subject, window) for kind, subject, _ in checks}
    found = ops.batch_get(list(wanted.values()), ("hits",))
    for kind, subject, limit in checks:
        key = wanted[(kind, subject)]
        if found.get((key["PK"], key["SK"]), {}).get("hits", 0) >= limit:
            return _retry_after(window, window_seconds, now)
    return None

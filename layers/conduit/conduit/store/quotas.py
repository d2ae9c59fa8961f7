"""Fixed-window counters for rate limits: one item per subject and window, expired by TTL.

`hit` is one atomic UpdateItem whose condition refuses the event once the window is full, so
concurrent requests can never exceed the limit. `over_limit` reads counters without counting.

A hit is safe to retry: it adds a random attempt id to the window's `attempts` set in the same
update, and the condition refuses an attempt already there. botocore resends the same request when
an answer is lost, so a retry of a hit that counted finds its own id (returned with the failed
condition) and is allowed, instead of counting twice or answering 429 for a counted request.
"""

from __future__ import annotations

import math
import secrets
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
    attempt = secrets.token_hex(6)
    try:
        ops.update_item(
            keys.quota(kind, subject, window),
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
            return None  # a retry of this very hit, which counted: allowed once, counted once
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

"""Per-request authorization: the route's rule (conduit.authz), the caller's current role and
suspension, and the write quota. Runs after the token is verified, before the endpoint's story."""

from __future__ import annotations

import threading
import time
from typing import Any

from conduit import observability
from conduit.authz import Role, Rule
from conduit.errors import Forbidden, TooManyRequests, Unauthorized, invalid_token
from conduit.settings import get_settings

_cache: dict[str, tuple[float, dict[str, Any] | None]] = {}
_lock = threading.Lock()


def current_role(uid: str) -> Role:
    """The caller's role now: a deleted or suspended user's token stops working at once
    (within AUTH_CACHE_SECONDS in other containers)."""
    state = _auth_state(uid)
    if state is None:
        raise invalid_token()
    if state.get("suspended"):
        raise Unauthorized("user", "is suspended")
    return Role(state.get("role") or Role.USER)


def check(rule: Rule, role: Role | None, subject: str) -> None:
    """Role allowed for the route, and the write quota of `subject` (user id, or ip:<address>)."""
    if role is not None and role not in rule.roles:
        raise Forbidden("admin")
    if rule.write:
        from conduit.store import quotas

        wait = quotas.hit("write", subject, get_settings().write_quota_per_minute)
        if wait is not None:
            observability.count("RateLimited")
            raise TooManyRequests(wait)


def forget(uid: str) -> None:
    """Drop a cached auth state (after a role change or suspension in this container)."""
    with _lock:
        _cache.pop(uid, None)


def _auth_state(uid: str) -> dict[str, Any] | None:
    ttl = get_settings().auth_cache_seconds
    now = time.monotonic()
    with _lock:
        cached = _cache.get(uid)
    if cached and cached[0] > now:
        return cached[1]
    from conduit.store import users

    state = users.auth_state(uid)
    if ttl > 0:
        with _lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[uid] = (now + ttl, state)
    return state

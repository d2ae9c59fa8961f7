"""Per-request authorization: the route's rule (conduit.authz), the caller's current role and
suspension, and the write quota. Runs after the token is verified, before the endpoint's story."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from conduit import observability
from conduit.authz import Role, Rule
from conduit.errors import AdminOnly, RateLimited, TokenInvalid, UserSuspended
from conduit.settings import get_settings

if TYPE_CHECKING:
    from conduit.security.tokens import Claims

_cache: dict[str, tuple[float, dict[str, Any] | None]] = {}
_lock = threading.Lock()


def authenticate(token: str) -> tuple[str, Role]:
    """The user a token was issued to and their role now (401 for a bad or outdated token)."""
    from conduit.security.tokens import verify_claims

    claims = verify_claims(token)
    return claims.subject, current_role(claims, token)


def current_role(claims: Claims, token: str) -> Role:
    """The role now of the user a verified token names. 401 when the user is gone, suspended, or
    changed their password after the token was issued (conduit.security.credentials); in other
    containers within AUTH_CACHE_SECONDS."""
    from conduit.security import credentials

    state = _auth_state(claims.subject)
    if state is not None and credentials.version(state) < claims.credentials_version:
        forget(claims.subject)  # the token is newer than this container's copy: read the user again
        state = _auth_state(claims.subject)
    grace = get_settings().password_change_grace_seconds
    if state is None or not credentials.is_current(state, claims.credentials_version, token, grace):
        raise TokenInvalid()
    if state.get("suspended"):
        raise UserSuspended()
    return Role(state.get("role") or Role.USER)


def check(rule: Rule, role: Role | None, subject: str) -> None:
    """Role allowed for the route, and the write quota of `subject` (user id, or ip:<address>)."""
    if role is not None and role not in rule.roles:
        raise AdminOnly()
    if rule.write:
        from conduit.store import quotas

        reservation = quotas.reserve("write", subject, get_settings().write_quota_per_minute)
        if reservation.refused:
            observability.count("RateLimited")
            raise RateLimited(reservation.retry_after)


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

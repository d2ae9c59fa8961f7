"""The authorization pipeline, one for REST (conduit.http.endpoint) and GraphQL
(conduit.graphql.context): `authorize(rule, token, source_ip)` takes a request from its token to
the caller it may act as, in four steps:

1. token: verified per the route rule's auth mode (none: ignored; optional: used when sent;
   required: 401 without one);
2. current role and state: the user's role now, refused when gone, suspended, or the token is older
   than their password (`authenticate`);
3. route rule: the role must be one the route allows (conduit.authz.RULES);
4. quota: a write counts against the caller's (or, anonymous, the address's) write quota.

Ownership is not here: the writes enforce it in their ConditionExpressions (store/).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from conduit import observability
from conduit.authz import Role, Rule
from conduit.errors import AdminOnly, RateLimited, TokenInvalid, TokenMissing, UserSuspended
from conduit.settings import get_settings

if TYPE_CHECKING:
    from conduit.entities.users import AuthState
    from conduit.security.tokens import Claims

_cache: dict[str, tuple[float, AuthState | None]] = {}
_lock = threading.Lock()


Identify = Callable[[str], tuple[str, Role]]  # a token -> its user and their role now (step 2)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who the request acts as: a user (`viewer`, `role`, their `token`) or anonymous (all None)."""

    viewer: str | None
    role: Role | None
    token: str | None

    def require_viewer(self) -> str:
        if self.viewer is None:
            raise TokenMissing()
        return self.viewer


ANONYMOUS = Caller(None, None, None)


def authorize(rule: Rule, token: str | None, source_ip: str, identify: Identify | None = None) -> Caller:
    """The caller a request with `token` (None: no usable Authorization header) from `source_ip` may
    act as under the route's `rule`, or the domain error refusing it. `identify` replaces
    `authenticate` for an edge that remembers the answer (GraphQL: once per request)."""
    caller = ANONYMOUS
    if rule.auth != "none" and token is not None:
        viewer, role = (identify or authenticate)(token)
        caller = Caller(viewer, role, token)
    elif rule.auth == "required":
        raise TokenMissing()
    check(rule, caller.role, caller.viewer or f"ip:{source_ip}")
    return caller


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
    if state is not None and state.credentials.version < claims.credentials_version:
        forget(claims.subject)  # the token is newer than this container's copy: read the user again
        state = _auth_state(claims.subject)
    grace = get_settings().password_change_grace_seconds
    if state is None or not credentials.is_current(state.credentials, claims.credentials_version, token, grace):
        raise TokenInvalid()
    if state.suspended:
        raise UserSuspended()
    return state.role


def check(rule: Rule, role: Role | None, subject: str) -> None:
    """Steps 3 and 4: role allowed for the route, and the write quota of `subject` (user id, or
    ip:<address>)."""
    if role is not None and role not in rule.roles:
        raise AdminOnly()
    if rule.write:
        from conduit.ports import quotas

        reservation = quotas.store().reserve("write", subject, get_settings().write_quota_per_minute)
        if reservation.refused:
            observability.count("RateLimited")
            raise RateLimited(reservation.retry_after)


def forget(uid: str) -> None:
    """Drop a cached auth state (after a role change or suspension in this container)."""
    with _lock:
        _cache.pop(uid, None)


def _auth_state(uid: str) -> AuthState | None:
    ttl = get_settings().auth_cache_seconds
    now = time.monotonic()
    with _lock:
        cached = _cache.get(uid)
    if cached and cached[0] > now:
        return cached[1]
    from conduit.ports import users

    state = users.store().auth_state(uid)
    if ttl > 0:
        with _lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[uid] = (now + ttl, state)
    return state

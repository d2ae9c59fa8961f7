"""Which tokens a password change outdates.

A user item carries a credentials version (`credentialsVersion`, absent = 0); a token carries the
version it was issued at (claim `cv`). A password change moves the version on, so every token issued
before it is refused (401) by the guard's per-request read of the user, and the answer to the change
carries a fresh token.

One exception keeps clients working: the token that made the change is still honoured for
PASSWORD_CHANGE_GRACE_SECONDS (default 60), so the requests that client already has in flight, or a
second change sent with the same token (the RealWorld spec suite does that), do not fail. The user
item remembers that token by a digest (`credentialsChangedBy`, a truncated SHA-256: never the
token) and the time (`credentialsChangedAt`). Every other older token is refused at once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from typing import Any

from conduit.entities.users import CredentialsState

VERSION = "credentialsVersion"
CHANGED_BY = "credentialsChangedBy"
CHANGED_AT = "credentialsChangedAt"
FIELDS = (VERSION, CHANGED_BY, CHANGED_AT)


def version(item: Mapping[str, Any]) -> int:
    """The credentials version of a stored user item (the store's reading of it)."""
    return int(item.get(VERSION) or 0)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


def changed(state: CredentialsState, token: str, now: float | None = None) -> CredentialsState:
    """The credentials after a password change made with `token`."""
    return CredentialsState(state.version + 1, token_digest(token), int(now if now is not None else time.time()))


def reset(state: CredentialsState) -> CredentialsState:
    """The credentials after a password reset (by emailed token, no bearer token): the version moves
    on and no earlier token keeps a grace period."""
    return CredentialsState(state.version + 1)


def is_current(
    state: CredentialsState, token_version: int, token: str, grace_seconds: int, now: float | None = None
) -> bool:
    """Whether a token issued at `token_version` still stands for credentials in `state`."""
    if token_version == state.version:
        return True
    if token_version > state.version or not state.changed_by:
        return False
    now = now if now is not None else time.time()
    within_grace = now < (state.changed_at or 0) + grace_seconds
    return within_grace and token_digest(token) == state.changed_by

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
from typing import Any

VERSION = "credentialsVersion"
CHANGED_BY = "credentialsChangedBy"
CHANGED_AT = "credentialsChangedAt"
FIELDS = (VERSION, CHANGED_BY, CHANGED_AT)


def version(user: dict[str, Any]) -> int:
    return int(user.get(VERSION) or 0)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:32]


def changed(user: dict[str, Any], token: str, now: float | None = None) -> dict[str, Any]:
    """The attributes a password change made with `token` sets on `user`."""
    return {
        VERSION: version(user) + 1,
        CHANGED_BY: token_digest(token),
        CHANGED_AT: int(now if now is not None else time.time()),
    }


def reset(user: dict[str, Any]) -> dict[str, Any]:
    """The attributes a password reset (by emailed token, no bearer token) sets on `user`: the version
    moves on and no earlier token keeps a grace period (None removes the attribute)."""
    return {VERSION: version(user) + 1, CHANGED_BY: None, CHANGED_AT: None}


def is_current(
    user: dict[str, Any], token_version: int, token: str, grace_seconds: int, now: float | None = None
) -> bool:
    """Whether a token issued at `token_version` still stands for `user`'s credentials."""
    if token_version == version(user):
        return True
    if token_version > version(user) or not user.get(CHANGED_BY):
        return False
    now = now if now is not None else time.time()
    within_grace = now < int(user.get(CHANGED_AT) or 0) + grace_seconds
    return within_grace and token_digest(token) == user[CHANGED_BY]

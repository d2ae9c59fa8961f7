"""Pending password resets (store/pending_tokens.py), each valid only while the user's credentials stay
at the version they were issued for."""

from __future__ import annotations

from conduit.entities.users import PendingReset, User
from conduit.store import keys, users
from conduit.store.pending_tokens import PendingTokens

_pending = PendingTokens(keys.password_reset, "passwordReset")


def add(token_hash: str, uid: str, credentials_version: int, ttl_seconds: int) -> None:
    """Remember a reset token for `uid`, valid `ttl_seconds` and only while the user's credentials stay
    at `credentials_version` (a reset or password change since outdates it)."""
    _pending.add(token_hash, uid, ttl_seconds, credentialsVersion=credentials_version)


def find(token_hash: str) -> PendingReset | None:
    item = _pending.find(token_hash)
    if item is None:
        return None
    return PendingReset(token_hash, item["userId"], int(item.get("credentialsVersion") or 0))


def redeem(pending: PendingReset, current: User, updated: User) -> User:
    """One transaction: the reset deleted (it must still be there: single use) and the user updated."""
    return users.update(current, updated, also=[_pending.consume(pending.token_hash)])
